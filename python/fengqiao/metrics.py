"""Metrics from Python: stored cases as a DataFrame of records, grouped reports as DataFrames."""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence, Union

import numpy as np
import pandas as pd

from fengqiao import _checked, _core, vocabulary
from fengqiao.v1 import (force_pb2, incident_pb2, metrics_pb2, routing_pb2,
                         taxonomy_pb2)


def records(store: Any, grid_map: Any, time_zone: str = "Asia/Shanghai") -> pd.DataFrame:
    """Every stored case as one metrics record per row (report order), or, given a viewer's
    :class:`fengqiao.closure.CaseAccess` (``store.access(viewer, grid_map)``), only the cases
    that viewer may see (an analyst's areas): ``reported_at`` as
    tz-aware ``datetime64[ns, <time_zone>]``, the time of each step in seconds after the report
    as float (NaN when it has not happened), flags, area index, co-handlers (``co_handlers``,
    ``co_on_time``: accepted within their own clock), and the enums (kind,
    dispute_type, department, channel, tier, force) as Categorical of their display labels
    from fengqiao.vocabulary (every value of the enum a category); the work-order facts of the
    department scorecards: ``order_department`` (Categorical), ``returned_by`` (bit d:
    department d returned the order), ``supervision_steps``, ``extensions``, and the clocks of
    the department's own order ``signoff_due_s``, ``signoff_s``, ``complete_due_s``,
    ``complete_s`` (seconds after the report as float, NaN when none or not met)."""
    from fengqiao.closure import CaseAccess, core_store

    if isinstance(store, CaseAccess):
        columns = _core.records_from_access(store._access, grid_map)
    else:
        columns = _core.records_from_store(core_store(store), grid_map)
    frame = pd.DataFrame(columns)
    frame["reported_at"] = pd.to_datetime(
        frame["reported_at"].astype(np.int64), unit="s", utc=True).dt.tz_convert(
            _checked.text(time_zone, "time_zone"))
    for name in _DURATIONS:
        if name in frame:
            seconds = frame[name].to_numpy()
            frame[name] = np.where(seconds < 0, np.nan, seconds.astype(np.float64))
    for name, enum in _ENUMS.items():
        if name in frame:
            frame[name] = _checked.categorical(frame[name], enum)
    # Work-order facts for the department scorecards: the department holding the order last,
    # the returns (bit d: department d returned it), the clocks of its own order (seconds after
    # the report, NaN when there is none or it was not met).
    if "order_department" in frame:
        frame["order_department"] = _checked.categorical(frame["order_department"],
                                                         taxonomy_pb2.Department)
    for name in _ORDER_TIMES:
        if name in frame:
            seconds = frame[name].to_numpy()
            frame[name] = np.where(seconds < 0, np.nan, seconds.astype(np.float64))
    return frame


def _seconds(t, name="time", time_zone="Asia/Shanghai"):
    return _checked.time_seconds(t, name, time_zone)


_ENUMS = {
    "kind": incident_pb2.IncidentKind,
    "dispute_type": taxonomy_pb2.DisputeType,
    "department": taxonomy_pb2.Department,
    "channel": incident_pb2.Channel,
    "tier": routing_pb2.Tier,
    "force": force_pb2.ForceType,
}
_DURATIONS = ("assign_s", "accept_s", "contact_s", "arrival_s", "resolve_s")
_ORDER_TIMES = ("signoff_due_s", "signoff_s", "complete_due_s", "complete_s")


