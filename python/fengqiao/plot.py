"""Charts for analysts, drawn with matplotlib.

Importing fengqiao leaves matplotlib as it was: no backend is chosen, no rcParams are changed,
pyplot is not imported. Every function draws on the Axes passed as ``ax=`` (or on a new figure of
its own, built without pyplot) and returns that Axes; ``path=`` also writes the figure as a PNG.
Chinese labels (街道, 处置率 ...) are set in a CJK font (fonts-wqy-microhei, installed by
scripts/install-deps.sh) on the chart's own texts, so they render wherever the Axes is drawn.
Labels follow one scheme, the vocabulary's display names ("public order (治安)"); areas are named
("临城街道"), not coded, when a grid map is given; every axis states its unit; value labels carry
their N.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
import pandas as pd

from fengqiao import _checked, vocabulary
from fengqiao.v1 import incident_pb2

TIME_ZONE = "Asia/Shanghai"
FONTS = ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "DejaVu Sans"]
_AREA_DIMENSIONS = ("grid", "community", "street", "district")
_PER = {"D": "per day", "W": "per week", "M": "per month", "MS": "per month", "H": "per hour"}


def _axes(ax, figsize):
    if ax is not None:
        return ax
    from matplotlib.figure import Figure  # no pyplot: no backend, no global figure list

    return Figure(figsize=figsize).subplots()


def _finish(ax, path):
    """The chart's texts in a CJK-capable font; the figure written to ``path`` if given."""
    from matplotlib.text import Text

    for text in ax.figure.findobj(Text):
        text.set_fontfamily(FONTS)
    if path is not None:
        ax.figure.savefig(path, dpi=110, bbox_inches="tight")
    return ax


def trend_counts(records: Any, freq: str = "D", by: Optional[str] = "kind") -> pd.DataFrame:
    """Counts of records per period (``freq``: a pandas offset, "D" days, "W-MON" weeks), a
    column per value of ``by`` ("kind", labelled by the vocabulary, or any column of
    ``records``; None for one column), indexed by the period start in the district's zone."""
    seconds = _checked.times(_checked.column(records, "reported_at"), "reported_at", TIME_ZONE)
    when = pd.to_datetime(seconds, unit="s", utc=True).tz_convert(TIME_ZONE)
    frame = pd.DataFrame({"when": when})
    grouper = pd.Grouper(key="when", freq=freq)
    if by is None:
        return frame.groupby(grouper).size().to_frame("incidents")
    if by == "kind":
        kinds = _checked.enum_numbers(records["kind"], "kind", incident_pb2.IncidentKind,
                                      missing=0)
        frame[by] = [vocabulary.display_name(incident_pb2.IncidentKind, int(k)) for k in kinds]
    else:
        frame[by] = pd.Series(records[by]).to_numpy()
    return frame.groupby([grouper, by]).size().unstack(fill_value=0)


def trend(records: Any, path: Any = None, freq: str = "D", by: Optional[str] = "kind",
          title: str = "Incidents", ax: Any = None) -> Any:
    """A line per value of ``by`` over time (see :func:`trend_counts`); the legend stands
    outside the data. Returns the Axes."""
    counts = trend_counts(records, freq, by)
    ax = _axes(ax, (10, 4.5))
    for column in counts.columns:
        ax.plot(counts.index, counts[column].to_numpy(), linewidth=1.5, label=str(column))
    per = _PER.get(freq.split("-")[0], "per period")
    ax.set_title(title)
    ax.set_xlabel(f"date ({TIME_ZONE})")
    ax.set_ylabel(f"incidents {per} (件)")
    peak = float(counts.to_numpy().max()) if counts.size else 0.0
    ax.set_ylim(0, max(1.0, peak) * 1.08)
    ax.grid(alpha=0.3)
    if by is not None:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0,
                  title=by, frameon=False)
    ax.figure.autofmt_xdate()
    return _finish(ax, path)


def _dimension_label(by):
    """"street (街道)" for a report dimension, the column name otherwise."""
    from fengqiao.errors import Error
    from fengqiao.v1 import metrics_pb2

    try:
        return vocabulary.display_name(metrics_pb2.Dimension,
                                       vocabulary.parse(metrics_pb2.Dimension, by))
    except Error:
        return by


def _n_column(table, metric):
    for suffix in ("_den", "_n"):
        if f"{metric}{suffix}" in table:
            return f"{metric}{suffix}"
    return None


def compare(table: Any, metric: str, by: str, path: Any = None, title: Optional[str] = None,
            percent: bool = True, unit: Optional[str] = None, grid_map: Any = None,
            ax: Any = None) -> Any:
    """A bar per group of a report table (``fengqiao.metrics.report``): ``metric`` by ``by``,
    sorted, each bar labelled with its value and N (the rate's denominator or the distribution's
    count when the table has it). The value axis covers where the data is (a rate between 89%
    and 100% is not drawn on 0-100%). With ``grid_map``, area codes become area names. Returns
    the Axes."""
    if by in (table.index.names or []):  # a grouped report: keys are the index
        table = table.reset_index()
    if by not in table or metric not in table:
        _checked.fail(by if by not in table else metric, None, "is not a column of the table")
    keys = table[by].astype(str)
    if grid_map is not None and by in _AREA_DIMENSIONS:
        names = dict(zip(grid_map.codes(), grid_map.names()))
        keys = keys.map(lambda code: names.get(code, code))
    scale = 100.0 if percent else 1.0
    values = pd.to_numeric(table[metric], errors="coerce").to_numpy(dtype=float) * scale
    n_column = _n_column(table, metric)
    ns = table[n_column].to_numpy() if n_column else [None] * len(values)
    order = np.argsort(values, kind="stable")
    values, keys, ns = values[order], keys.to_numpy()[order], [ns[i] for i in order]
    ax = _axes(ax, (8, max(2.5, 0.38 * len(values) + 1.2)))
    positions = np.arange(len(values))
    ax.barh(positions, np.nan_to_num(values), color="#2b6cb0")
    ax.set_yticks(positions)
    ax.set_yticklabels(keys)
    finite = values[np.isfinite(values)]
    if len(finite):
        lo, hi = float(finite.min()), float(finite.max())
        margin = max((hi - lo) * 0.35, abs(hi) * 0.02, 1e-9)
        left = 0.0 if lo - margin <= 0 or lo <= (hi - lo) else lo - margin
        right = hi + margin * 1.6  # room for the value labels
        if percent:
            right = min(right, 100.0 + margin * 1.6)
        ax.set_xlim(left, right)
        if percent:  # room for the labels past 100%, but no tick there
            ax.set_xticks([t for t in ax.get_xticks() if left <= t <= 100.0])
    for y, value, n in zip(positions, values, ns):
        text = "n/a" if not np.isfinite(value) else (
            f"{value:.1f}%" if percent else f"{value:,.2f}")
        if n is not None:
            text += f"  (N={int(n):,})"
        x = value if np.isfinite(value) else ax.get_xlim()[0]
        ax.annotate(text, (x, y), xytext=(4, 0), textcoords="offset points", va="center",
                    fontsize=8)
    ax.set_title(title or metric)
    ax.set_xlabel(unit or ("% of N" if percent else metric))
    ax.set_ylabel(_dimension_label(by))
    ax.grid(axis="x", alpha=0.3)
    return _finish(ax, path)
