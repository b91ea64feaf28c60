"""The SQLite case store from Python: optimistic concurrency and the caller's clock."""

import pytest

T0 = 1791943200  # 2026-10-14 10:00 +08


def _assigned(fq, rules, case_id):
    from fengqiao.v1 import case_pb2, incident_pb2, taxonomy_pb2

    incident = incident_pb2.Incident(id=case_id, grid_code="xc-lc-c1-g1",
                                     kind=incident_pb2.INCIDENT_KIND_DISPUTE,
                                     dispute_type=taxonomy_pb2.DISPUTE_TYPE_NOISE,
                                     channel=incident_pb2.CHANNEL_CALL_110)
    incident.reported_at.seconds = T0
    loop = fq.CaseLoop.open(incident, fq.route(rules, incident), T0, "110")
    e = case_pb2.CaseEvent(type=case_pb2.CASE_EVENT_TYPE_ASSIGN, actor="m-1", assignee="m-1")
    e.at.seconds = T0 + 10
    loop.record(e)
    return loop


def _event(kind, at, **fields):
    from fengqiao.v1 import case_pb2

    e = case_pb2.CaseEvent(type=kind, actor="m-1", **fields)
    e.at.seconds = at
    return e


def test_the_second_of_two_writers_of_one_case_gets_aborted(fq, rules, tmp_path):
    from fengqiao.v1 import case_pb2, taxonomy_pb2

    store = fq.open_case_store(tmp_path / "cases.db")
    store.save([_assigned(fq, rules, "c1").case], now=T0 + 60)
    a, b = _assigned(fq, rules, "c1"), _assigned(fq, rules, "c1")  # both read the stored case
    a.record(_event(case_pb2.CASE_EVENT_TYPE_ACCEPT, T0 + 20))
    b.record(_event(case_pb2.CASE_EVENT_TYPE_RETURN, T0 + 25, reason="not ours",
                    should_go_to=taxonomy_pb2.DEPARTMENT_COMMUNITY))
    store.save([a.case], now=T0 + 60)
    with pytest.raises(fq.AbortedError) as raised:
        store.save([b.case], now=T0 + 60)
    assert '"c1"' in raised.value.message and "store holds seq" in raised.value.message
    assert isinstance(raised.value, fq.Error)
    stored = store.get("c1")
    assert isinstance(stored, case_pb2.Case)
    assert stored.state == case_pb2.CASE_STATE_ACCEPTED
    assert stored == a.case


def test_a_log_that_does_not_replay_is_invalid_argument(fq, rules, tmp_path):
    from fengqiao.v1 import case_pb2

    store = fq.open_case_store(tmp_path / "cases.db")
    c = _assigned(fq, rules, "c1").case
    c.state = case_pb2.CASE_STATE_CLOSED
    with pytest.raises(fq.InvalidArgument, match="header says"):
        store.save([c], now=T0)
    assert store.count_cases() == 0


def test_saves_are_dated_by_the_callers_clock(fq, rules, tmp_path):
    store = fq.open_case_store(tmp_path / "cases.db")
    store.save([_assigned(fq, rules, "early").case], now=T0 + 100)
    store.save([_assigned(fq, rules, "late").case], now=T0 + 200)
    assert store.find(saved_since=T0 + 100) == ["early", "late"]
    assert store.find(saved_since=T0 + 101) == ["late"]
    assert store.find(saved_since=T0 + 201) == []


def test_a_read_only_store_reads_and_refuses_to_save(fq, rules, tmp_path):
    path = tmp_path / "cases.db"
    writer = fq.open_case_store(path)
    writer.save([_assigned(fq, rules, "c1").case], now=T0)
    reader = fq.open_case_store(path, read_only=True)
    assert reader.find() == ["c1"] and reader.count_events() == writer.count_events()
    with pytest.raises(fq.FailedPrecondition, match="read-only"):
        reader.save([_assigned(fq, rules, "c2").case], now=T0)
    with pytest.raises(fq.NotFound):
        fq.open_case_store(tmp_path / "missing.db", read_only=True)


@pytest.mark.parametrize("path", ["", ":memory:"])
def test_a_path_that_is_not_durable_is_refused(fq, path):
    with pytest.raises(fq.InvalidArgument, match="durable"):
        fq.open_case_store(path)


def test_the_store_takes_and_returns_messages_and_queries_by_name(fq, rules, tmp_path):
    from fengqiao.v1 import case_pb2, routing_pb2

    store = fq.open_case_store(tmp_path / "cases.db")
    loop = _assigned(fq, rules, "c9")
    store.save(loop, now="2026-10-01T08:00:00+08:00")  # a CaseLoop, one case, an ISO time
    assert store.find(state=case_pb2.Case.FromString(loop.case.SerializeToString()).state) == ["c9"]
    assert store.find(state=case_pb2.CaseState.Name(loop.state)) == ["c9"]
    assert store.find(tier=routing_pb2.Tier.Name(loop.case.decision.action.tier)) == ["c9"]
    assert [c.id for c in store.cases(grid=loop.case.incident.grid_code)] == ["c9"]
    with pytest.raises(fq.InvalidArgumentError, match=r"cases\[0\]"):
        store.save([loop.case.SerializeToString()])  # bytes are not a message
    with pytest.raises(fq.InvalidArgumentError, match="state"):
        store.find(state="no such state")
    with pytest.raises(fq.NotFoundError):
        store.get("absent")


def test_an_encrypted_store_needs_its_key_from_a_file_or_the_environment(fq, rules, tmp_path,
                                                                          monkeypatch):
    key = tmp_path / "store.key"
    key.write_text("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n")
    key.chmod(0o600)
    db = tmp_path / "cases.db"
    store = fq.open_case_store(db, key_file=key)
    store.save([_assigned(fq, rules, "c1").case], now=T0)
    assert store.get("c1").id == "c1"
    del store
    with pytest.raises(fq.FailedPreconditionError, match="encrypted"):
        fq.open_case_store(db)
    monkeypatch.setenv("FQ_TEST_KEY", "ff" * 32)
    with pytest.raises(fq.PermissionDeniedError, match="wrong key"):
        fq.open_case_store(db, key_env="FQ_TEST_KEY")
    monkeypatch.setenv("FQ_TEST_KEY", key.read_text().strip())
    assert fq.open_case_store(db, read_only=True, key_env="FQ_TEST_KEY").count_cases() == 1
    key.chmod(0o644)
    with pytest.raises(fq.PermissionDeniedError, match="chmod 600"):
        fq.open_case_store(db, key_file=key)
    with pytest.raises(fq.InvalidArgumentError, match="not both"):
        fq.open_case_store(db, key_file=key, key_env="FQ_TEST_KEY")
    monkeypatch.delenv("FQ_TEST_KEY")
    with pytest.raises(fq.NotFoundError, match="FQ_TEST_KEY"):
        fq.open_case_store(db, key_env="FQ_TEST_KEY")