def _columns(frame, time_zone="Asia/Shanghai"):
    """The records' columns, checked and converted (see fengqiao._checked): reported_at is
    required; a missing duration (NaN/NaT/None) means the step has not happened."""
    n = _checked.row_count(frame, "records")
    out = {"reported_at": _checked.times(_checked.column(frame, "reported_at"), "reported_at",
                                         time_zone, n)}
    if "area" in frame:
        out["area"] = _checked.integers(frame["area"], "area", np.int32, lo=-1, length=n)
    for name, enum in _ENUMS.items():
        if name in frame:
            out[name] = _checked.enum_numbers(frame[name], name, enum, n)
    if "flags" in frame:
        out["flags"] = _checked.integers(frame["flags"], "flags", np.uint32, length=n)
    for name in ("co_handlers", "co_on_time"):  # 协办: each co-handler credited
        if name in frame:
            out[name] = _checked.integers(frame[name], name, np.uint8, length=n, missing=0)
    for name in _DURATIONS:
        if name in frame:
            out[name] = _checked.durations(frame[name], name, n)
    return out


def _names(names, name="by"):
    """A dimension or period list as given: one name (``"street"``) or several."""
    return _checked.names(names, name)


def _thresholds(thresholds):
    """``{"arrival": 300, "accept": pd.Timedelta("15s"), ...}`` -> whole seconds by step."""
    if thresholds is None:
        return {}
    if not isinstance(thresholds, dict):
        _checked.fail("thresholds", None, "expected a dict of step -> seconds")
    out = {}
    for step, value in thresholds.items():
        name = f"thresholds[{step!r}]" if isinstance(step, str) else "thresholds"
        if not isinstance(step, str):
            _checked.fail(name, None, "expected a step name (arrival, accept, contact, on_site)")
        seconds = _checked.durations([value], name, missing=-1)[0]
        if seconds <= 0:
            _checked.fail(name, None, "expected a positive duration")
        out[step] = int(seconds)
    return out


def accumulator(grid_map, start, end, by=(), comparisons=(), as_of=None, baseline=None,
                time_zone="Asia/Shanghai", thresholds=None, threads=1):
    """An empty ``fengqiao._core.Metrics``: ``add_columns``, ``merge``, ``to_bytes`` /
    ``merge_bytes`` (partials across processes), ``report``. ``by`` and ``comparisons`` are one
    name (``by="street"``) or a list of names (``by=["street", "category"]``): the short names of
    ``fengqiao.v1.Dimension`` / ``PeriodKind``, or their labels. ``thresholds`` sets the rate
    thresholds by step (``{"arrival": 300}``: seconds or a Timedelta; steps arrival, accept,
    contact, on_site); the rates are named after them (``arrival_within_5min``). ``threads``:
    ``add_columns`` counts on that many threads (slices of at least 65,536 records, merged in
    order), with the report of one thread."""
    threads = _checked.threads(threads)
    tz = _checked.text(time_zone, "time_zone")
    if baseline is not None and (isinstance(baseline, str) or len(baseline) != 2):
        _checked.fail("baseline", None, "expected (start, end)")
    return _core.Metrics(
        grid_map, _seconds(start, "start", tz), _seconds(end, "end", tz), _names(by, "by"),
        _names(comparisons, "comparisons"),
        None if as_of is None else _seconds(as_of, "as_of", tz),
        None if baseline is None else (_seconds(baseline[0], "baseline", tz),
                                       _seconds(baseline[1], "baseline", tz)),
        tz, _thresholds(thresholds), threads)


def partial(frame, grid_map, start, end, **options):
    """The partial result over one piece of the records, as bytes that merge (see
    :func:`merge_partials`); what a Dask task returns."""
    metrics = accumulator(grid_map, start, end, **options)
    metrics.add_columns(_columns(frame, options.get("time_zone", "Asia/Shanghai")))
    return metrics.to_bytes()


def merge_partials(partials, grid_map, start, end, **options):
    """Merges partial results (bytes from :func:`partial`) into one ``MetricsReport``; equal to
    the report over all the records at once."""
    metrics = accumulator(grid_map, start, end, **options)
    for data in partials:
        metrics.merge_bytes(data)
    report = metrics_pb2.MetricsReport()
    report.ParseFromString(metrics.report())
    return report


