"""The closure loop and the case store from Python (protobuf messages in and out)."""

import collections

import numpy as np

from fengqiao import _checked, _core, privacy, vocabulary
from fengqiao.v1 import case_pb2, incident_pb2, routing_pb2, taxonomy_pb2


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

    @classmethod
    def restore(cls, case):
        """Rebuilds a case from a stored ``v1.Case`` (its log replayed event by event), e.g. from
        ``store.get(case_id, unmasked=True)``, to record events and save it again."""
        return cls(_core.CaseLoop.restore(_message(case, case_pb2.Case, "case")))

    def record(self, event):
        """Appends a ``v1.CaseEvent``; raises FailedPrecondition when the state refuses it."""
        self._loop.record(_message(event, case_pb2.CaseEvent, "event"))

    def merge(self, duplicate, at, actor):
        """并单: merges the ``CaseLoop`` ``duplicate`` (the same matter asked again) into this
        order, all or nothing: this order records MERGE (by the command room) keeping the
        duplicate's requester, the duplicate records MARK_DUPLICATE naming this order. Save both
        in one ``CaseStore.save``. Raises FailedPrecondition when either case refuses it."""
        if not isinstance(duplicate, CaseLoop):
            _checked.fail("duplicate", None,
                          f"expected a fengqiao.CaseLoop, got {type(duplicate).__name__}")
        self._loop.merge(duplicate._loop, _checked.time_seconds(at, "at"),
                         _checked.text(actor, "actor"))

    @property
    def requests(self):
        """Every requester's report (``v1.Incident``): the order's own first, then those merged
        into it (并单), in order."""
        out = []
        for data in self._loop.requests:
            r = incident_pb2.Incident()
            r.ParseFromString(data)
            out.append(r)
        return out

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


class CaseStore:
    """The SQLite case store, protobuf messages in and out: ``save`` takes ``v1.Case`` messages
    (or ``CaseLoop`` objects), ``get`` and ``cases`` return ``v1.Case`` messages, ``find`` takes
    states and tiers by name or number and times as datetimes, ISO strings or unix seconds."""

    def __init__(self, core_store):
        self._store = core_store

    def save(self, cases, now=None):
        """Saves the cases in one transaction, dated ``now`` (the wall clock when None). Raises
        AbortedError when a case's stored log moved on since it was read: reload and retry."""
        if isinstance(cases, (case_pb2.Case, CaseLoop)):
            cases = [cases]
        data = []
        for i, c in enumerate(cases):
            if isinstance(c, CaseLoop):
                c = c.case
            data.append(_message(c, case_pb2.Case, f"cases[{i}]"))
        self._store.save(data, None if now is None else _checked.time_seconds(now, "now"))

    def get(self, case_id, unmasked=False):
        """The case ``case_id`` with its log, as a ``v1.Case``, personal data masked (names,
        phones, free text); NotFoundError when absent. ``unmasked=True`` returns it in clear:
        what the engine needs to restore a case, record an event and save it again (saving a
        masked copy is refused with AbortedError, so masked values are never written back).
        People read cases through :meth:`access`, which scopes and audits."""
        if not isinstance(unmasked, (bool, np.bool_)):
            _checked.fail("unmasked", None, "expected True or False")
        c = case_pb2.Case()
        c.ParseFromString(self._store.get(_checked.text(case_id, "case_id")))
        return c if unmasked else privacy.masked(c)

    def find(self, state=None, grid="", tier=None, assignee="", overdue_at=None, limit=0,
             saved_since=None):
        """Ids of the cases selected, ascending: by ``state`` and ``tier`` (enum names, labels or
        numbers), ``grid`` code, ``assignee``, open deadlines due before ``overdue_at``, saved at
        or after ``saved_since``; at most ``limit`` (0: all)."""
        def enum(value, enum_type, name):
            if value is None:
                return None
            if isinstance(value, str):
                return vocabulary.parse(enum_type, value)
            return int(_checked.enum_numbers([value], name, enum_type)[0])

        return self._store.find(
            enum(state, case_pb2.CaseState, "state"), _checked.text(grid, "grid"),
            enum(tier, routing_pb2.Tier, "tier"), _checked.text(assignee, "assignee"),
            None if overdue_at is None else _checked.time_seconds(overdue_at, "overdue_at"),
            int(_checked.integers([limit], "limit", np.int32, lo=0)[0]),
            None if saved_since is None else _checked.time_seconds(saved_since, "saved_since"))

    def cases(self, unmasked=False, **query):
        """The selected cases (see :meth:`find`) as ``v1.Case`` messages, one at a time, masked
        unless ``unmasked=True`` (see :meth:`get`)."""
        for case_id in self.find(**query):
            yield self.get(case_id, unmasked)

    def access(self, viewer, grid_map):
        """The cases as ``viewer`` (a ``v1.Viewer``, see :func:`viewer`) may see them: a
        :class:`CaseAccess`. Raises InvalidArgumentError for a bad viewer (the field named) and
        PermissionDeniedError when the role may not read in clear for the purpose.

        ``get`` on the store itself returns cases in clear: it is the engine's handle, for
        loading a case, recording an event and saving it again; people read through ``access``."""
        return CaseAccess(_core.CaseAccess.open(
            self._store, grid_map, _message(viewer, case_pb2.Viewer, "viewer")))

    def count_cases(self):
        return self._store.count_cases()

    def count_events(self):
        return self._store.count_events()


