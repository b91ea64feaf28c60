"""Open311 GeoReport v2 from Python: services, requests to incidents (masked unless asked),
cases to requests, the specification's errors, JSON and XML."""

import json

import pytest

from fengqiao.v1 import incident_pb2, open311_pb2, taxonomy_pb2

FORM = ("service_code=dept-city_management&lat=29.9320&long=122.1820"
        "&description=%E5%A4%9C%E9%97%B4%E6%96%BD%E5%B7%A5&first_name=%E5%BC%A0"
        "&phone=13912345678")


def test_the_service_list_names_the_departments_the_rules_divert_to(fq, rules):
    services = fq.interop.services(rules)
    codes = [s.service_code for s in services]
    assert "dept-city_management" in codes
    assert all(isinstance(s, open311_pb2.Open311Service) for s in services)
    assert json.loads(fq.interop.to_json(services))[0]["service_code"] == codes[0]
    assert fq.interop.to_xml(services).lstrip().startswith(("<?xml", "<services>"))


def test_a_request_becomes_a_located_incident_masked_by_default(fq, grid_map):
    incident = fq.interop.to_incident(FORM, grid_map, "12345-1", "2026-10-14T10:00:00+08:00")
    assert isinstance(incident, incident_pb2.Incident)
    assert incident.grid_code == "xc-lc-c1-g1"
    assert incident.responsible_department == taxonomy_pb2.DEPARTMENT_CITY_MANAGEMENT
    assert "13912345678" not in str(incident)
    clear = fq.interop.to_incident(dict(service_code="dept-city_management", lat=29.932,
                                        long=122.182, phone="13912345678"),
                                   grid_map, "12345-2", unmasked=True)
    assert clear.parties[0].phone == "13912345678"


def test_bad_requests_raise_and_map_to_the_specifications_errors(fq, grid_map):
    with pytest.raises(fq.NotFoundError) as unknown:
        fq.interop.to_incident("service_code=nope&lat=29.932&long=122.182", grid_map, "x")
    assert fq.interop.error(unknown.value).code == 404
    with pytest.raises(fq.InvalidArgumentError) as nowhere:
        fq.interop.to_incident(dict(service_code="dept-city_management", phone="13912345678"),
                               grid_map, "x")
    err = fq.interop.error(nowhere.value)
    assert err.code == 400 and "13912345678" not in err.description
    assert json.loads(fq.interop.to_json([err]))[0]["code"] == 400
    with pytest.raises(fq.InvalidArgumentError, match="body"):
        fq.interop.to_incident(42, grid_map, "x")


def test_a_stored_case_becomes_a_request(fq, rules, grid_map):
    incident = fq.interop.to_incident(FORM, grid_map, "12345-9", "2026-10-14T10:00:00+08:00",
                                      unmasked=True)
    decision = fq.route(rules, incident)
    loop = fq.CaseLoop.open(incident, decision, "2026-10-14T10:00:00+08:00", "dispatcher")
    request = fq.interop.from_case(loop.case)
    assert request.service_request_id == "12345-9" and request.status == "open"
    assert "13912345678" not in str(request)
    assert "<service_requests>" in fq.interop.to_xml([request])
    with pytest.raises(fq.InvalidArgumentError):
        fq.interop.to_json([request, fq.interop.services(rules)[0]])


# Routing rule tables out to and in from GoRules JDM and DMN 1.3.

@pytest.mark.parametrize("fmt", ["jdm", "dmn"])
def test_a_rule_table_round_trip_keeps_the_rule_set_hash(fq, grid_map, rules, tmp_path, fmt):
    table = fq.interop.export_rules(rules, fmt)
    back = fq.interop.import_rules(table, fmt)
    assert back.SerializeToString(deterministic=True) == rules.proto
    path = tmp_path / ("district.json" if fmt == "jdm" else "district.dmn")
    path.write_text(table, encoding="utf-8")
    loaded = fq.interop.load_rules_table(path)
    again = fq.compile_rules_text(str(loaded), "district.textproto", grid_map)
    assert again.hash == rules.hash


def test_a_table_that_says_more_than_routing_facts_is_refused_with_its_place(fq, rules):
    jdm = fq.interop.export_rules(rules, "jdm")
    edited = jdm.replace("'criminal', 'public_order', 'fraud'", "$ != 'criminal'", 1)
    with pytest.raises(fq.InvalidArgumentError,
                       match=r"t\.json:\d+:\d+: row 2 \(rule \"crime-and-public-order\"\), "
                             r"column \"kind\": cannot express"):
        fq.interop.import_rules(edited, "jdm", "t.json")
    dmn = fq.interop.export_rules(rules, "dmn")
    with pytest.raises(fq.InvalidArgumentError, match=r"t\.dmn:\d+:\d+: XML error"):
        fq.interop.import_rules(dmn[:-30], "dmn", "t.dmn")
    with pytest.raises(fq.InvalidArgumentError, match="unknown|IncidentKind|burglary"):
        fq.interop.import_rules(jdm.replace("'criminal'", "'burglary'", 1), "jdm")
    with pytest.raises(fq.InvalidArgumentError, match=r"JSON syntax error"):
        fq.interop.import_rules("{\"nodes\": [", "jdm")


def test_rule_table_arguments_of_the_wrong_kind_raise(fq, rules, tmp_path):
    with pytest.raises(fq.InvalidArgumentError, match="expected a compiled RuleSet"):
        fq.interop.export_rules("district.textproto", "jdm")
    with pytest.raises(fq.InvalidArgumentError, match="expected jdm"):
        fq.interop.export_rules(rules, "bpmn")
    with pytest.raises(fq.InvalidArgumentError, match="format"):
        fq.interop.export_rules(rules, 3)
    with pytest.raises(fq.InvalidArgumentError, match="expected text or bytes"):
        fq.interop.import_rules(42, "dmn")
    with pytest.raises(fq.InvalidArgumentError):
        fq.interop.import_rules(b"<definitions>\xff</definitions>", "dmn")
    with pytest.raises(fq.InvalidArgumentError, match="not known from the file name"):
        fq.interop.load_rules_table(tmp_path / "table.txt")
    with pytest.raises(fq.NotFoundError):
        fq.interop.load_rules_table(tmp_path / "missing.dmn")
    with pytest.raises(fq.InvalidArgumentError, match="expected a path"):
        fq.interop.load_rules_table(None)
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as f:
        f.truncate((64 << 20) + 1)
    with pytest.raises(fq.ResourceExhaustedError):
        fq.interop.load_rules_table(huge)
