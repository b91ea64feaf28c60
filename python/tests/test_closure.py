"""The case loop's rules from Python: events are v1.CaseEvent messages, refusals raise
fengqiao errors with the library's message."""

import pytest

from fengqiao.v1 import case_pb2, incident_pb2, routing_pb2, taxonomy_pb2

T0 = 1791943200  # 2026-10-14 10:00 +08


def _event(kind, after, actor, **fields):
    e = case_pb2.CaseEvent(type=kind, actor=actor, **fields)
    e.at.seconds = T0 + after
    return e


def _mediating(fq, rules):
    incident = incident_pb2.Incident(id="py-c1", grid_code="xc-lc-c1-g1",
                                     kind=incident_pb2.INCIDENT_KIND_DISPUTE,
                                     dispute_type=taxonomy_pb2.DISPUTE_TYPE_NOISE)
    incident.reported_at.seconds = T0
    loop = fq.CaseLoop.open(incident, fq.route(rules, incident), T0, "12345")
    loop.record(_event(case_pb2.CASE_EVENT_TYPE_ASSIGN, 10, "dispatcher", assignee="m-1"))
    loop.record(_event(case_pb2.CASE_EVENT_TYPE_ACCEPT, 20, "m-1"))
    loop.record(_event(case_pb2.CASE_EVENT_TYPE_START_MEDIATION, 30, "m-1",
                       mediation_type=case_pb2.MEDIATION_TYPE_PEOPLES))
    return loop


def test_mediation_failed_at_the_mediator_goes_to_community_police_not_court(fq, rules):
    loop = _mediating(fq, rules)
    with pytest.raises(fq.errors.FailedPreconditionError, match="TIER_COMMUNITY_POLICE"):
        loop.record(_event(case_pb2.CASE_EVENT_TYPE_MEDIATION_FAILED, 3600, "m-1",
                           tier=routing_pb2.TIER_COURT_REFERRAL))
    loop.record(_event(case_pb2.CASE_EVENT_TYPE_MEDIATION_FAILED, 3600, "m-1"))
    case = loop.case
    assert case.tier == routing_pb2.TIER_COMMUNITY_POLICE
    assert case.events[-1].mediation_outcome == case_pb2.MEDIATION_OUTCOME_TERMINATED
    assert not case.events[-1].ladder_override


def test_the_handler_cannot_revisit_their_own_case(fq, rules):
    loop = _mediating(fq, rules)
    loop.record(_event(case_pb2.CASE_EVENT_TYPE_RESOLVE, 3600, "m-1",
                       mediation_outcome=case_pb2.MEDIATION_OUTCOME_AGREEMENT_WRITTEN))
    with pytest.raises(fq.errors.FailedPreconditionError, match="other than the handler"):
        loop.record(_event(case_pb2.CASE_EVENT_TYPE_REVISIT, 86400, "m-1", satisfied=True))
    loop.record(_event(case_pb2.CASE_EVENT_TYPE_REVISIT, 86400, "cp-3", satisfied=True))
    assert loop.state == case_pb2.CASE_STATE_REVISITED


def test_clocks_run_from_the_instruction(fq, rules):
    loop = _mediating(fq, rules)
    accept = [d for d in loop.case.deadlines if d.name == "accept"][0]
    assert accept.armed_at.seconds == T0 + 10
    assert accept.holder == "m-1"


def test_a_co_handler_joins_the_lead_with_its_own_accept_clock_and_outcome(fq, rules):
    loop = _mediating(fq, rules)
    add = _event(case_pb2.CASE_EVENT_TYPE_ADD_CO_HANDLER, 40, "dispatcher", co_handler="l-1")
    add.sla.accept.seconds = 600
    loop.record(add)
    assert [d.holder for d in loop.overdue(T0 + 40 + 601) if d.name == "co_accept"] == ["l-1"]
    loop.record(_event(case_pb2.CASE_EVENT_TYPE_CO_HANDLER_ACCEPT, 100, "l-1"))
    with pytest.raises(fq.errors.InvalidArgumentError, match="needs a reason"):
        loop.record(_event(case_pb2.CASE_EVENT_TYPE_CO_HANDLER_DONE, 200, "l-1"))
    loop.record(_event(case_pb2.CASE_EVENT_TYPE_CO_HANDLER_DONE, 200, "l-1", reason="释法说理"))
    (lawyer,) = loop.case.co_handlers
    assert (lawyer.id, lawyer.outcome) == ("l-1", "释法说理")
    assert loop.case.assignee == "m-1"


def _request(fq, rules, iid, after, phone):
    incident = incident_pb2.Incident(id=iid, grid_code="xc-lc-c1-g1",
                                     kind=incident_pb2.INCIDENT_KIND_NON_POLICE,
                                     responsible_department=taxonomy_pb2.DEPARTMENT_UTILITIES)
    incident.reported_at.seconds = T0 + after
    incident.parties.add(name="王小明", phone=phone)
    return fq.CaseLoop.open(incident, fq.route(rules, incident), T0 + after, "12345")


def test_a_duplicate_request_is_merged_into_the_order_and_every_requester_is_kept(fq, rules,
                                                                                   tmp_path):
    order = _request(fq, rules, "py-w1", 0, "13800001111")
    second = _request(fq, rules, "py-w2", 600, "13900002222")
    order.merge(second, T0 + 900, "12345")
    assert [r.id for r in order.requests] == ["py-w1", "py-w2"]
    assert order.case.events[-1].type == case_pb2.CASE_EVENT_TYPE_MERGE
    assert second.state == case_pb2.CASE_STATE_DUPLICATE
    assert second.case.events[-1].duplicate_of == "py-w1"
    # Merging it again is refused and changes neither case; a wrong type names the argument.
    again = _request(fq, rules, "py-w2", 1200, "13900002222")
    with pytest.raises(fq.errors.FailedPreconditionError, match="already merged"):
        order.merge(again, T0 + 1300, "12345")
    assert again.state != case_pb2.CASE_STATE_DUPLICATE
    with pytest.raises(fq.errors.InvalidArgumentError, match="duplicate"):
        order.merge("py-w2", T0 + 1300, "12345")
    with pytest.raises(fq.errors.InvalidArgumentError, match="at"):
        order.merge(again, float("nan"), "12345")
    # Both saved together; what the store gives out is masked unless asked otherwise.
    store = fq.open_case_store(str(tmp_path / "merge.db"))
    store.save([order, second], now=T0 + 1000)
    stored = store.get("py-w1")
    merged = stored.events[-1].merged_requests[0]
    assert merged.id == "py-w2"
    assert "13900002222" not in str(stored)
