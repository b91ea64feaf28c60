"""Issue 10 point 2: Python never crashes and never computes on garbage. Every column and scalar
entering from Python passes the checked layer (fengqiao._checked, python/src/checked_input.h):
a bad value raises fengqiao.InvalidArgument naming the column and the first bad row."""

import datetime

import numpy as np
import pandas as pd
import pytest

from fengqiao.v1 import incident_pb2, taxonomy_pb2

START, END = "2026-10-01T00:00:00+08:00", "2026-11-01T00:00:00+08:00"
T0 = 1790784000  # 2026-10-01 00:00 +08


def _records(grid_map, n=200):
    rng = np.random.default_rng(5)
    grids = [i for i, level in enumerate(grid_map.levels()) if level == 5]
    return pd.DataFrame({
        "reported_at": T0 + rng.integers(0, 30 * 86400, n),
        "area": rng.choice(grids, n).astype(np.int32),
        "kind": rng.integers(1, 9, n).astype(np.uint8),
        "accept_s": rng.integers(5, 80, n).astype(np.float64),
        "arrival_s": rng.integers(60, 900, n).astype(np.float64),
    })


def _report(fq, frame, grid_map, **options):
    return fq.metrics.report_proto(frame, grid_map, START, END, **options)


@pytest.mark.parametrize("bad", [None, pd.NA, "fast"])
def test_a_none_na_or_text_duration_in_metrics_raises_instead_of_crashing(fq, grid_map, bad):
    frame = _records(grid_map)
    frame["accept_s"] = frame["accept_s"].astype(object)
    frame.loc[7, "accept_s"] = bad
    if bad is None or bad is pd.NA:  # missing: the step has not happened
        _report(fq, frame, grid_map)
    else:
        with pytest.raises(fq.InvalidArgument, match=r"accept_s: row 7: expected a number"):
            _report(fq, frame, grid_map)


def test_the_core_refuses_an_object_column_instead_of_segfaulting(fq, grid_map):
    metrics = fq.metrics.accumulator(grid_map, START, END)
    columns = {"reported_at": np.array([T0, None], dtype=object)}
    with pytest.raises(fq.InvalidArgument, match="reported_at: expected dtype int64, got object"):
        metrics.add_columns(columns)
    with pytest.raises(fq.InvalidArgument, match="kind: expected dtype uint8, got int64"):
        metrics.add_columns({"reported_at": np.array([T0], dtype=np.int64),
                             "kind": np.array([300])})


def test_a_missing_duration_is_not_counted_late(fq, grid_map):
    frame = _records(grid_map)
    frame.loc[[3, 4, 5], "accept_s"] = np.nan
    by_nan = _report(fq, frame, grid_map)
    # The core's own "not happened" marker, fed directly.
    metrics = fq.metrics.accumulator(grid_map, START, END)
    columns = fq.metrics._columns(frame.drop(columns=["accept_s"]))
    columns["accept_s"] = np.where(frame["accept_s"].isna(), -1,
                                   frame["accept_s"].fillna(0)).astype(np.int32)
    metrics.add_columns(columns)
    direct = fq.metrics.metrics_pb2.MetricsReport()
    direct.ParseFromString(metrics.report())
    assert by_nan == direct
    accept = next(d for d in by_nan.groups[0].distributions if d.name.startswith("accept"))
    assert accept.count == len(frame) - 3
    assert accept.p50 < 100


def test_a_timedelta_duration_is_read_in_seconds_not_nanoseconds(fq, grid_map):
    seconds = _records(grid_map)
    as_timedelta = seconds.copy()
    as_timedelta["accept_s"] = pd.to_timedelta(seconds["accept_s"], unit="s")
    as_timedelta["arrival_s"] = pd.to_timedelta(seconds["arrival_s"], unit="s")
    assert _report(fq, as_timedelta, grid_map) == _report(fq, seconds, grid_map)


def test_a_tz_aware_report_time_column_equals_epoch_seconds(fq, grid_map):
    epoch = _records(grid_map)
    aware = epoch.copy()
    aware["reported_at"] = pd.to_datetime(epoch["reported_at"], unit="s", utc=True).dt.tz_convert(
        "Asia/Shanghai")
    naive_local = aware.copy()
    naive_local["reported_at"] = aware["reported_at"].dt.tz_localize(None)
    expected = _report(fq, epoch, grid_map)
    assert _report(fq, aware, grid_map) == expected
    assert _report(fq, naive_local, grid_map) == expected  # naive = the report's zone


