"""Capacity-tested rules route from Python as in C++: the caller passes the teams' state."""

import pandas as pd
import pytest

import fengqiao
from fengqiao.v1 import incident_pb2, taxonomy_pb2

RULES = """
version: "cap-1"
rules {
  id: "rapid-team-if-free"
  when { kinds: [INCIDENT_KIND_DISPUTE]
         capacity { team_id: "t-rapid" min_free_slots: 1 require_on_shift: true } }
  then { tier: TIER_COMMUNITY_POLICE }
}
rules { id: "default" is_default: true then { tier: TIER_MEDIATOR } }
"""


@pytest.fixture(scope="module")
def cap_rules(fq, grid_map):
    return fq.compile_rules_text(RULES, "cap.textproto", grid_map)


def _incident():
    i = incident_pb2.Incident(id="c-1", grid_code="xc-lc-c1-g1",
                              kind=incident_pb2.INCIDENT_KIND_DISPUTE,
                              channel=incident_pb2.CHANNEL_CALL_110,
                              dispute_type=taxonomy_pb2.DISPUTE_TYPE_NOISE)
    i.reported_at.seconds = 1791943200
    return i


def _frame():
    return pd.DataFrame({"grid_code": ["xc-lc-c1-g1"] * 2, "kind": [1, 1], "dispute_type": [8, 8]})


def test_a_free_team_on_shift_takes_the_case(fq, grid_map, cap_rules):
    cap = {"t-rapid": (2, True)}
    assert fq.route(cap_rules, _incident(), capacity=cap).rule_id == "rapid-team-if-free"
    out = fq.route_frame(cap_rules, _frame(), grid_map, capacity=cap)
    assert (out["rule_id"] == "rapid-team-if-free").all()
    frame_cap = pd.DataFrame({"team": ["t-rapid"], "free_slots": [1], "on_shift": [True]})
    out = fq.route_frame(cap_rules, _frame(), grid_map, capacity=frame_cap)
    assert (out["rule_id"] == "rapid-team-if-free").all()


@pytest.mark.parametrize("cap", [None, {}, {"t-rapid": (0, True)}, {"t-rapid": (3, False)},
                                 {"t-other": (5, True)}])
def test_a_full_off_shift_or_unknown_team_passes_the_case_on(fq, grid_map, cap_rules, cap):
    assert fq.route(cap_rules, _incident(), capacity=cap).rule_id == "default"
    out = fq.route_frame(cap_rules, _frame(), grid_map, capacity=cap)
    assert (out["rule_id"] == "default").all()


@pytest.mark.parametrize("bad", [
    ["t-rapid"], {"t-rapid": 3}, {"t-rapid": (float("nan"), True)}, {"t-rapid": (2**40, True)},
    {"t-rapid": (1, "yes")}, {"": (1, True)}, {"t-rapid": (None, True)},
    pd.DataFrame({"team": ["t-rapid"], "free_slots": [1]}),
])
def test_a_bad_snapshot_is_a_library_error_naming_the_team_or_column(fq, grid_map, cap_rules, bad):
    with pytest.raises(fengqiao.InvalidArgumentError) as info:
        fq.route_frame(cap_rules, _frame(), grid_map, capacity=bad)
    assert "capacity" in str(info.value)
