#!/usr/bin/env python3
"""Checks the json-rules-engine translation that export_workload writes, without Node.

Evaluates each workload's json-rules-engine rules on its facts with that engine's documented
semantics (an `all` of conditions; operators equal, in, greaterThanInclusive, lessThanInclusive;
an undefined fact fails its condition, as with allowUndefinedFacts; rules run by descending
priority and the first success stops the run) and compares the first rule that fires with
fengqiao's decision for the same incident. A difference means the translation in
bench/peers/export_workload.cc no longer says what the rule set says, and run_peers.js would count
json-rules-engine's answers wrong.

  check_json_rules.py WORKLOAD_DIR [RULE_COUNT ...]
Exit status 0 when every incident agrees, 1 otherwise (the first differences are printed, as
incident index, the rule fengqiao chose, the rule the translation fires, and the facts that
differ between them).
"""
import json
import sys

OPERATORS = {
    "equal": lambda fact, value: fact == value,
    "in": lambda fact, value: fact in value,
    "greaterThanInclusive": lambda fact, value: fact >= value,
    "lessThanInclusive": lambda fact, value: fact <= value,
}


def holds(condition, facts):
    if "all" in condition:
        return all(holds(c, facts) for c in condition["all"])
    if "any" in condition:
        return any(holds(c, facts) for c in condition["any"])
    name = condition["fact"]
    if name not in facts:
        return False
    op = OPERATORS.get(condition["operator"])
    if op is None:
        raise ValueError(f"operator {condition['operator']!r} is not modelled")
    return op(facts[name], condition["value"])


def failed_conditions(rule, facts):
    return [c for c in rule["conditions"]["all"] if not holds(c, facts)]


def check(path):
    with open(path, encoding="utf-8") as f:
        w = json.load(f)
    rules = sorted(w["json_rules_engine"], key=lambda r: -r["priority"])
    priorities = [r["priority"] for r in rules]
    if len(set(priorities)) != len(priorities):
        print(f"{path}: priorities are not unique, so the first hit is not defined")
        return 1
    wrong = 0
    for n, (facts, expected) in enumerate(zip(w["facts"], w["expected"])):
        got = next((r["event"]["params"]["index"] for r in rules
                    if holds(r["conditions"], facts)), -1)
        if got != expected:
            wrong += 1
            if wrong <= 5:
                detail = ""
                if expected >= 0:
                    rule = next(r for r in rules if r["event"]["params"]["index"] == expected)
                    detail = f"; fengqiao's rule fails {failed_conditions(rule, facts)}"
                print(f"{path}: incident {n}: fengqiao rule {expected}, translation {got}{detail}")
    print(f"{path}: {len(w['facts'])} incidents, {len(rules)} rules, {wrong} differ")
    return 1 if wrong else 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 64
    counts = argv[2:] or ["20", "200", "2000"]
    return max(check(f"{argv[1]}/workload_{c}.json") for c in counts)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
