"""The alert assistant (AI管家) from Python: scan a DataFrame of chat messages into a DataFrame of
decisions, one action per message (NONE, STANDARD_REPLY, NOTIFY_COMMUNITY_POLICE, ALERT_110,
REFER_12345) with its category, the 12345 department, the deciding rules and their spans, a
one-line reason and the text with personal data masked.

    import fengqiao.alert
    assistant = fengqiao.alert.load("examples/data/alert/rules",
                                    model="examples/data/alert/model.textproto")
    decisions = fengqiao.alert.scan(frame, assistant)   # frame has a "text" column

With a model (a ``fengqiao.v1.AlertModel`` text file, tools/train_alert_model.py), what no rule
decides is decided by the model when its probability reaches the model's threshold, and, when the
model sets an ``override_threshold``, a rule's action is replaced by the model's when they differ
and the model gives its action at least that probability; such a row's ``rule_ids`` is
``["model:<id>"]`` and its spans are the n-grams that weighed most.
"""

import pandas as pd

from fengqiao import _checked, _core
from fengqiao.v1 import alert_pb2, taxonomy_pb2


def load(rules, model=None):
    """Loads the scanning rules (a file or a directory of ``*.textproto``) and, when given, the
    model file; raises InvalidArgumentError naming ``file:line:col`` for a bad rule or model
    (never an n-gram's text), NotFoundError for a missing path, ResourceExhaustedError for a model
    file over 64 MiB."""
    return _core.AlertAssistant.load(str(rules), "" if model is None else str(model))


def load_model(path):
    """Loads a model file alone (``fengqiao.v1.AlertModel`` text format); the errors of
    :func:`load`."""
    return _core.AlertModel.load(str(path))


def normalize(texts):
    """The Normalizer's text of each message (what the rules and the model read)."""
    return _core.normalize_texts([_checked.text(t, "texts") for t in texts])


def _names(enum, numbers):
    return [enum.Name(n) if n in enum.values() else "" for n in numbers]


def scan(frame, assistant):
    """Decides every message of ``frame`` (a DataFrame with a ``text`` column; ``id`` is kept
    when present). Returns a DataFrame with one row per message, in order: ``id`` (when given),
    ``action``, ``category``, ``department`` (proto names; department only for REFER_12345),
    ``reply_category``, ``rule_ids`` and ``spans`` (lists; spans are byte offsets into the UTF-8
    text), ``reason``, ``masked_text`` and ``error`` (empty, or why the message was not decided,
    e.g. over the size limit; its action is then ALERT_ACTION_UNSPECIFIED)."""
    if not isinstance(frame, pd.DataFrame):
        _checked.fail("frame", None, f"expected a DataFrame, got {type(frame).__name__}")
    if "text" not in frame.columns:
        _checked.fail("text", None, "missing column (scan needs a 'text' column)")
    if isinstance(assistant, (str, bytes)) or hasattr(assistant, "__fspath__"):
        assistant = load(assistant)
    texts = []
    for row, t in enumerate(_checked.series(frame["text"], "text")):
        if t is None or t is pd.NA or (isinstance(t, float) and t != t):
            texts.append("")
        elif isinstance(t, (str, bytes)):
            # Message text is personal: an error names the row, never the text.
            try:
                texts.append(_checked.text(t, "text"))
            except _checked.InvalidArgumentError as e:
                _checked.fail("text", row, e.message.split(": ", 1)[1], show=False)
        else:
            _checked.fail("text", row, f"expected text, got {type(t).__name__}")
    columns = assistant.decide_batch(texts)
    out = pd.DataFrame(index=frame.index)
    if "id" in frame.columns:
        out["id"] = frame["id"].values
    out["action"] = _names(alert_pb2.AlertAction, columns["action"])
    out["category"] = _names(alert_pb2.AlertCategory, columns["category"])
    out["department"] = [
        "" if n == 0 else name
        for n, name in zip(columns["department"], _names(taxonomy_pb2.Department, columns["department"]))
    ]
    out["reply_category"] = columns["reply_category"]
    out["rule_ids"] = columns["rule_ids"]
    out["spans"] = [[tuple(s) for s in row] for row in columns["spans"]]
    out["reason"] = columns["reason"]
    out["masked_text"] = columns["masked_text"]
    out["error"] = columns["error"]
    return out
