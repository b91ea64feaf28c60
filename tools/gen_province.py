#!/usr/bin/env python3
"""Writes a generated province for the Dask routing path (issue 17, point 4): a grid map of the
sample district 新城 (tools/gen_sample_district.py's map, unchanged, so its rule files compile)
plus generated cities of the same shape, and a year (2026) of incidents written in partitions,
one JSON Lines incident log per district (``incidents-<district>.jsonl``), so no process holds
the province: each partition is drawn from its own seed and written in chunks.

The mixes (channels, kinds per channel, dispute types, departments, hours, amounts, parties,
civil non-police matters, residents per grid) are the sample district's, imported from
tools/gen_sample_district.py; what is new here is the scale, and that days are drawn uniformly
over the year (no holidays or trend: the province is for throughput, the district for figures).
Persons are per district (``<district>-p<n>``), so repeats of the same parties stay within one
partition and counting them per partition equals counting them over the province.

Deterministic for the same arguments. Default size: 20,000,000 incidents over 10,040 grids.
    /usr/bin/python3 tools/gen_province.py OUT [--incidents N] [--cities C] [--districts D]
        [--streets S] [--communities K] [--jobs J]
"""
import argparse
import datetime as dt
import json
import multiprocessing
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_sample_district as district  # noqa: E402  (the district's map and mixes, reused)

YEAR_START = dt.datetime(2026, 1, 1, tzinfo=district.TZ)
DAYS = 365
GRIDS_PER_COMMUNITY = 4          # 2 x 2, as in the sample district
ROW_COMMUNITIES = 50             # communities per row of the lattice the cities are laid on
# Shares make_incident draws inline for disputes (injury beside personal-injury disputes, violence
# risk), the repeat share and the window of earlier disputes a repeat reuses, and the tags.
INJURY_SHARE, VIOLENCE_SHARE = 0.02, 0.015
REPEAT_SHARE, REPEAT_RECENT = 0.08, 60
ELDERLY_SHARE, MARITIME_SHARE = 0.08, 0.4
CHUNK = 50_000                   # lines built and written at a time
SEED = district.SEED + 17


