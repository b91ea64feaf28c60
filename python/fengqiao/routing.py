"""Routing from Python: compile rule files, route one incident or a whole DataFrame, compare
two rule sets over the same incidents (what-if)."""

import numpy as np
import pandas as pd

from fengqiao import _core
from fengqiao.errors import InvalidArgumentError
from fengqiao.v1 import incident_pb2, routing_pb2, taxonomy_pb2

# Columns route_frame reads, with the enum each takes by name (numbers are accepted too).
_ENUM_COLUMNS = {
    "kind": incident_pb2.IncidentKind,
    "dispute_type": taxonomy_pb2.DisputeType,
    "severity": taxonomy_pb2.Severity,
    "channel": incident_pb2.Channel,
    "department": taxonomy_pb2.Department,
}
_NUMBER_COLUMNS = {
    "amount_fen": np.int64,
    "party_count": np.int32,
    "repeat_count": np.int32,
    "hour": np.uint8,
    "weekday": np.uint8,
    "flags": np.uint8,
}


def incident_facts(path, grid_map, rules, repeat_window_days=30):
    """Reads an incident log (text format or JSON) into a DataFrame of routing facts, one row per
    incident: severity assessed as the library does, repeats of the same parties counted,
    local hour and weekday, tags as the rule set's bits. Feed it to :func:`route_frame`."""
    return pd.DataFrame(_core.incident_facts(str(path), grid_map, rules, repeat_window_days))


def compile_rules(path, grid_map, known_teams=()):
    """Loads (with inheritance), validates and compiles a rule file; raises InvalidArgument
    with every error, one per line, as ``file:line:col: error: ...``."""
    return _core.RuleSet.compile(str(path), grid_map, list(known_teams))


def compile_rules_text(text, filename, grid_map):
    """Compiles a rule set held in a string; ``filename`` names it in errors and picks the
    format (``.json`` or text format)."""
    return _core.RuleSet.compile_text(text, filename, grid_map)


def lint_rules(path, grid_map):
    """Every finding of a rule file (errors and warnings) as compiler-style lines."""
    return _core.RuleSet.lint(str(path), grid_map)


def _capacity(capacity):
    """A capacity snapshot -> the three lists the core takes. ``capacity`` is None, a dict
    ``{team_id: (free_slots, on_shift)}`` (or ``{team_id: {"free_slots": n, "on_shift": b}}``),
    or a DataFrame with columns ``team``, ``free_slots``, ``on_shift``. Teams left out are
    unknown, and a capacity test on an unknown team fails (as in C++)."""
    if capacity is None:
        return {}
    if isinstance(capacity, pd.DataFrame):
        missing = [c for c in ("team", "free_slots", "on_shift") if c not in capacity]
        if missing:
            raise InvalidArgumentError(f"capacity: missing column {missing[0]!r}")
        rows = zip(capacity["team"], capacity["free_slots"], capacity["on_shift"])
    elif isinstance(capacity, dict):
        rows = []
        for team, state in capacity.items():
            if isinstance(state, dict):
                state = (state.get("free_slots"), state.get("on_shift"))
            if not isinstance(state, (tuple, list)) or len(state) != 2:
                raise InvalidArgumentError(
                    f"capacity[{team!r}]: expected (free_slots, on_shift), got {state!r}")
            rows.append((team, state[0], state[1]))
    else:
        raise InvalidArgumentError(
            f"capacity: expected a dict or a DataFrame, got {type(capacity).__name__}")
    teams, free, on_shift = [], [], []
    for row, (team, slots, shift) in enumerate(rows):
        if not isinstance(team, str) or not team:
            raise InvalidArgumentError(f"capacity: team in row {row} is not a team id")
        if isinstance(slots, bool) or not isinstance(slots, (int, np.integer)) \
                or not -2**31 <= int(slots) < 2**31:
            raise InvalidArgumentError(
                f"capacity: free_slots of team {team!r} (row {row}) is not a 32-bit integer")
        if not isinstance(shift, (bool, np.bool_)):
            raise InvalidArgumentError(
                f"capacity: on_shift of team {team!r} (row {row}) is not True or False")
        teams.append(team)
        free.append(int(slots))
        on_shift.append(bool(shift))
    return {"capacity_teams": teams, "capacity_free_slots": free, "capacity_on_shift": on_shift}


def route(rules, incident, repeat_count=0, capacity=None):
    """Routes one ``fengqiao.v1.Incident``; returns its ``fengqiao.v1.Decision``. ``capacity``
    is the teams' state for capacity-tested rules (see :func:`route_frame`)."""
    decision = routing_pb2.Decision()
    decision.ParseFromString(
        rules.decide(incident.SerializeToString(), repeat_count, **_capacity(capacity)))
    return decision


def explain(rules, incident, repeat_count=0, capacity=None):
    """The ``fengqiao.v1.Explanation`` of routing one incident."""
    explanation = routing_pb2.Explanation()
    explanation.ParseFromString(
        rules.explain(incident.SerializeToString(), repeat_count, **_capacity(capacity)))
    return explanation


