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


ROOT = pathlib.Path(__file__).resolve().parents[2]
MODEL = ROOT / "examples" / "data" / "alert" / "model.textproto"


def _trainer():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "train_alert_model", ROOT / "tools" / "train_alert_model.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cpp_model_scores_equal_the_trainers_on_random_texts():
    # The property the model file rests on: the C++ inference computes exactly what the Python
    # trainer computes (same n-grams, digit folding, scaling, biases), on random texts built from
    # pieces of the domain, digits, Latin letters, emoji and traditional characters.
    import random

    from google.protobuf import text_format

    from fengqiao.v1 import alert_pb2

    trainer = _trainer()
    proto = text_format.Parse(MODEL.read_text(encoding="utf-8"), alert_pb2.AlertModel())
    model = fengqiao.alert.load_model(MODEL)
    rng = random.Random(13)
    pieces = ["转账", "客服", "着火了", "救命", "噪音", "居住证", "帳戶凍結", "好的", "1388", "yhk",
              "WX", "😀", " ", "!", "打人", "工资", "停电", "的", "吗"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 10))) for _ in range(300)]
    normalized = fengqiao.alert.normalize(texts)
    cpp = model.logits(normalized)
    for text, got in zip(normalized, cpp):
        want = trainer.model_logits(proto, text)
        assert got == pytest.approx(want, rel=1e-5, abs=1e-5), text


def test_the_trainers_combination_is_the_assistants_on_random_texts():
    # The trainer chooses the combination policy (the rules first, the model where no rule
    # decides, and its override of a rule at override_threshold) by simulating it; the simulation
    # must decide what the assistant decides, on random texts.
    import random

    import numpy as np
    from google.protobuf import text_format

    from fengqiao.v1 import alert_pb2

    trainer = _trainer()
    proto = text_format.Parse(MODEL.read_text(encoding="utf-8"), alert_pb2.AlertModel())
    model = fengqiao.alert.load_model(MODEL)
    assert model.override_threshold == pytest.approx(proto.override_threshold)
    rng = random.Random(8)
    pieces = ["转账", "客服", "着火了", "救命", "噪音", "居住证", "帳戶凍結", "好的", "1388", "yhk",
              "打人", "工资", "停电", "骗子", "哈哈", "演习", "不是", "提醒大家", "安全账户", "走丢",
              "跳楼", "工地", "半夜", "吵架", "赌", "怎么办", "吗", "我没事", "杀疯了", " ", "!"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 9))) for _ in range(400)]
    rules_only = fengqiao.alert.load(RULES)
    with_model = fengqiao.alert.load(RULES, model=MODEL)
    by_rules = rules_only.decide_batch(texts)
    shipped = with_model.decide_batch(texts)
    actions = {a: i for i, a in enumerate(trainer.ACTIONS)}
    rule_action = np.array([actions[alert_pb2.AlertAction.Name(a)] for a in by_rules["action"]])
    rule_decided = np.array([len(ids) > 0 for ids in by_rules["rule_ids"]])
    logits = np.array(model.logits(fengqiao.alert.normalize(texts)))
    class_actions = [actions[alert_pb2.AlertAction.Name(c.action)] for c in proto.classes]
    probs = trainer.action_probabilities(trainer.softmax(logits), class_actions)
    override = proto.override_threshold if proto.override_threshold > 0 else None
    want = trainer.combine(rule_action, rule_decided, probs, proto.threshold, override)
    got = [actions[alert_pb2.AlertAction.Name(a)] for a in shipped["action"]]
    assert got == list(want)
    # Both kinds of decision occur among these texts.
    assert any(ids and not ids[0].startswith("model:") for ids in shipped["rule_ids"])
    assert any(ids and ids[0].startswith("model:") for ids in shipped["rule_ids"])


# Written for these tests, not from the corpus: no shipped rule decides them, the shipped model does.
MODEL_CASES = [
    "菜市场有家卖的猪肉颜色发绿了还在卖",
    "楼下饭店油烟直接排到我们窗户里",
    "半夜有辆没牌照的面包车在小区里慢慢开,车上的人一直往楼上看",
    "路口一辆电动车和小轿车撞了,骑车的大爷躺地上不动",
]
MODEL_ACTIONS = [
    "ALERT_ACTION_REFER_12345",
    "ALERT_ACTION_REFER_12345",
    "ALERT_ACTION_NOTIFY_COMMUNITY_POLICE",
    "ALERT_ACTION_ALERT_110",
]


def test_the_model_decides_what_no_rule_decides():
    with_model = fengqiao.alert.load(RULES, model=MODEL)
    frame = pd.DataFrame({"text": MODEL_CASES})
    rules_only = fengqiao.alert.scan(frame, fengqiao.alert.load(RULES))
    out = fengqiao.alert.scan(frame, with_model)
    assert list(rules_only["action"]) == ["ALERT_ACTION_NONE"] * len(MODEL_CASES)
    assert list(out["action"]) == MODEL_ACTIONS
    model_id = fengqiao.alert.load_model(MODEL).id
    for row in out.itertuples():
        assert row.rule_ids == [f"model:{model_id}"]
        assert "p=0." in row.reason
        assert row.spans


@pytest.mark.parametrize(
    "content, want",
    [
        ('format_version: 1\nthreshold: "x"\n', "bad.textproto:2:"),
        ("format_version: 1\nmax_order: 2\nthreshold: 0.5\n"
         "classes { action: ALERT_ACTION_NONE category: ALERT_CATEGORY_CHITCHAT }\n"
         'ngrams { ngram: "秘密" weights: [nan] }\n', "weight 0 is not a finite number"),
        ("format_version: 1\nmax_order: 2\nthreshold: 0.5\n", "at least one class"),
        ("format_version: 1\nmax_order: 9\n", "bad.textproto:2:"),
        (b"format_version: 1\nmax_order: 2\nthreshold: 0.5\n"
         b"classes { action: ALERT_ACTION_NONE category: ALERT_CATEGORY_CHITCHAT }\n"
         b'ngrams { ngram: "\xe7\xa7" weights: [1] }\n', "bad.textproto:5:"),
    ],
)
def test_bad_model_files_raise_with_their_place(tmp_path, content, want):
    path = tmp_path / "bad.textproto"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(fengqiao.InvalidArgumentError) as e:
        fengqiao.alert.load(RULES, model=path)
    assert want in str(e.value)
    assert "秘密" not in str(e.value)
    with pytest.raises(fengqiao.InvalidArgumentError):
        fengqiao.alert.load_model(path)


def test_missing_and_huge_model_files_raise(tmp_path):
    with pytest.raises(fengqiao.NotFoundError):
        fengqiao.alert.load(RULES, model=tmp_path / "nope.textproto")
    huge = tmp_path / "huge.textproto"
    with open(huge, "wb") as f:
        f.truncate((64 << 20) + 1)
    with pytest.raises(fengqiao.ResourceExhaustedError):
        fengqiao.alert.load_model(huge)
