#!/usr/bin/env python3
"""The province on a Dask LocalCluster (issue 17, point 4): routes and compares two rule sets
over the partition files tools/gen_province.py writes, and prints wall time, rows/s and the peak
resident memory of each worker and of the client (bench/RESULTS.md has the figures).

    PYTHONPATH=build/python nice -n 19 /usr/bin/python3 bench/province_dask.py \\
        PROVINCE_DIR OUT_DIR [--workers 2] [--route DISTRICTS] [--what-if DISTRICTS]

DISTRICTS: "all" (the default) or district codes separated by commas (p01-d1,xc), the files
incidents-<code>.jsonl; "none" skips the step.

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
    parser.add_argument("--route", default="all")
    parser.add_argument("--what-if", default="all")
    a = parser.parse_args()
    from distributed import Client, LocalCluster

    province = pathlib.Path(a.province)

    def files(districts):
        if districts == "none":
            return []
        if districts == "all":
            return sorted(str(p) for p in province.glob("incidents-*.jsonl"))
        return [str(province / f"incidents-{d}.jsonl") for d in districts.split(",")]

    route_paths, what_if_paths = files(a.route), files(a.what_if)
    t0 = time.perf_counter()
    grid_map = fengqiao.load_grid_map(province / "grid_map.textproto")
    old = fengqiao.compile_rules(RULES / "district.textproto", grid_map)
    new = fengqiao.compile_rules(RULES / "street_qd.textproto", grid_map)
    print(json.dumps({"grids": sum(1 for level in grid_map.levels() if level == 5),
                      "load_compile_s": round(time.perf_counter() - t0, 2)}))
    with LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        if route_paths:
            route(client, route_paths, old, grid_map, a.out)
        if what_if_paths:
            what_if(client, what_if_paths, old, new, grid_map, a.out)


def measured(client, step, paths, wall, **figures):
    """One JSON line: the step's figures, rows/s and each process's peak memory so far."""
    workers = client.run(peak_rss_mib)
    print(json.dumps({"step": step, "partitions": len(paths),
                      "bytes": sum(pathlib.Path(p).stat().st_size for p in paths),
                      **figures, "wall_s": round(wall, 1),
                      "rows_per_s": round(figures["rows"] / wall),
                      "worker_peak_rss_mib": sorted(round(v) for v in workers.values()),
                      "client_peak_rss_mib": round(peak_rss_mib())}), flush=True)


def route(client, paths, rules, grid_map, out):
    t0 = time.perf_counter()
    routed = fengqiao.partitions.route_partitions(
        paths, rules, grid_map, pathlib.Path(out) / "route", start=START, end=END,
        client=client, capacity=CAPACITY, by=("district", "tier"))
    measured(client, "route", paths, time.perf_counter() - t0, rows=routed.rows,
             unrouted=routed.unrouted, groups=len(routed.report.groups))


def what_if(client, paths, old, new, grid_map, out):
    t0 = time.perf_counter()
    compared = fengqiao.partitions.what_if_partitions(
        paths, old, new, grid_map, pathlib.Path(out) / "what-if", client=client,
        capacity=CAPACITY, by="dispute_type")
    measured(client, "what-if", paths, time.perf_counter() - t0, rows=compared.rows,
             moved=int(compared.moves["cases"].sum()))
    print(compared.moves.to_string(), flush=True)


if __name__ == "__main__":
    main()
