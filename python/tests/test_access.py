"""Who reads which case from Python: scopes, masking and the audit trail (CaseStore.access)."""

import pytest

T0 = 1791943200  # 2026-10-14 10:00 +08
NAME, PHONE = "郑小梅", "13912345678"


def _case(fq, case_id, grid, assignee=None):
    from fengqiao.v1 import case_pb2, incident_pb2, routing_pb2

    incident = incident_pb2.Incident(id=case_id, grid_code=grid,
                                     description=f"楼上噪音,我叫{NAME},电话{PHONE}")
    incident.parties.add(person_id="p-" + case_id, name=NAME, phone=PHONE)
    decision = routing_pb2.Decision(rule_id="r")
    decision.action.tier = routing_pb2.TIER_MEDIATOR
    loop = fq.CaseLoop.open(incident, decision, T0, "110")
    if assignee:
        e = case_pb2.CaseEvent(type=case_pb2.CASE_EVENT_TYPE_ASSIGN, actor="desk",
                               assignee=assignee)
        e.at.seconds = T0 + 10
        loop.record(e)
    return loop


@pytest.fixture
def store(fq, tmp_path):
    s = fq.open_case_store(tmp_path / "cases.db")
    s.save([_case(fq, "c1", "xc-lc-c1-g1"), _case(fq, "c2", "xc-lc-c2-g1", "m-7"),
            _case(fq, "c3", "xc-qd-c1-g1")], now=T0)
    return s


def test_each_role_sees_its_cases_masked_unless_it_may_and_asks(fq, store, grid_map):
    from fengqiao.closure import viewer

    chief = store.access(viewer("m-chief", "所长", ["xc-lc"], "supervision"), grid_map)
    assert chief.find() == ["c1", "c2"]
    masked = chief.get("c1", now=T0 + 60)
    assert masked.incident.parties[0].phone == "139****5678"
    assert PHONE not in str(masked) and NAME not in str(masked)
    clear = store.access(viewer("m-chief", "station_chief", "xc", "supervision", unmasked=True),
                         grid_map)
    assert clear.get("c3", now=T0 + 60).incident.parties[0].phone == PHONE
    mediator = store.access(viewer("m-7", "mediator"), grid_map)
    assert mediator.find() == ["c2"]
    assert [c.id for c in mediator.cases()] == ["c2"]
    with pytest.raises(fq.NotFoundError):
        mediator.get("c1")
    worker = store.access(viewer("m-w", "网格员", ["xc-lc-c1-g1"], unmasked=True), grid_map)
    partly = worker.get("c1", now=T0)
    assert partly.incident.parties[0].name == NAME
    assert PHONE not in str(partly)


def test_clear_reads_are_refused_to_analysts_and_bad_viewers_name_the_field(fq, store, grid_map):
    from fengqiao.closure import viewer
    from fengqiao.v1 import case_pb2

    with pytest.raises(fq.PermissionDeniedError, match="in clear"):
        store.access(viewer("m-a", "analyst", ["xc"], "analysis", unmasked=True), grid_map)
    with pytest.raises(fq.InvalidArgumentError, match=r"viewer.area_codes\[0\]"):
        store.access(viewer("m-a", "analyst", ["nowhere"], "analysis"), grid_map)
    with pytest.raises(fq.InvalidArgumentError, match="ViewerRole"):
        viewer("m-a", "sheriff")
    with pytest.raises(fq.InvalidArgumentError, match="viewer.role: 99"):
        store.access(case_pb2.Viewer(member_id="m", role=99, purpose=1), grid_map)
    with pytest.raises(fq.InvalidArgumentError, match="viewer"):
        store.access("m-chief", grid_map)
    with pytest.raises(fq.InvalidArgumentError, match="unmasked"):
        viewer("m-a", "analyst", ["xc"], unmasked="yes")


def test_the_audit_trail_records_clear_reads_and_exports_for_the_chief_only(fq, store, grid_map):
    from fengqiao.closure import viewer
    from fengqiao.v1 import case_pb2

    clear = store.access(viewer("m-chief", "所长", ["xc"], "supervision", unmasked=True),
                         grid_map)
    clear.get("c1", now=T0 + 100)
    store.access(viewer("m-chief", "所长", ["xc"], "supervision"), grid_map).get("c2")
    with pytest.raises(fq.FailedPreconditionError, match="export"):
        clear.export(now=T0)
    exporter = store.access(viewer("m-chief", "所长", ["xc"], "export"), grid_map)
    assert [c.id for c in exporter.export(now=T0 + 200)] == ["c1", "c2", "c3"]
    mediator = store.access(viewer("m-7", "mediator"), grid_map)
    with pytest.raises(fq.PermissionDeniedError, match="station chief"):
        mediator.audit_trail()
    trail = clear.audit_trail(now=T0 + 300)
    assert [r.action for r in trail] == [case_pb2.AUDIT_ACTION_READ_UNMASKED,
                                         case_pb2.AUDIT_ACTION_EXPORT]
    assert list(trail[0].case_ids) == ["c1"] and trail[0].at.seconds == T0 + 100
    assert trail[0].viewer.member_id == "m-chief" and trail[0].unmasked
    assert not trail[1].unmasked
    assert len(clear.audit_trail(case_id="c3")) == 1
    assert len(clear.audit_trail(action="read_audit")) == 2
    assert len(clear.audit_trail(since=T0 + 150, until=T0 + 250)) == 1


