"""Grid maps and rosters from Python: ownership crosses the binding without holder objects."""
import gc

from conftest import DATA


def test_roster_outlives_the_python_reference_to_its_map(fq):
    # The roster shares its map in C++ (std::shared_ptr), so dropping the only Python reference to
    # the map must leave the roster usable.
    roster = fq.load_roster(DATA / "roster.textproto", fq.load_grid_map(DATA / "grid_map.textproto"))
    gc.collect()
    assert len(roster.team_ids()) > 0
    assert len(roster.proto) > 0


def test_roster_on_a_missing_file_raises_not_found(fq, grid_map):
    import pytest

    with pytest.raises(fq.errors.NotFoundError, match="nope.textproto"):
        fq.load_roster(DATA / "nope.textproto", grid_map)
