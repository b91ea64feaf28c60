"""Metrics from a case store as DataFrames, checked on cases written for the test."""

import numpy as np
import pytest


def _case(fq, rules, case_id, accept_after, grid="xc-lc-c1-g1"):
    from fengqiao.v1 import case_pb2, incident_pb2, taxonomy_pb2

    t0 = 1791943200  # 2026-10-14 10:00 +08
    incident = incident_pb2.Incident(id=case_id, grid_code=grid,
                                     kind=incident_pb2.INCIDENT_KIND_DISPUTE,
                                     dispute_type=taxonomy_pb2.DISPUTE_TYPE_NOISE,
                                     channel=incident_pb2.CHANNEL_CALL_110)
    incident.reported_at.seconds = t0
    incident.parties.add(person_id=case_id + "-a")
    loop = fq.CaseLoop.open(incident, fq.route(rules, incident), t0, "110")
    for kind, after in ((case_pb2.CASE_EVENT_TYPE_ASSIGN, 10),
                        (case_pb2.CASE_EVENT_TYPE_ACCEPT, accept_after)):
        e = case_pb2.CaseEvent(type=kind, actor="m-1", assignee="m-1")
        e.at.seconds = t0 + after
        loop.record(e)
    return loop.case


def test_report_from_a_store_has_rates_with_their_parts(fq, rules, grid_map, tmp_path):
    store = fq.open_case_store(tmp_path / "cases.db")
    cases = [_case(fq, rules, "c1", 30), _case(fq, rules, "c2", 90),
             _case(fq, rules, "c3", 40, grid="xc-qd-c1-g1")]
    store.save(list(cases))
    records = fq.metrics.records(store, grid_map)
    assert list(records["case_id"]) == ["c1", "c2", "c3"]
    assert list(records["accept_s"]) == [30, 90, 40]
    table = fq.metrics.report(records, grid_map, "2026-10-01T00:00:00+08:00",
                              "2026-11-01T00:00:00+08:00", by=["street"],
                              as_of="2026-10-14T12:00:00+08:00")
    assert list(table.index) == ["xc-lc", "xc-qd"] and table.index.name == "street"
    assert list(table.reset_index()["street"]) == ["xc-lc", "xc-qd"]
    lc = table.loc["xc-lc"]
    assert lc["accept_within_1min_num"] == 1 and lc["accept_within_1min_den"] == 2
    assert lc["accept_within_1min"] == pytest.approx(0.5)
    assert lc["accept_seconds_p50"] == pytest.approx(60.0)  # R type 7 between 30 and 90
    # Two hours in, nobody has resolved anything: disposal 0 of 2.
    assert lc["disposal_rate_num"] == 0 and lc["disposal_rate_den"] == 2
    sheet = fq.metrics.compstat(records, grid_map, "2026-10-01T00:00:00+08:00",
                                "2026-11-01T00:00:00+08:00", by=["street"])
    assert "xc-qd" in sheet


def test_an_empty_distribution_is_nan_never_zero(fq, rules, grid_map, tmp_path):
    # Nobody has resolved anything: the resolve percentiles are NaN (absent in the proto), not 0 s;
    # the accept percentiles of the same group are numbers.
    store = fq.open_case_store(tmp_path / "cases.db")
    store.save([_case(fq, rules, "c1", 30)])
    records = fq.metrics.records(store, grid_map)
    table = fq.metrics.report(records, grid_map, "2026-10-01T00:00:00+08:00",
                              "2026-11-01T00:00:00+08:00")
    assert table["resolve_seconds_n"][0] == 0
    assert np.isnan(table["resolve_seconds_p50"][0]) and np.isnan(table["resolve_seconds_p90"][0])
    assert table["accept_seconds_p50"][0] == 30
    proto = fq.metrics.report_proto(records, grid_map, "2026-10-01T00:00:00+08:00",
                                    "2026-11-01T00:00:00+08:00")
    resolve = [d for d in proto.groups[0].distributions if d.name == "resolve_seconds"][0]
    assert not resolve.HasField("p50") and not resolve.approximate


def test_a_zero_baseline_is_nan_not_infinite(fq, rules, grid_map, tmp_path):
    store = fq.open_case_store(tmp_path / "cases.db")
    store.save([_case(fq, rules, "c1", 30)])
    table = fq.metrics.report(fq.metrics.records(store, grid_map), grid_map,
                              "2026-10-01T00:00:00+08:00", "2026-11-01T00:00:00+08:00",
                              comparisons=["month"])
    assert np.isnan(table["incidents_month_yoy"][0])
    assert table["incidents_month_yoy_current"][0] == 1
    assert table["incidents_month_yoy_baseline"][0] == 0


