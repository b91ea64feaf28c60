#!/usr/bin/env python3
"""The province on a Dask LocalCluster (issue 17, point 4): routes and compares two rule sets
over the partition files tools/gen_province.py writes, and prints wall time, rows/s and the peak
resident memory of each worker and of the client (bench/RESULTS.md has the figures).

    PYTHONPATH=build/python nice -n 19 /usr/bin/python3 bench/province_dask.py \\
        PROVINCE_DIR OUT_DIR [--workers 2] [--partitions N]

PROVINCE_DIR holds grid_map.textproto and incidents-*.jsonl; the rules are the sample district's
(examples/data/rules/district.textproto, and street_qd.textproto as the what-if's new set).
"""
import argparse
import json
import pathlib
import resource
import time

import fengqiao

ROOT = pathlib.Path(__file__).resolve().parents[1]
RULES = ROOT / "examples" / "data" / "rules"
START, END = "2026-01-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00"
CAPACITY = {"t-mediators": (3, True), "t-laoniangjiu": (2, True)}


def peak_rss_mib():
    """This process's peak resident set (ru_maxrss: KiB on Linux), in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("province")
    parser.add_argument("out")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=0, help="the first N files only")
    parser.add_argument("--skip-what-if", action="store_true")
    a = parser.parse_args()
    from distributed import Client, LocalCluster

    province = pathlib.Path(a.province)
    paths = sorted(str(p) for p in province.glob("incidents-*.jsonl"))
    if a.partitions:
        paths = paths[:a.partitions]
    size = sum(pathlib.Path(p).stat().st_size for p in paths)
    t0 = time.perf_counter()
    grid_map = fengqiao.load_grid_map(province / "grid_map.textproto")
    old = fengqiao.compile_rules(RULES / "district.textproto", grid_map)
    new = fengqiao.compile_rules(RULES / "street_qd.textproto", grid_map)
    print(json.dumps({"partitions": len(paths), "bytes": size, "grids": sum(
        1 for level in grid_map.levels() if level == 5),
        "load_compile_s": round(time.perf_counter() - t0, 2)}))
    with LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        t0 = time.perf_counter()
        routed = fengqiao.partitions.route_partitions(
            paths, old, grid_map, pathlib.Path(a.out) / "route", start=START, end=END,
            client=client, capacity=CAPACITY, by=("district", "tier"))
        wall = time.perf_counter() - t0
        workers = client.run(peak_rss_mib)
        print(json.dumps({"step": "route", "rows": routed.rows, "unrouted": routed.unrouted,
                          "groups": len(routed.report.groups), "wall_s": round(wall, 1),
                          "rows_per_s": round(routed.rows / wall),
                          "worker_peak_rss_mib": sorted(round(v) for v in workers.values()),
                          "client_peak_rss_mib": round(peak_rss_mib())}))
        if not a.skip_what_if:
            t0 = time.perf_counter()
            what_if = fengqiao.partitions.what_if_partitions(
                paths, old, new, grid_map, pathlib.Path(a.out) / "what-if", client=client,
                capacity=CAPACITY, by="dispute_type")
            wall = time.perf_counter() - t0
            workers = client.run(peak_rss_mib)
            print(json.dumps({"step": "what-if", "rows": what_if.rows,
                              "moved": int(what_if.moves["cases"].sum()),
                              "wall_s": round(wall, 1),
                              "rows_per_s": round(what_if.rows / wall),
                              "worker_peak_rss_mib": sorted(round(v) for v in workers.values()),
                              "client_peak_rss_mib": round(peak_rss_mib())}))
            print(what_if.moves.to_string())


if __name__ == "__main__":
    main()
