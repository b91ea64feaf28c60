"""Department scorecards (部门考核, issue 18 point 6) from Python: a DataFrame per department of
the month, checked against a pandas recount of the same records; the sample year against the
figures cities publish; partials that merge; every bad input a fengqiao.Error."""

import math
import pathlib
import subprocess

import numpy as np
import pandas as pd
import pytest

from conftest import DATA

AS_OF = "2026-11-01"  # the October scorecards


@pytest.fixture(scope="session")
def store(fq, tmp_path_factory):
    """The sample year through the closure loop, as the main job stores it."""
    cli = pathlib.Path(fq.__file__).resolve().parents[2] / "tools" / "fengqiao"
    db = tmp_path_factory.mktemp("scorecards") / "sample.db"
    subprocess.run([str(cli), "district", str(DATA), "--db", str(db)], check=True,
                   capture_output=True)
    return fq.open_case_store(db, read_only=True)


@pytest.fixture(scope="session")
def cards(fq, store, grid_map):
    return fq.metrics.scorecards(store, grid_map, AS_OF, policy=DATA / "scorecard.textproto")


def test_one_row_per_department_with_pandas_types(fq, cards):
    assert len(cards) > 3
    assert isinstance(cards["department"].dtype, pd.CategoricalDtype)
    assert str(cards["rank"].dtype) == "Int64"
    assert str(cards["period_start"].dtype) == "datetime64[ns, Asia/Shanghai]"
    assert (cards["period_start"] == pd.Timestamp("2026-10-01", tz="Asia/Shanghai")).all()
    assert cards.attrs["period"] == "month"
    for name in ("on_time_signoff", "on_time_completion", "return_rate", "redo_rate",
                 "satisfaction", "supervised", "extended", "supervised_count", "extended_count",
                 "score", "previous_score", "red_list", "black_list"):
        assert name in cards, name
    ranked = cards[cards["rank"].notna()]
    assert list(ranked["rank"]) == sorted(ranked["rank"])
    assert ranked["score"].is_monotonic_decreasing
    assert cards["department"].notna().all()


def test_counts_equal_a_pandas_recount_of_the_records(fq, store, grid_map, cards):
    """The naive twin: the records frame, counted in pandas, gives the scorecards' numbers."""
    taxonomy = fq.v1.taxonomy_pb2
    records = fq.metrics.records(store, grid_map)
    start = pd.Timestamp("2026-10-01", tz="Asia/Shanghai")
    month = records[(records["reported_at"] >= start) & (records["reported_at"] < pd.Timestamp(
        AS_OF, tz="Asia/Shanghai"))]
    as_of = pd.Timestamp(AS_OF, tz="Asia/Shanghai").timestamp()
    labels = fq.vocabulary.categories(taxonomy.Department)
    for _, row in cards.iterrows():
        number = next(n for n, label in labels.items() if label == row["department"])
        handled = month[month["order_department"] == row["department"]]
        returned = month[((month["returned_by"].to_numpy(np.int64) >> number) & 1) == 1]
        assert row["handled"] == len(handled)
        assert row["orders"] == len(handled.index.union(returned.index))
        # 按时办结率: met in time, or open past its clock as of AS_OF (late).
        clock = handled[handled["complete_due_s"].notna()]
        cancelled = (clock["flags"].to_numpy(np.int64) & (1 << 2)) != 0
        clock = clock[~cancelled]
        reported = clock["reported_at"].map(pd.Timestamp.timestamp)
        due = clock["complete_s"].notna() | (reported + clock["complete_due_s"] <= as_of)
        on_time = clock["complete_s"] <= clock["complete_due_s"]
        if due.sum() > 0:
            assert row["on_time_completion"] == pytest.approx(on_time.sum() / due.sum())
        assert row["supervised_count"] == (handled["supervision_steps"] > 0).sum()
        assert row["extended_count"] == (handled["extensions"] > 0).sum()
        assert row["supervision_steps"] == handled["supervision_steps"].astype(np.int64).sum()


def test_the_sample_month_looks_like_a_published_city_month(fq, store, grid_map):
    """District-wide rates of the sample's October against what cities publish for a month:
    连云港 (2019-06 / 2020-09) 按时办结率 82.8% / 96.27%, 及时签收率 98.75% / 99.64%, 回访满意率
    97.11% / 95.38%; 苏州 2023: 办结率 98.36%, 满意率 97.69% (docs/scorecards.md)."""
    report = fq.metrics.scorecard_report(store, grid_map, AS_OF, DATA / "scorecard.textproto")
    totals = {}
    for d in report.departments:
        for i in d.indicators:
            n, m = totals.get(i.rate.name, (0, 0))
            totals[i.rate.name] = (n + i.rate.numerator, m + i.rate.denominator)
    rate = {name: n / m for name, (n, m) in totals.items() if m}
    assert 0.95 <= rate["on_time_signoff"] <= 0.995
    assert 0.80 <= rate["on_time_completion"] <= 0.99
    assert 0.85 <= rate["satisfaction"] <= 0.99
    assert rate["return_rate"] <= 0.10
    assert 0 < totals["supervised"][0] and 0 < totals["extended"][0]
    assert len(report.red_list) >= 1


