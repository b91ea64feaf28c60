"""fengqiao.alert: a DataFrame of chat messages in, a DataFrame of decisions out."""

import pathlib

import pandas as pd
import pytest

import fengqiao
import fengqiao.alert

RULES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "data" / "alert" / "rules"


@pytest.fixture(scope="module")
def assistant():
    return fengqiao.alert.load(RULES)


def test_scan_decides_one_action_per_message_in_order(assistant):
    frame = pd.DataFrame(
        {
            "id": ["m-1", "m-2", "m-3", "m-4", "m-5"],
            "text": [
                "我妈正在给客服转账,说是安全账户",
                "大家注意,有人冒充客服说要注销百万保障,千万别信",
                "旁边工地半夜12点还在打桩",
                "居住证在哪里办?",
                "早上好",
            ],
        }
    )
    out = fengqiao.alert.scan(frame, assistant)
    assert list(out["id"]) == ["m-1", "m-2", "m-3", "m-4", "m-5"]
    assert list(out["action"]) == [
        "ALERT_ACTION_ALERT_110",
        "ALERT_ACTION_NONE",
        "ALERT_ACTION_REFER_12345",
        "ALERT_ACTION_STANDARD_REPLY",
        "ALERT_ACTION_NONE",
    ]
    assert out["category"][0] == "ALERT_CATEGORY_FRAUD"
    assert out["department"][2] == "DEPARTMENT_CITY_MANAGEMENT"
    assert out["department"][0] == ""
    assert out["reply_category"][3] == "居住证办理"
    assert out["rule_ids"][0][0] == "fraud.transfer_now"
    begin, end = out["spans"][0][0]
    assert frame["text"][0].encode()[begin:end].decode() in frame["text"][0]
    assert all(e == "" for e in out["error"])


def test_scan_masks_personal_data_in_everything_it_returns(assistant):
    frame = pd.DataFrame({"text": ["我叫王小明,刚刚已经转了钱给客服,电话13800005678"]})
    out = fengqiao.alert.scan(frame, assistant)
    emitted = repr(out.to_dict())
    assert "13800005678" not in emitted and "王小明" not in emitted
    assert "138****5678" in out["masked_text"][0]


def test_a_message_over_the_limit_is_reported_in_its_row_not_raised(assistant):
    frame = pd.DataFrame({"text": ["好", "a" * (1 << 20)]})
    out = fengqiao.alert.scan(frame, assistant)
    assert out["action"][0] == "ALERT_ACTION_NONE"
    assert out["action"][1] == "ALERT_ACTION_UNSPECIFIED"
    assert "over the limit" in out["error"][1]


def test_bad_rules_raise_with_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.textproto"
    bad.write_text('rules {\n  id: "x"\n  pattern: "刷单("\n  category: ALERT_CATEGORY_FRAUD\n'
                   "  action: ALERT_ACTION_NOTIFY_COMMUNITY_POLICE\n}\n")
    with pytest.raises(fengqiao.InvalidArgumentError, match=r"bad.textproto:3:"):
        fengqiao.alert.load(bad)
    with pytest.raises(fengqiao.NotFoundError):
        fengqiao.alert.load(tmp_path / "missing")


def test_shipped_rules_lint_clean(assistant):
    assert assistant.lint() == []
