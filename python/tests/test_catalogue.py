"""The responsibility catalogue (职责清单 / 派单目录) from Python: loading, looking up an item,
the lint, routing under it (route and route_frame agree), and fengqiao.Error on bad input."""

import pandas as pd
import pytest

from conftest import DATA

CATALOGUE = DATA / "catalogue.textproto"
HEAD = ('version: "t1" effective_date: "2026-01-01" fallback_department: DEPARTMENT_COMMUNITY\n'
        'domains { code: "01" name: "城市管理" classes { code: "01.01" name: "市容环境"\n')


def one_class(items):
    return HEAD + items + "} }\n"


@pytest.fixture(scope="module")
def catalogue(fq):
    return fq.load_catalogue(CATALOGUE)


@pytest.fixture(scope="module")
def catalogue_rules(fq, grid_map, catalogue):
    return fq.compile_rules(DATA / "rules" / "district.textproto", grid_map, catalogue=catalogue)


def test_load_the_sample_catalogue_and_look_up_an_item(fq, catalogue):
    from fengqiao.v1 import taxonomy_pb2

    assert catalogue.version == "2026.1"
    assert catalogue.effective_date == "2026-01-01"
    assert catalogue.fallback_department == taxonomy_pb2.DEPARTMENT_COMMUNITY
    assert len(catalogue) == 47
    assert catalogue.warnings == []
    item = fq.catalogue_item(catalogue, "01.01.001")
    assert item.item_name == "占道经营"
    assert item.department == taxonomy_pb2.DEPARTMENT_CITY_MANAGEMENT
    assert (item.class_code, item.domain_code, item.catalogue_version) == ("01.01", "01", "2026.1")
    assert not item.fallback


def test_an_unknown_code_is_not_found(fq, catalogue):
    with pytest.raises(fq.NotFoundError, match="99.99.999"):
        fq.catalogue_item(catalogue, "99.99.999")
    with pytest.raises(KeyError):  # NotFoundError is a KeyError too
        fq.catalogue_item(catalogue, "")


def test_bad_arguments_raise_fengqiao_errors(fq, catalogue):
    for bad in (7, None, ["01.01.001"]):  # wrong type
        with pytest.raises(fq.InvalidArgumentError, match="code"):
            fq.catalogue_item(catalogue, bad)
    with pytest.raises(fq.InvalidArgumentError, match="UTF-8"):
        fq.catalogue_item(catalogue, "01.01.\udc80")  # a lone surrogate
    with pytest.raises(fq.InvalidArgumentError, match="UTF-8"):
        fq.catalogue_item(catalogue, b"01.\xff")
    with pytest.raises(fq.InvalidArgumentError, match="catalogue"):
        fq.catalogue_item("not a catalogue", "01.01.001")
    with pytest.raises(fq.InvalidArgumentError, match="path"):
        fq.load_catalogue(12)
    with pytest.raises(fq.NotFoundError):
        fq.load_catalogue(DATA / "no_such_catalogue.textproto")


@pytest.mark.parametrize("text, says", [
    # wrong type
    ('version: 7\n', "c.textproto:1:"),
    # missing fields
    (one_class('items { code: "01.01.001" name: "x" }\n'), "[no-owner]"),
    ('effective_date: "2026-01-01" fallback_department: DEPARTMENT_LABOUR\n', "[missing-version]"),
    ('version: "t" effective_date: "2026-01-01"\n', "[missing-fallback]"),
    # out of range
    ('version: "t" effective_date: "2026-13-01" fallback_department: DEPARTMENT_LABOUR\n',
     "[bad-date]"),
    (one_class('items { code: "02.01.001" name: "x" department: DEPARTMENT_LABOUR }\n'),
     "[bad-code]"),
    # unknown enum number
    (one_class('items { code: "01.01.001" name: "x" department: 99 }\n'), "99"),
    # duplicate ids
    (one_class('items { code: "01.01.001" name: "x" department: DEPARTMENT_LABOUR }\n'
               'items { code: "01.01.001" name: "y" department: DEPARTMENT_LABOUR }\n'),
     "[duplicate-code]"),
])
def test_malformed_catalogues_are_invalid_argument_with_their_place(fq, text, says):
    with pytest.raises(fq.InvalidArgumentError) as e:
        fq.parse_catalogue(text, "c.textproto")
    assert says in str(e.value)
    assert isinstance(e.value, ValueError)


