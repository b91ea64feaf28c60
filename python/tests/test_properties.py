"""Property tests (hypothesis): random frames of every dtype fed to every function that takes
columns or times from Python; each call returns a result or raises a fengqiao.Error, never
another exception, never a crash (issue 10 point 2)."""

import datetime
import os

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fengqiao.v1 import incident_pb2, taxonomy_pb2

from conftest import DATA

# FENGQIAO_HYPOTHESIS_EXAMPLES=400 for a longer hunt; no example database in the worktree.
SETTINGS = settings(database=None,
                    max_examples=int(os.environ.get("FENGQIAO_HYPOTHESIS_EXAMPLES", "60")),
                    deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
START, END = "2026-10-01T00:00:00+08:00", "2026-11-01T00:00:00+08:00"
T0 = 1790784000

_SCALARS = st.one_of(
    st.none(), st.just(pd.NA), st.just(pd.NaT), st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6), st.binary(max_size=4),
    st.sampled_from(["INCIDENT_KIND_DISPUTE", "noise", "噪音", "2026-10-02", "3"]),
    st.datetimes(min_value=datetime.datetime(1700, 1, 1),
                 max_value=datetime.datetime(2250, 1, 1)).map(pd.Timestamp),
    st.timedeltas(min_value=-datetime.timedelta(days=10**5),
                  max_value=datetime.timedelta(days=10**5)).map(pd.Timedelta),
)


@st.composite
def columns(draw, n):
    """One column of n rows in a random dtype, with random (often plausible) values."""
    kind = draw(st.sampled_from([
        "int8", "uint8", "int32", "uint32", "int64", "uint64", "float64", "bool", "object",
        "category", "datetime", "datetime_tz", "timedelta", "Int64", "string", "epoch"]))
    if kind in ("int8", "uint8", "int32", "uint32", "int64", "uint64"):
        info = np.iinfo(kind)
        small = st.integers(min_value=max(int(info.min), -5), max_value=min(int(info.max), 40))
        values = draw(st.lists(st.one_of(small, st.integers(int(info.min), int(info.max))),
                               min_size=n, max_size=n))
        return np.array(values, dtype=kind)
    if kind == "float64":
        values = draw(st.lists(st.one_of(st.floats(), st.integers(-5, 40).map(float)),
                               min_size=n, max_size=n))
        return np.array(values, dtype=np.float64)
    if kind == "bool":
        return np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    if kind in ("object", "category"):
        values = draw(st.lists(st.one_of(_SCALARS, st.integers(0, 12)), min_size=n, max_size=n))
        series = pd.Series(values, dtype=object)
        if kind == "category":
            try:
                return series.astype("category")
            except (TypeError, ValueError):
                return series
        return series
    if kind in ("datetime", "datetime_tz", "epoch"):
        values = draw(st.lists(st.one_of(st.integers(T0 - 86400, T0 + 40 * 86400),
                                         st.integers(-(2**33), 2**33)), min_size=n, max_size=n))
        if kind == "epoch":
            return np.array(values, dtype=np.int64)
        stamps = pd.to_datetime(pd.Series(values, dtype=np.int64), unit="s")
        if draw(st.booleans()) and n:
            stamps.iloc[0] = pd.NaT
        return stamps.dt.tz_localize("UTC").dt.tz_convert("Asia/Shanghai") \
            if kind == "datetime_tz" else stamps
    if kind == "timedelta":
        values = draw(st.lists(st.integers(-10, 10**6), min_size=n, max_size=n))
        deltas = pd.to_timedelta(pd.Series(values, dtype=np.int64), unit="s")
        if draw(st.booleans()) and n:
            deltas.iloc[-1] = pd.NaT
        return deltas
    if kind == "Int64":
        values = draw(st.lists(st.one_of(st.none(), st.integers(-5, 300)), min_size=n,
                               max_size=n))
        return pd.array(values, dtype="Int64")
    values = draw(st.lists(st.one_of(st.none(), st.text(max_size=5),
                                     st.sampled_from(["DISPUTE_TYPE_NOISE", "1", "xc-lc-c1-g1"])),
                           min_size=n, max_size=n))
    return pd.array(values, dtype="string")


ROUTING_COLUMNS = ["area", "grid_code", "kind", "dispute_type", "severity", "channel",
                   "department", "amount_fen", "party_count", "repeat_count", "hour", "weekday",
                   "flags", "tags", "street"]
METRICS_COLUMNS = ["reported_at", "area", "kind", "dispute_type", "department", "channel",
                   "tier", "force", "flags", "assign_s", "accept_s", "contact_s", "arrival_s",
                   "resolve_s"]


@st.composite
def frames(draw, names, required=()):
    n = draw(st.integers(min_value=0, max_value=6))
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    if draw(st.booleans()):  # often past the missing-column check, into the values
        chosen = list(required) + [c for c in chosen if c not in required]
    data = {name: draw(columns(n)) for name in chosen}
    if draw(st.booleans()):
        return data  # a dict of columns (possibly of different lengths: an error, not a crash)
    return pd.DataFrame({k: pd.Series(v).reset_index(drop=True) for k, v in data.items()})


