"""Partial metrics on a local two-worker Dask cluster merge into the single-process result."""

import pathlib
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "examples" / "analyst"))


def _records(grid_map, n=6000):
    rng = np.random.default_rng(11)
    grids = [i for i, level in enumerate(grid_map.levels()) if level == 5]
    frame = pd.DataFrame({
        "reported_at": 1790784000 + rng.integers(0, 31 * 86400, n),
        "area": rng.choice(grids, n).astype(np.int32),
        "kind": rng.integers(1, 9, n).astype(np.uint8),
        "flags": rng.integers(0, 2048, n).astype(np.uint32) & ~np.uint32(4),
        "accept_s": rng.integers(-1, 120, n).astype(np.int32),
        "arrival_s": rng.integers(-1, 900, n).astype(np.int32),
        "resolve_s": rng.integers(-1, 300000, n).astype(np.int32),
    })
    for name in ("accept_s", "arrival_s", "resolve_s"):  # NaN: the step has not happened
        frame[name] = frame[name].where(frame[name] >= 0)
    frame["dispute_type"] = np.where(frame["kind"] == 1, rng.integers(1, 14, n), 0).astype(np.uint8)
    return frame


def test_dask_cluster_result_equals_single_process(fq, grid_map, tmp_path):
    distributed = pytest.importorskip("distributed")
    import dask_metrics

    records = _records(grid_map)
    paths = dask_metrics.write_partitions(records, tmp_path / "parts", 6)
    start, end = dask_metrics.START, dask_metrics.END
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        on_cluster = dask_metrics.metrics_on_cluster(paths, client, by=("street", "category"))
    single = fq.metrics.report_proto(records, grid_map, start, end, by=("street", "category"))
    assert len(single.groups) > 10
    assert on_cluster == single


def test_partials_of_other_options_do_not_merge(fq, grid_map):
    records = _records(grid_map, 100)
    start, end = "2026-10-01T00:00:00+08:00", "2026-11-01T00:00:00+08:00"
    by_street = fq.metrics.partial(records, grid_map, start, end, by=["street"])
    with pytest.raises(fq.InvalidArgument, match="different options"):
        fq.metrics.merge_partials([by_street], grid_map, start, end, by=["grid"])
    with pytest.raises(fq.DataLoss):
        fq.metrics.merge_partials([b"FQM1 broken"], grid_map, start, end, by=["street"])
