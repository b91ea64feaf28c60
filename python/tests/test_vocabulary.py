"""Labels come from the protos' (fengqiao.v1.label) option, the same source the C++ library reads."""

import pytest

import fengqiao
from fengqiao import vocabulary
from fengqiao.v1 import case_pb2, force_pb2, incident_pb2, routing_pb2, taxonomy_pb2

ENUMS = [taxonomy_pb2.DisputeType, taxonomy_pb2.Department, taxonomy_pb2.Severity,
         incident_pb2.Channel, incident_pb2.IncidentKind, routing_pb2.Tier,
         force_pb2.ForceType, case_pb2.CaseState, case_pb2.CaseEventType]


@pytest.mark.parametrize("enum_type", ENUMS, ids=lambda e: e.DESCRIPTOR.name)
def test_every_value_has_both_labels_and_parses_back(enum_type):
    for number in enum_type.values():
        lab = vocabulary.label(enum_type, number)
        assert lab.known and lab.en and lab.zh
        for text in (lab.proto_name, lab.short_name, lab.en, lab.zh, str(number)):
            assert vocabulary.parse(enum_type, text, allow_unspecified=True) == number


def test_labels_match_what_the_library_prints():
    assert vocabulary.display_name(taxonomy_pb2.DisputeType, taxonomy_pb2.DISPUTE_TYPE_NOISE) \
        == "noise (噪音)"
    assert vocabulary.label(routing_pb2.Tier, routing_pb2.TIER_COMMUNITY_POLICE).zh == "社区民警"


def test_unknown_number_is_unknown_not_another_value():
    assert not vocabulary.label(taxonomy_pb2.DisputeType, 99).known
    assert vocabulary.label(taxonomy_pb2.DisputeType, None).display == "unknown (未知)"


@pytest.mark.parametrize("bad", ["nosie", "", "unspecified", 99, None, 1.5, "9" * 100])
def test_parse_refuses_bad_input_with_a_library_error(bad):
    with pytest.raises(fengqiao.InvalidArgumentError) as info:
        vocabulary.parse(taxonomy_pb2.DisputeType, bad)
    assert "DisputeType" in str(info.value)
    assert "9" * 20 not in str(info.value)


# The enum columns route_frame reads and the incident fields the CLI reads, with every value the
# protos define (found through the descriptors, so a new value is covered without an edit).
_ROUTED = {"kind": incident_pb2.IncidentKind, "dispute_type": taxonomy_pb2.DisputeType,
           "severity": taxonomy_pb2.Severity, "channel": incident_pb2.Channel,
           "department": taxonomy_pb2.Department}


@pytest.mark.parametrize("column", sorted(_ROUTED))
def test_route_frame_accepts_every_value_by_name_and_number(fq, rules, grid_map, column):
    import pandas as pd

    enum_type = _ROUTED[column]
    values = [v for v in enum_type.values() if v or column != "kind"]
    for spelled in ([enum_type.Name(v) for v in values], values):
        frame = pd.DataFrame({"grid_code": "xc-lc-c1-g1", column: spelled})
        if column != "kind":
            frame["kind"] = "INCIDENT_KIND_DISPUTE"
        out = fq.route_frame(rules, frame, grid_map)
        assert len(out) == len(values) and (out["rule_index"] >= -1).all()


def test_the_cli_routes_an_incident_of_every_value(tmp_path):
    import json
    import pathlib
    import subprocess

    root = pathlib.Path(__file__).resolve().parents[2]
    fields = {"kind": incident_pb2.IncidentKind, "dispute_type": taxonomy_pb2.DisputeType,
              "severity": taxonomy_pb2.Severity, "channel": incident_pb2.Channel,
              "responsible_department": taxonomy_pb2.Department}
    lines = []
    for field, enum_type in fields.items():
        for number in enum_type.values():
            if number == 0:
                continue
            incident = {"id": f"{field}-{number}", "reported_at": "2026-10-14T02:00:00Z",
                        "grid_code": "xc-lc-c1-g1", "kind": "INCIDENT_KIND_DISPUTE",
                        "dispute_type": "DISPUTE_TYPE_NOISE", "channel": "CHANNEL_CALL_110",
                        "responsible_department": "DEPARTMENT_COMMUNITY"}
            incident[field] = enum_type.Name(number)
            lines.append(json.dumps(incident))
    data = root / "examples" / "data"
    run = subprocess.run([str(root / "build" / "tools" / "fengqiao"), "route",
                          str(data / "rules" / "district.textproto"),
                          str(data / "grid_map.textproto")],
                         input="\n".join(lines) + "\n", capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    decisions = [json.loads(line) for line in run.stdout.splitlines()]
    assert [d["incident_id"] for d in decisions] == [json.loads(l)["id"] for l in lines]
    assert all(d.get("rule_id") for d in decisions)