def test_invalid_utf8_and_huge_input_are_refused(fq, tmp_path):
    path = tmp_path / "c.textproto"
    path.write_bytes((HEAD + 'items { code: "01.01.001" name: "').encode() + b"\xff\xfe"
                     + b'" department: DEPARTMENT_LABOUR }\n} }\n')
    with pytest.raises(fq.InvalidArgumentError, match="c.textproto:3:"):
        fq.load_catalogue(path)
    items = "".join(f'items {{ code: "01.01.{i}" name: "n{i}" department: DEPARTMENT_LABOUR }}\n'
                    for i in range(100_001))
    with pytest.raises(fq.InvalidArgumentError, match="too-many-items"):
        fq.parse_catalogue(one_class(items), "c.textproto")


def test_lint_flags_duties_handed_down_to_communities_and_grids(fq, tmp_path):
    path = tmp_path / "c.textproto"
    path.write_text(one_class(
        'items { code: "01.01.001" name: "占道经营" department: DEPARTMENT_CITY_MANAGEMENT '
        'handled_at: DUTY_LEVEL_GRID }\n'
        'items { code: "01.01.002" name: "违建巡查" department: DEPARTMENT_COMMUNITY '
        'statutory_department: DEPARTMENT_CITY_MANAGEMENT }\n'), encoding="utf-8")
    findings = fq.lint_catalogue(path)
    assert len(findings) == 2
    assert all("[duty-pushed-down]" in f and ": warning: " in f for f in findings)
    assert fq.lint_catalogue(CATALOGUE) == []
    # The catalogue loads; its warnings are kept.
    assert len(fq.load_catalogue(path).warnings) == 2


def test_routing_takes_the_department_from_the_catalogue(fq, catalogue_rules):
    from fengqiao.v1 import incident_pb2, taxonomy_pb2

    incident = incident_pb2.Incident(
        id="12345-1", channel=incident_pb2.CHANNEL_HOTLINE_12345,
        kind=incident_pb2.INCIDENT_KIND_NON_POLICE, grid_code="xc-lc-c1-g1",
        responsible_department=taxonomy_pb2.DEPARTMENT_TOBACCO, matter_code="04.01.001")
    incident.reported_at.seconds = 1791943200
    d = fq.route(catalogue_rules, incident)
    assert d.action.department == taxonomy_pb2.DEPARTMENT_LABOUR
    assert d.catalogue.item_code == "04.01.001"
    assert d.catalogue.catalogue_version == "2026.1"
    incident.matter_code = "no-such-item"
    d = fq.route(catalogue_rules, incident)
    assert d.catalogue.fallback
    assert d.action.department == taxonomy_pb2.DEPARTMENT_COMMUNITY
    assert fq.explain(catalogue_rules, incident).decision.catalogue.fallback
    assert catalogue_rules.catalogue.version == "2026.1"


def test_route_frame_reads_matter_codes_as_route_does(fq, catalogue_rules, rules, grid_map):
    from fengqiao.v1 import incident_pb2

    codes = ["01.01.001", "05.02.001", None, "nope", "07.02.003", "06.03.001"]
    frame = pd.DataFrame({
        "grid_code": ["xc-lc-c1-g1"] * len(codes),
        "kind": ["INCIDENT_KIND_NON_POLICE"] * len(codes),
        "department": ["DEPARTMENT_TOBACCO"] * len(codes),
        "matter_code": codes,
    })
    out = fq.route_frame(catalogue_rules, frame, grid_map)
    for i, code in enumerate(codes):
        incident = incident_pb2.Incident(id=f"r{i}", kind=incident_pb2.INCIDENT_KIND_NON_POLICE,
                                         grid_code="xc-lc-c1-g1", responsible_department=11,
                                         matter_code=code or "")
        incident.reported_at.seconds = 1791943200
        assert out["rule_id"].iloc[i] == fq.route(catalogue_rules, incident).rule_id, code
    assert out["department"].iloc[0] == "city management (城管)"
    assert out["department"].iloc[2] == out["department"].iloc[3] == "residents' committee (社区)"
    # Without a catalogue the column is not read: the recorded department stands.
    plain = fq.route_frame(rules, frame, grid_map)
    assert (plain["department"] == "tobacco monopoly (烟草)").all()
    with pytest.raises(fq.InvalidArgumentError, match="matter_code"):
        fq.route_frame(catalogue_rules, frame.assign(matter_code=[1, 2, 3, 4, 5, 6]), grid_map)
