"""The closure loop and the case store from Python (protobuf messages in and out)."""

import numpy as np

from fengqiao import _checked, _core
from fengqiao.v1 import case_pb2, incident_pb2, routing_pb2


def _message(value, cls, name):
    if not isinstance(value, cls):
        _checked.fail(name, None, f"expected a {cls.DESCRIPTOR.full_name}, got "
                      f"{type(value).__name__}")
    return value.SerializeToString()


class CaseLoop:
    """A case with its event log; wraps ``fengqiao._core.CaseLoop`` with protobuf messages."""

    def __init__(self, core_loop):
        self._loop = core_loop

    @classmethod
    def open(cls, incident, decision, reported_at, actor):
        """Opens a case from a ``v1.Incident`` and its ``v1.Decision``. ``reported_at``: unix
        seconds, a datetime / ``pd.Timestamp`` or an ISO string (naive: China time); NaN, inf
        and times outside 1900..2200 raise InvalidArgumentError."""
        return cls(_core.CaseLoop.open(
            _message(incident, incident_pb2.Incident, "incident"),
            _message(decision, routing_pb2.Decision, "decision"),
            _checked.time_seconds(reported_at, "reported_at"), _checked.text(actor, "actor")))

    def record(self, event):
        """Appends a ``v1.CaseEvent``; raises FailedPrecondition when the state refuses it."""
        self._loop.record(_message(event, case_pb2.CaseEvent, "event"))

    @property
    def state(self):
        """The case's state (``v1.CaseState`` number)."""
        return self._loop.state

    @property
    def case(self):
        """The case as a ``v1.Case`` message (a copy)."""
        c = case_pb2.Case()
        c.ParseFromString(self._loop.proto)
        return c

    def overdue(self, now):
        """Deadlines (``v1.Deadline``) due before ``now`` (unix seconds) and not met."""
        out = []
        for data in self._loop.overdue(_checked.time_seconds(now, "now")):
            d = case_pb2.Deadline()
            d.ParseFromString(data)
            out.append(d)
        return out


def open_case_store(path, read_only=False):
    """Opens (creating if needed) the SQLite case store at ``path``; ``read_only=True`` opens an
    existing store without changing anything (for metrics; ``save`` raises FailedPrecondition)."""
    if not isinstance(read_only, (bool, np.bool_)):
        _checked.fail("read_only", None, "expected True or False")
    return _core.SqliteCaseStore.open(str(path), bool(read_only))
