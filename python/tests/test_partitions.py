"""Routing and what-if over partitioned incident files on a two-worker Dask cluster
(fengqiao.partitions) equal the single-process result over the same incidents in one file:
decisions row by row, the metrics report, the what-if's moves and groups."""

import json
import pathlib
import sys

import pandas as pd
import pytest

from conftest import DATA, ROOT

sys.path.insert(0, str(ROOT / "tools"))

START, END = "2026-01-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00"
CAPACITY = {"t-mediators": (3, True), "t-laoniangjiu": (2, True)}


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    import gen_province

    out = tmp_path_factory.mktemp("province")
    map_path, paths, grids = gen_province.generate(out, incidents=6000, cities=1, districts=2,
                                                   streets=2, communities=2)
    return map_path, paths, grids


@pytest.fixture(scope="module")
def province_map(fq, province):
    return fq.load_grid_map(province[0])


@pytest.fixture(scope="module")
def old_new(fq, province_map):
    return (fq.compile_rules(DATA / "rules" / "district.textproto", province_map),
            fq.compile_rules(DATA / "rules" / "street_qd.textproto", province_map))


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def one_file(province, tmp_path_factory):
    """Every partition's incidents in one log, in report order: the single-process input."""
    rows = []
    for path in province[1]:
        rows += [json.loads(line) for line in pathlib.Path(path).read_text("utf-8").splitlines()]
    rows.sort(key=lambda r: r["reported_at"])
    path = tmp_path_factory.mktemp("single") / "province.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def _short(frame, columns, prefix=""):
    """Decision columns as the files hold them: enum short names, "" for missing."""
    from fengqiao import vocabulary
    from fengqiao.v1 import force_pb2, routing_pb2, taxonomy_pb2

    enums = {"tier": routing_pb2.Tier, "department": taxonomy_pb2.Department,
             "target_force": force_pb2.ForceType}
    out = {}
    for c in columns:
        if c == "rule_id":
            out[prefix + c] = frame[c].astype(object).fillna("").to_numpy()
        else:
            names = dict(zip(vocabulary.categories(enums[c], "display").values(),
                             vocabulary.categories(enums[c], "short_name").values()))
            out[prefix + c] = frame[c].astype(object).map(names).fillna("").to_numpy()
    return out


def _read(paths):
    return pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths],
                     ignore_index=True).set_index("incident_id").sort_index()


def test_routing_on_the_cluster_equals_one_process(fq, province, province_map, old_new,
                                                  client, one_file, tmp_path):
    rules = old_new[0]
    routed = fq.partitions.route_partitions(province[1], rules, province_map, tmp_path,
                                            start=START, end=END, client=client,
                                            capacity=CAPACITY, by=("street", "tier"))
    facts = fq.incident_facts(one_file, province_map, rules)
    decided = fq.route_frame(rules, facts, province_map, capacity=CAPACITY)
    expected = pd.DataFrame({"incident_id": facts["incident_id"],
                             **_short(decided, ("rule_id", "tier", "department",
                                                "target_force"))})
    expected = expected.set_index("incident_id").sort_index()
    assert routed.rows == len(facts) == 6000
    assert routed.unrouted == int((decided["rule_index"] < 0).sum())
    assert (facts["repeat_count"] > 0).sum() > 10  # repeats counted, in each partition
    pd.testing.assert_frame_equal(_read(routed.decisions), expected)

    records = fq.partitions.metrics_records(facts, decided["rule_index"], rules)
    single = fq.metrics.report_proto(records, province_map, START, END, by=("street", "tier"))
    assert len(single.groups) > 20
    assert routed.report == single

    here = fq.partitions.route_partitions(province[1], rules, province_map, tmp_path / "here",
                                          start=START, end=END, capacity=CAPACITY,
                                          by=("street", "tier"))
    assert here.report == single
    assert province[2] == 40 + 2 * 2 * 2 * 4