def report_proto(frame: Any, grid_map: Any, start: Any, end: Any,
                 by: Union[str, Sequence[str]] = (), comparisons: Union[str, Sequence[str]] = (),
                 as_of: Any = None, baseline: Optional[Sequence[Any]] = None,
                 time_zone: str = "Asia/Shanghai",
                 thresholds: Optional[Dict[str, Any]] = None,
                 threads: int = 1) -> metrics_pb2.MetricsReport:
    """One pass over a records DataFrame (or dict of arrays); returns the
    ``fengqiao.v1.MetricsReport``. ``start``/``end`` bound the report by report time (unix
    seconds or anything pandas reads as a timestamp, e.g. "2026-10-01T00:00:00+08:00").
    ``threads``: count on that many threads; the report is the one of a single thread."""
    metrics = accumulator(grid_map, start, end, by, comparisons, as_of, baseline, time_zone,
                          thresholds, threads)
    metrics.add_columns(_columns(frame, time_zone))
    report = metrics_pb2.MetricsReport()
    report.ParseFromString(metrics.report())
    return report


def report_frame(proto):
    """A ``MetricsReport`` as a DataFrame (see :func:`report`)."""
    rows = []
    for g in proto.groups:
        row = {d: g.key[d] for d in proto.group_by}
        for r in g.rates:
            row[r.name] = r.value if r.HasField("value") else np.nan
            row[f"{r.name}_num"] = r.numerator
            row[f"{r.name}_den"] = r.denominator
        for d in g.distributions:
            # An empty distribution has no percentiles: NaN, never 0.
            for p in ("p50", "p90", "p95"):
                row[f"{d.name}_{p}"] = getattr(d, p) if d.HasField(p) else np.nan
            row[f"{d.name}_n"] = d.count
        for c in g.comparisons:
            key = f"{c.measure}_{c.period}_{c.kind}"
            row[key] = c.percent_change if c.HasField("percent_change") else np.nan
            row[f"{key}_current"] = c.current
            row[f"{key}_baseline"] = c.baseline
        rows.append(row)
    frame = pd.DataFrame(rows)
    keys = list(proto.group_by)
    if keys:  # grouped reports are indexed by their keys; reset_index() gives columns
        frame = (frame.set_index(keys) if len(frame)
                 else frame.reindex(columns=keys).set_index(keys))
    return frame


def months_spanned(frame, time_zone="Asia/Shanghai"):
    """(start, end) of the calendar months the records' report times span, in ``time_zone``."""
    seconds = _checked.times(_checked.column(frame, "reported_at"), "reported_at", time_zone)
    if len(seconds) == 0:
        _checked.fail("reported_at", None, "no records: give start and end")
    when = pd.to_datetime(pd.Series(seconds), unit="s", utc=True).dt.tz_convert(time_zone)
    first = when.min().normalize().replace(day=1)
    last = when.max().normalize().replace(day=1) + pd.offsets.MonthBegin(1)
    return first.timestamp(), last.timestamp()


def report(frame: Any, grid_map: Any, start: Any = None, end: Any = None,
           by: Union[str, Sequence[str]] = (), comparisons: Union[str, Sequence[str]] = (),
           as_of: Any = None, baseline: Optional[Sequence[Any]] = None,
           time_zone: str = "Asia/Shanghai",
           thresholds: Optional[Dict[str, Any]] = None, threads: int = 1) -> pd.DataFrame:
    """Like :func:`report_proto`, as a DataFrame: one row per group, indexed by the group's
    dimensions (``reset_index()`` makes them columns), then per rate ``<name>`` (value), ``<name>_num`` and ``<name>_den``, per duration
    ``<name>_p50/_p90/_p95/_n``, per comparison ``<measure>_<period>_<kind>`` (percent change;
    NaN for a zero baseline). Without ``start``/``end``, the calendar months the records span.
    ``threads``: count on that many threads (the same report as one)."""
    if start is None or end is None:
        span = months_spanned(frame, time_zone)
        start = span[0] if start is None else start
        end = span[1] if end is None else end
    return report_frame(
        report_proto(frame, grid_map, start, end, by, comparisons, as_of, baseline, time_zone,
                     thresholds, threads))


