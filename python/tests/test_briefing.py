"""The station's briefings, checked as a station reads them: rendered in headless Chromium (no
console errors, nothing wider than an A4 page), the figures on the page equal to the metrics the
library computes for the same window, nobody's name or phone number on the page."""

import datetime as dt
import json
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

from conftest import DATA, ROOT

sys.path.insert(0, str(ROOT / "tests" / "briefing"))
import chromium_check  # noqa: E402

DATE = "2026-10-14"
KINDS = ("daily", "weekly", "monthly")


@pytest.fixture(scope="session")
def sample_store(fq, tmp_path_factory):
    """The sample district's month through the closure loop, as the main job stores it."""
    db = tmp_path_factory.mktemp("briefing") / "sample_month.db"
    subprocess.run([str(ROOT / "build" / "tools" / "fengqiao"), "district", str(DATA),
                    "--db", str(db)], check=True, capture_output=True)
    return fq.open_case_store(db, read_only=True)


@pytest.fixture(scope="session")
def roster(fq, grid_map):
    return fq.load_roster(DATA / "roster.textproto", grid_map)


def _personal_values():
    """Every name and phone number of the sample's people (parties and members)."""
    values = set()
    for path in sorted(DATA.glob("incidents_*.json")):
        for incident in json.loads(path.read_text(encoding="utf-8"))["incidents"]:
            for party in incident.get("parties", []):
                values.update(v for k, v in party.items()
                              if k in ("name", "phone") and len(v) >= 2)
    from google.protobuf import text_format
    from fengqiao.v1 import force_pb2

    roster = text_format.Parse((DATA / "roster.textproto").read_text(encoding="utf-8"),
                               force_pb2.Roster())
    values.update(m.name for m in roster.members if len(m.name) >= 2)
    return values


def _shown(value, is_rate):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "无"
    return f"{100 * value:.1f}%" if is_rate else f"{value:.0f}"


@pytest.mark.parametrize("kind", ["weekly", "monthly"])
def test_the_figures_are_the_metrics_of_the_briefings_window(fq, grid_map, sample_store, kind):
    b = fq.briefing.make(kind, sample_store, grid_map, DATE, district=DATA)
    records = fq.metrics.records(sample_store, grid_map)
    table = fq.metrics.report(records, grid_map, b.start.isoformat(), b.end.isoformat())
    row = table.iloc[0]
    figures = b.figures.set_index("key")
    for key in ("arrival_within_8min", "non_police_share_of_110", "disposal_rate",
                "mediation_success_rate", "satisfaction_rate"):
        assert figures.loc[key, "n"] == row[f"{key}_den"], key
        assert figures.loc[key, "value"] == pytest.approx(row[key]), key
    # records() gives report times as tz-aware datetimes in the district's zone.
    in_window = ((records["reported_at"] >= b.start) & (records["reported_at"] < b.end)).sum()
    assert figures.loc["incidents", "n"] == in_window > 0


def test_the_weekly_counts_the_centres_supervision_of_late_orders(fq, grid_map, sample_store):
    """The sample year's late orders are urged as the district's rules say: the weekly shows each
    step of 督办 with its Chinese label, counted from the week's SUPERVISE events."""
    case_pb2 = fq.v1.case_pb2
    week = fq.briefing.make("weekly", sample_store, grid_map, "2026-10-14", district=DATA)
    steps = week.figures[week.figures["section"] == "督办"].set_index("key")
    assert list(steps.index) == ["supervision_reminder", "supervision_notice",
                                 "supervision_circular", "supervision_escalated"]
    assert list(steps["label"]) == ["催办", "催办通知书", "通报", "提级督办"]
    start, end = week.start.timestamp(), week.end.timestamp()
    counted = {step: 0 for step in range(1, 5)}
    for c in sample_store.cases():
        for e in c.events:
            if e.type == case_pb2.CASE_EVENT_TYPE_SUPERVISE and start <= e.at.seconds < end:
                counted[e.supervision_step] += 1
    assert list(steps["value"]) == [counted[step] for step in range(1, 5)]
    assert sum(counted.values()) > 0


def test_a_week_runs_monday_to_sunday_and_a_month_is_the_calendar_month(fq, grid_map,
                                                                          sample_store):
    week = fq.briefing.make("weekly", sample_store, grid_map, dt.date(2026, 10, 14),
                            district=DATA)
    assert (week.start.isoformat(), week.end.isoformat()) == (
        "2026-10-12T00:00:00+08:00", "2026-10-19T00:00:00+08:00")
    month = fq.briefing.make("monthly", sample_store, grid_map, "2026-10-31", district=DATA)
    assert month.start.day == 1 and month.end.isoformat() == "2026-11-01T00:00:00+08:00"


def test_no_trend_line_is_drawn_from_a_single_month(fq, grid_map, sample_store, tmp_path):
    # The sample's first month (October 2025) has no month before it in the store.
    b = fq.briefing.make("monthly", sample_store, grid_map, "2025-10-20")
    html_path, _ = fq.briefing.write("monthly", sample_store, grid_map, "2025-10-20", tmp_path)
    assert "不画趋势图" in b.html
    assert chromium_check.check(html_path)["svg"] == 0


