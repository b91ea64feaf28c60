"""Routing and what-if over partitioned incident files, on a Dask ``distributed`` cluster or in
this process (issue 17, point 4: a province on an existing engine).

Each partition is an incident log the C++ reader takes (``.jsonl`` / ``.ndjson`` JSON Lines,
``.json`` IncidentLog, text format otherwise; see ``fengqiao/incident/incident_log_reader.h``),
in report order; repeats of the same parties are counted within a partition, so partition by
area (e.g. one file per district) to count them as over the whole. A task reads one partition
(:func:`fengqiao.incident_facts`), routes it (:func:`fengqiao.route_frame`), writes its
decisions beside the others (``<out_dir>/<name>.decisions.csv``) and returns only its row
counts and its metrics partial (:func:`fengqiao.metrics.partial`); the client merges the
partials (:func:`fengqiao.metrics.merge_partials`), so no process holds the province. The grid
map and the rule sets go to each worker once (``Client.scatter(..., broadcast=True)``; they
pickle by their source, ``fengqiao._pickle``), not with every task.

    from distributed import Client
    client = Client("tcp://scheduler:8786")       # or Client(LocalCluster(...))
    routed = fengqiao.partitions.route_partitions(
        paths, rules, grid_map, "/shared/out", client=client,
        start="2026-01-01T00:00:00+08:00", end="2027-01-01T00:00:00+08:00")
    routed.report                                  # fengqiao.v1.MetricsReport over every file
    what_if = fengqiao.partitions.what_if_partitions(paths, rules, new_rules, grid_map,
                                                     "/shared/out", client=client)

Without a client the same tasks run one after the other in this process.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any, List, Sequence, Union

import numpy as np
import pandas as pd

from fengqiao import _checked, _core, metrics, routing, vocabulary
from fengqiao.errors import InvalidArgumentError, NotFoundError
from fengqiao.v1 import force_pb2, incident_pb2, metrics_pb2, routing_pb2, taxonomy_pb2

# Record flags the metrics read (fengqiao/metrics/case_record.h): a police matter, and a routing
# whose SLA asks for someone on site.
_RECORD_POLICE = 1 << 0
_RECORD_ON_SITE_REQUIRED = 1 << 10
_ACTIONS = (("tier", routing_pb2.Tier), ("department", taxonomy_pb2.Department),
            ("target_force", force_pb2.ForceType))


@dataclasses.dataclass(frozen=True)
class RoutedPartitions:
    """What :func:`route_partitions` returns: the decision files (one per partition, in the
    order of the paths), the incidents routed, those no rule took, and the merged report."""

    decisions: List[str]
    rows: int
    unrouted: int
    report: metrics_pb2.MetricsReport


@dataclasses.dataclass(frozen=True)
class WhatIf:
    """What :func:`what_if_partitions` returns: the files of moved incidents (one per
    partition), the incidents compared, and :func:`fengqiao.compare_rule_sets`'s ``moves`` and
    ``by_group`` over every partition (``moves`` by ``cases`` descending, then its keys)."""

    moved: List[str]
    rows: int
    moves: pd.DataFrame
    by_group: pd.DataFrame


def metrics_records(facts: pd.DataFrame, rule_index: Any, rules: Any) -> pd.DataFrame:
    """The metrics records of routed incidents (:func:`fengqiao.incident_facts` and the
    ``rule_index`` of their decisions): report time, grid, kind, dispute type, channel,
    department, the decision's tier and force, police matter and on-site flags. Steps have not
    happened (a routing is not a case yet), so the rates' denominators are 0."""
    index = np.asarray(rule_index, dtype=np.int64)
    tiers, _, forces = (np.asarray(a, dtype=np.int64) for a in rules.rule_actions())
    proto = routing_pb2.RuleSet()
    proto.ParseFromString(rules.proto)
    on_site = np.array([r.then.sla.HasField("on_site") for r in proto.rules], dtype=bool)
    routed = index >= 0
    safe = np.where(routed, index, 0)

    def per_rule(table, default):
        return np.where(routed, table[safe] if len(table) else default, default)

    flags = facts["flags"].to_numpy()
    police = (((flags & _core.FACT_NON_POLICE) == 0)
              & (facts["kind"].to_numpy() != incident_pb2.INCIDENT_KIND_NON_POLICE))
    record_flags = (np.where(police, _RECORD_POLICE, 0)
                    | np.where(per_rule(on_site, False), _RECORD_ON_SITE_REQUIRED, 0))
    return pd.DataFrame({
        "reported_at": facts["reported_at"].to_numpy(),
        "area": facts["area"].to_numpy(),
        "kind": facts["kind"].to_numpy(),
        "dispute_type": facts["dispute_type"].to_numpy(),
        "channel": facts["channel"].to_numpy(),
        "department": facts["department"].to_numpy(),
        "tier": per_rule(tiers, 0).astype(np.uint8),
        "force": per_rule(forces, 0).astype(np.uint8),
        "flags": record_flags.astype(np.uint32),
    })