def viewer(member_id, role, areas=(), purpose="case_handling", unmasked=False,
           department=None):
    """A ``v1.Viewer``: who reads (``member_id``), in which ``role`` (a ``ViewerRole`` name,
    short name, label such as "所长", or number), over which ``areas`` (grid-map codes), for
    which ``purpose`` (an ``AccessPurpose``), asking for personal data in clear or not, and for
    a department's desk its ``department``."""
    v = case_pb2.Viewer()
    v.member_id = _checked.text(member_id, "member_id")
    v.role = vocabulary.parse(case_pb2.ViewerRole, role)
    if isinstance(areas, str):
        areas = [areas]
    for i, a in enumerate(areas):
        v.area_codes.append(_checked.text(a, f"areas[{i}]"))
    v.purpose = vocabulary.parse(case_pb2.AccessPurpose, purpose)
    if not isinstance(unmasked, (bool, np.bool_)):
        _checked.fail("unmasked", None, "expected True or False")
    v.unmasked = bool(unmasked)
    if department is not None:
        v.department = vocabulary.parse(taxonomy_pb2.Department, department)
    return v


class CaseAccess:
    """A person's access to the case store (个人信息保护): only the cases of their role and
    areas, personal data masked unless the role and purpose need it in clear; every read in
    clear, every export and every reading of the audit trail is recorded in the store's
    append-only audit trail first. Open it with :meth:`CaseStore.access`."""

    def __init__(self, core_access):
        self._access = core_access

    def get(self, case_id, now=None):
        """The case as the viewer may see it (``v1.Case``); NotFoundError both for a case not
        stored and one not the viewer's. ``now`` dates the audit record (wall clock if None)."""
        c = case_pb2.Case()
        c.ParseFromString(self._access.get(
            _checked.text(case_id, "case_id"),
            None if now is None else _checked.time_seconds(now, "now")))
        return c

    def find(self, **query):
        """Ids of the viewer's cases selected, as :meth:`CaseStore.find`."""
        return CaseStore.find(_Finder(self._access), **query)

    def cases(self, now=None, **query):
        """The viewer's selected cases as ``v1.Case`` messages, one at a time."""
        for case_id in self.find(**query):
            yield self.get(case_id, now)

    def export(self, now=None):
        """Every case of the viewer, masked as :meth:`get`, recorded in the audit trail as an
        export; the viewer's purpose must be "export" (FailedPreconditionError otherwise)."""
        out = []
        for data in self._access.export(None if now is None else _checked.time_seconds(now, "now")):
            c = case_pb2.Case()
            c.ParseFromString(data)
            out.append(c)
        return out

    def erase_person(self, person_id, now=None):
        """Erases personal data on a lawful request (the station chief, purpose "erasure"): in
        every case of the chief's areas where ``person_id`` (or any id of a list of them) is a
        party, its name and phone are erased, its person id replaced by a pseudonymous id (one
        per person, the same in every case), and the case's free text masked; every metric
        stays as it was. One pass and one audit record for the whole list. Returns an
        :class:`Erasure`."""
        ids = [person_id] if isinstance(person_id, str) else list(person_id)
        ids, parties = self._access.erase_people(
            [_checked.text(p, f"person_id[{i}]") for i, p in enumerate(ids)],
            None if now is None else _checked.time_seconds(now, "now"))
        return Erasure(list(ids), int(parties))

    def erase_closed_before(self, reported_before, now=None):
        """Retention: erases the parties and masks the free text of every closed case reported
        before ``reported_before`` (a datetime, ISO string or unix seconds)."""
        ids, parties = self._access.erase_closed_before(
            _checked.time_seconds(reported_before, "reported_before"),
            None if now is None else _checked.time_seconds(now, "now"))
        return Erasure(list(ids), int(parties))

    def audit_trail(self, since=None, until=None, member_id="", case_id="", action=None,
                    limit=0, now=None):
        """The audit trail (``v1.AuditRecord`` messages in order), the station chief's only
        (PermissionDeniedError otherwise): records at or after ``since`` and before ``until``,
        of one viewer, naming one case, of one ``action`` (an ``AuditAction``), at most
        ``limit``. The reading is itself recorded."""
        data = self._access.audit_trail(
            None if since is None else _checked.time_seconds(since, "since"),
            None if until is None else _checked.time_seconds(until, "until"),
            _checked.text(member_id, "member_id"), _checked.text(case_id, "case_id"),
            None if action is None else vocabulary.parse(case_pb2.AuditAction, action),
            int(_checked.integers([limit], "limit", np.int32, lo=0)[0]),
            None if now is None else _checked.time_seconds(now, "now"))
        out = []
        for d in data:
            r = case_pb2.AuditRecord()
            r.ParseFromString(d)
            out.append(r)
        return out


