import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"


@pytest.fixture(scope="session")
def fq():
    import fengqiao

    return fengqiao


@pytest.fixture(scope="session")
def grid_map(fq):
    return fq.load_grid_map(DATA / "grid_map.textproto")


@pytest.fixture(scope="session")
def rules(fq, grid_map):
    return fq.compile_rules(DATA / "rules" / "district.textproto", grid_map)


@pytest.fixture(scope="session")
def facts(fq, grid_map, rules):
    return fq.incident_facts(DATA / "incidents_2026-10.json", grid_map, rules)