def test_report_defaults_to_the_months_the_records_span(fq, rules, grid_map, tmp_path):
    store = fq.open_case_store(tmp_path / "cases.db")
    store.save([_case(fq, rules, "c1", 30)])
    records = fq.metrics.records(store, grid_map)
    start, end = fq.metrics.months_spanned(records)
    assert start == 1790784000  # 2026-10-01 00:00 +08
    assert end == 1793462400    # 2026-11-01 00:00 +08
    table = fq.metrics.report(records, grid_map, by=["category"])
    assert table.index[0] == "dispute: noise (噪音)" and table.index.name == "category"
    assert table["non_police_share_den"].iloc[0] == 1


def test_unknown_dimension_is_invalid_argument(fq, grid_map):
    with pytest.raises(fq.InvalidArgument, match="Dimension: \"province\" is not one of grid"):
        fq.metrics.report({"reported_at": np.zeros(1, dtype=np.int64)}, grid_map, 0, 1,
                          by=["province"])


def test_one_dimension_given_as_a_string_groups_by_that_dimension(fq, rules, grid_map, tmp_path):
    store = fq.open_case_store(tmp_path / "cases.db")
    store.save([_case(fq, rules, "c1", 30)])
    records = fq.metrics.records(store, grid_map)
    start, end = fq.metrics.months_spanned(records)
    one = fq.metrics.report_proto(records, grid_map, start, end, by="street")
    assert list(one.group_by) == ["street"]
    # The Chinese label names the same dimension: one parse function, the proto's labels.
    zh = fq.metrics.report_proto(records, grid_map, start, end, by="街道", comparisons="month")
    assert list(zh.group_by) == ["street"]
    assert zh.groups[0].key["street"] == one.groups[0].key["street"]
    assert {c.period for c in zh.groups[0].comparisons} == {"month"}


def test_unknown_time_zone_is_invalid_argument_naming_it(fq, grid_map):
    with pytest.raises(fq.InvalidArgument, match="Asia/Atlantis"):
        fq.metrics.report({"reported_at": np.zeros(1, dtype=np.int64)}, grid_map, 0, 1,
                          time_zone="Asia/Atlantis")


def test_a_grouped_report_is_indexed_by_its_keys(fq, rules, grid_map, tmp_path):
    store = fq.open_case_store(tmp_path / "cases.db")
    store.save([c for c in (_case(fq, rules, "c1", 30),
                                                 _case(fq, rules, "c2", 40, grid="xc-qd-c1-g1"))])
    records = fq.metrics.records(store, grid_map)
    table = fq.metrics.report(records, grid_map, by=["street", "category"])
    assert table.index.names == ["street", "category"]
    assert table.loc[("xc-qd", "dispute: noise (噪音)"), "accept_seconds_n"] == 1
    flat = table.reset_index()
    assert list(flat.columns[:2]) == ["street", "category"] and len(flat) == 2
    overall = fq.metrics.report(records, grid_map)
    assert list(overall.index) == [0] and overall["accept_seconds_n"].iloc[0] == 2