def compstat(frame, grid_map, start, end, by=(), comparisons=("month", "28_days")):
    """The CompStat sheet (text) of the records."""
    proto = report_proto(frame, grid_map, start, end, by, comparisons)
    return _core.format_compstat(proto.SerializeToString())


class DurationSketch:
    """Percentiles of durations that merge (the C++ ``fengqiao::DurationSketch``): exact up to
    ``exact_limit`` samples (R type 7, as ``numpy.quantile``'s default), then within
    ``relative_error`` of each percentile's value. Durations are whole seconds (fractions
    dropped); missing values (NaN, NaT, None) are not samples; a negative one is an error.
    Pickles (by its state), so Dask workers can return sketches to merge."""

    def __init__(self, exact_limit: int = 100_000, relative_error: float = 0.001):
        self._options = (int(_checked.integers([exact_limit], "exact_limit", np.int64,
                                               lo=0)[0]),
                         float(relative_error))
        if not 0 < self._options[1] < 1:
            _checked.fail("relative_error", None, "expected a number between 0 and 1")
        self._sketch = _core.DurationSketch(*self._options)

    def add(self, seconds: Any) -> "DurationSketch":
        """Adds durations: seconds (numbers), ``timedelta64`` or ``Timedelta`` values."""
        values = _checked.durations(seconds, "seconds", missing=-1)  # whole seconds
        self._sketch.add(values[values >= 0].astype(np.int64))
        return self

    def merge(self, other: "DurationSketch") -> "DurationSketch":
        if not isinstance(other, DurationSketch):
            _checked.fail("other", None, "expected a fengqiao.metrics.DurationSketch")
        self._sketch.merge(other._sketch)
        return self

    def quantiles(self, q: Any) -> np.ndarray:
        """The q-quantiles (each in [0, 1]); NaN for an empty sketch."""
        qs = np.atleast_1d(np.asarray(q, dtype=float))
        if np.isnan(qs).any() or (qs < 0).any() or (qs > 1).any():
            _checked.fail("q", None, "expected quantiles between 0 and 1")
        return np.asarray(self._sketch.quantiles(qs.tolist()))

    count = property(lambda self: self._sketch.count)
    negative = property(lambda self: self._sketch.negative)
    mean = property(lambda self: self._sketch.mean)
    exact = property(lambda self: self._sketch.exact)
    relative_error = property(lambda self: self._sketch.relative_error)

    def __getstate__(self):
        return {"options": self._options, "state": self._sketch.state()}

    def __setstate__(self, state):
        self._options = tuple(state["options"])
        self._sketch = _core.DurationSketch(*self._options)
        self._sketch.restore(state["state"])


def _quantile_name(q: float) -> str:
    text = f"{q * 100:.3f}".rstrip("0").rstrip(".")
    return f"p{text}"


def quantiles(records: Any, column: str, q: Sequence[float] = (0.5, 0.9, 0.95, 0.99),
              by: Union[str, Sequence[str], None] = None) -> pd.DataFrame:
    """Any quantiles (e.g. p50 ... p99.9) of a duration column of ``records`` (seconds as
    numbers or ``timedelta64``; NaN for a step that has not happened), overall or per group of
    ``by``: a column per quantile (``p50``, ``p99.9``, in seconds) and ``n``, the samples.
    Computed with :class:`DurationSketch`, the same estimator as the C++ reports."""
    values = _checked.durations(_checked.column(records, column), column, missing=-1)
    values = np.where(values >= 0, values.astype(np.float64), np.nan)
    keys = [] if by is None else _checked.names(by, "by")
    frame = pd.DataFrame({"_value": values})
    for k in keys:
        frame[k] = pd.Series(_checked.column(records, k)).to_numpy()
    qs = [float(x) for x in q]
    names = [_quantile_name(x) for x in qs]

    def one(part):
        sketch = DurationSketch().add(part["_value"].dropna().to_numpy())
        return pd.Series(list(sketch.quantiles(qs)) + [sketch.count], index=names + ["n"])

    if not keys:
        return one(frame).to_frame().T.reset_index(drop=True)
    out = frame.groupby(keys, observed=True, sort=True).apply(one)
    out["n"] = out["n"].astype(np.int64)
    return out