def test_erasing_a_tenth_of_the_parties_leaves_the_compstat_sheet_unchanged(fq, grid_map,
                                                                            tmp_path):
    """The sample month as the main job stores it; the CompStat sheet `fengqiao metrics` prints
    and the analysts' record frame are the same before and after erasing every tenth person."""
    import subprocess

    import pandas as pd

    from conftest import DATA, ROOT
    from fengqiao.closure import viewer

    cli = str(ROOT / "build" / "tools" / "fengqiao")
    db = tmp_path / "month.db"
    subprocess.run([cli, "district", str(DATA), "--db", str(db)], check=True,
                   capture_output=True)

    def sheet():
        return subprocess.run([cli, "metrics", str(db), str(DATA / "grid_map.textproto"),
                               "street,category"], check=True, capture_output=True,
                              text=True).stdout

    with pytest.raises(fq.Error):  # the district's folder is a path
        fq.open_case_store(db, district=123)
    # The store replays each log under the district's rules (its holidays, 督办) when erasing.
    store = fq.open_case_store(db, district=DATA)
    before_sheet, before = sheet(), fq.metrics.records(store, grid_map)
    people = sorted({p.person_id for c in store.cases() for p in c.incident.parties
                     if p.person_id})
    chosen = people[::10]
    eraser = store.access(viewer("m-chief", "所长", ["zs"], "erasure"), grid_map)
    one = eraser.erase_person(chosen[0], now=T0)
    rest = eraser.erase_person(chosen[1:], now=T0)
    assert one.parties >= 1 and rest.parties >= len(chosen) - 1
    assert len(set(one.case_ids) | set(rest.case_ids)) >= len(chosen)
    after = fq.metrics.records(store, grid_map)
    pd.testing.assert_frame_equal(after, before)
    assert sheet() == before_sheet
    # An analyst of one street gets that street's records, the same as the store's.
    street = "xc-lc"
    analyst = store.access(viewer("m-a", "分析员", [street], "analysis"), grid_map)
    mine = fq.metrics.records(analyst, grid_map)
    in_street = {c.id for c in store.cases() if c.incident.grid_code.startswith(street + "-")}
    assert set(mine["case_id"]) == in_street and 0 < len(mine) < len(after)
    pd.testing.assert_frame_equal(
        mine.drop(columns=["flags"]).reset_index(drop=True),
        after[after["case_id"].isin(in_street)].drop(columns=["flags"]).reset_index(drop=True))
    left = {p.person_id for c in store.cases() for p in c.incident.parties}
    assert not left & set(chosen)
    chief = store.access(viewer("m-chief", "所长", ["zs"], "supervision"), grid_map)
    trail = chief.audit_trail(action="erase")
    assert [r.parties_erased for r in trail] == [one.parties, rest.parties]
    assert list(trail[1].case_ids) == rest.case_ids


def test_the_store_masks_what_it_returns_unless_asked_and_a_masked_copy_is_not_saved(fq, store):
    from fengqiao.v1 import case_pb2

    masked = store.get("c1")
    assert PHONE not in str(masked) and NAME not in str(masked)
    assert all(PHONE not in str(c) for c in store.cases())
    clear = store.get("c1", unmasked=True)
    assert clear.incident.parties[0].phone == PHONE
    with pytest.raises(fq.InvalidArgumentError, match="unmasked"):
        store.get("c1", unmasked="yes")
    # The engine's load-record-save works on the clear copy; a masked copy is refused.
    for copy, ok in ((masked, False), (clear, True)):
        loop = fq.CaseLoop.restore(copy)
        e = case_pb2.CaseEvent(type=case_pb2.CASE_EVENT_TYPE_ASSIGN, actor="desk", assignee="m-1")
        e.at.seconds = T0 + 30
        loop.record(e)
        if ok:
            store.save([loop], now=T0 + 60)
        else:
            with pytest.raises(fq.AbortedError, match="masked copy"):
                store.save([loop], now=T0 + 60)
    assert store.get("c1", unmasked=True).incident.parties[0].phone == PHONE
