"""GridMap and RuleSet pickle by their source: the copy is validated again and routes exactly as
the original (what dask.delayed and multiprocessing need to ship them to workers)."""

import pickle

import pandas as pd


def test_a_pickled_grid_map_has_the_same_areas(fq, grid_map):
    copy = pickle.loads(pickle.dumps(grid_map))
    assert copy.codes() == grid_map.codes()
    assert list(copy.levels()) == list(grid_map.levels())
    assert copy.proto == grid_map.proto


def test_a_pickled_rule_set_routes_every_incident_as_the_original(fq, grid_map, rules, facts):
    copy = pickle.loads(pickle.dumps(rules))
    assert copy.rule_ids() == rules.rule_ids()
    pd.testing.assert_frame_equal(fq.route_frame(copy, facts, copy.grid_map),
                                  fq.route_frame(rules, facts, grid_map))


def test_rule_sets_ship_to_worker_processes(fq, grid_map, rules, facts):
    import multiprocessing

    rows = facts.head(50)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        shipped = pool.apply(_route_in_worker, (rules, rows))
    pd.testing.assert_frame_equal(shipped, fq.route_frame(rules, rows, grid_map))


def _route_in_worker(rules, rows):
    import fengqiao

    return fengqiao.route_frame(rules, rows, rules.grid_map)