# --- arguments ----------------------------------------------------------------------------------


def _partition_paths(paths) -> List[str]:
    """The partition files: a list of paths, each an existing regular file with its own name."""
    if isinstance(paths, (str, bytes, os.PathLike)) or not isinstance(paths, Sequence):
        _checked.fail("paths", None, f"expected a list of partition files, got "
                      f"{type(paths).__name__}")
    out, names = [], {}
    for i, p in enumerate(paths):
        if not isinstance(p, (str, bytes, os.PathLike)):
            _checked.fail("paths", i, f"expected a file path, got {type(p).__name__}")
        path = _checked.path(p, f"paths[{i}]")
        if not os.path.exists(path):
            raise NotFoundError(f"{path}: no such partition file")
        if not os.path.isfile(path):
            raise InvalidArgumentError(f"{path}: not a regular file")
        name = _name(path)
        if name in names:
            raise InvalidArgumentError(
                f"{path}: its name {name!r} is also partition {names[name]}'s; each partition "
                f"needs its own (its output is <out_dir>/<name>.*.csv)")
        names[name] = i
        out.append(path)
    if not out:
        _checked.fail("paths", None, "no partition files")
    return out


def _name(path: str) -> str:
    return Path(path).name.rsplit(".", 1)[0]


def _out_dir(out_dir) -> Path:
    path = Path(_checked.path(out_dir, "out_dir"))
    if path.exists() and not path.is_dir():
        raise InvalidArgumentError(f"{path}: out_dir is not a folder")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _rule_set(value, name):
    if not isinstance(value, _core.RuleSet):
        _checked.fail(name, None, f"expected a compiled RuleSet, got {type(value).__name__}")
    return value


def _grid_map(value):
    if not isinstance(value, _core.GridMap):
        _checked.fail("grid_map", None, f"expected a GridMap, got {type(value).__name__}")
    return value


def _window(value):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or not 1 <= int(value) <= 3660:
        _checked.fail("repeat_window_days", None, "expected a whole number of days in [1, 3660]")
    return int(value)


def _client(client):
    if client is None:
        return None
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - scripts/install-deps.sh installs it
        raise InvalidArgumentError("client: the distributed package is not installed") from None
    if not isinstance(client, Client):
        _checked.fail("client", None, f"expected a distributed.Client or None, got "
                      f"{type(client).__name__}")
    return client


def _run(client, task, jobs, shared):
    """task(*job, shared) for every job, results in the jobs' order: on the client's workers,
    ``shared`` (the grid map and rule sets) sent to each worker once, or here."""
    if client is None:
        return [task(*job, shared) for job in jobs]
    [on_workers] = client.scatter([shared], broadcast=True, hash=False)
    futures = [client.submit(task, *job, on_workers, pure=False) for job in jobs]
    try:
        return client.gather(futures)
    finally:
        client.cancel(futures + [on_workers])


# --- writing ------------------------------------------------------------------------------------


