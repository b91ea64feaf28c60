"""The closure loop and the case store from Python (protobuf messages in and out)."""

from fengqiao import _core
from fengqiao.v1 import case_pb2


class CaseLoop:
    """A case with its event log; wraps ``fengqiao._core.CaseLoop`` with protobuf messages."""

    def __init__(self, core_loop):
        self._loop = core_loop

    @classmethod
    def open(cls, incident, decision, reported_at, actor):
        """Opens a case from a ``v1.Incident`` and its ``v1.Decision`` (``reported_at``: unix
        seconds)."""
        return cls(_core.CaseLoop.open(incident.SerializeToString(),
                                       decision.SerializeToString(), float(reported_at), actor))

    def record(self, event):
        """Appends a ``v1.CaseEvent``; raises FailedPrecondition when the state refuses it."""
        self._loop.record(event.SerializeToString())

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
        for data in self._loop.overdue(float(now)):
            d = case_pb2.Deadline()
            d.ParseFromString(data)
            out.append(d)
        return out


def open_case_store(path, read_only=False):
    """Opens (creating if needed) the SQLite case store at ``path``; ``read_only=True`` opens an
    existing store without changing anything (for metrics; ``save`` raises FailedPrecondition)."""
    return _core.SqliteCaseStore.open(str(path), read_only)
