#!/usr/bin/env python3
"""Metrics over many partitioned record files on a Dask distributed cluster: each task computes a
partial result over one file, the partials merge into the report over everything (equal to the
single-process report; python/tests/test_dask.py checks it).

    PYTHONPATH=build/python /usr/bin/python3 examples/analyst/dask_metrics.py \\
        build/sample_month.db build/partitions [PARTS]
"""
import pathlib
import sys

import dask
import pandas as pd

import fengqiao

ROOT = pathlib.Path(__file__).resolve().parents[2]
MAP = ROOT / "examples" / "data" / "grid_map.textproto"
START, END = "2026-10-01T00:00:00+08:00", "2026-11-01T00:00:00+08:00"


def write_partitions(records, directory, parts):
    """Splits records into ``parts`` CSV files (round robin); returns their paths."""
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(parts):
        path = directory / f"records-{i:03d}.csv"
        records.iloc[i::parts].to_csv(path, index=False)
        paths.append(str(path))
    return paths


def partial_over_file(path, map_path, start, end, by):
    """A Dask task: the partial metrics (bytes) of one partition file."""
    grid_map = fengqiao.load_grid_map(map_path)
    return fengqiao.metrics.partial(pd.read_csv(path), grid_map, start, end, by=by)


def metrics_on_cluster(paths, client, by=("street", "category"), start=START, end=END,
                       map_path=MAP):
    """The MetricsReport over all partition files, computed on ``client``'s workers."""
    tasks = [dask.delayed(partial_over_file)(p, str(map_path), start, end, list(by))
             for p in paths]
    partials = client.compute(tasks, sync=True)
    return fengqiao.metrics.merge_partials(partials, fengqiao.load_grid_map(map_path), start,
                                           end, by=list(by))


def main(db, workdir, parts=8):
    from distributed import Client, LocalCluster

    grid_map = fengqiao.load_grid_map(MAP)
    records = fengqiao.metrics.records(fengqiao.open_case_store(db), grid_map)
    paths = write_partitions(records, workdir, parts)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        report = metrics_on_cluster(paths, client)
    print(f"{len(paths)} partitions, {len(records)} records, {len(report.groups)} groups")
    print(fengqiao.metrics.report_frame(report).head(20).to_string())
    return report


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: dask_metrics.py CASES.db WORKDIR [PARTS]")
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) == 4 else 8)
