"""Charts are written as PNG files."""

import numpy as np
import pandas as pd


def _records(n=500):
    rng = np.random.default_rng(3)
    return pd.DataFrame({
        "reported_at": 1790784000 + rng.integers(0, 31 * 86400, n),  # October 2026
        "kind": rng.integers(1, 9, n).astype(np.uint8),
    })


def test_trend_writes_a_png_and_returns_the_counts(fq, tmp_path):
    records = _records()
    path = tmp_path / "trend.png"
    counts = fq.plot.trend(records, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert counts.to_numpy().sum() == len(records)


def test_compare_writes_a_bar_chart(fq, tmp_path):
    table = pd.DataFrame({"street": ["临城街道", "长峙街道"], "disposal_rate": [0.97, 0.99]})
    path = tmp_path / "bars.png"
    data = fq.plot.compare(table, "disposal_rate", "street", path)
    assert path.stat().st_size > 1000
    assert list(data.index) == ["临城街道", "长峙街道"]
