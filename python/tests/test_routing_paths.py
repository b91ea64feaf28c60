"""One incident, two ways in: ``route`` on the ``fengqiao.v1.Incident`` and ``route_frame`` on a
DataFrame row holding the same fields (as an analyst's frame does) pick the same rule, whatever
the kind carries (issue 9 point 2: a non-police debt dispute once took the fallback one way and
its rule the other)."""

import datetime
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fengqiao.v1 import incident_pb2, taxonomy_pb2

SETTINGS = settings(database=None,
                    max_examples=int(os.environ.get("FENGQIAO_HYPOTHESIS_EXAMPLES", "60")),
                    deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

# Rules on dispute types and departments with and without kinds and police_matter, tags, hours,
# weekdays, flags and ranges, and a default.
RULES = """
version: "paths"
rules { id: "non-police-debt" when { police_matter: false dispute_types: [DISPUTE_TYPE_DEBT, DISPUTE_TYPE_SALE] }
        then { tier: TIER_DEPARTMENT_DIVERSION department: DEPARTMENT_JUDICIAL_OFFICE } }
rules { id: "labour-any-kind" when { dispute_types: DISPUTE_TYPE_LABOUR } then { tier: TIER_MEDIATOR } }
rules { id: "housing-police" when { police_matter: true departments: DEPARTMENT_HOUSING_CONSTRUCTION }
        then { tier: TIER_COMMUNITY_POLICE } }
rules { id: "campus-night" when { tags_all: "campus" hour_of_day { min: 20 max: 23 } }
        then { tier: TIER_COMMUNITY_POLICE } }
rules { id: "weekend-injury" when { injury: true days_of_week: [WEEKDAY_SATURDAY, WEEKDAY_SUNDAY] }
        then { tier: TIER_POLICE_DISPATCH } }
rules { id: "big-crowd" when { party_count { min: 3 } amount_fen { min: 100000 } }
        then { tier: TIER_JOINT_MEDIATION } }
rules { id: "critical" when { severities: SEVERITY_CRITICAL channels: CHANNEL_CALL_110 }
        then { tier: TIER_POLICE_DISPATCH } }
rules { id: "default" is_default: true then { tier: TIER_COMMUNITY_POLICE } }
"""

_KINDS = [v for v in incident_pb2.IncidentKind.values() if v]
_DISPUTES = list(taxonomy_pb2.DisputeType.values())
_DEPARTMENTS = list(taxonomy_pb2.Department.values())
_SEVERITIES = [v for v in taxonomy_pb2.Severity.values() if v]
_CHANNELS = [v for v in incident_pb2.Channel.values() if v]
_TAGS = ["campus", "night-market", "elderly"]
_CST = datetime.timezone(datetime.timedelta(hours=8))


@st.composite
def incidents(draw, codes):
    incident = incident_pb2.Incident(
        id=f"i{draw(st.integers(0, 10**6))}",
        grid_code=draw(st.sampled_from(codes + ["not-a-grid"])),
        kind=draw(st.sampled_from(_KINDS)),
        dispute_type=draw(st.sampled_from(_DISPUTES)),
        responsible_department=draw(st.sampled_from(_DEPARTMENTS)),
        severity=draw(st.sampled_from(_SEVERITIES)),
        channel=draw(st.sampled_from(_CHANNELS)),
        amount_fen=draw(st.integers(0, 10**7)),
        injury=draw(st.booleans()),
        violence_risk=draw(st.booleans()),
        tags=draw(st.lists(st.sampled_from(_TAGS), unique=True)),
    )
    incident.reported_at.seconds = draw(st.integers(1790784000, 1790784000 + 365 * 86400))
    # Police matter or not, independently of the kind (unset: by the kind); NON_POLICE is never
    # declared a police matter.
    police = draw(st.sampled_from([None, True, False]))
    if police is not None and not (police and incident.kind == incident_pb2.INCIDENT_KIND_NON_POLICE):
        incident.police_matter = police
    for p in range(draw(st.integers(0, 4))):
        incident.parties.add(person_id=f"p{p}")
    return incident


def _row(incident, rules):
    local = datetime.datetime.fromtimestamp(incident.reported_at.seconds, _CST)
    return {
        "grid_code": incident.grid_code,
        "kind": incident_pb2.IncidentKind.Name(incident.kind),
        "dispute_type": taxonomy_pb2.DisputeType.Name(incident.dispute_type),
        "department": taxonomy_pb2.Department.Name(incident.responsible_department),
        "severity": taxonomy_pb2.Severity.Name(incident.severity),
        "channel": incident_pb2.Channel.Name(incident.channel),
        "amount_fen": incident.amount_fen,
        "party_count": len(incident.parties),
        "repeat_count": 0,
        "hour": local.hour,
        "weekday": local.isoweekday(),
        "flags": int(incident.injury) | (int(incident.violence_risk) << 1),
        "tags": np.uint64(sum(rules.tag_bit(t) for t in incident.tags)),
        # The analyst's column: True / False, None when the incident does not say.
        "police_matter": incident.police_matter if incident.HasField("police_matter") else None,
    }


def test_route_and_route_frame_pick_the_same_rule(fq, grid_map):
    rules = fq.compile_rules_text(RULES, "paths.textproto", grid_map)
    codes = list(grid_map.codes())

    @SETTINGS
    @given(st.lists(incidents(codes), min_size=1, max_size=40))
    def check(batch):
        frame = pd.DataFrame([_row(i, rules) for i in batch])
        by_frame = fq.route_frame(rules, frame, grid_map)["rule_id"].tolist()
        by_message = [fq.route(rules, i).rule_id for i in batch]
        assert by_frame == by_message

    check()


def _debt_for_the_judicial_office(id, kind, **fields):
    """A 12345 debt matter whose department is the 司法所, as a message."""
    incident = incident_pb2.Incident(
        id=id, grid_code="xc-lc-c1-g1", kind=kind, dispute_type=taxonomy_pb2.DISPUTE_TYPE_DEBT,
        responsible_department=taxonomy_pb2.DEPARTMENT_JUDICIAL_OFFICE,
        severity=taxonomy_pb2.SEVERITY_SIMPLE, channel=incident_pb2.CHANNEL_HOTLINE_12345,
        **fields)
    incident.reported_at.seconds = 1791943200
    return incident


def _both_ways(fq, rules, grid_map, incident):
    """The rule the message path and the frame path pick."""
    frame = pd.DataFrame([_row(incident, rules)])
    return (fq.route(rules, incident).rule_id,
            fq.route_frame(rules, frame, grid_map)["rule_id"].tolist()[0])


def test_a_dispute_that_is_not_a_police_matter_is_diverted_both_ways(fq, grid_map):
    # Seed 003: a compensation dispute over a damaged wall, diverted to 社区 / 司法行政.
    rules = fq.compile_rules_text(RULES, "paths.textproto", grid_map)
    incident = _debt_for_the_judicial_office("12345-wall", incident_pb2.INCIDENT_KIND_DISPUTE,
                                             police_matter=False)
    assert _both_ways(fq, rules, grid_map, incident) == ("non-police-debt", "non-police-debt")
    # The same dispute as a police matter is not diverted, either way.
    incident.police_matter = True
    by_message, by_frame = _both_ways(fq, rules, grid_map, incident)
    assert by_message == by_frame != "non-police-debt"


def test_a_bad_police_matter_column_is_named(fq, grid_map):
    rules = fq.compile_rules_text(RULES, "paths.textproto", grid_map)
    base = {"grid_code": ["xc-lc-c1-g1"] * 2, "kind": ["INCIDENT_KIND_DISPUTE"] * 2}
    for values, problem in [(["yes", True], "expected a number"), ([2, True], "out of range"),
                            ([True, 0.5], "not a whole number")]:
        with pytest.raises(fq.InvalidArgumentError, match=f"police_matter.*{problem}"):
            fq.route_frame(rules, pd.DataFrame({**base, "police_matter": values}), grid_map)
    frame = pd.DataFrame({"grid_code": ["xc-lc-c1-g1"], "kind": ["INCIDENT_KIND_NON_POLICE"],
                          "police_matter": [True]})
    with pytest.raises(fq.InvalidArgumentError, match="police_matter.*row 0.*NON_POLICE"):
        fq.route_frame(rules, frame, grid_map)


def test_a_non_police_debt_dispute_reaches_its_rule_both_ways(fq, grid_map):
    rules = fq.compile_rules_text(RULES, "paths.textproto", grid_map)
    incident = _debt_for_the_judicial_office("12345-debt", incident_pb2.INCIDENT_KIND_NON_POLICE)
    assert _both_ways(fq, rules, grid_map, incident) == ("non-police-debt", "non-police-debt")
