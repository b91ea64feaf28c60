#!/usr/bin/env python3
"""The sample district's monthly report: tables (CSV and a Markdown summary) and charts (PNG)
from the case store the main job wrote.

    bash scripts/analyst-report.sh          # builds, runs the main job, then this script
    PYTHONPATH=build/python /usr/bin/python3 examples/analyst/monthly_report.py \\
        build/sample_month.db build/report
"""
import pathlib
import sys

import fengqiao

ROOT = pathlib.Path(__file__).resolve().parents[2]
START, END = "2026-10-01T00:00:00+08:00", "2026-11-01T00:00:00+08:00"


def main(db, out_dir):
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    grid_map = fengqiao.load_grid_map(ROOT / "examples" / "data" / "grid_map.textproto")
    store = fengqiao.open_case_store(db)
    records = fengqiao.metrics.records(store, grid_map)

    overall = fengqiao.metrics.report(records, grid_map, START, END)
    by_street = fengqiao.metrics.report(records, grid_map, START, END, by=["street"],
                                        comparisons=["month", "28_days"])
    by_category = fengqiao.metrics.report(records, grid_map, START, END, by=["category"])
    by_tier = fengqiao.metrics.report(records, grid_map, START, END, by=["tier"])
    for name, table in (("overall", overall), ("by_street", by_street),
                        ("by_category", by_category), ("by_tier", by_tier)):
        # Group keys are the index; rates to 4 decimals, durations and counts to 1.
        rounded = table.round({c: 4 if table[c].abs().max() <= 1 else 1
                               for c in table.select_dtypes("number").columns})
        rounded.to_csv(out / f"{name}.csv", index=name != "overall")

    pngs = [
        out / "trend_by_kind.png",
        out / "arrival_8min_by_street.png",
        out / "disposal_by_category.png",
        out / "resolve_p90_by_tier.png",
    ]
    fengqiao.plot.trend(records, pngs[0], title="新城: incidents per day by kind, October 2026")
    fengqiao.plot.compare(by_street, "arrival_within_8min", "street", pngs[1], grid_map=grid_map,
                          title="On site within 8 minutes (8分钟现场到达率) by street")
    fengqiao.plot.compare(by_category, "disposal_rate", "category", pngs[2],
                          title="Disposal rate (处置率) by category")
    fengqiao.plot.compare(by_tier.assign(resolve_p90_hours=by_tier["resolve_seconds_p90"] / 3600),
                          "resolve_p90_hours", "tier", pngs[3], percent=False, unit="hours",
                          title="90th percentile hours to resolve, by routing tier")

    row = overall.iloc[0]
    lines = [
        "# 新城 sample district: October 2026",
        "",
        f"Cases: {int(row['non_police_share_den'])}",
        "",
        "| figure | value | numerator / denominator |",
        "| --- | --- | --- |",
    ]
    for name, label in (("arrival_within_8min", "8-minute on-site arrival (8分钟现场到达率)"),
                        ("accept_within_1min", "accepted within 1 minute"),
                        ("disposal_rate", "disposal rate (处置率)"),
                        ("mediation_success_rate", "mediation success (调解率)"),
                        ("non_police_share", "non-police share (分流占比)"),
                        ("satisfaction_rate", "satisfaction (满意率)"),
                        ("reopen_rate", "reopened after revisit"),
                        ("civil_to_criminal", "民转刑 among criminal cases")):
        lines.append(f"| {label} | {100 * row[name]:.1f}% | "
                     f"{int(row[name + '_num'])} / {int(row[name + '_den'])} |")
    lines += ["", f"Resolution time p50 / p90: {row['resolve_seconds_p50'] / 3600:.1f} h / "
              f"{row['resolve_seconds_p90'] / 3600:.1f} h", "",
              fengqiao.metrics.compstat(records, grid_map, START, END, by=["street"]).join(
                  ["```\n", "```"]), ""]
    lines += [f"![{p.stem}]({p.name})" for p in pngs]
    (out / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for p in [out / "report.md", *pngs]:
        print(p)
    return pngs


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: monthly_report.py CASES.db OUT_DIR")
    main(sys.argv[1], sys.argv[2])