def test_partials_merge_to_the_one_pass_scorecards(fq, store, grid_map):
    one = fq.metrics.scorecard_accumulator(AS_OF)
    one.add_store(fq.closure.core_store(store), grid_map)
    twice = fq.metrics.scorecard_accumulator(AS_OF)
    twice.merge_bytes(one.to_bytes())
    # Compared as messages: a map field (Rate.excluded) serialises in no fixed order.
    parse = fq.v1.metrics_pb2.ScorecardReport.FromString
    assert parse(twice.report()) == parse(one.report())
    assert len(parse(one.report()).departments) > 3
    other = fq.metrics.scorecard_accumulator("2026-10-01")
    with pytest.raises(fq.InvalidArgumentError):
        other.merge_bytes(one.to_bytes())
    damaged = bytearray(one.to_bytes())
    damaged[len(damaged) // 2] ^= 0x01
    with pytest.raises(fq.DataLossError):
        twice.merge_bytes(bytes(damaged))


def test_the_sheet_and_the_weekly_briefing_show_the_scorecards(fq, store, grid_map):
    report = fq.metrics.scorecard_report(store, grid_map, AS_OF)
    sheet = fq.metrics.format_scorecards(report)
    for label in ("及时签收率", "按时办结率", "回退率", "重办率", "满意率", "督办件数", "延期件数",
                  "红榜", "黑榜"):
        assert label in sheet, label
    week = fq.briefing.make("weekly", store, grid_map, "2026-10-21", district=DATA)
    figures = week.figures[week.figures["section"] == "部门考核"].set_index("key")
    month_to_date = fq.metrics.scorecard_report(store, grid_map, week.end,
                                                DATA / "scorecard.textproto")
    assert figures.loc["scorecard_departments", "value"] == len(month_to_date.departments)
    assert figures.loc["scorecard_red_list", "value"] == len(month_to_date.red_list)
    assert figures.loc["scorecard_black_list", "value"] == len(month_to_date.black_list)
    assert "及时签收率" in week.markdown and "部门考核" in week.markdown


@pytest.mark.parametrize("as_of", [None, float("nan"), [2026, 11, 1], "not a date", True])
def test_a_bad_as_of_is_refused(fq, store, grid_map, as_of):
    with pytest.raises(fq.InvalidArgumentError):
        fq.metrics.scorecards(store, grid_map, as_of)


def test_bad_policies_are_refused_with_where(fq, store, grid_map, tmp_path):
    metrics_pb2 = fq.v1.metrics_pb2
    with pytest.raises(fq.InvalidArgumentError, match="policy"):
        fq.metrics.scorecards(store, grid_map, AS_OF, policy=42)
    out_of_range = metrics_pb2.ScorecardPolicy()
    out_of_range.indicators.add(indicator=metrics_pb2.SCORECARD_INDICATOR_SATISFACTION,
                                weight=2000)
    with pytest.raises(fq.InvalidArgumentError, match=r"indicators\[0\].weight is 2000"):
        fq.metrics.scorecards(store, grid_map, AS_OF, policy=out_of_range)
    not_a_number = metrics_pb2.ScorecardPolicy()
    not_a_number.indicators.add(indicator=metrics_pb2.SCORECARD_INDICATOR_SATISFACTION,
                                weight=math.nan)
    with pytest.raises(fq.InvalidArgumentError, match="not a finite number"):
        fq.metrics.scorecards(store, grid_map, AS_OF, policy=not_a_number)
    unknown = metrics_pb2.ScorecardPolicy()
    unknown.indicators.add(indicator=99, weight=1)
    with pytest.raises(fq.InvalidArgumentError):
        fq.metrics.scorecards(store, grid_map, AS_OF, policy=unknown)
    bad_utf8 = tmp_path / "scorecard.textproto"
    bad_utf8.write_bytes(b'sources: "\xe6\xa6"\n')
    with pytest.raises(fq.InvalidArgumentError, match="scorecard.textproto:1:"):
        fq.metrics.load_scorecard_policy(bad_utf8)
    with pytest.raises(fq.NotFoundError):
        fq.metrics.load_scorecard_policy(tmp_path / "none.textproto")
    with pytest.raises(fq.InvalidArgumentError, match="p.textproto:1:"):
        fq.metrics.parse_scorecard_policy("min_orders: -1", "p.textproto")
    with pytest.raises(fq.InvalidArgumentError, match="text"):
        fq.metrics.parse_scorecard_policy(12, "p.textproto")
    huge = "indicators { indicator: SCORECARD_INDICATOR_REDO_RATE weight: 1 }\n" * 50_000
    with pytest.raises(fq.InvalidArgumentError, match="repeats"):
        fq.metrics.parse_scorecard_policy(huge, "huge.textproto")
    with pytest.raises(fq.InvalidArgumentError, match="source"):
        fq.metrics.scorecards("not a store", grid_map, AS_OF)
    with pytest.raises(fq.InvalidArgumentError, match="report"):
        fq.metrics.scorecard_frame(None)


def test_defaults_and_an_empty_period(fq, store, grid_map):
    defaults = fq.metrics.effective_scorecard_policy()
    assert len(defaults.indicators) == 7
    assert sum(w.weight for w in defaults.indicators) == 100
    empty = fq.metrics.scorecards(store, grid_map, "2020-01-01")
    assert len(empty) == 0 and "score" in empty
