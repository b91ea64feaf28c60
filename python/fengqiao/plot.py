"""Charts for analysts: trends and comparisons drawn with matplotlib to PNG files."""

import matplotlib

matplotlib.use("Agg")  # files only, no display
# Chinese labels (街道, 处置率 ...): a CJK font first (fonts-wqy-microhei, installed by
# scripts/install-deps.sh), then matplotlib's default.
matplotlib.rcParams["font.sans-serif"] = ["WenQuanYi Micro Hei", "Noto Sans CJK SC",
                                          "DejaVu Sans"]
matplotlib.rcParams["axes.unicode_minus"] = False

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from fengqiao import _checked, vocabulary  # noqa: E402
from fengqiao.v1 import incident_pb2  # noqa: E402

TIME_ZONE = "Asia/Shanghai"


def _kind_names(kinds):
    names = vocabulary.categories(incident_pb2.IncidentKind, lang="zh", include_unspecified=True)
    return pd.Series(kinds).map(lambda v: names.get(v, vocabulary.label(incident_pb2.IncidentKind,
                                                                        v).zh))


def trend(records, path, freq="D", by="kind", title="Incidents per day"):
    """Counts of records per period (``freq``: pandas offset, "D" days, "W-MON" weeks), one line
    per value of ``by`` ("kind", or any column of ``records``; None for one line). Writes a PNG
    to ``path`` and returns the counts as a DataFrame."""
    seconds = _checked.times(_checked.column(records, "reported_at"), "reported_at", TIME_ZONE)
    when = pd.to_datetime(seconds, unit="s", utc=True).tz_convert(TIME_ZONE)
    frame = pd.DataFrame({"when": when})
    if by is not None:
        frame[by] = (_kind_names(_checked.enum_numbers(records["kind"], "kind",
                                                       incident_pb2.IncidentKind, missing=0))
                     if by == "kind" else pd.Series(records[by]).values)
    grouper = pd.Grouper(key="when", freq=freq)
    counts = (frame.groupby([grouper, by]).size().unstack(fill_value=0) if by is not None
              else frame.groupby(grouper).size().to_frame("incidents"))
    fig, ax = plt.subplots(figsize=(10, 4.5))
    counts.plot(ax=ax, linewidth=1.5)
    ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("incidents")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return counts


def compare(table, metric, by, path, title=None, percent=True):
    """A bar per group of a report table (``fengqiao.metrics.report``): ``metric`` by ``by``.
    Writes a PNG to ``path``."""
    if by in (table.index.names or []):  # a grouped report: keys are the index
        table = table.reset_index()
    data = table.set_index(by)[metric].sort_values()
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(data) + 1)))
    (data * (100 if percent else 1)).plot.barh(ax=ax, color="#2b6cb0")
    ax.set_title(title or metric)
    ax.set_xlabel("%" if percent else metric)
    ax.set_ylabel("")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return data