def _result_or_error(fq, call):
    try:
        call()
    except fq.Error:
        pass


@SETTINGS
@given(frame=frames(ROUTING_COLUMNS, ("grid_code", "kind")))
def test_route_frame_returns_or_raises_a_fengqiao_error(fq, grid_map, rules, frame):
    _result_or_error(fq, lambda: fq.route_frame(rules, frame, grid_map))


@SETTINGS
@given(frame=frames(ROUTING_COLUMNS, ("area", "kind")), by=st.one_of(st.just("street"), st.just(["kind"]),
                                                   st.lists(_SCALARS, max_size=2)))
def test_compare_rule_sets_returns_or_raises_a_fengqiao_error(fq, grid_map, rules, frame, by):
    _result_or_error(fq, lambda: fq.compare_rule_sets(frame, rules, rules, grid_map, by=by))


@SETTINGS
@given(frame=frames(METRICS_COLUMNS, ("reported_at",)), start=st.one_of(st.just(START), _SCALARS),
       by=st.one_of(st.just("street"), st.just(["category", "tier"]), st.lists(_SCALARS,
                                                                             max_size=2)))
def test_metrics_report_returns_or_raises_a_fengqiao_error(fq, grid_map, frame, start, by):
    _result_or_error(fq, lambda: fq.metrics.report(frame, grid_map, start, END, by=by))
    _result_or_error(fq, lambda: fq.metrics.report(frame, grid_map, by=by))


@SETTINGS
@given(text=st.lists(_SCALARS, max_size=5), with_id=st.booleans())
def test_alert_scan_returns_or_raises_a_fengqiao_error(fq, text, with_id):
    import fengqiao.alert

    frame = pd.DataFrame({"text": pd.Series(text, dtype=object)})
    if with_id:
        frame["id"] = range(len(frame))
    _result_or_error(fq, lambda: fengqiao.alert.scan(frame, DATA / "alert" / "rules"))


@SETTINGS
@given(reported_at=_SCALARS, now=_SCALARS, repeat_count=_SCALARS)
def test_case_loop_and_route_take_any_scalar_or_raise_a_fengqiao_error(fq, rules, reported_at,
                                                                        now, repeat_count):
    incident = incident_pb2.Incident(id="p-1", grid_code="xc-lc-c1-g1",
                                     kind=incident_pb2.INCIDENT_KIND_DISPUTE,
                                     dispute_type=taxonomy_pb2.DISPUTE_TYPE_NOISE)
    incident.reported_at.seconds = T0
    _result_or_error(fq, lambda: fq.route(rules, incident, repeat_count))
    _result_or_error(fq, lambda: fq.explain(rules, incident, repeat_count))
    decision = fq.route(rules, incident)
    try:
        loop = fq.CaseLoop.open(incident, decision, reported_at, "12345")
    except fq.Error:
        return
    _result_or_error(fq, lambda: loop.overdue(now))


@SETTINGS
@given(data=st.data())
def test_enum_columns_route_alike_as_numbers_objects_categories_and_names(fq, grid_map, rules,
                                                                         facts, data):
    rows = data.draw(st.lists(st.integers(0, len(facts) - 1), min_size=1, max_size=30))
    frame = facts.iloc[rows].reset_index(drop=True)
    expected = fq.route_frame(rules, frame, grid_map)
    for name, enum in (("kind", incident_pb2.IncidentKind),
                       ("dispute_type", taxonomy_pb2.DisputeType)):
        if name not in frame:
            continue
        spelling = data.draw(st.sampled_from(["object", "category", "name", "float"]))
        other = frame.copy()
        numbers = frame[name].astype(int)
        if spelling == "object":
            other[name] = numbers.astype(object)
        elif spelling == "category":
            other[name] = numbers.astype("category")
        elif spelling == "name":
            other[name] = [enum.Name(int(v)) for v in numbers]
        else:
            other[name] = numbers.astype(np.float64)
        pd.testing.assert_frame_equal(fq.route_frame(rules, other, grid_map), expected)


@SETTINGS
@given(seconds=st.lists(st.one_of(st.none(), st.integers(0, 10**5)), min_size=1, max_size=40))
def test_durations_as_timedelta_equal_durations_as_float_seconds(fq, grid_map, seconds):
    n = len(seconds)
    grids = [i for i, level in enumerate(grid_map.levels()) if level == 5]
    base = pd.DataFrame({"reported_at": T0 + np.arange(n) * 3600,
                         "area": np.resize(np.array(grids, dtype=np.int32), n),
                         "kind": np.full(n, 1, dtype=np.uint8)})
    as_float = base.assign(accept_s=pd.Series(seconds, dtype="float64"))
    with np.errstate(invalid="ignore"):  # pandas casts the NaN (-> NaT) with a warning
        as_delta = base.assign(accept_s=pd.to_timedelta(as_float["accept_s"], unit="s"))
    assert (fq.metrics.report_proto(as_float, grid_map, START, END)
            == fq.metrics.report_proto(as_delta, grid_map, START, END))


def _frame_or_error(fq, call):
    try:
        return call(), None
    except fq.Error as e:
        return None, (type(e), str(e))