def test_a_duration_above_2_to_the_31_raises_not_wraps(fq, grid_map):
    frame = _records(grid_map)
    frame["accept_s"] = frame["accept_s"].astype(np.int64)
    frame.loc[11, "accept_s"] = 2**32 + 5
    with pytest.raises(fq.InvalidArgument, match=r"accept_s: row 11: duration out of range"):
        _report(fq, frame, grid_map)


def test_a_kind_out_of_its_domain_raises_not_wraps(fq, grid_map, rules, facts):
    frame = _records(grid_map)
    frame["kind"] = frame["kind"].astype(np.int64) + 300
    with pytest.raises(fq.InvalidArgument, match=r"kind: row 0: not a IncidentKind number"):
        _report(fq, frame, grid_map)
    routed = facts.head(20).copy()
    routed["kind"] = routed["kind"].astype(np.int64) + 300
    with pytest.raises(fq.InvalidArgument, match=r"kind: row 0:"):
        fq.route_frame(rules, routed, grid_map)


def test_missing_kind_or_area_columns_raise_instead_of_zero_filling(fq, grid_map, rules, facts):
    with pytest.raises(fq.InvalidArgument, match="kind: missing column"):
        fq.route_frame(rules, facts.drop(columns=["kind"]), grid_map)
    without_place = facts.drop(columns=[c for c in ("area", "grid_code") if c in facts])
    with pytest.raises(fq.InvalidArgument, match="grid_code: missing column"):
        fq.route_frame(rules, without_place, grid_map)
    with pytest.raises(fq.InvalidArgument, match="reported_at: missing column"):
        _report(fq, _records(grid_map).drop(columns=["reported_at"]), grid_map)


def test_object_and_categorical_enum_columns_route_like_numbers(fq, grid_map, rules, facts):
    expected = fq.route_frame(rules, facts, grid_map)
    as_object = facts.copy()
    as_object["kind"] = facts["kind"].astype(object)
    as_category = facts.copy()
    as_category["kind"] = facts["kind"].astype("category")
    as_labels = facts.copy()
    as_labels["kind"] = pd.Categorical(
        [incident_pb2.IncidentKind.Name(int(k)) for k in facts["kind"]])
    for frame in (as_object, as_category, as_labels):
        pd.testing.assert_frame_equal(fq.route_frame(rules, frame, grid_map), expected)


def test_a_missing_value_in_a_required_column_names_the_row(fq, grid_map, rules, facts):
    frame = facts.head(10).copy()
    frame["kind"] = frame["kind"].astype(object)
    frame.loc[frame.index[4], "kind"] = None
    with pytest.raises(fq.InvalidArgument, match=r"kind: row 4: missing value"):
        fq.route_frame(rules, frame, grid_map)
    frame = _records(grid_map)
    frame.loc[9, "reported_at"] = None
    with pytest.raises(fq.InvalidArgument, match=r"reported_at: row 9: missing time"):
        _report(fq, frame, grid_map)


def test_a_fractional_or_nan_number_column_raises(fq, grid_map, rules, facts):
    frame = facts.head(10).copy()
    frame["hour"] = frame["hour"].astype(np.float64)
    frame.loc[frame.index[2], "hour"] = 9.5
    with pytest.raises(fq.InvalidArgument, match=r"hour: row 2: not a whole number"):
        fq.route_frame(rules, frame, grid_map)
    frame.loc[frame.index[2], "hour"] = 24
    with pytest.raises(fq.InvalidArgument, match=r"hour: row 2: out of range \[0, 23\]"):
        fq.route_frame(rules, frame, grid_map)


def test_by_street_as_one_string_groups_by_street_not_letters(fq, grid_map, rules, facts):
    frame = facts.head(300).copy()
    frame["street"] = np.where(np.arange(len(frame)) % 2 == 0, "lc", "qd")
    _, by_group = fq.compare_rule_sets(frame, rules, rules, grid_map, by="street")
    assert list(by_group.index) == ["lc", "qd"]
    assert by_group["cases"].sum() == len(frame)
    assert (by_group["moved"] == 0).all()