# Department scorecards (部门考核, issue 18 point 6) ------------------------------------------


def load_scorecard_policy(path: Any) -> metrics_pb2.ScorecardPolicy:
    """A district's scorecard policy file (``examples/data/scorecard.textproto``), checked:
    errors name ``file:line:col`` and the field (InvalidArgumentError), NotFoundError for no
    file."""
    policy = metrics_pb2.ScorecardPolicy()
    policy.ParseFromString(_core.load_scorecard_policy(_checked.path(path, "path")))
    return policy


def parse_scorecard_policy(text: Union[str, bytes],
                           filename: str = "<policy>") -> metrics_pb2.ScorecardPolicy:
    """A scorecard policy from protobuf text (``str`` or UTF-8 ``bytes``), checked as
    :func:`load_scorecard_policy` checks a file; ``filename`` names it in errors."""
    if isinstance(text, str):
        data = text.encode("utf-8")
    elif isinstance(text, bytes):
        data = text
    else:
        _checked.fail("text", None, f"expected text, got {type(text).__name__}")
    policy = metrics_pb2.ScorecardPolicy()
    policy.ParseFromString(_core.parse_scorecard_policy(data, _checked.text(filename, "filename")))
    return policy


def effective_scorecard_policy(policy: Optional[metrics_pb2.ScorecardPolicy] = None
                               ) -> metrics_pb2.ScorecardPolicy:
    """The policy with every unset field at the library's default (the default indicators,
    weights and thresholds, the month, the lists)."""
    out = metrics_pb2.ScorecardPolicy()
    out.ParseFromString(_core.effective_scorecard_policy(_policy_bytes(policy)))
    return out


def _policy_bytes(policy):
    if policy is None:
        return b""
    if isinstance(policy, metrics_pb2.ScorecardPolicy):
        return policy.SerializeToString()
    if isinstance(policy, (str, bytes)) or hasattr(policy, "__fspath__"):
        return load_scorecard_policy(policy).SerializeToString()
    _checked.fail("policy", None, "expected a fengqiao.v1.ScorecardPolicy or a policy file path, "
                  f"got {type(policy).__name__}")


def scorecard_accumulator(as_of: Any, policy: Any = None,
                          time_zone: str = "Asia/Shanghai") -> Any:
    """An empty ``fengqiao._core.Scorecards`` for the period of ``policy`` (a
    ``ScorecardPolicy``, a policy file path, or None for the library's defaults) ending at
    ``as_of``: ``add_store``, ``add_access``, ``merge``, ``to_bytes`` / ``merge_bytes`` (partials
    from several processes), ``report``."""
    return _core.Scorecards(_seconds(as_of, "as_of", time_zone), _policy_bytes(policy),
                            _checked.text(time_zone, "time_zone"))


def scorecard_report(source: Any, grid_map: Any, as_of: Any, policy: Any = None,
                     time_zone: str = "Asia/Shanghai") -> metrics_pb2.ScorecardReport:
    """The departments' scorecards (``fengqiao.v1.ScorecardReport``) of the cases of ``source``
    (a :class:`fengqiao.closure.CaseStore`, or a viewer's :class:`fengqiao.closure.CaseAccess`)
    for the period ending at ``as_of`` (the month before a month's first day by default), one
    pass in C++."""
    from fengqiao.closure import CaseAccess, CaseStore, core_store

    cards = scorecard_accumulator(as_of, policy, time_zone)
    if isinstance(source, CaseAccess):
        cards.add_access(source._access, grid_map)
    elif isinstance(source, CaseStore):
        cards.add_store(core_store(source), grid_map)
    else:
        _checked.fail("source", None, "expected a CaseStore or a CaseAccess, "
                      f"got {type(source).__name__}")
    report = metrics_pb2.ScorecardReport()
    report.ParseFromString(cards.report())
    return report