Erasure = collections.namedtuple("Erasure", ["case_ids", "parties"])
Erasure.__doc__ = "What an erasure changed: the case ids, ascending, and the parties erased."


class _Finder:
    """Lets CaseAccess.find share CaseStore.find's checked arguments."""

    def __init__(self, core):
        self._store = core


def core_store(store):
    """The C++ store behind a CaseStore (what the bindings take)."""
    return store._store if isinstance(store, CaseStore) else store


def open_case_store(path, read_only=False, key_file=None, key_env=None, district=None):
    """Opens (creating if needed) the SQLite case store at ``path`` as a :class:`CaseStore`;
    ``read_only=True`` opens an existing store without changing anything (for metrics; ``save``
    raises FailedPrecondition). An encrypted store is opened with its key, read from
    ``key_file`` (a file of 64 hex digits that only its owner may read) or from the environment
    variable named ``key_env`` (e.g. "FENGQIAO_STORE_KEY"), never passed as a value; a new store
    opened with a key is encrypted. A wrong key raises PermissionDeniedError, a missing one
    FailedPreconditionError. ``district``: the district's data folder (``examples/data``) whose
    rules (holidays, ``work_orders.textproto``) the cases are recorded under; ``save`` and
    erasures replay each log under them. None: the library's defaults."""
    if not isinstance(read_only, (bool, np.bool_)):
        _checked.fail("read_only", None, "expected True or False")
    if key_file is not None and key_env is not None:
        _checked.fail("key_file", None, "give key_file or key_env, not both")
    return CaseStore(_core.SqliteCaseStore.open(
        str(path), bool(read_only), "" if key_file is None else str(key_file),
        "" if key_env is None else _checked.text(key_env, "key_env"),
        "" if district is None else _checked.path(district, "district")))