def _labels(frame, names):
    """The decision frame's action columns as the enums' short names (empty when unset)."""
    out = {}
    for (column, enum), name in zip(_ACTIONS, names):
        short = vocabulary.categories(enum, "short_name")
        values = frame[column]
        out[name] = pd.Categorical.from_codes(values.cat.codes.to_numpy(),
                                              categories=list(short.values()))
    return out


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Writes the CSV beside its final name and renames it, so a task run again (a worker lost)
    never leaves half a file."""
    partial = path.with_name(path.name + ".part")
    frame.to_csv(partial, index=False)
    os.replace(partial, path)


# --- tasks (run on the workers) -----------------------------------------------------------------


def _route_task(path, out_path, capacity, window, start, end, by, shared):
    grid_map, rules = shared
    facts = routing.incident_facts(path, grid_map, rules, window)
    decided = routing.route_frame(rules, facts, grid_map, capacity=capacity)
    frame = {"incident_id": facts["incident_id"], "rule_id": decided["rule_id"]}
    frame.update(_labels(decided, ("tier", "department", "target_force")))
    _write_csv(pd.DataFrame(frame), Path(out_path))
    index = decided["rule_index"].to_numpy()
    records = metrics_records(facts, index, rules)
    return len(facts), int((index < 0).sum()), metrics.partial(records, grid_map, start, end,
                                                               by=by)


def _what_if_task(path, out_path, capacity, window, by, shared):
    grid_map, old, new = shared
    # Tags are bits of each rule set: one read of the partition gives the facts of each.
    facts, new_facts = routing.incident_facts(path, grid_map, [old, new], window)
    before = routing.route_frame(old, facts, grid_map, capacity=capacity)
    after = routing.route_frame(new, new_facts, grid_map, capacity=capacity)
    moves, by_group = routing.compare_decisions(before, after, facts, by)
    rows = routing.moved(before, after)
    frame = {"incident_id": facts["incident_id"][rows].to_numpy(),
             "old_rule_id": before["rule_id"][rows].to_numpy(),
             "new_rule_id": after["rule_id"][rows].to_numpy()}
    old_labels = _labels(before[rows], ("old_tier", "old_department", "old_target_force"))
    new_labels = _labels(after[rows], ("new_tier", "new_department", "new_target_force"))
    for name in ("tier", "department", "target_force"):
        frame[f"old_{name}"] = old_labels[f"old_{name}"]
        frame[f"new_{name}"] = new_labels[f"new_{name}"]
    _write_csv(pd.DataFrame(frame), Path(out_path))
    return len(facts), moves, by_group


# --- the entry points ---------------------------------------------------------------------------


def route_partitions(paths: Sequence[Any], rules: Any, grid_map: Any, out_dir: Any, *,
                     start: Any, end: Any, by: Union[str, Sequence[str]] = ("district", "tier"),
                     client: Any = None, capacity: Any = None,
                     repeat_window_days: int = 30) -> RoutedPartitions:
    """Routes every partition file with ``rules`` on ``client``'s workers (or here without a
    client), writes ``<out_dir>/<name>.decisions.csv`` per partition (``incident_id``,
    ``rule_id``, ``tier``, ``department``, ``target_force`` as the enums' short names; empty
    where unrouted or unset) and merges the partitions' metrics (``start`` / ``end`` / ``by`` as
    :func:`fengqiao.metrics.report_proto` takes them) into one report.

    Raises NotFound for a missing partition file, InvalidArgument for a malformed incident
    (``file:line:col`` and the incident id) or a wrong argument; an error of a task on a worker
    is raised here as the same class."""
    paths = _partition_paths(paths)
    shared = (_grid_map(grid_map), _rule_set(rules, "rules"))
    out = _out_dir(out_dir)
    window = _window(repeat_window_days)
    routing._capacity(capacity)  # checked here, before any task runs
    by = _checked.names(by, "by")
    merged = metrics.accumulator(grid_map, start, end, by=by)  # the options checked here too
    outputs = [out / f"{_name(p)}.decisions.csv" for p in paths]
    results = _run(_client(client), _route_task,
                   [(p, str(o), capacity, window, start, end, by)
                    for p, o in zip(paths, outputs)], shared)
    for _, _, partial in results:
        merged.merge_bytes(partial)
    report = metrics_pb2.MetricsReport()
    report.ParseFromString(merged.report())
    return RoutedPartitions([str(o) for o in outputs], sum(r[0] for r in results),
                            sum(r[1] for r in results), report)


def _merge_moves(parts: List[pd.DataFrame]) -> pd.DataFrame:
    keys = ["old_tier", "new_tier", "old_department", "new_department"]
    moves = pd.concat(parts, ignore_index=True)
    if moves.empty:
        return moves.reindex(columns=keys + ["cases"])
    moves = moves.groupby(keys, dropna=False, sort=False)["cases"].sum().reset_index()
    return moves.sort_values(["cases"] + keys, ascending=[False] + [True] * 4,
                             na_position="last", kind="stable").reset_index(drop=True)


def _merge_groups(parts: List[pd.DataFrame]) -> pd.DataFrame:
    by_group = pd.concat(parts)
    keys = list(by_group.index.names)
    if keys == [None]:  # no group columns: one row of totals per partition
        return by_group.sum().to_frame().T.reset_index(drop=True)
    return by_group.groupby(level=keys).sum().sort_index()


def what_if_partitions(paths: Sequence[Any], old: Any, new: Any, grid_map: Any, out_dir: Any, *,
                       by: Union[str, Sequence[str]] = ("dispute_type",), client: Any = None,
                       capacity: Any = None, repeat_window_days: int = 30) -> WhatIf:
    """What-if over partition files: routes each with ``old`` and ``new`` (on ``client``'s
    workers, or here), writes the incidents that move between tiers or departments to
    ``<out_dir>/<name>.what-if.csv`` (``incident_id``, old and new ``rule_id``, ``tier``,
    ``department``, ``target_force``) and sums :func:`fengqiao.compare_rule_sets`'s ``moves``
    and ``by_group`` over the partitions. Errors as :func:`route_partitions`."""
    paths = _partition_paths(paths)
    shared = (_grid_map(grid_map), _rule_set(old, "old"), _rule_set(new, "new"))
    out = _out_dir(out_dir)
    window = _window(repeat_window_days)
    routing._capacity(capacity)
    by = _checked.names(by, "by")
    outputs = [out / f"{_name(p)}.what-if.csv" for p in paths]
    results = _run(_client(client), _what_if_task,
                   [(p, str(o), capacity, window, by) for p, o in zip(paths, outputs)], shared)
    return WhatIf([str(o) for o in outputs], sum(r[0] for r in results),
                  _merge_moves([r[1] for r in results]), _merge_groups([r[2] for r in results]))