def _incident():
    incident = incident_pb2.Incident(id="py-x1", grid_code="xc-lc-c1-g1",
                                     kind=incident_pb2.INCIDENT_KIND_DISPUTE,
                                     dispute_type=taxonomy_pb2.DISPUTE_TYPE_NOISE)
    incident.reported_at.seconds = T0
    return incident


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), 1e300, -1e300])
def test_a_case_never_opens_at_a_garbage_report_time(fq, rules, bad):
    incident = _incident()
    decision = fq.route(rules, incident)
    with pytest.raises(fq.InvalidArgument, match="reported_at"):
        fq.CaseLoop.open(incident, decision, bad, "12345")
    with pytest.raises(fq.InvalidArgument, match="reported_at: not a time"):  # the C++ backstop
        fq._core.CaseLoop.open(incident.SerializeToString(), decision.SerializeToString(), bad,
                               "12345")


def test_a_case_opens_at_any_spelling_of_its_report_time(fq, rules):
    incident = _incident()
    decision = fq.route(rules, incident)
    spellings = [T0, float(T0), np.int64(T0), "2026-10-01T00:00:00+08:00", "2026-10-01 00:00",
                 pd.Timestamp("2026-10-01", tz="Asia/Shanghai"), datetime.datetime(2026, 10, 1),
                 np.datetime64("2026-09-30T16:00:00")]
    opened = {fq.CaseLoop.open(incident, decision, t, "12345").case.events[0].at.seconds
              for t in spellings[:-1]}
    assert opened == {T0}
    # np.datetime64 is naive too: read in China time, so 16:00 is 8 hours before 16:00 UTC.
    late = fq.CaseLoop.open(incident, decision, spellings[-1], "12345")
    assert late.case.events[0].at.seconds == T0 - 8 * 3600


def test_invalid_utf8_in_an_error_message_raises_invalid_argument(fq, grid_map, tmp_path):
    path = tmp_path / "bad.textproto"
    path.write_bytes(b"name: \xff")
    with pytest.raises(fq.InvalidArgument, match=r"bad.textproto:1:7"):
        fq.load_grid_map(path)
    with pytest.raises(fq.InvalidArgument, match=r"r.textproto:1:7"):
        fq._core.RuleSet.compile_text(b"name: \xff", "r.textproto", grid_map)
    # A core message quoting the raw byte (the zone name) decodes with an escape.
    with pytest.raises(fq.InvalidArgument, match=r'time zone "\\xff" not found'):
        fq._core.Metrics(grid_map, 0.0, 1.0, [], [], None, None, b"\xff")
    with pytest.raises(fq.InvalidArgument, match=r"^time_zone: not valid UTF-8 at byte 0$"):
        fq.metrics.accumulator(grid_map, START, END, time_zone=b"\xff")


def test_a_rule_with_a_tier_outside_the_enum_raises_a_fengqiao_error(fq, grid_map, facts):
    text = ('name: "x" version: "1" hit_policy: HIT_POLICY_FIRST\n'
            'rules { id: "odd" when { } then { tier: 99 department: 1000 } }\n')
    try:
        rules = fq.compile_rules_text(text, "odd.textproto", grid_map)
    except fq.Error:
        return  # the compiler refuses it: also never a TypeError
    with pytest.raises(fq.Error, match="odd"):
        fq.route_frame(rules, facts.head(5), grid_map)


def test_an_error_on_a_personal_column_never_echoes_the_value(fq):
    import fengqiao.alert

    frame = pd.DataFrame({"text": ["你好", b"\xff\xfe\xe5\xbc\xa0\xe4\xb8\x89 13800138000"]})
    with pytest.raises(fq.InvalidArgument) as info:
        fengqiao.alert.scan(frame, "examples/data/alert/rules")
    assert "text: row 1: not valid UTF-8" in str(info.value)
    assert "13800138000" not in str(info.value)
    with pytest.raises(fq.InvalidArgument, match=r"text: row 0: expected text, got int"):
        fengqiao.alert.scan(pd.DataFrame({"text": [5]}), "examples/data/alert/rules")


def test_a_bad_time_argument_names_it(fq, grid_map):
    frame = _records(grid_map)
    for bad in (float("nan"), "not a date", None, 1e300):
        with pytest.raises(fq.InvalidArgument, match="start"):
            fq.metrics.report_proto(frame, grid_map, bad, END)
    with pytest.raises(fq.InvalidArgument, match="by: row 0: expected a name"):
        fq.metrics.report_proto(frame, grid_map, START, END, by=[3])


