#!/usr/bin/env python3
"""route_frame rows/s on 1 M rows from DataFrame columns (end to end: column conversion, the C++
batch without the GIL, the result DataFrame), and the per-call overhead of route().

    PYTHONPATH=build/python taskset -c 0 /usr/bin/python3 bench/python_route_frame.py
"""
import pathlib
import time

import numpy as np
import pandas as pd

import fengqiao
from fengqiao.v1 import incident_pb2, taxonomy_pb2

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT / "examples" / "data"


def best_of(n, fn):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    grid_map = fengqiao.load_grid_map(DATA / "grid_map.textproto")
    rules = fengqiao.compile_rules(DATA / "rules" / "district.textproto", grid_map)
    facts = fengqiao.incident_facts(DATA / "incidents_2026-10.json", grid_map, rules)
    rows = 1_000_000
    frame = facts.sample(rows, replace=True, random_state=1).reset_index(drop=True)
    frame = frame.drop(columns=["incident_id", "reported_at", "tags"])

    # From grid codes (strings) and enum numbers, the analyst's usual frame.
    with_codes = frame.drop(columns=["area"])
    t_codes = best_of(3, lambda: fengqiao.route_frame(rules, with_codes, grid_map))
    # From area indices already resolved.
    t_area = best_of(3, lambda: fengqiao.route_frame(rules, frame))
    # The C++ batch alone, on NumPy columns.
    cols = {c: frame[c].to_numpy() for c in ("area", "kind", "dispute_type", "severity",
                                            "channel", "department", "amount_fen",
                                            "party_count", "repeat_count", "hour", "weekday",
                                            "flags")}
    t_core = best_of(5, lambda: rules.route_columns(**cols))

    incident = incident_pb2.Incident(id="x", grid_code="xc-lc-c1-g1",
                                     kind=incident_pb2.INCIDENT_KIND_DISPUTE,
                                     dispute_type=taxonomy_pb2.DISPUTE_TYPE_NOISE,
                                     channel=incident_pb2.CHANNEL_CALL_110)
    incident.reported_at.seconds = 1791943200
    calls = 20000
    t_route = best_of(3, lambda: [fengqiao.route(rules, incident) for _ in range(calls)])
    data = incident.SerializeToString()
    t_decide = best_of(3, lambda: [rules.decide(data, 0) for _ in range(calls)])

    print(f"rows: {rows:,}")
    print(f"route_frame, grid codes + enums -> DataFrame : {rows / t_codes / 1e6:6.2f} M rows/s "
          f"({t_codes * 1e3:.0f} ms)")
    print(f"route_frame, area indices -> DataFrame       : {rows / t_area / 1e6:6.2f} M rows/s "
          f"({t_area * 1e3:.0f} ms)")
    print(f"RuleSet.route_columns (NumPy in, NumPy out)  : {rows / t_core / 1e6:6.2f} M rows/s "
          f"({t_core * 1e3:.0f} ms)")
    print(f"route(incident message) per call             : {t_route / calls * 1e6:6.2f} us")
    print(f"_core decide(bytes) per call                 : {t_decide / calls * 1e6:6.2f} us")


if __name__ == "__main__":
    main()
