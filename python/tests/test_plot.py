"""Charts: no side effects at import, ax= in and the Axes out, names not codes, axes that cover
the data, units and N on the labels, PNG when asked."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest


def _records(n=500):
    rng = np.random.default_rng(3)
    return pd.DataFrame({
        "reported_at": 1790784000 + rng.integers(0, 31 * 86400, n),  # October 2026
        "kind": rng.integers(1, 9, n).astype(np.uint8),
    })


def test_importing_fengqiao_leaves_matplotlib_as_it_was():
    code = (
        "import sys, matplotlib\n"
        "before = {k: v for k, v in matplotlib.rcParams.items() if k != 'backend'}\n"
        "import fengqiao\n"
        "after = {k: v for k, v in matplotlib.rcParams.items() if k != 'backend'}\n"
        "assert before == after, [k for k in before if before[k] != after[k]]\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_trend_draws_on_the_given_axes_with_units_and_the_legend_outside(fq, tmp_path):
    from matplotlib.figure import Figure

    records = _records()
    ax = Figure().subplots()
    got = fq.plot.trend(records, ax=ax, title="新城")
    assert got is ax
    assert "per day" in ax.get_ylabel() and "Asia/Shanghai" in ax.get_xlabel()
    total = sum(line.get_ydata().sum() for line in ax.get_lines())
    assert total == len(records) == fq.plot.trend_counts(records).to_numpy().sum()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "public order (治安)" in labels  # the vocabulary's display names, one scheme
    anchor = ax.get_legend().get_bbox_to_anchor().transformed(ax.transAxes.inverted())
    assert anchor.x0 > 1.0  # outside the data
    path = tmp_path / "trend.png"
    fq.plot.trend(records, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_compare_names_areas_covers_the_data_and_labels_n(fq, grid_map, tmp_path):
    codes = [c for c, level in zip(grid_map.codes(), grid_map.levels()) if level == 4][:3]
    names = dict(zip(grid_map.codes(), grid_map.names()))
    table = pd.DataFrame({"community": codes, "disposal_rate": [0.97, 0.89, 0.995],
                          "disposal_rate_den": [120, 80, 1500]}).set_index("community")
    path = tmp_path / "bars.png"
    ax = fq.plot.compare(table, "disposal_rate", "community", path, grid_map=grid_map)
    assert path.stat().st_size > 1000
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == [names[codes[1]], names[codes[0]], names[codes[2]]]  # sorted, named
    left, right = ax.get_xlim()
    assert 80 < left < 89 and right >= 99.5  # where the data is, not 0-100
    notes = [t.get_text() for t in ax.texts]
    assert "89.0%  (N=80)" in notes and "99.5%  (N=1,500)" in notes
    assert "%" in ax.get_xlabel()


def test_compare_refuses_a_column_the_table_lacks(fq):
    table = pd.DataFrame({"street": ["a"], "disposal_rate": [0.5]})
    with pytest.raises(fq.InvalidArgumentError, match="arrival"):
        fq.plot.compare(table, "arrival_within_8min", "street")