def build_map(cities, districts, streets, communities):
    """The province's areas (the sample district's first) and its districts, each as
    (code, [grid dicts]) in partition order."""
    areas, sample_grids = district.build_map(random.Random(district.SEED))
    rng = random.Random(SEED)
    sample = next(a for a in areas if a["level"] == "AREA_LEVEL_DISTRICT")["code"]
    parts = [(sample, sample_grids)]
    lat0 = district.LAT0 + 0.05  # north of the sample district: no overlap
    k = 0
    for c in range(cities):
        ccode = f"p{c + 1:02d}"
        areas.append(dict(code=ccode, name=f"示例{c + 1}市", level="AREA_LEVEL_CITY"))
        for d in range(districts):
            dcode = f"{ccode}-d{d + 1}"
            areas.append(dict(code=dcode, name=f"示例{c + 1}市第{d + 1}区",
                              level="AREA_LEVEL_DISTRICT", parent=ccode))
            grids = []
            for s in range(streets):
                scode = f"{dcode}-s{s + 1}"
                areas.append(dict(code=scode, name=f"第{s + 1}街道", level="AREA_LEVEL_STREET",
                                  parent=dcode))
                for m in range(communities):
                    mcode = f"{scode}-c{m + 1}"
                    areas.append(dict(code=mcode, name=f"第{m + 1}社区",
                                      level="AREA_LEVEL_COMMUNITY", parent=scode))
                    row, col = divmod(k, ROW_COMMUNITIES)
                    k += 1
                    for g in range(GRIDS_PER_COMMUNITY):
                        lat = lat0 + (row * 2 + g // 2) * district.CELL
                        lng = district.LNG0 + (col * 2 + g % 2) * district.CELL
                        residents = rng.randint(*district.GRID_RESIDENTS)
                        grid = dict(code=f"{mcode}-g{g + 1}", name=f"第{g + 1}网格",
                                    level="AREA_LEVEL_GRID", parent=mcode,
                                    box=(lat, lng, lat + district.CELL, lng + district.CELL),
                                    register=dict(actual_residents=residents))
                        areas.append(grid)
                        grids.append(grid)
            parts.append((dcode, grids))
    return areas, parts


def _shares(mix):
    names = [n for n, _ in mix]
    weights = np.array([w for _, w in mix], dtype=np.float64)
    return names, weights / weights.sum()


def _draw(rng, mix, n):
    names, p = _shares(mix)
    return np.array(names, dtype=object)[rng.choice(len(names), size=n, p=p)]


def _incidents(rng, code, grids, n):
    """n incidents of one district as columns (NumPy arrays), in report order."""
    residents = np.array([g["register"]["actual_residents"] for g in grids], dtype=np.float64)
    grid_codes = np.array([g["code"] for g in grids], dtype=object)
    grid = grid_codes[rng.choice(len(grids), size=n, p=residents / residents.sum())]
    channel = _draw(rng, list(district.PER_MONTH.items()), n)
    kind = np.empty(n, dtype=object)
    hours = np.empty(n, dtype=np.int64)
    for ch in district.PER_MONTH:
        at = np.flatnonzero(channel == ch)
        kind[at] = _draw(rng, list(district.KIND_MIX[ch].items()), len(at))
        by_hour = (district.HOURS_110 if ch in ("CALL_110", "CHAT_GROUP") else
                   district.HOURS_PATROL if ch == "GRID_PATROL" else district.HOURS_OFFICE)
        hours[at] = _draw(rng, list(enumerate(by_hour)), len(at)).astype(np.int64)
    start = int(YEAR_START.timestamp())
    reported = (start + rng.integers(0, DAYS, n) * 86400 + hours * 3600
                + rng.integers(0, 3600, n))
    order = np.argsort(reported, kind="stable")
    grid, channel, kind, reported = grid[order], channel[order], kind[order], reported[order]

    dispute = kind == "DISPUTE"
    dtype = np.full(n, "", dtype=object)
    dtype[dispute] = _draw(rng, district.DISPUTE_MIX, int(dispute.sum()))
    department = np.full(n, "", dtype=object)
    non_police = kind == "NON_POLICE"
    department[non_police] = _draw(rng, district.DEPARTMENT_MIX, int(non_police.sum()))
    civil = (dispute & np.isin(dtype, list(district.CIVIL_NON_POLICE_TYPES))
             & np.isin(channel, list(district.CIVIL_NON_POLICE_CHANNELS))
             & (rng.random(n) < district.CIVIL_NON_POLICE_SHARE))
    department[civil] = _draw(rng, district.CIVIL_DEPARTMENTS, int(civil.sum()))
    amount = np.zeros(n, dtype=np.int64)
    for t, median in district.AMOUNT_MEDIAN.items():
        at = np.flatnonzero(dtype == t)
        yuan = median * np.exp(rng.normal(0.0, 1.0, len(at)))
        amount[at] = np.maximum(100, yuan.astype(np.int64)) * 100
    injury = dispute & ((dtype == "PERSONAL_INJURY") | (rng.random(n) < INJURY_SHARE))
    violence = dispute & (rng.random(n) < VIOLENCE_SHARE)

    single = np.isin(kind, ["NON_POLICE", "FRAUD", "ASSISTANCE", "FIRE_HAZARD", "CRIMINAL"])
    parties = np.where(single, 1, 2)
    counts, p = district.PARTY_COUNTS
    parties[dispute] = rng.choice(counts, size=int(dispute.sum()), p=np.array(p) / sum(p))
    persons = rng.integers(0, int(residents.sum()), size=(n, max(counts)))
    # Repeats (反复纠纷): a share of disputes bring back the parties of a recent dispute.
    disputes = np.flatnonzero(dispute)
    back = rng.integers(1, REPEAT_RECENT + 1, len(disputes))
    repeat = (rng.random(len(disputes)) < REPEAT_SHARE) & (np.arange(len(disputes)) >= back)
    persons[disputes[repeat]] = persons[disputes[np.flatnonzero(repeat) - back[repeat]]]

    elderly = rng.random(n) < ELDERLY_SHARE
    # Fishermen's wage disputes (the sample's 千岛街道, seed 003) carry the "maritime" tag.
    maritime = (dispute & (dtype == "LABOUR") & np.char.startswith(grid.astype(str), f"{code}-qd")
                & (rng.random(n) < MARITIME_SHARE))
    return dict(grid=grid, channel=channel, kind=kind, reported=reported, dtype=dtype,
                department=department, civil=civil, amount=amount, injury=injury,
                violence=violence, parties=parties, persons=persons, elderly=elderly,
                maritime=maritime)


_ROLES = ("PARTY_ROLE_COMPLAINANT", "PARTY_ROLE_RESPONDENT")


def _lines(code, cols, first, last):
    """JSON Lines of incidents [first, last)."""
    times = np.datetime_as_string(cols["reported"][first:last].astype("datetime64[s]"), unit="s")
    out = []
    for i in range(first, last):
        kind = cols["kind"][i]
        inc = {"id": f"{code}-{i + 1:07d}", "reported_at": f"{times[i - first]}Z",
               "grid_code": cols["grid"][i], "kind": f"INCIDENT_KIND_{kind}",
               "channel": f"CHANNEL_{cols['channel'][i]}"}
        if cols["dtype"][i]:
            inc["dispute_type"] = f"DISPUTE_TYPE_{cols['dtype'][i]}"
        if cols["amount"][i]:
            inc["amount_fen"] = int(cols["amount"][i])
        if cols["injury"][i]:
            inc["injury"] = True
        if cols["violence"][i]:
            inc["violence_risk"] = True
        if cols["civil"][i]:
            inc["police_matter"] = False
        if cols["department"][i]:
            inc["responsible_department"] = f"DEPARTMENT_{cols['department'][i]}"
        inc["parties"] = [{"person_id": f"{code}-p{int(cols['persons'][i][k]):06d}",
                           "role": _ROLES[min(k, 1)]} for k in range(int(cols["parties"][i]))]
        tags = [t for t, on in (("elderly", cols["elderly"][i]),
                                ("maritime", cols["maritime"][i])) if on]
        if tags:
            inc["tags"] = tags
        out.append(json.dumps(inc, ensure_ascii=False, separators=(",", ":")))
    return out


def write_partition(job):
    """Writes one district's incidents; returns (path, count)."""
    index, code, grids, n, out = job
    rng = np.random.default_rng([SEED, index])
    cols = _incidents(rng, code, grids, n)
    path = Path(out) / f"incidents-{code}.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for first in range(0, n, CHUNK):
            f.write("\n".join(_lines(code, cols, first, min(n, first + CHUNK))) + "\n")
    return str(path), n


def generate(out, incidents=20_000_000, cities=10, districts=5, streets=5, communities=10,
             jobs=1):
    """Writes OUT/grid_map.textproto and one incident log per district; returns (map path,
    partition paths, grid count)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    areas, parts = build_map(cities, districts, streets, communities)
    map_path = out / "grid_map.textproto"
    map_path.write_text(
        "# Generated by tools/gen_province.py; edit the generator, not this file.\n"
        "# proto-file: fengqiao/v1/grid.proto\n# proto-message: fengqiao.v1.GridMap\n"
        'name: "generated province"\nversion: "2026"\ngrids_disjoint: true\n\n'
        + "\n".join(district.fmt_area(a) for a in areas) + "\n", encoding="utf-8")
    weights = [sum(g["register"]["actual_residents"] for g in grids) for _, grids in parts]
    counts = [incidents * w // sum(weights) for w in weights]
    counts[-1] += incidents - sum(counts)
    work = [(i, code, grids, n, str(out)) for i, ((code, grids), n) in
            enumerate(zip(parts, counts))]
    if jobs > 1:
        with multiprocessing.Pool(jobs) as pool:
            written = pool.map(write_partition, work, chunksize=1)
    else:
        written = [write_partition(w) for w in work]
    grids = sum(len(g) for _, g in parts)
    return str(map_path), [p for p, _ in written], grids


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--incidents", type=int, default=20_000_000)
    parser.add_argument("--cities", type=int, default=10)
    parser.add_argument("--districts", type=int, default=5, help="per city")
    parser.add_argument("--streets", type=int, default=5, help="per district")
    parser.add_argument("--communities", type=int, default=10, help="per street (4 grids each)")
    parser.add_argument("--jobs", type=int, default=1)
    a = parser.parse_args()
    map_path, paths, grids = generate(a.out, a.incidents, a.cities, a.districts, a.streets,
                                      a.communities, a.jobs)
    print(f"wrote {map_path} ({grids} grids) and {len(paths)} partitions, {a.incidents} "
          f"incidents, to {a.out}")


if __name__ == "__main__":
    main()
