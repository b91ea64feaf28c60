"""Exceptions raised by fengqiao: one per absl::Status code the library uses.

Every C++ call that fails raises a subclass of :class:`Error` carrying the library's message
unchanged (``str(e)`` and ``e.message``) and the canonical code name (``e.code``)::

    try:
        fengqiao.load_grid_map("bad.textproto")
    except fengqiao.InvalidArgument as e:
        print(e.message)   # "bad.textproto:3:1: ..."
"""


class Error(Exception):
    """Base class of every fengqiao error."""

    code = "UNKNOWN"

    @property
    def message(self):
        """The library's message, unchanged."""
        return self.args[0] if self.args else ""

    def __str__(self):
        return self.message


class InvalidArgumentError(Error, ValueError):
    """Bad input: a file, field or value at fault (the message names it)."""


class NotFoundError(Error, KeyError):
    """An unknown id, code or file."""


class FailedPreconditionError(Error):
    """The state must change first (e.g. closing a case before its revisit)."""


class AbortedError(Error):
    """A conflict with a concurrent writer (a case's stored log moved on): reload and retry."""


class DataLossError(Error):
    """Stored data that does not read back (a broken log or file)."""


class UnavailableError(Error):
    """A resource is busy; the call may be retried."""


class PermissionDeniedError(Error):
    """The process may not open or write the resource."""


class ResourceExhaustedError(Error):
    """Out of disk or another resource."""


class InternalError(Error):
    """A bug in fengqiao or a dependency."""


# Short names, as the issue tracker and the docs use them.
InvalidArgument = InvalidArgumentError
NotFound = NotFoundError
FailedPrecondition = FailedPreconditionError
DataLoss = DataLossError
Aborted = AbortedError

_BY_CODE = {
    3: InvalidArgumentError,
    5: NotFoundError,
    7: PermissionDeniedError,
    8: ResourceExhaustedError,
    9: FailedPreconditionError,
    10: AbortedError,
    13: InternalError,
    14: UnavailableError,
    15: DataLossError,
}


def error_for_code(code):
    """The exception class for an absl::StatusCode number (Error for codes without one)."""
    return _BY_CODE.get(int(code), Error)