def test_what_if_on_the_cluster_equals_one_process(fq, province, province_map, old_new, client,
                                                   one_file, tmp_path):
    old, new = old_new
    what_if = fq.partitions.what_if_partitions(province[1], old, new, province_map, tmp_path,
                                               client=client, capacity=CAPACITY,
                                               by=["dispute_type"])
    facts = fq.incident_facts(one_file, province_map, old)
    before = fq.route_frame(old, facts, province_map, capacity=CAPACITY)
    after = fq.route_frame(new, fq.incident_facts(one_file, province_map, new), province_map,
                           capacity=CAPACITY)
    moves, by_group = fq.compare_decisions(before, after, facts, by=["dispute_type"])
    assert what_if.rows == len(facts)
    assert moves["cases"].sum() > 0

    def canonical(m):
        return m.astype(object).sort_values(list(m.columns)).reset_index(drop=True)

    pd.testing.assert_frame_equal(canonical(what_if.moves), canonical(moves))
    assert list(what_if.moves["cases"]) == sorted(what_if.moves["cases"], reverse=True)
    pd.testing.assert_frame_equal(what_if.by_group, by_group.sort_index())

    rows = fq.routing.moved(before, after)
    expected = pd.DataFrame({"incident_id": facts["incident_id"][rows].to_numpy(),
                             **_short(before[rows], ("rule_id", "tier"), "old_"),
                             **_short(after[rows], ("rule_id", "tier"), "new_")})
    written = _read(what_if.moved)
    pd.testing.assert_frame_equal(
        written[["old_rule_id", "new_rule_id", "old_tier", "new_tier"]],
        expected.set_index("incident_id").sort_index()[
            ["old_rule_id", "new_rule_id", "old_tier", "new_tier"]])


def test_a_bad_row_on_a_worker_names_its_file_and_line_not_its_values(
        fq, province, province_map, old_new, client, tmp_path):
    lines = pathlib.Path(province[1][1]).read_text("utf-8").splitlines()[:5]
    bad = json.loads(lines[2])
    bad["parties"] = [{"person_id": "p-1", "name": "张秀英", "phone": 13812345678}]
    lines[2] = json.dumps(bad, ensure_ascii=False)
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(fq.InvalidArgument) as e:
        fq.partitions.route_partitions([province[1][0], str(path)], old_new[0], province_map,
                                       tmp_path / "out", start=START, end=END, client=client)
    assert f"{path}:3:" in e.value.message
    assert "13812345678" not in e.value.message and "张秀英" not in e.value.message
    assert not (tmp_path / "out" / "bad.decisions.csv").exists()


def test_a_missing_partition_is_not_found(fq, province, province_map, old_new, tmp_path):
    missing = tmp_path / "incidents-gone.jsonl"
    for run in (lambda: fq.partitions.route_partitions(
                    [province[1][0], missing], old_new[0], province_map, tmp_path, start=START,
                    end=END),
                lambda: fq.partitions.what_if_partitions(
                    [missing], old_new[0], old_new[1], province_map, tmp_path)):
        with pytest.raises(fq.NotFound, match="incidents-gone.jsonl: no such partition file"):
            run()


@pytest.mark.parametrize("change, word", [
    (dict(paths="incidents.jsonl"), "paths"),
    (dict(paths=[3]), "paths: row 0"),
    (dict(paths=[]), "paths"),
    (dict(rules="district.textproto"), "rules"),
    (dict(grid_map="grid_map.textproto"), "grid_map"),
    (dict(client="tcp://127.0.0.1:8786"), "client"),
    (dict(repeat_window_days="30"), "repeat_window_days"),
    (dict(repeat_window_days=0), "repeat_window_days"),
    (dict(by=[3]), "by"),
    (dict(capacity=[("t-mediators", 3, True)]), "capacity"),
    (dict(start="not a time"), "start"),
])
def test_wrong_arguments_are_invalid_argument(fq, province, province_map, old_new, tmp_path,
                                              change, word):
    args = dict(paths=province[1], rules=old_new[0], grid_map=province_map, out_dir=tmp_path,
                start=START, end=END)
    args.update(change)
    with pytest.raises(fq.InvalidArgument, match=word):
        fq.partitions.route_partitions(args.pop("paths"), args.pop("rules"),
                                       args.pop("grid_map"), args.pop("out_dir"), **args)
    assert not list(tmp_path.glob("*.csv"))


def test_partition_names_and_out_dir_are_checked(fq, province, province_map, old_new, tmp_path):
    twin = tmp_path / "twin"
    twin.mkdir()
    copy = twin / pathlib.Path(province[1][0]).name
    copy.write_bytes(pathlib.Path(province[1][0]).read_bytes())
    with pytest.raises(fq.InvalidArgument, match="also partition 0's"):
        fq.partitions.what_if_partitions([province[1][0], copy], old_new[0], old_new[1],
                                         province_map, tmp_path)
    a_file = tmp_path / "a_file"
    a_file.write_text("", "utf-8")
    with pytest.raises(fq.InvalidArgument, match="out_dir is not a folder"):
        fq.partitions.route_partitions(province[1], old_new[0], province_map, a_file,
                                       start=START, end=END)
    with pytest.raises(fq.InvalidArgument, match="not a regular file"):
        fq.partitions.route_partitions([twin], old_new[0], province_map, tmp_path,
                                       start=START, end=END)
    with pytest.raises(fq.InvalidArgument, match="new"):
        fq.partitions.what_if_partitions(province[1], old_new[0], None, province_map, tmp_path)
