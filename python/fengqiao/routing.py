"""Routing from Python: compile rule files, route one incident or a whole DataFrame, compare
two rule sets over the same incidents (what-if)."""

from __future__ import annotations

from typing import Any, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from fengqiao import _checked, _core, vocabulary
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
# RoutingFacts flag of a matter that is not the police's, from the core (routing_facts.h).
_FACT_NON_POLICE = _core.FACT_NON_POLICE

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
    local hour and weekday, tags as the rule set's bits. Feed it to :func:`route_frame`.

    ``rules`` may be a list or tuple of rule sets: the file is then read once and a list of
    DataFrames is returned, one per rule set (each with that set's tag bits), e.g. the two sides
    of a what-if."""
    many = isinstance(rules, (list, tuple))
    rule_sets = list(rules) if many else [rules]
    for i, r in enumerate(rule_sets):
        if not isinstance(r, _core.RuleSet):
            _checked.fail("rules", i if many else None,
                          f"expected a compiled RuleSet, got {type(r).__name__}")
    frames = [pd.DataFrame(columns) for columns in
              _core.incident_facts(str(_checked.path(path, "path")), grid_map, rule_sets,
                                   repeat_window_days)]
    return frames if many else frames[0]


def compile_rules(path, grid_map, known_teams=(), catalogue=None):
    """Loads (with inheritance), validates and compiles a rule file; raises InvalidArgument
    with every error, one per line, as ``file:line:col: error: ...``. With ``catalogue`` (from
    :func:`load_catalogue`) a non-police matter's department comes from the catalogue item its
    ``matter_code`` names (or the fallback owner), and decisions name the item and version."""
    if catalogue is not None and not isinstance(catalogue, _core.ResponsibilityCatalogue):
        _checked.fail("catalogue", None, f"expected a catalogue from load_catalogue, got "
                      f"{type(catalogue).__name__}")
    return _core.RuleSet.compile(_checked.path(path, "path"), grid_map, list(known_teams),
                                 catalogue)


def _utf8(value, name):
    """A str argument that C++ can take: text, valid UTF-8 (no lone surrogates)."""
    value = _checked.text(value, name)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        _checked.fail(name, None, f"not valid UTF-8 at character {e.start}")
    return value


def load_catalogue(path):
    """Loads and checks a responsibility catalogue (职责清单 / 派单目录,
    ``fengqiao.v1.ResponsibilityCatalogue`` in text format, or JSON for ``.json``); raises
    InvalidArgumentError with every error as ``file:line:col: error: ...``, NotFoundError
    when the file is missing."""
    return _core.ResponsibilityCatalogue.load(_utf8(_checked.path(path, "path"), "path"))


def parse_catalogue(text, filename="catalogue.textproto"):
    """A catalogue held in a string (``filename`` names it in errors and picks the format)."""
    return _core.ResponsibilityCatalogue.parse(_utf8(text, "text"), _utf8(filename, "filename"))


def lint_catalogue(path):
    """Every finding of a catalogue file (errors and warnings: a department's duty handed down
    to a community or a grid, duplicates, items without an owner) as compiler-style lines; a
    file that does not parse raises InvalidArgumentError."""
    return _core.ResponsibilityCatalogue.lint(_utf8(_checked.path(path, "path"), "path"))


def catalogue_item(catalogue, code):
    """The catalogue item with ``code`` (its class, domain and the catalogue's version) as a
    ``fengqiao.v1.CatalogueAssignment``; NotFoundError when no item has the code."""
    if not isinstance(catalogue, _core.ResponsibilityCatalogue):
        _checked.fail("catalogue", None, f"expected a catalogue from load_catalogue, got "
                      f"{type(catalogue).__name__}")
    return routing_pb2.CatalogueAssignment.FromString(catalogue.lookup(_utf8(code, "code")))


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


def _message(value, cls, name):
    if not isinstance(value, cls):
        _checked.fail(name, None, f"expected a {cls.DESCRIPTOR.full_name}, got "
                      f"{type(value).__name__}")
    return value


def _repeat_count(value):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or not 0 <= int(value) < 2**31:
        _checked.fail("repeat_count", None, "expected a whole number in [0, 2147483647]")
    return int(value)


def route(rules: Any, incident: incident_pb2.Incident, repeat_count: int = 0,
          capacity: Any = None) -> routing_pb2.Decision:
    """Routes one ``fengqiao.v1.Incident``; returns its ``fengqiao.v1.Decision``. ``capacity``
    is the teams' state for capacity-tested rules (see :func:`route_frame`)."""
    decision = routing_pb2.Decision()
    decision.ParseFromString(
        rules.decide(_message(incident, incident_pb2.Incident, "incident").SerializeToString(),
                     _repeat_count(repeat_count), **_capacity(capacity)))
    return decision


def explain(rules: Any, incident: incident_pb2.Incident, repeat_count: int = 0,
            capacity: Any = None) -> routing_pb2.Explanation:
    """The ``fengqiao.v1.Explanation`` of routing one incident."""
    explanation = routing_pb2.Explanation()
    explanation.ParseFromString(
        rules.explain(_message(incident, incident_pb2.Incident, "incident").SerializeToString(),
                      _repeat_count(repeat_count), **_capacity(capacity)))
    return explanation


_NUMBER_RANGES = {  # column: (lo, hi) within the dtype of _NUMBER_COLUMNS
    "amount_fen": (0, None),
    "party_count": (0, None),
    "repeat_count": (0, None),
    "hour": (0, 23),
    "weekday": (0, 7),  # ISO weekday, 0 unknown
    "flags": (0, None),
}


def _grid_areas(values, grid_map, n):
    """Area indices of a column of grid codes in C++ (each distinct str object looked up once),
    or None when the column is not an object array of str of n rows (then the checks below
    word what is wrong)."""
    if isinstance(values, pd.Series) and values.dtype == object:
        values = values.to_numpy()
    if not isinstance(values, np.ndarray) or values.dtype != object or values.ndim != 1 \
            or len(values) != n:
        return None
    return _core.grid_areas(values, grid_map)


def _matter_column(values, n, catalogue):
    """Item indices of a ``matter_code`` column under ``catalogue`` (-1: no item, the fallback
    owner for a non-police row); a missing value is no code."""
    codes = _checked.series(values, "matter_code", n).astype(object).to_numpy()
    out = []
    for i, v in enumerate(codes):
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            out.append("")
        elif not isinstance(v, str):
            _checked.fail("matter_code", i, f"expected a matter code (text), got "
                          f"{type(v).__name__}")
        else:
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                _checked.fail("matter_code", i, "not valid UTF-8")
            out.append(v)
    return catalogue.find(out)


def _columns(grid_map, data, catalogue=None):
    """The frame's routing columns, checked and converted (fengqiao._checked): ``kind`` and one
    of ``area`` / ``grid_code`` are required (a missing column is an error, not zeros); a
    missing value in an optional enum column means unspecified (0). Under a catalogue, a
    ``matter_code`` column becomes the item index column ``matter``."""
    n = _checked.row_count(data)
    area_count = grid_map.size() if grid_map is not None else 0
    if "area" in data:
        area = _checked.integers(data["area"], "area", np.int32, lo=-1, hi=area_count - 1
                                 if area_count else None, length=n)
    elif (area := _grid_areas(_checked.column(data, "grid_code"), grid_map, n)) is not None:
        pass
    else:
        codes = grid_map.codes()
        grid_code = _checked.series(_checked.column(data, "grid_code"), "grid_code", n)
        # Each distinct code is checked once (factorize), then spread by its codes.
        positions, distinct = pd.factorize(grid_code.astype(object).to_numpy())
        if (positions < 0).any():
            _checked.fail("grid_code", int(np.flatnonzero(positions < 0)[0]),
                          "expected a grid code (text)")
        for j, v in enumerate(distinct):
            if not isinstance(v, str):
                _checked.fail("grid_code", int(np.argmax(positions == j)),
                              "expected a grid code (text)")
        # -1 when unknown
        area = pd.Index(codes).get_indexer(pd.Index(distinct, dtype=object))[positions].astype(
            np.int32)
    columns = {"area": area}
    _checked.column(data, "kind")
    for name, enum in _ENUM_COLUMNS.items():
        if name in data:
            columns[name] = _checked.enum_numbers(
                data[name], name, enum, n, missing=None if name == "kind" else 0)
    for name, dtype in _NUMBER_COLUMNS.items():
        if name in data:
            lo, hi = _NUMBER_RANGES[name]
            columns[name] = _checked.integers(data[name], name, dtype, lo=lo, hi=hi, length=n,
                                              missing=0)
    if "tags" in data:
        columns["tags"] = _checked.integers(data["tags"], "tags", np.uint64, length=n,
                                            missing=0)
    if catalogue is not None and "matter_code" in data:
        columns["matter"] = _matter_column(data["matter_code"], n, catalogue)
    if "police_matter" in data:
        # Police matter or not, independently of the kind (a dispute can be non-police):
        # True / False / missing (by the kind: every kind but NON_POLICE is), into the flags.
        police = _checked.integers(data["police_matter"], "police_matter", np.int32, lo=0, hi=1,
                                   length=n, missing=-1)
        if "kind" in columns:
            contradiction = (police == 1) & (columns["kind"] == incident_pb2.INCIDENT_KIND_NON_POLICE)
            if contradiction.any():
                _checked.fail("police_matter", int(np.flatnonzero(contradiction)[0]),
                              "is True for kind NON_POLICE (非警务)")
        flags = columns.get("flags", np.zeros(n, dtype=np.uint8))
        columns["flags"] = (flags | np.where(police == 0, _FACT_NON_POLICE, 0)).astype(np.uint8)
    return columns


def route_frame(rules: Any, frame: Any, grid_map: Any = None,
                capacity: Any = None, threads: int = 1) -> pd.DataFrame:
    """Routes every row of a DataFrame (or a dict of NumPy arrays) in one call, without a Python
    loop per row and without the GIL.

    Rows need ``grid_code`` (or ``area`` indices) and any of ``kind``, ``dispute_type``,
    ``severity``, ``channel``, ``department`` (enum names or numbers), ``amount_fen``,
    ``party_count``, ``repeat_count``, ``hour``, ``weekday``, ``flags``, ``police_matter``
    (True / False / missing: by the kind; a dispute can be a non-police matter), and under rules
    compiled with a catalogue ``matter_code`` (the item a non-police row's department comes
    from; none or unknown: the fallback owner, as :func:`route` decides). Returns a
    DataFrame with ``rule_index``, ``rule_id``, ``tier``, ``department`` and ``target_force`` (enum names),
    index aligned with the input.

    ``capacity``: the teams' state for rules with capacity tests, a dict
    ``{team_id: (free_slots, on_shift)}`` or a DataFrame with columns ``team``, ``free_slots``,
    ``on_shift``; a team left out is unknown and fails every capacity test on it.

    ``threads``: route on that many threads (slices of at least 16,384 rows each); the result is
    the same as with one.
    """
    threads = _checked.threads(threads)
    if not isinstance(frame, (pd.DataFrame, dict)):
        _checked.fail("frame", None, f"expected a DataFrame or a dict of columns, got "
                      f"{type(frame).__name__}")
    if grid_map is None and "area" not in frame:
        raise InvalidArgumentError("route_frame needs grid_map to turn grid_code into areas")
    columns = _columns(grid_map, frame, rules.catalogue)
    index = rules.route_columns(**columns, **_capacity(capacity), threads=threads)
    return decisions_frame(rules, index, getattr(frame, "index", None))


def _action_codes(enum, numbers, field, ids):
    """The actions' enum numbers as codes into the vocabulary's display labels of the enum (every
    defined value but UNSPECIFIED a category), one int8 per rule (-1: UNSPECIFIED), and the
    CategoricalDtype of those labels."""
    known = vocabulary.categories(enum, "display")
    for i, n in enumerate(numbers):
        # A rule the core compiled with a number outside the enum (tier 99) is an error here,
        # never a TypeError / ValueError from pandas or protobuf.
        if int(n) != 0 and int(n) not in known:
            raise InvalidArgumentError(
                f"rule {ids[i]!r}: then.{field} {int(n)} is not a {enum.DESCRIPTOR.name}")
    position = {number: i for i, number in enumerate(known)}
    codes = np.array([position.get(int(n), -1) for n in numbers], dtype=np.int8)
    return codes, pd.CategoricalDtype(list(known.values()))


# Per rule set (by content hash: equal hashes are equal rule sets), what the result frame needs:
# the rule ids' CategoricalDtype and, per action column, per-rule codes and its dtype. Built once,
# so a call builds no per-rule Python objects.
_FRAME_TABLES: dict = {}


def _frame_tables(rules):
    key = rules.hash
    tables = _FRAME_TABLES.get(key)
    if tables is None:
        from fengqiao.v1 import force_pb2

        ids = rules.rule_ids()
        tiers, departments, forces = rules.rule_actions()
        actions = [_action_codes(routing_pb2.Tier, tiers, "tier", ids),
                   _action_codes(taxonomy_pb2.Department, departments, "department", ids),
                   _action_codes(force_pb2.ForceType, forces, "target_force_type", ids)]
        if len(_FRAME_TABLES) >= 16:
            _FRAME_TABLES.pop(next(iter(_FRAME_TABLES)))
        tables = _FRAME_TABLES[key] = (pd.CategoricalDtype(ids), actions)
    return tables


def decisions_frame(rules, rule_index, index=None):
    """Rule indices (-1: unrouted) -> a DataFrame: ``rule_index`` (-1 unrouted), ``rule_id`` (a
    Categorical of the rule ids, missing when unrouted), and ``tier``, ``department``, ``target_force`` as Categoricals of the
    vocabulary's display labels ("mediator (专职调解员)"), missing where unrouted or unset."""
    rule_index = np.asarray(rule_index)
    id_dtype, actions = _frame_tables(rules)
    # Categoricals built from integer codes gathered in C++: no per-row strings (rule ids are
    # unique in a set, so a row's rule index is its rule_id code).
    # Codes of the width pandas keeps for that many categories (int8 / int16 / int32).
    width = 1 if len(id_dtype.categories) < 127 else 2 if len(id_dtype.categories) < 32767 else 4
    rule_codes, *codes = _core.gather_codes(rule_index.astype(np.int32, copy=False),
                                            tuple(table for table, _ in actions), width)
    frame = {"rule_index": rule_index,
             "rule_id": pd.Categorical.from_codes(rule_codes, dtype=id_dtype)}
    for name, row_codes, (_, dtype) in zip(("tier", "department", "target_force"), codes,
                                           actions):
        frame[name] = pd.Categorical.from_codes(row_codes, dtype=dtype)
    # The arrays are this call's own: the frame takes them without a copy (for a dict pandas
    # copies by default).
    return pd.DataFrame(frame, index=index, copy=False)


def compare_rule_sets(frame: Any, old: Any, new: Any, grid_map: Any,
                      by: Union[str, Sequence[str]] = ("dispute_type",),
                      capacity: Any = None) -> Tuple[pd.DataFrame, pd.DataFrame]:
    """What-if: routes the same incidents with two rule sets and shows how many move between
    tiers and departments, overall and by the given columns (e.g. ``dispute_type``,
    ``grid_code``).

    Returns ``(moves, by_group)``: ``moves`` counts (old tier, new tier, old department, new
    department) pairs that differ; ``by_group`` counts moved cases per group.
    """
    before = route_frame(old, frame, grid_map, capacity=capacity)
    after = route_frame(new, frame, grid_map, capacity=capacity)
    return compare_decisions(before, after, frame, by)


def moved(before: pd.DataFrame, after: pd.DataFrame) -> np.ndarray:
    """Rows whose tier or department differs between two :func:`route_frame` results of the
    same incidents (missing equals missing), as a boolean array."""
    def differs(x, y):  # two Categoricals of one enum
        return x.cat.codes.to_numpy() != y.cat.codes.to_numpy()

    return differs(before["tier"], after["tier"]) | differs(before["department"],
                                                            after["department"])


def compare_decisions(before: pd.DataFrame, after: pd.DataFrame, frame: Any,
                      by: Union[str, Sequence[str]] = ("dispute_type",)
                      ) -> Tuple[pd.DataFrame, pd.DataFrame]:
    """What :func:`compare_rule_sets` returns, from the two rule sets' :func:`route_frame`
    results of the same incidents (``frame``, for the ``by`` columns): ``(moves, by_group)``."""
    if len(before) != len(after) or _checked.row_count(frame) != len(before):
        raise InvalidArgumentError(
            f"compare_decisions: {len(before)} and {len(after)} decisions for "
            f"{_checked.row_count(frame)} incidents")
    moved_rows = pd.Series(moved(before, after), index=before.index)
    pairs = pd.DataFrame(
        {
            "old_tier": before["tier"],
            "new_tier": after["tier"],
            "old_department": before["department"],
            "new_department": after["department"],
        }
    )[moved_rows]
    moves = pairs.astype(object).value_counts(dropna=False).rename("cases").reset_index()
    groups = [c for c in _checked.names(by, "by") if c in frame]
    if groups:
        keyed = pd.DataFrame({c: pd.Series(frame[c]).to_numpy() for c in groups})
        keyed["moved"] = moved_rows.to_numpy()
        by_group = keyed.groupby(groups)["moved"].agg(["sum", "count"])
        by_group.columns = ["moved", "cases"]
    else:
        by_group = pd.DataFrame({"moved": [int(moved_rows.sum())], "cases": [len(moved_rows)]})
    return moves, by_group
