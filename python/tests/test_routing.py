"""Routing DataFrames: one call, the same decisions as routing row by row."""

import json

import numpy as np
import pandas as pd
import pytest

from conftest import DATA


def test_route_frame_routes_the_sample_month(fq, rules, facts):
    out = fq.route_frame(rules, facts)
    # Every incident of the month (a station's month: a few hundred).
    month = json.loads((DATA / "incidents_2026-10.json").read_text(encoding="utf-8"))["incidents"]
    assert len(out) == len(facts) == len(month) >= 300
    assert (out["rule_index"] >= 0).all()
    assert out.index.equals(facts.index)
    non_police = facts["kind"] == 8
    assert (out.loc[non_police, "tier"] == "department diversion (分流)").all()
    assert isinstance(out["tier"].dtype, pd.CategoricalDtype)
    assert isinstance(out["department"].dtype, pd.CategoricalDtype)
    assert out["department"].isna().any()  # a rule naming no department: missing, not "unspecified"
    assert "unspecified (未指定)" not in out["tier"].cat.categories


def test_route_frame_agrees_with_route_row_by_row(fq, rules, facts):
    from fengqiao.v1 import incident_pb2

    log = json.loads((DATA / "incidents_2026-10.json").read_text(encoding="utf-8"))
    frame = fq.route_frame(rules, facts)
    from google.protobuf import json_format

    for i, raw in enumerate(log["incidents"][:300]):
        incident = json_format.ParseDict(raw, incident_pb2.Incident())
        d = fq.route(rules, incident, int(facts["repeat_count"][i]))
        assert d.rule_id == frame["rule_id"][i], raw["id"]


def test_enum_names_and_numbers_both_work(fq, rules, grid_map):
    frame = pd.DataFrame({
        "grid_code": ["xc-lc-c1-g1", "xc-qd-c2-g3", "nowhere"],
        "kind": ["INCIDENT_KIND_DISPUTE", "INCIDENT_KIND_NON_POLICE", "INCIDENT_KIND_FRAUD"],
        "dispute_type": ["DISPUTE_TYPE_NOISE", None, None],
        "department": [None, "DEPARTMENT_CITY_MANAGEMENT", None],
        "severity": [1, 1, 2],
    })
    out = fq.route_frame(rules, frame, grid_map)
    assert list(out["rule_id"]) == ["noise-property-butler", "divert-city-management",
                                    "crime-and-public-order"]
    assert out["department"][1] == "city management (城管)"
    with pytest.raises(ValueError, match="DISPUTE_TYPE_NOSIE"):
        fq.route_frame(rules, frame.assign(dispute_type=["DISPUTE_TYPE_NOSIE", None, None]),
                       grid_map)


def test_columns_of_different_lengths_are_an_error(fq, rules):
    with pytest.raises(fq.InvalidArgument, match="column kind has 1 rows"):
        rules.route_columns(area=np.zeros(3, dtype=np.int32), kind=np.ones(1, dtype=np.uint8))


def test_compare_rule_sets_counts_what_moves(fq, rules, grid_map, facts):
    text = (DATA / "rules" / "district.textproto").read_text(encoding="utf-8")
    # What if noise complaints went to the community police instead of the property butler?
    changed = text.replace(
        "tier: TIER_MEDIATOR target_force_type: FORCE_TYPE_PROPERTY_MANAGER",
        "tier: TIER_COMMUNITY_POLICE target_force_type: FORCE_TYPE_POLICE")
    assert changed != text
    new = fq.compile_rules_text(changed, str(DATA / "rules" / "what_if.textproto"), grid_map)
    moves, by_type = fq.compare_rule_sets(facts, rules, new, grid_map, by=["dispute_type"])
    noise_routed = (fq.route_frame(rules, facts)["rule_id"] == "noise-property-butler").sum()
    assert noise_routed > 0
    assert moves["cases"].sum() == noise_routed
    assert set(moves["old_tier"]) == {"mediator (调解员)"}
    assert set(moves["new_tier"]) == {"community police (社区民警)"}
    assert by_type.loc[8, "moved"] == noise_routed  # DISPUTE_TYPE_NOISE = 8
    assert by_type["moved"].sum() == noise_routed