@pytest.mark.parametrize("kind", KINDS)
def test_each_briefing_renders_in_chromium_as_a_person_reads_it(fq, grid_map, sample_store,
                                                                roster, kind, tmp_path):
    b = fq.briefing.make(kind, sample_store, grid_map, DATE, roster=roster, station="新城派出所",
                         district=DATA)
    html_path, md_path = fq.briefing.write(kind, sample_store, grid_map, DATE, tmp_path,
                                           roster=roster, station="新城派出所", district=DATA)
    seen = chromium_check.check(html_path)
    assert seen["console"] == [], seen["console"]
    assert seen["overflowing"] == [] and seen["scroll_width"] <= seen["width"], seen["overflowing"]
    # The figures a reader sees are the library's, with their N.
    on_page = {f["key"]: f for f in seen["figures"]}
    assert on_page, "a briefing states its figures"
    for _, f in b.figures.iterrows():
        assert on_page[f["key"]]["n"] == f["n"], f["key"]
        assert on_page[f["key"]]["shown"] == _shown(f["value"], f["is_rate"]), f["key"]
    if kind == "daily":
        assert seen["svg"] >= 1, "the hotspot map"
    if kind == "monthly":  # thirteen months of data: the trend is drawn
        assert seen["svg"] >= 1 and "不画趋势图" not in b.html
    # Chinese labels, not codes; nobody's name or phone number, in either format.
    page = pathlib.Path(html_path).read_text(encoding="utf-8")
    markdown = pathlib.Path(md_path).read_text(encoding="utf-8")
    assert "FEEDBACK_GIVEN" not in page and "xc-lc" not in page
    area_names = re.findall(r'name: "([^"]+(?:街道|社区))"',
                            (DATA / "grid_map.textproto").read_text(encoding="utf-8"))
    assert any(name in page for name in area_names), "areas named as the seeds name them"
    leaked = [v for v in _personal_values() if v in page or v in markdown]
    assert leaked == [], f"{len(leaked)} personal values on the page"
    # Self-contained: no script, no resource fetched from anywhere.
    assert "<script" not in page and not re.search(r'(src|href)="(https?:)?//', page)


def test_bad_requests_are_invalid_argument(fq, grid_map, sample_store):
    with pytest.raises(fq.InvalidArgument, match="not a briefing"):
        fq.briefing.make("yearly", sample_store, grid_map, DATE)
    with pytest.raises(fq.InvalidArgument, match="not a date"):
        fq.briefing.make("daily", sample_store, grid_map, "2026-13-40")
    with pytest.raises(fq.InvalidArgument, match="date"):
        fq.briefing.make("daily", sample_store, grid_map, 20261014)
    with pytest.raises(fq.InvalidArgument, match="outside"):
        fq.briefing.make("daily", sample_store, grid_map, "1899-12-31")


def test_the_weekly_sets_the_512_agendas_and_moves_meetings_off_holidays(fq, grid_map,
                                                                          sample_store, roster,
                                                                          tmp_path):
    calendar = DATA / "calendar" / "holidays.textproto"
    # The week of 2026-09-28: Monday 10-05 and Tuesday 10-06 are National Day holidays.
    b = fq.briefing.make("weekly", sample_store, grid_map, "2026-09-30", roster=roster,
                         calendar=calendar, district=DATA)
    assert "周一街道会商：2026-10-08（星期四，国庆节顺延）" in b.html
    assert "周五走访：2026-10-09（星期五）" in b.html
    agenda = b.figures.set_index("key").loc[["agenda_street", "agenda_district"], "n"]
    assert (agenda >= 0).all()
    plain = fq.briefing.make("weekly", sample_store, grid_map, "2026-09-30", roster=roster,
                             district=DATA)
    assert "周一街道会商：2026-10-05（星期一）" in plain.html
    with pytest.raises(fq.NotFoundError):
        fq.briefing.make("weekly", sample_store, grid_map, "2026-09-30", calendar="no/such.file")
    with pytest.raises(fq.Error):  # not a path: a fengqiao error, as for every file argument
        fq.briefing.make("weekly", sample_store, grid_map, "2026-09-30", calendar=123)
    with pytest.raises(fq.InvalidArgumentError, match=r"holidays\.textproto:1:\d+"):
        bad = tmp_path / "holidays.textproto"
        bad.write_bytes(b'years { year: 2026 notice: "\xff" }\n')
        fq.briefing.make("weekly", sample_store, grid_map, "2026-09-30", calendar=bad)
    # The sample year's cases were recorded under the district's rules (holidays, 督办): without
    # them the agendas cannot replay its late orders, and the error says where the rules come from.
    with pytest.raises(fq.DataLossError, match="district="):
        fq.briefing.make("weekly", sample_store, grid_map, "2026-09-30")
    with pytest.raises(fq.Error):  # not a path
        fq.briefing.make("weekly", sample_store, grid_map, "2026-09-30", district=123)
    with pytest.raises(fq.NotFoundError):  # a folder without the calendar the flag names
        fq.briefing.make("weekly", sample_store, grid_map, "2026-09-30", district=tmp_path,
                         calendar=tmp_path / "none.textproto")
