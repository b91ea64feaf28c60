"""Any quantile from Python: the sketch agrees with numpy while exact, stays within its bound
once folded, merges, pickles; quantiles() by group over a records frame."""

import pickle

import numpy as np
import pandas as pd
import pytest


def test_the_sketch_is_numpy_while_exact_and_within_its_bound_after(fq):
    rng = np.random.default_rng(5)
    seconds = rng.integers(0, 200_000, 5_000)
    qs = [0.5, 0.9, 0.99, 0.999]
    exact = fq.metrics.DurationSketch().add(seconds)
    assert exact.exact and exact.count == 5_000
    np.testing.assert_allclose(exact.quantiles(qs), np.quantile(seconds, qs))
    folded = fq.metrics.DurationSketch(exact_limit=1_000, relative_error=0.01).add(seconds)
    assert not folded.exact
    want = np.quantile(seconds, qs)
    assert (np.abs(folded.quantiles(qs) - want) <= 0.01 * want + 1).all()


def test_sketches_merge_and_pickle_to_the_sketch_of_the_union(fq):
    a = fq.metrics.DurationSketch().add(pd.to_timedelta([5, 60, 600], unit="s"))
    b = fq.metrics.DurationSketch().add([30.0, np.nan, 90.0])  # NaN: no sample
    shipped = pickle.loads(pickle.dumps(b))
    merged = a.merge(shipped)
    assert merged.count == 5
    np.testing.assert_allclose(merged.quantiles([0.5]), [60.0])
    assert np.isnan(fq.metrics.DurationSketch().quantiles([0.5])).all()


def test_bad_quantiles_and_negative_durations_are_invalid_argument(fq):
    with pytest.raises(fq.InvalidArgumentError, match="q"):
        fq.metrics.DurationSketch().quantiles([1.5])
    with pytest.raises(fq.InvalidArgumentError, match="seconds"):
        fq.metrics.DurationSketch().add([-5])


def test_quantiles_by_group_name_p99_9_and_count_samples(fq):
    records = pd.DataFrame({
        "tier": ["mediator"] * 4 + ["police"] * 3,
        "resolve_s": [60, 120, np.nan, 240, 10, 20, 30],
    })
    out = fq.metrics.quantiles(records, "resolve_s", q=[0.5, 0.999], by="tier")
    assert list(out.columns) == ["p50", "p99.9", "n"]
    assert out.loc["mediator", "p50"] == 120 and out.loc["mediator", "n"] == 3
    assert out.loc["police", "p50"] == 20
    overall = fq.metrics.quantiles(records, "resolve_s", q=[0.5])
    assert overall.loc[0, "p50"] == np.quantile([60, 120, 240, 10, 20, 30], 0.5)
