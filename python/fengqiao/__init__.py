"""fengqiao: grid-based community policing in the Fengqiao experience (枫桥经验), from Python.

A thin layer over the C++ library (``fengqiao._core``) for analysts::

    import fengqiao
    grid_map = fengqiao.load_grid_map("examples/data/grid_map.textproto")
    rules = fengqiao.compile_rules("examples/data/rules/district.textproto", grid_map)
    decisions = fengqiao.route_frame(rules, incidents_df)          # pandas in, pandas out
    records = fengqiao.metrics.records(fengqiao.open_case_store("build/sample_month.db"), grid_map)
    table = fengqiao.metrics.report(records, grid_map, by=["street", "category"])

Protobuf types are importable as ``fengqiao.v1.<module>_pb2``; functions take and return them.
Errors raise :class:`fengqiao.Error` subclasses with the library's message unchanged.
"""

from fengqiao.errors import (  # noqa: F401
    Aborted,
    AbortedError,
    DataLoss,
    DataLossError,
    Error,
    FailedPrecondition,
    FailedPreconditionError,
    InternalError,
    InvalidArgument,
    InvalidArgumentError,
    NotFound,
    NotFoundError,
    PermissionDeniedError,
    ResourceExhaustedError,
    UnavailableError,
)
from fengqiao import _core  # noqa: E402
from fengqiao import _pickle  # noqa: E402,F401  (GridMap and RuleSet pickle by source)
from fengqiao import briefing  # noqa: E402,F401
from fengqiao import interop  # noqa: E402,F401
from fengqiao import metrics  # noqa: E402,F401
from fengqiao import partitions  # noqa: E402,F401
from fengqiao import plot  # noqa: E402,F401
from fengqiao import privacy  # noqa: E402,F401
from fengqiao import vocabulary  # noqa: E402,F401
from fengqiao.closure import CaseAccess, CaseLoop, open_case_store, viewer  # noqa: E402,F401
from fengqiao.routing import (  # noqa: E402,F401
    catalogue_item,
    compare_decisions,
    compare_rule_sets,
    compile_rules,
    compile_rules_text,
    explain,
    incident_facts,
    lint_catalogue,
    lint_rules,
    load_catalogue,
    parse_catalogue,
    route,
    route_frame,
)

__version__ = _core.__version__


def load_grid_map(path):
    """Loads and validates a grid map file (text format, or JSON for ``.json``)."""
    return _core.GridMap.load(str(path))


def load_roster(path, grid_map):
    """Loads a roster (the 1+4+N forces), validated against ``grid_map``."""
    return _core.Roster.load(str(path), grid_map)
