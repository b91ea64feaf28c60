"""The station's briefings (研判 / 通报) from a case store, as HTML and Markdown.

    import fengqiao
    grid_map = fengqiao.load_grid_map("examples/data/grid_map.textproto")
    store = fengqiao.open_case_store("build/sample_month.db", read_only=True)
    b = fengqiao.briefing.make("weekly", store, grid_map, "2026-10-14")
    b.figures            # DataFrame: key, label, value (NaN when it has no population), n, ...
    fengqiao.briefing.write("daily", store, grid_map, "2026-10-14", "out/")

``kind`` is "daily" (the day), "weekly" (Monday to Sunday holding the date) or "monthly" (the
calendar month holding it), in the district's zone (China Standard Time). Names are masked.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fengqiao import _checked, _core
from fengqiao.closure import core_store
from fengqiao.errors import InvalidArgumentError

_ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Briefing:
    """One briefing: its page (``html``), the same as ``markdown``, and the figures it states."""

    kind: str
    title: str
    period: str
    start: pd.Timestamp
    end: pd.Timestamp
    html: str
    markdown: str
    figures: pd.DataFrame


def _date_text(date) -> str:
    """A date, datetime, Timestamp or ISO string as YYYY-MM-DD (a tz-aware time in the zone)."""
    if isinstance(date, str):
        return date
    if isinstance(date, (pd.Timestamp, _dt.datetime)):
        ts = pd.Timestamp(date)
        if ts.tzinfo is not None:
            ts = ts.tz_convert(_ZONE)
        return ts.strftime("%Y-%m-%d")
    if isinstance(date, _dt.date):
        return date.isoformat()
    raise InvalidArgumentError(f"date: expected a date, datetime, Timestamp or 'YYYY-MM-DD', "
                               f"got {type(date).__name__}")


def make(kind, store, grid_map, date, roster=None, station="", calendar=None,
         district=None) -> Briefing:
    """The briefing of ``kind`` for ``date`` from ``store`` (see the module's help).

    ``calendar``: the path of the State Council's holiday schedule
    (``examples/data/calendar/holidays.textproto``); the weekly's "512" meetings that fall on a
    public holiday move to the next working day. None: the weekly rhythm.
    ``district``: the district's data folder (``examples/data``) whose rules the cases were
    recorded under (its holidays and ``work_orders.textproto``); the weekly agendas replay each
    case to the week's end under them. None: the library's defaults.
    """
    html, markdown, figures, start, end, title, period = _core.briefing(
        str(kind), core_store(store), grid_map, _date_text(date), roster, station,
        "" if calendar is None else str(calendar),
        "" if district is None else _checked.path(district, "district"))
    frame = pd.DataFrame(figures, columns=["section", "key", "label", "defined", "value", "n",
                                           "is_rate", "seed_value"])
    frame["value"] = frame["value"].where(frame["defined"], np.nan)
    frame = frame.drop(columns="defined")
    to_time = lambda s: pd.Timestamp(s, unit="s", tz="UTC").tz_convert(_ZONE)  # noqa: E731
    return Briefing(kind=str(kind), title=title, period=period, start=to_time(start),
                    end=to_time(end), html=html, markdown=markdown, figures=frame)


def write(kind, store, grid_map, date, out_dir, roster=None, station="", calendar=None,
          district=None) -> tuple[str, str]:
    """Writes ``brief-<kind>-<date>.html`` and ``.md`` into ``out_dir``; returns their paths."""
    b = make(kind, store, grid_map, date, roster, station, calendar, district)
    stem = os.path.join(os.fspath(out_dir), f"brief-{kind}-{_date_text(date)}")
    paths = (stem + ".html", stem + ".md")
    for path, text in zip(paths, (b.html, b.markdown)):
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return paths
