#!/usr/bin/env python3
"""route_frame rows/s on 1 M rows from DataFrame columns (end to end: column conversion, the C++
batch without the GIL, the result DataFrame), and the per-call overhead of route().

    PYTHONPATH=build/python taskset -c 0 /usr/bin/python3 bench/python_route_frame.py
    PYTHONPATH=build/python taskset -c 0 /usr/bin/python3 bench/python_route_frame.py --cold 5

Warm: best of 3 calls in one process, after a first call. Cold (--cold N): N fresh processes per
frame; each imports fengqiao, loads the map and rules, builds the 1 M-row frame, then times its
very first route_frame call (nothing routed in that process before); the median is printed.
"""
import pathlib
import statistics
import subprocess
import sys
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


def frames():
    grid_map = fengqiao.load_grid_map(DATA / "grid_map.textproto")
    rules = fengqiao.compile_rules(DATA / "rules" / "district.textproto", grid_map)
    facts = fengqiao.incident_facts(DATA / "incidents_2026-10.json", grid_map, rules)
    rows = 1_000_000
    frame = facts.sample(rows, replace=True, random_state=1).reset_index(drop=True)
    frame = frame.drop(columns=["incident_id", "reported_at", "tags"])
    # From grid codes (strings) and enum numbers, the analyst's usual frame.
    with_codes = frame.drop(columns=["area"])
    return grid_map, rules, rows, frame, with_codes


def first_call(which):
    """In a fresh process: the time of the first route_frame call, in seconds."""
    grid_map, rules, rows, frame, with_codes = frames()
    t = time.perf_counter()
    if which == "codes":
        fengqiao.route_frame(rules, with_codes, grid_map)
    else:
        fengqiao.route_frame(rules, frame)
    print(time.perf_counter() - t)


def cold(processes):
    rows = 1_000_000
    for which, label in (("codes", "grid codes + enums"), ("area", "area indices      ")):
        times = [float(subprocess.run([sys.executable, __file__, "--first-call", which],
                                      check=True, capture_output=True, text=True).stdout)
                 for _ in range(processes)]
        t = statistics.median(times)
        print(f"cold route_frame, {label} : {rows / t / 1e6:6.2f} M rows/s ({t * 1e3:.0f} ms, "
              f"median of {processes} processes; {min(times) * 1e3:.0f}..{max(times) * 1e3:.0f} ms)")


def main():
    grid_map, rules, rows, frame, with_codes = frames()
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
    if len(sys.argv) == 3 and sys.argv[1] == "--first-call":
        first_call(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "--cold":
        cold(int(sys.argv[2]))
    else:
        main()
