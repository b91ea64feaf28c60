"""The bundled sample district (examples/data/) is the generator's output and follows the seeds.

The figures checked here are the ones tools/gen_sample_district.py cites: two streets (seed 000),
33.5% of 110 calls diverted as non-police (seed 003), the year-on-year falls of seed 000, rosters
with rest days, a station's volumes rather than a city's.
"""
import collections
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"
MONTHS = [f"{y}-{m:02d}" for y, m in [(2025, 10), (2025, 11), (2025, 12)] +
          [(2026, m) for m in range(1, 11)]]


def load_month(month):
    return json.loads((DATA / f"incidents_{month}.json").read_text(encoding="utf-8"))["incidents"]


@pytest.fixture(scope="module")
def year():
    return {m: load_month(m) for m in MONTHS}


def test_the_files_are_the_generators_output(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "tools" / "gen_sample_district.py"), str(tmp_path)],
                   check=True, capture_output=True)
    written = sorted(p.name for p in tmp_path.iterdir())
    shipped = sorted(p.name for p in DATA.iterdir() if p.is_file())
    assert written == shipped
    for name in written:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_thirteen_months_the_newest_with_its_month_a_year_before():
    files = sorted(p.name for p in DATA.glob("incidents_*.json"))
    assert files == [f"incidents_{m}.json" for m in MONTHS]


def test_two_streets_named_as_the_seed_names_them():
    text = (DATA / "grid_map.textproto").read_text(encoding="utf-8")
    streets = [line for line in text.splitlines() if "AREA_LEVEL_STREET" in line]
    assert len(streets) == 2
    assert "临城街道" in text and "千岛街道" in text and "如心小镇社区" in text
    # Places of the other seeds are not in 新城.
    for elsewhere in ("锦里", "柳河苑", "花源", "五里亭", "平安小苑", "长峙街道"):
        assert elsewhere not in text
    roster = (DATA / "roster.textproto").read_text(encoding="utf-8")
    for elsewhere in ("锦保", "花源"):
        assert elsewhere not in roster


def test_a_third_of_110_calls_are_non_police_matters(year):
    # Seed 003: 分流非警务类事项占总警情数的33.5%, over the newest half-year.
    calls = [i for m in MONTHS[-6:] for i in year[m] if i["channel"] == "CHANNEL_CALL_110"]
    share = sum(i["kind"] == "INCIDENT_KIND_NON_POLICE" for i in calls) / len(calls)
    assert 0.30 <= share <= 0.37


def test_volumes_are_a_stations_not_a_citys(year):
    for month, incidents in year.items():
        disputes = sum(i["kind"] == "INCIDENT_KIND_DISPUTE" for i in incidents)
        assert 300 <= len(incidents) <= 600, month
        # 花源's mediators: ~10 a month for 5.3万 people (seed 004); all disputes a few times that.
        assert 20 <= disputes <= 90, month
    residents = sum(int(line.split("actual_residents: ")[1].split()[0])
                    for line in (DATA / "grid_map.textproto").read_text(encoding="utf-8").splitlines()
                    if "actual_residents" in line)
    assert 50_000 <= residents <= 62_000  # 5.3万 (seed 004) to 5.8万 (seed 001)


def test_year_on_year_the_falls_of_seed_000(year):
    def count(month, kind):
        return sum(i["kind"] == kind and i["channel"] == "CHANNEL_CALL_110" for i in year[month])

    def calls(month):
        return sum(i["channel"] == "CHANNEL_CALL_110" for i in year[month])

    # 警情类纠纷同比下降57.7%: fewer than half of a year before.
    assert count("2026-10", "INCIDENT_KIND_DISPUTE") < 0.6 * count("2025-10", "INCIDENT_KIND_DISPUTE")
    # 岛内总警情同比下降3.4%: about level (Poisson noise on ~250 calls).
    assert 0.85 <= calls("2026-10") / calls("2025-10") <= 1.10
    # 侵财 (fraud and property crime) falls over the year (seed 000: -26.62%, -24.38%): the first
    # six months against the last six (about a dozen fraud calls a month, so not month by month).
    def theft(months):
        return sum(count(m, k) for m in months
                   for k in ("INCIDENT_KIND_FRAUD", "INCIDENT_KIND_CRIMINAL"))

    assert theft(MONTHS[-6:]) < theft(MONTHS[:6])


