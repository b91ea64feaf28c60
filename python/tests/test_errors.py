"""Status codes become Python exceptions with the library's message unchanged."""

import pytest


def test_malformed_grid_map_is_invalid_argument_naming_file_line_and_column(fq):
    with pytest.raises(fq.InvalidArgument) as info:
        fq._core.GridMap.parse('name: "m"\nareas { code: "a" \n', "bad.textproto")
    assert "bad.textproto:3:1" in info.value.message
    assert info.value.code == "INVALID_ARGUMENT"
    assert isinstance(info.value, ValueError) and isinstance(info.value, fq.Error)


def test_missing_file_is_not_found_and_a_key_error(fq):
    with pytest.raises(fq.NotFound) as info:
        fq.load_grid_map("/nonexistent/map.textproto")
    assert str(info.value) == "/nonexistent/map.textproto: cannot open file"
    assert isinstance(info.value, KeyError)


def test_broken_rule_file_lists_every_error(fq, grid_map):
    text = (
        'rules { id: "a" when { amount_fen { min: 9 max: 1 } } then { tier: TIER_MEDIATOR } }\n'
        'rules { id: "b" when { area_codes: "zz" } then { tier: TIER_MEDIATOR } }\n'
        'rules { id: "d" is_default: true then { tier: TIER_COMMUNITY_POLICE } }\n'
    )
    with pytest.raises(fq.InvalidArgument) as info:
        fq.compile_rules_text(text, "rules.textproto", grid_map)
    lines = info.value.message.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith('rules.textproto:1:') and "[inverted-range]" in lines[0]
    assert lines[1].startswith('rules.textproto:2:') and "[unknown-area]" in lines[1]


def test_lint_returns_compiler_style_lines(fq, grid_map):
    from conftest import ROOT

    lines = fq.lint_rules(ROOT / "tests" / "data" / "bad_rules" / "broken.textproto", grid_map)
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == 3
    assert any('rule "noise-in-street": can never fire' in line for line in errors)
    assert any(": warning: no rule is sure to catch" in line for line in lines)


def test_a_rule_with_an_undefined_tier_is_refused_when_compiled(fq, grid_map):
    # Before: it compiled and route_frame later raised TypeError on the unknown tier.
    text = ('name: "x"\nrules { id: "a" when { kinds: INCIDENT_KIND_DISPUTE }\n'
            '  then { tier: 99 department: 1000 } }\n')
    with pytest.raises(fq.InvalidArgument, match="tier: 99 is not a fengqiao.v1.Tier"):
        fq.compile_rules_text(text, "x.textproto", grid_map)