def _enum_column(values, enum):
    """Enum names or numbers -> uint8 numbers, vectorised (no Python loop per row)."""
    series = pd.Series(values)
    if pd.api.types.is_numeric_dtype(series):
        return series.to_numpy(dtype=np.uint8)
    mapping = {name: number for name, number in enum.items()}
    mapped = series.map(mapping)
    bad = mapped.isna() & series.notna()
    if bad.any():
        raise ValueError(f"unknown {enum.DESCRIPTOR.name} value {series[bad].iloc[0]!r}")
    return mapped.fillna(0).to_numpy(dtype=np.uint8)


def _columns(rules_or_map_codes, frame):
    codes, data = rules_or_map_codes, frame
    if "area" in data:
        area = np.asarray(data["area"], dtype=np.int32)
    else:
        index = pd.Index(codes)
        area = index.get_indexer(pd.Series(data["grid_code"])).astype(np.int32)  # -1 when unknown
    columns = {"area": area}
    for name, enum in _ENUM_COLUMNS.items():
        if name in data:
            columns[name] = _enum_column(data[name], enum)
    for name, dtype in _NUMBER_COLUMNS.items():
        if name in data:
            columns[name] = pd.Series(data[name]).fillna(0).to_numpy(dtype=dtype)
    if "tags" in data:
        columns["tags"] = np.asarray(data["tags"], dtype=np.uint64)
    return columns


def route_frame(rules, frame, grid_map=None, capacity=None):
    """Routes every row of a DataFrame (or a dict of NumPy arrays) in one call, without a Python
    loop per row and without the GIL.

    Rows need ``grid_code`` (or ``area`` indices) and any of ``kind``, ``dispute_type``,
    ``severity``, ``channel``, ``department`` (enum names or numbers), ``amount_fen``,
    ``party_count``, ``repeat_count``, ``hour``, ``weekday``, ``flags``. Returns a DataFrame with
    ``rule_index``, ``rule_id``, ``tier``, ``department`` and ``target_force`` (enum names),
    index aligned with the input.

    ``capacity``: the teams' state for rules with capacity tests, a dict
    ``{team_id: (free_slots, on_shift)}`` or a DataFrame with columns ``team``, ``free_slots``,
    ``on_shift``; a team left out is unknown and fails every capacity test on it.
    """
    if grid_map is None and "area" not in frame:
        raise ValueError("route_frame needs grid_map to turn grid_code into areas")
    codes = grid_map.codes() if grid_map is not None else []
    columns = _columns(codes, frame)
    index = rules.route_columns(**columns, **_capacity(capacity))
    return decisions_frame(rules, index, getattr(frame, "index", None))


def decisions_frame(rules, rule_index, index=None):
    """Rule indices (-1: unrouted) -> a DataFrame of rule ids and actions."""
    ids = np.array(rules.rule_ids() + [""], dtype=object)
    tiers, departments, forces = rules.rule_actions()
    tier_names = np.array([routing_pb2.Tier.Name(t) for t in tiers] + ["UNROUTED"], dtype=object)
    dept_names = np.array([taxonomy_pb2.Department.Name(d) for d in departments] + [""],
                          dtype=object)
    from fengqiao.v1 import force_pb2

    force_names = np.array([force_pb2.ForceType.Name(f) for f in forces] + [""], dtype=object)
    pick = np.where(rule_index < 0, len(ids) - 1, rule_index)
    return pd.DataFrame(
        {
            "rule_index": rule_index,
            "rule_id": ids[pick],
            "tier": tier_names[pick],
            "department": dept_names[pick],
            "target_force": force_names[pick],
        },
        index=index,
    )


def compare_rule_sets(frame, old, new, grid_map, by=("dispute_type",), capacity=None):
    """What-if: routes the same incidents with two rule sets and shows how many move between
    tiers and departments, overall and by the given columns (e.g. ``dispute_type``,
    ``grid_code``).

    Returns ``(moves, by_group)``: ``moves`` counts (old tier, new tier, old department, new
    department) pairs that differ; ``by_group`` counts moved cases per group.
    """
    before = route_frame(old, frame, grid_map, capacity=capacity)
    after = route_frame(new, frame, grid_map, capacity=capacity)
    moved = (before["tier"] != after["tier"]) | (before["department"] != after["department"])
    pairs = pd.DataFrame(
        {
            "old_tier": before["tier"],
            "new_tier": after["tier"],
            "old_department": before["department"],
            "new_department": after["department"],
        }
    )[moved]
    moves = pairs.value_counts().rename("cases").reset_index()
    groups = [c for c in by if c in frame]
    if groups:
        keyed = pd.DataFrame({c: pd.Series(frame[c]).to_numpy() for c in groups})
        keyed["moved"] = moved.to_numpy()
        by_group = keyed.groupby(groups)["moved"].agg(["sum", "count"])
        by_group.columns = ["moved", "cases"]
    else:
        by_group = pd.DataFrame({"moved": [int(moved.sum())], "cases": [len(moved)]})
    return moves, by_group