def test_a_co_handled_case_counts_once_and_credits_each_co_handler(fq, rules, grid_map, tmp_path):
    # 警律联调: the lawyer on duty joins the officer's case (10 minutes to accept) and accepts in
    # five; the case is one record, the co-handler is credited on its own.
    from fengqiao.v1 import case_pb2

    t0 = 1791943200
    loop = fq.CaseLoop.restore(_case(fq, rules, "c1", 30))
    add = case_pb2.CaseEvent(type=case_pb2.CASE_EVENT_TYPE_ADD_CO_HANDLER, actor="desk",
                             co_handler="l-1")
    add.at.seconds = t0 + 60
    add.sla.accept.seconds = 600
    loop.record(add)
    accept = case_pb2.CaseEvent(type=case_pb2.CASE_EVENT_TYPE_CO_HANDLER_ACCEPT, actor="l-1")
    accept.at.seconds = t0 + 300
    loop.record(accept)
    store = fq.open_case_store(tmp_path / "cases.db")
    store.save([loop.case, _case(fq, rules, "c2", 40)])
    records = fq.metrics.records(store, grid_map)
    assert list(records["co_handlers"]) == [1, 0]
    assert list(records["co_on_time"]) == [1, 0]
    table = fq.metrics.report(records, grid_map, "2026-10-01T00:00:00+08:00",
                              "2026-11-01T00:00:00+08:00", as_of="2026-10-14T12:00:00+08:00")
    row = table.iloc[0]
    assert row["disposal_rate_den"] == 2
    assert row["co_handled_share_num"] == 1 and row["co_handled_share_den"] == 2
    assert row["co_handler_accept_on_time_num"] == 1
    assert row["co_handler_accept_on_time_den"] == 1
    # The frame without the co-handler columns: no co-handlers, not an error.
    bare = fq.metrics.report(records.drop(columns=["co_handlers", "co_on_time"]), grid_map,
                             "2026-10-01T00:00:00+08:00", "2026-11-01T00:00:00+08:00",
                             as_of="2026-10-14T12:00:00+08:00")
    assert bare.iloc[0]["co_handler_accept_on_time_den"] == 0
    bad = records.assign(co_handlers=[1, -1])
    with pytest.raises(fq.InvalidArgumentError, match="co_handlers.*row 1"):
        fq.metrics.report(bad, grid_map, "2026-10-01T00:00:00+08:00", "2026-11-01T00:00:00+08:00")


def test_a_report_on_several_threads_is_the_report_of_one(fq, grid_map):
    """``threads=`` cuts the records into slices (at least 65,536 each) counted apart and merged
    in order: every rate, percentile and comparison is the one-thread report's."""
    import pandas as pd

    rng = np.random.default_rng(17)
    n = 300_000  # four slices of 75,000 with threads=4, two with threads=2
    t0 = 1790784000  # 2026-10-01 00:00 +08
    grids = [i for i, level in enumerate(grid_map.levels()) if level == 5]
    accept = rng.integers(5, 400, n).astype(np.float64)
    accept[rng.random(n) < 0.05] = np.nan  # not accepted yet
    frame = pd.DataFrame({
        "reported_at": t0 + rng.integers(0, 30 * 86400, n),
        "area": rng.choice(grids, n).astype(np.int32),
        "kind": rng.integers(1, 9, n).astype(np.uint8),
        "accept_s": accept,
        "arrival_s": rng.integers(60, 1800, n).astype(np.float64),
        "resolve_s": rng.integers(600, 20 * 86400, n).astype(np.float64),
    })
    options = dict(by=["street", "category"], comparisons=["week_to_date", "28_days"],
                   as_of="2026-10-31T00:00:00+08:00")
    start, end = "2026-10-01T00:00:00+08:00", "2026-11-01T00:00:00+08:00"
    one = fq.metrics.report_proto(frame, grid_map, start, end, **options)
    assert len(one.groups) > 4
    for threads in (2, 4):
        assert fq.metrics.report_proto(frame, grid_map, start, end, threads=threads,
                                       **options) == one
    pd.testing.assert_frame_equal(
        fq.metrics.report(frame, grid_map, start, end, threads=2, **options),
        fq.metrics.report(frame, grid_map, start, end, **options))
    # A partial made on threads merges with one made on one thread (threads is not an option
    # partials must share).
    two = fq.metrics.merge_partials(
        [fq.metrics.partial(frame.iloc[:150_000], grid_map, start, end, threads=3, **options),
         fq.metrics.partial(frame.iloc[150_000:], grid_map, start, end, **options)],
        grid_map, start, end, **options)
    assert two == one


@pytest.mark.parametrize("bad", [0, -1, 257, 1.5, True, "2", None, np.float64(2.0)])
def test_threads_must_be_a_whole_number_from_1_to_256(fq, grid_map, bad):
    with pytest.raises(fq.InvalidArgument, match="threads: expected a whole number in"):
        fq.metrics.accumulator(grid_map, "2026-10-01T00:00:00+08:00",
                               "2026-11-01T00:00:00+08:00", threads=bad)
    frame = {"reported_at": np.array([1790784000], dtype=np.int64)}
    with pytest.raises(fq.InvalidArgument, match="threads"):
        fq.metrics.report(frame, grid_map, threads=bad)


def test_the_core_takes_the_thread_count_and_checks_it_too(fq, grid_map):
    fq._core.Metrics(grid_map, 0.0, 86400.0, threads=2)
    for bad in (0, 257):
        with pytest.raises(fq.InvalidArgument, match="threads: expected a whole number in"):
            fq._core.Metrics(grid_map, 0.0, 86400.0, threads=bad)