def scorecard_frame(report: metrics_pb2.ScorecardReport,
                    time_zone: Optional[str] = None) -> pd.DataFrame:
    """A scorecard report as a DataFrame: one row per department (ranked first, by rank), with
    ``period_start`` (tz-aware), ``department`` (Categorical of display labels), ``orders``,
    ``handled``, each indicator's rate under its short name (``on_time_signoff``,
    ``return_rate`` ...; float, NaN without orders to judge; the share for supervised and
    extended orders, their counts in ``<name>_count``), its points in ``<name>_points`` (NaN when
    left out), ``score`` (NaN without any), ``rank`` (nullable Int64, NA when not ranked),
    ``previous_score``, ``red_list`` / ``black_list`` (bool), ``supervision_steps`` and
    ``extensions_granted``. ``frame.attrs`` holds the period, its bounds and as_of."""
    if not isinstance(report, metrics_pb2.ScorecardReport):
        _checked.fail("report", None, "expected a fengqiao.v1.ScorecardReport, "
                      f"got {type(report).__name__}")
    zone = _checked.text(time_zone or report.time_zone or "Asia/Shanghai", "time_zone")

    def stamp(ts):
        return pd.Timestamp(ts.seconds, unit="s", tz="UTC").tz_convert(zone)

    red, black = set(report.red_list), set(report.black_list)
    rows = []
    for d in report.departments:
        row = {"period_start": stamp(report.period_start), "department": d.department,
               "orders": d.orders, "handled": d.handled}
        for i in d.indicators:
            name = vocabulary.label(metrics_pb2.ScorecardIndicator, i.indicator).short_name
            row[name] = i.rate.value if i.rate.HasField("value") else np.nan
            if i.indicator in (metrics_pb2.SCORECARD_INDICATOR_SUPERVISED,
                               metrics_pb2.SCORECARD_INDICATOR_EXTENDED):
                row[f"{name}_count"] = i.rate.numerator
            row[f"{name}_points"] = i.points if i.HasField("points") else np.nan
        row["score"] = d.score if d.HasField("score") else np.nan
        row["rank"] = d.rank if d.rank > 0 else pd.NA
        row["previous_score"] = d.previous_score if d.HasField("previous_score") else np.nan
        row["red_list"] = d.department in red
        row["black_list"] = d.department in black
        row["supervision_steps"] = d.supervision_steps
        row["extensions_granted"] = d.extensions_granted
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame({"period_start": pd.Series([], dtype=f"datetime64[ns, {zone}]"),
                              "department": pd.Series([], dtype=np.int64),
                              "orders": pd.Series([], dtype=np.int64),
                              "score": pd.Series([], dtype=np.float64),
                              "rank": pd.Series([], dtype="Int64")})
    frame["department"] = _checked.categorical(frame["department"], taxonomy_pb2.Department)
    frame["rank"] = frame["rank"].astype("Int64")
    frame.attrs.update(period=report.period, period_start=stamp(report.period_start),
                       period_end=stamp(report.period_end), as_of=stamp(report.as_of),
                       previous_start=stamp(report.previous_start))
    return frame


def scorecards(source: Any, grid_map: Any, as_of: Any, policy: Any = None,
               time_zone: str = "Asia/Shanghai") -> pd.DataFrame:
    """The departments' scorecards of ``source`` for the period ending at ``as_of`` as a
    DataFrame (:func:`scorecard_report`, then :func:`scorecard_frame`)."""
    return scorecard_frame(scorecard_report(source, grid_map, as_of, policy, time_zone), time_zone)


def format_scorecards(report: metrics_pb2.ScorecardReport) -> str:
    """The scorecards as the sheet the main job prints (Chinese titles from the protos)."""
    if not isinstance(report, metrics_pb2.ScorecardReport):
        _checked.fail("report", None, "expected a fengqiao.v1.ScorecardReport, "
                      f"got {type(report).__name__}")
    return _core.format_scorecards(report.SerializeToString())