def test_departments_as_the_seeds_assign_them(year):
    incidents = [i for m in MONTHS for i in year[m]]
    by_department = collections.Counter(i.get("responsible_department") for i in incidents
                                        if i["kind"] == "INCIDENT_KIND_NON_POLICE")
    # Utilities (水电气) are the largest non-police category.
    assert by_department.most_common(1)[0][0] == "DEPARTMENT_UTILITIES"
    for i in incidents:
        if "违法搭建" in i["description"]:
            assert i["responsible_department"] == "DEPARTMENT_CITY_MANAGEMENT"  # seed 001
        assert "居住证" not in i["description"]  # a police service, never diverted


def test_some_civil_disputes_are_not_police_matters(year):
    # Seed 003: a compensation dispute over a damaged wall, diverted to 社区 / 司法行政.
    civil = [i for m in MONTHS for i in year[m] if i.get("police_matter") is False]
    assert len(civil) >= 13
    for i in civil:
        assert i["kind"] == "INCIDENT_KIND_DISPUTE"
        assert i["channel"] != "CHANNEL_CALL_110"
        assert i["responsible_department"] in ("DEPARTMENT_COMMUNITY", "DEPARTMENT_JUDICIAL_OFFICE")
    assert not any(i.get("police_matter") is True for m in MONTHS for i in year[m])


def test_seasons_follow_the_holiday_calendar(year):
    def per_day(month, pred):
        days = (dt.date(int(month[:4]) + (month[5:] == "12"), int(month[5:]) % 12 + 1, 1) -
                dt.date(int(month[:4]), int(month[5:]), 1)).days
        return sum(pred(i) for i in year[month]) / days

    def mean(pred):
        return sum(per_day(m, pred) for m in MONTHS) / len(MONTHS)

    noise = lambda i: i.get("dispute_type") == "DISPUTE_TYPE_NOISE"
    summer = (per_day("2026-07", noise) + per_day("2026-08", noise)) / 2
    assert summer > mean(noise)
    # Office channels (12345, grid patrol, walk-in) are quieter in the Spring Festival month.
    office = lambda i: i["channel"] in ("CHANNEL_GRID_PATROL", "CHANNEL_WALK_IN")
    assert per_day("2026-02", office) < mean(office)


def weekly_minutes(shifts):
    """Minutes on shift per weekday (0 = Monday), a shift past midnight counted on the next day."""
    on = [set() for _ in range(7)]
    for day, start, end in shifts:
        for minute in range(start, end):
            on[(day + minute // 1440) % 7].add(minute % 1440)
    return on


def roster_members():
    days = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
    members, current = [], None
    for line in (DATA / "roster.textproto").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line == "members {":
            current = dict(shifts=[])
            members.append(current)
        elif current is not None and line.startswith("id:"):
            current["force"] = line.split("force_type: ")[1].split()[0]
        elif current is not None and line.startswith("shifts"):
            parts = line.replace("{", " ").replace("}", " ").split()
            day = days.index(parts[parts.index("day:") + 1].removeprefix("WEEKDAY_"))
            current["shifts"].append((day, int(parts[parts.index("start_minute:") + 1]),
                                      int(parts[parts.index("end_minute:") + 1])))
    return members


def test_rosters_have_rest_days_and_police_cover_every_hour():
    members = roster_members()
    assert len(members) == 510  # seed 000: 510人的四格融合共治团队
    for m in members:
        on = weekly_minutes(m["shifts"])
        assert any(not minutes for minutes in on), m  # at least one day without a shift
        assert sum(len(minutes) for minutes in on) <= 60 * 60, m
    police = [weekly_minutes(m["shifts"]) for m in members if m["force"] == "FORCE_TYPE_POLICE"]
    for day in range(7):
        for minute in range(0, 1440, 30):
            assert sum(minute in p[day] for p in police) >= 2, (day, minute)