@SETTINGS
@given(frame=frames(ROUTING_COLUMNS, ("grid_code", "kind")), with_area=st.booleans())
def test_route_frame_checked_in_cpp_gives_what_the_python_checks_give(fq, grid_map, rules, frame,
                                                                      with_area):
    """The C++ conversion of route_frame's columns (issue 17 point 2) is the Python checks made
    fast: on any frame, the same result, or the same error class and message (column and row)."""
    from unittest import mock

    import fengqiao._checked
    import fengqiao.routing

    if with_area and "grid_code" in frame and "area" not in frame:
        codes = pd.Series(frame["grid_code"]).reset_index(drop=True)
        frame = dict(frame) if isinstance(frame, dict) else frame.copy()
        frame["area"] = np.arange(len(codes), dtype=np.int64) % (grid_map.size() + 2) - 1
    native = _frame_or_error(fq, lambda: fq.route_frame(rules, frame, grid_map))
    with mock.patch.object(fengqiao._checked, "_native", lambda values, length: None), \
            mock.patch.object(fengqiao.routing, "_grid_areas", lambda values, gm, n: None):
        python = _frame_or_error(fq, lambda: fq.route_frame(rules, frame, grid_map))
    assert native[1] == python[1]
    if native[0] is not None:
        pd.testing.assert_frame_equal(native[0], python[0])


@SETTINGS
@given(data=st.data())
def test_checked_integers_in_cpp_give_what_the_python_checks_give(fq, data):
    """_checked.integers and enum_numbers on numeric arrays of every dtype, any range and missing
    value: the C++ path returns the same numbers (and dtype) or raises the same message."""
    from unittest import mock

    import fengqiao._checked as checked

    n = data.draw(st.integers(0, 8))
    values = data.draw(columns(n))
    name = data.draw(st.sampled_from(["hour", "amount_fen", "kind"]))
    missing = data.draw(st.one_of(st.none(), st.integers(-1, 3)))
    if name == "kind":
        call = lambda: checked.enum_numbers(values, name, incident_pb2.IncidentKind, n,  # noqa: E731
                                            missing=missing)
    else:
        dtype = data.draw(st.sampled_from([np.uint8, np.int32, np.uint32, np.int64, np.uint64]))
        if dtype is np.uint64 and missing is not None:
            missing = abs(missing)  # -1 does not convert to uint64 (a caller never asks it)
        lo = data.draw(st.one_of(st.none(), st.integers(-3, 5)))
        hi = data.draw(st.one_of(st.none(), st.integers(0, 300)))
        call = lambda: checked.integers(values, name, dtype, lo=lo, hi=hi, length=n,  # noqa: E731
                                        missing=missing)
    native = _frame_or_error(fq, call)
    with mock.patch.object(checked, "_native", lambda values, length: None):
        python = _frame_or_error(fq, call)
    assert native[1] == python[1]
    if native[0] is not None:
        assert native[0].dtype == python[0].dtype
        np.testing.assert_array_equal(native[0], python[0])


@SETTINGS
@given(data=st.data())
def test_checked_integers_on_long_columns_find_the_first_bad_row_as_python_does(fq, data):
    """The C++ check tests whole blocks of 4,096 rows at once (vectorised) and searches a block
    again only when it holds a bad value: on columns of several blocks, of every integer dtype,
    with bad values planted anywhere (or nowhere), the same numbers or the same error (row and
    value) as the Python checks."""
    from unittest import mock

    import fengqiao._checked as checked

    n = data.draw(st.sampled_from([4096, 4097, 3 * 4096 + 17]))
    dtype = data.draw(st.sampled_from([np.int8, np.uint8, np.int16, np.uint16, np.int32,
                                       np.uint32, np.int64]))
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    name = data.draw(st.sampled_from(["hour", "kind"]))
    if name == "kind":
        good = np.array([v.number for v in incident_pb2.IncidentKind.DESCRIPTOR.values])
        values = rng.choice(good, n).astype(dtype)
        bad_values = [len(good), 100]
        target, lo, hi = None, None, None
    else:
        lo, hi = data.draw(st.integers(-3, 5)), data.draw(st.integers(5, 100))
        values = rng.integers(max(lo, 0), hi + 1, n).astype(dtype)
        bad_values = [hi + 1, 120] + ([lo - 1] if lo - 1 >= np.iinfo(dtype).min else [])
        target = data.draw(st.sampled_from([np.uint8, np.int32, np.int64]))
    for _ in range(data.draw(st.integers(0, 3))):
        values[rng.integers(0, n)] = rng.choice(bad_values)
    if name == "kind":
        call = lambda: checked.enum_numbers(values, name, incident_pb2.IncidentKind, n)  # noqa: E731
    else:
        call = lambda: checked.integers(values, name, target, lo=lo, hi=hi, length=n)  # noqa: E731
    native = _frame_or_error(fq, call)
    with mock.patch.object(checked, "_native", lambda values, length: None):
        python = _frame_or_error(fq, call)
    assert native[1] == python[1]
    if native[0] is not None:
        np.testing.assert_array_equal(native[0], python[0])
