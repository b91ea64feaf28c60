"""Open311 GeoReport v2 from Python: the service list of a rule set, requests to incidents,
cases to requests, and the specification's JSON and XML (the C++ ``interop`` module does the
mapping; see ``docs/interop.md`` for the status table). Routing rule tables out to and in from
GoRules JDM and DMN 1.3: :func:`export_rules`, :func:`import_rules`, :func:`load_rules_table`.

    services = fengqiao.interop.services(rules)
    incident = fengqiao.interop.to_incident(
        "service_code=dept-city_management&lat=29.932&long=122.182", grid_map, "12345-1")
    print(fengqiao.interop.to_json([fengqiao.interop.from_case(store.get("2026-10-000001"))]))
    dmn = fengqiao.interop.export_rules(rules, "dmn")
    back = fengqiao.interop.import_rules(dmn, "dmn")  # a fengqiao.v1.RuleSet
"""

from __future__ import annotations

import json
import os
import time
from typing import Any, List, Optional, Sequence

from fengqiao import _checked, _core
from fengqiao.errors import Error, InvalidArgumentError, NotFoundError
from fengqiao.privacy import masked
from fengqiao.v1 import case_pb2, incident_pb2, open311_pb2, routing_pb2


def services(rules: Any) -> List[open311_pb2.Open311Service]:
    """The district's services (GET services) for a compiled rule set or a ``v1.RuleSet``."""
    if isinstance(rules, routing_pb2.RuleSet):
        data = rules.SerializeToString()
    elif hasattr(rules, "proto"):
        data = rules.proto
    else:
        _checked.fail("rules", None, "expected a compiled RuleSet or a fengqiao.v1.RuleSet")
    return [open311_pb2.Open311Service.FromString(b) for b in _core.open311_services(data)]


def to_incident(body: Any, grid_map: Any, incident_id: str, received_at: Any = None,
                unmasked: bool = False) -> incident_pb2.Incident:
    """A POST requests body -> a validated ``v1.Incident`` located to its grid. ``body`` is the
    form-encoded text or a dict of the same fields (sent as JSON); ``received_at`` (default now)
    dates it unless the request has ``requested_datetime``. The requester's personal data is
    masked unless ``unmasked=True``. Raises InvalidArgumentError / NotFoundError naming the
    field, never its value (:func:`error` gives the specification's error)."""
    if isinstance(body, dict):
        text, content_type = json.dumps(body, ensure_ascii=False), "application/json"
    elif isinstance(body, str):
        text, content_type = body, "application/x-www-form-urlencoded"
    else:
        _checked.fail("body", None, "expected form-encoded text or a dict")
    at = time.time() if received_at is None else _checked.time_seconds(received_at,
                                                                        "received_at")
    incident = incident_pb2.Incident.FromString(_core.open311_incident(
        text, content_type, grid_map, _checked.text(incident_id, "incident_id"), at))
    return incident if unmasked else masked(incident)


def from_case(case: case_pb2.Case) -> open311_pb2.Open311ServiceRequest:
    """A case as GET requests reports it; personal data masked."""
    if not isinstance(case, case_pb2.Case):
        _checked.fail("case", None, f"expected a fengqiao.v1.Case, got {type(case).__name__}")
    return open311_pb2.Open311ServiceRequest.FromString(
        _core.open311_from_case(case.SerializeToString()))


def error(exc: Error) -> open311_pb2.Open311Error:
    """The specification's ``{code, description}`` for a fengqiao error (400 for invalid input,
    404 for an unknown service, 500 otherwise)."""
    if not isinstance(exc, Error):
        _checked.fail("exc", None, "expected a fengqiao.Error")
    code = ("InvalidArgument" if isinstance(exc, InvalidArgumentError)
            else "NotFound" if isinstance(exc, NotFoundError) else "Internal")
    return open311_pb2.Open311Error.FromString(_core.open311_error(code, str(exc)))


def _kind(items: Sequence[Any]) -> str:
    kinds = {type(i) for i in items}
    if len(kinds) > 1:
        _checked.fail("items", None, "mixes services, requests and errors")
    kind = next(iter(kinds), open311_pb2.Open311Service)
    names = {open311_pb2.Open311Service: "services",
             open311_pb2.Open311ServiceRequest: "requests", open311_pb2.Open311Error: "errors"}
    if kind not in names:
        _checked.fail("items", None, "expected Open311Service, Open311ServiceRequest or "
                      "Open311Error messages")
    return names[kind]


def to_json(items: Sequence[Any]) -> str:
    """Services, requests or errors as the specification's JSON array."""
    items = list(items)
    return _core.open311_write(_kind(items), [i.SerializeToString() for i in items], False)


def to_xml(items: Sequence[Any]) -> str:
    """Services, requests or errors as the specification's XML."""
    items = list(items)
    return _core.open311_write(_kind(items), [i.SerializeToString() for i in items], True)


def _format(format: Any) -> str:
    if not isinstance(format, str):
        _checked.fail("format", None, f"expected \"jdm\" or \"dmn\", got {type(format).__name__}")
    return format


def export_rules(rules: Any, format: str = "jdm") -> str:
    """A compiled rule set as a GoRules JDM (``"jdm"``) or DMN 1.3 (``"dmn"``) decision table:
    one row per rule, one input column per routing fact, the action as outputs (columns in
    ``docs/interop.md``). Raises InvalidArgumentError for a rule no cell can hold."""
    if not isinstance(rules, _core.RuleSet):
        _checked.fail("rules", None, f"expected a compiled RuleSet, got {type(rules).__name__}")
    return _core.export_rule_table(rules, _format(format))


def import_rules(table: Any, format: str, filename: str = "<table>") -> routing_pb2.RuleSet:
    """A JDM or DMN table (text or UTF-8 bytes) as a ``v1.RuleSet``, not yet compiled. Raises
    InvalidArgumentError ``filename:line:col: row N (rule "id"), column "c": cannot express ...``
    for what routing facts cannot hold, malformed JSON / XML and invalid UTF-8."""
    if isinstance(table, str):
        data = table.encode("utf-8", "surrogatepass")
    elif isinstance(table, bytes):
        data = table
    else:
        _checked.fail("table", None, f"expected text or bytes, got {type(table).__name__}")
    return routing_pb2.RuleSet.FromString(
        _core.import_rule_table(data, _format(format), _checked.text(filename, "filename")))


def load_rules_table(path: Any, format: Optional[str] = None) -> routing_pb2.RuleSet:
    """The table in the file ``path`` as a ``v1.RuleSet``; ``format`` defaults from the name
    (``.json`` is jdm, ``.dmn`` and ``.xml`` are dmn)."""
    if not isinstance(path, (str, os.PathLike)):
        _checked.fail("path", None, f"expected a path, got {type(path).__name__}")
    path = os.fspath(path)
    if format is None:
        lower = path.lower()
        if lower.endswith(".json"):
            format = "jdm"
        elif lower.endswith((".dmn", ".xml")):
            format = "dmn"
        else:
            _checked.fail("format", None, "not given and not known from the file name")
    return routing_pb2.RuleSet.FromString(_core.load_rule_table(path, _format(format)))