def test_records_carry_report_times_as_datetimes_in_the_district_zone(fq, rules, grid_map,
                                                                      tmp_path):
    from test_metrics import _case

    store = fq.open_case_store(tmp_path / "cases.db")
    store.save([_case(fq, rules, "c1", 30)])
    records = fq.metrics.records(store, grid_map)
    assert str(records["reported_at"].dtype) == "datetime64[ns, Asia/Shanghai]"
    assert records["reported_at"][0] == pd.Timestamp("2026-10-14 10:00", tz="Asia/Shanghai")
    assert np.isnan(records["resolve_s"][0])  # not resolved: NaN, not -1


def test_a_naive_start_is_in_the_report_zone_not_utc(fq, grid_map):
    frame = _records(grid_map)
    frame.loc[0, "reported_at"] = T0 + 3600  # 01:00 on 1 October, China time
    aware = _report(fq, frame, grid_map)
    naive = fq.metrics.report_proto(frame, grid_map, "2026-10-01", datetime.datetime(2026, 11, 1))
    assert naive == aware
    as_text = frame.assign(reported_at=pd.to_datetime(frame["reported_at"], unit="s", utc=True)
                           .dt.tz_convert("Asia/Shanghai").dt.strftime("%Y-%m-%dT%H:%M:%S%z"))
    assert _report(fq, as_text, grid_map) == aware  # ISO strings in a column
    as_objects = frame.assign(reported_at=frame["reported_at"].astype(object))
    assert _report(fq, as_objects, grid_map) == aware  # epoch numbers in an object column


def test_custom_thresholds_rename_and_recount_the_rates(fq, grid_map):
    frame = _records(grid_map)
    table = fq.metrics.report(frame, grid_map, START, END,
                              thresholds={"arrival": 300, "accept": pd.Timedelta("15s")})
    assert (table["accept_within_15s_num"].iloc[0] == int((frame["accept_s"] <= 15).sum()))
    assert table["accept_within_15s_den"].iloc[0] == len(frame)
    assert "arrival_within_5min" in table and "arrival_within_8min" not in table
    for bad in ({"arrival": 0}, {"arrival": float("nan")}, {"lunch": 60}, [("arrival", 60)]):
        with pytest.raises(fq.InvalidArgument, match="thresholds"):
            fq.metrics.report(frame, grid_map, START, END, thresholds=bad)


def test_records_carry_enums_as_categoricals_of_their_labels(fq, rules, grid_map, tmp_path):
    from test_metrics import _case

    store = fq.open_case_store(tmp_path / "cases.db")
    store.save([_case(fq, rules, "c1", 30)])
    records = fq.metrics.records(store, grid_map)
    kind = records["kind"]
    assert isinstance(kind.dtype, pd.CategoricalDtype)
    assert kind[0] == fq.vocabulary.display_name(incident_pb2.IncidentKind,
                                                 incident_pb2.INCIDENT_KIND_DISPUTE)
    assert len(kind.cat.categories) == len(incident_pb2.IncidentKind.values())
    as_numbers = records.assign(**{
        name: fq.metrics._checked.enum_numbers(records[name], name, enum)
        for name, enum in fq.metrics._ENUMS.items()})
    assert as_numbers["kind"][0] == incident_pb2.INCIDENT_KIND_DISPUTE
    assert _report(fq, records, grid_map) == _report(fq, as_numbers, grid_map)


def test_tag_bits_use_all_64_bits(fq, grid_map, rules, facts):
    frame = facts.head(5).copy()
    expected = fq.route_frame(rules, frame, grid_map)
    tags = frame["tags"].to_numpy(dtype=np.uint64) if "tags" in frame else np.zeros(
        len(frame), dtype=np.uint64)
    frame["tags"] = tags | np.uint64(2**63)  # a bit no rule tests
    pd.testing.assert_frame_equal(fq.route_frame(rules, frame, grid_map), expected)
    frame["tags"] = np.full(len(frame), -1, dtype=np.int64)
    with pytest.raises(fq.InvalidArgument, match=r"tags: row 0: out of range"):
        fq.route_frame(rules, frame, grid_map)