def test_incident_facts_reads_json_lines_one_incident_at_a_time(fq, grid_map, rules, tmp_path):
    log = json.loads((DATA / "incidents_2026-10.json").read_text(encoding="utf-8"))
    path = tmp_path / "month.jsonl"
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n"
                            for i in log["incidents"][:80]), encoding="utf-8")
    lines = fq.incident_facts(path, grid_map, rules)
    whole = fq.incident_facts(DATA / "incidents_2026-10.json", grid_map, rules).head(80)
    pd.testing.assert_frame_equal(lines, whole)
    bad = log["incidents"][:3]
    bad[2] = dict(bad[2], grid_code="nowhere")
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in bad),
                    encoding="utf-8")
    with pytest.raises(fq.InvalidArgumentError, match=r"month\.jsonl:3:.*grid_code") as e:
        fq.incident_facts(path, grid_map, rules)
    for party in bad[2].get("parties", []):
        assert party.get("phone", "-") not in str(e.value)


def test_route_frame_on_several_threads_gives_the_same_frame(fq, rules, grid_map, facts):
    big = facts.sample(50_000, replace=True, random_state=3).reset_index(drop=True)
    one = fq.route_frame(rules, big, grid_map)
    pd.testing.assert_frame_equal(fq.route_frame(rules, big, grid_map, threads=2), one)
    pd.testing.assert_frame_equal(fq.route_frame(rules, big, grid_map, threads=7), one)
    for bad in (0, -1, 1.5, True, "2", 10_000):
        with pytest.raises(fq.InvalidArgumentError, match="threads"):
            fq.route_frame(rules, big.head(3), grid_map, threads=bad)


def test_route_frame_on_threads_in_a_forked_child_gives_the_same_frame(fq, rules, grid_map, facts):
    """The pool's workers do not survive fork (multiprocessing's default on Linux): a child that
    routes on several threads starts its own and gets the parent's frame."""
    import os

    big = facts.sample(50_000, replace=True, random_state=4).reset_index(drop=True)
    one = fq.route_frame(rules, big, grid_map, threads=2)  # the parent's workers are running
    pid = os.fork()
    if pid == 0:  # the child: exit status 0 only when its frame equals the parent's
        code = 2
        try:
            code = 0 if fq.route_frame(rules, big, grid_map, threads=2).equals(one) else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def test_incident_facts_for_several_rule_sets_read_the_file_once_with_each_sets_tags(
        fq, grid_map, rules, tmp_path):
    """A list of rule sets: one read, one frame per set, each what reading with that set alone
    gives (the tag bits are each set's own: street_qd's maritime rule knows tags the district's
    rules number otherwise)."""
    street = fq.compile_rules(DATA / "rules" / "street_qd.textproto", grid_map)
    log = json.loads((DATA / "incidents_2026-10.json").read_text(encoding="utf-8"))
    path = tmp_path / "tagged.jsonl"
    incidents = log["incidents"][:120]
    for i, incident in enumerate(incidents):
        if i % 3 == 0:
            incident["tags"] = ["maritime"]  # known to street_qd's rules only
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in incidents),
                    encoding="utf-8")
    both = fq.incident_facts(path, grid_map, [rules, street])
    assert isinstance(both, list) and len(both) == 2
    pd.testing.assert_frame_equal(both[0], fq.incident_facts(path, grid_map, rules))
    pd.testing.assert_frame_equal(both[1], fq.incident_facts(path, grid_map, street))
    assert fq.incident_facts(path, grid_map, (street,))[0].equals(both[1])
    assert (both[0]["tags"] == 0).all() and (both[1]["tags"] != 0).sum() == 40
    for bad, where in (([rules, None], r"rules: row 1"), ([rules, "rules"], r"rules: row 1"),
                       (grid_map, r"rules: expected a compiled RuleSet")):
        with pytest.raises(fq.InvalidArgumentError, match=where):
            fq.incident_facts(path, grid_map, bad)
