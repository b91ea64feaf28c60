"""Protobuf types cross the boundary as messages of fengqiao.v1.*_pb2."""

import importlib

import pytest


@pytest.mark.parametrize("module", ["taxonomy", "grid", "force", "incident", "routing", "case",
                                    "metrics", "alert"])
def test_every_proto_module_is_importable(module):
    m = importlib.import_module(f"fengqiao.v1.{module}_pb2")
    assert m.DESCRIPTOR.package == "fengqiao.v1"


def _noise_complaint():
    from fengqiao.v1 import incident_pb2, taxonomy_pb2

    i = incident_pb2.Incident(id="py-1", grid_code="xc-lc-c1-g1",
                              kind=incident_pb2.INCIDENT_KIND_DISPUTE,
                              dispute_type=taxonomy_pb2.DISPUTE_TYPE_NOISE,
                              channel=incident_pb2.CHANNEL_HOTLINE_12345)
    i.reported_at.seconds = 1791943200  # 2026-10-14 10:00 +08
    i.parties.add(person_id="a")
    i.parties.add(person_id="b")
    return i


def test_route_takes_an_incident_message_and_returns_a_decision(fq, rules):
    from fengqiao.v1 import routing_pb2

    d = fq.route(rules, _noise_complaint())
    assert isinstance(d, routing_pb2.Decision)
    assert d.rule_id == "noise-property-butler"
    assert d.action.tier == routing_pb2.TIER_MEDIATOR
    assert d.rule_set_hash == rules.hash
    e = fq.explain(rules, _noise_complaint())
    assert e.rules[0].rule_id == "violence-risk"
    assert e.rules[0].first_failure.field == "violence_risk"


def test_case_loop_runs_on_messages_and_refuses_an_invalid_event(fq, rules):
    from fengqiao.v1 import case_pb2

    incident = _noise_complaint()
    loop = fq.CaseLoop.open(incident, fq.route(rules, incident), 1791943200, "12345")
    assert loop.state == case_pb2.CASE_STATE_TRIAGED
    assign = case_pb2.CaseEvent(type=case_pb2.CASE_EVENT_TYPE_ASSIGN, actor="dispatcher",
                                assignee="m-0082")
    assign.at.seconds = 1791943220
    loop.record(assign)
    close = case_pb2.CaseEvent(type=case_pb2.CASE_EVENT_TYPE_CLOSE, actor="x")
    close.at.seconds = 1791943230
    with pytest.raises(fq.FailedPrecondition) as info:
        loop.record(close)
    assert "does not accept CLOSE" in info.value.message
    # The property butler's accept clock (30 minutes) runs from the instruction at +20 s.
    assert [d.name for d in loop.overdue(1791943200 + 1800)] == []
    assert [d.name for d in loop.overdue(1791943200 + 1900)] == ["accept"]
    assert loop.case.assignee == "m-0082"
