#!/usr/bin/python3
"""Trains the alert assistant's model (fengqiao.v1.AlertModel, docs/alert_model.md) on the
DEVELOPMENT and TRAINING parts of the labelled corpus and writes it as protobuf text format.

    PYTHONPATH=build/python /usr/bin/python3 tools/train_alert_model.py \\
        --corpus examples/data/alert/corpus/dev.jsonl \\
        --corpus examples/data/alert/corpus/train.jsonl \\
        --out examples/data/alert/model.textproto

The model: character 1- to 3-grams of the project's Normalizer text (fengqiao._core, so the
trainer sees exactly what the C++ assistant sees; ASCII digits folded to '0'), kept when at least
`--min-df` training messages hold them; a message's features are its n-gram counts divided by the
square root of its number of n-gram positions. Two multinomial logistic regressions with an L2
penalty: one over the (action, category) pairs of the corpus, one over the departments of its
REFER_12345 messages. Each message's loss is weighted by its action's weight, (N / (5 N_action))
raised to a power from --weight-grid (0: every message alike; 1: every action alike). Full-batch
Adam from zero weights for a fixed number of steps: the same corpus gives the same file on the same
machine.

What is chosen by 5-fold cross-validation on the training files together (folds: every fifth
message of each action, in the files' order): the L2 penalty (from --l2-grid), the class-weight
power (from --weight-grid) and the threshold the probability of the model's action must reach
(the value maximising the macro F1 of the five actions over the out-of-fold predictions). The
cross-validation figures go into the model's `provenance` and are printed. The test split is never
read here.

With --rules DIR, the out-of-fold predictions are also combined with the rules' own decisions
(the Python binding, rules only) the way the assistant combines them (the rules first, the model
where no rule decides; with an override threshold, the model's action also replaces a rule's when
the two differ and the model gives its action at least that probability), and the figures are
printed for the messages of each corpus apart. The rules were written from the development
split's misses, so only the other corpora's figures are an honest estimate of the combination:
with --policy-corpus NAME the override threshold (none, or 0.50..0.95 by 0.05, at least the
threshold) is the one maximising the macro F1 of the combination on that corpus's messages, and it
is written into the model (`override_threshold`).

Needs numpy, scipy (sparse matrices) and the fengqiao Python package (for the Normalizer).
"""

import argparse
import hashlib
import json
import math
import sys
from collections import Counter

import numpy as np
from scipy import sparse

MAX_ORDER = 3
ACTIONS = [
    "ALERT_ACTION_NONE",
    "ALERT_ACTION_STANDARD_REPLY",
    "ALERT_ACTION_NOTIFY_COMMUNITY_POLICE",
    "ALERT_ACTION_ALERT_110",
    "ALERT_ACTION_REFER_12345",
]


def fold_digits(text):
    return "".join("0" if "0" <= c <= "9" else c for c in text)


def ngrams(normalized, max_order=MAX_ORDER):
    """The n-grams of a normalised text in the C++ order (by end position, then by order), and
    the number of positions."""
    t = fold_digits(normalized)
    out = []
    for i in range(len(t)):
        for n in range(1, max_order + 1):
            if i - n + 1 < 0:
                break
            out.append(t[i - n + 1 : i + 1])
    return out


def featurize(texts, vocab):
    """A sparse (CSR) matrix of the messages' features: n-gram counts over sqrt(positions)."""
    rows, cols, vals = [], [], []
    for r, t in enumerate(texts):
        grams = ngrams(t)
        if not grams:
            continue
        scale = 1.0 / math.sqrt(len(grams))
        for g in grams:
            k = vocab.get(g)
            if k is not None:
                rows.append(r)
                cols.append(k)
                vals.append(scale)
    # Duplicate (row, column) entries are summed: an n-gram's count.
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab)))


def build_vocab(texts, min_df):
    df = Counter()
    for t in texts:
        df.update(set(ngrams(t)))
    kept = sorted(g for g, n in df.items() if n >= min_df)
    return {g: k for k, g in enumerate(kept)}


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def train_softmax(x, y, classes, l2, steps, rate=0.05, sample_weight=None):
    """Multinomial logistic regression, the weighted mean cross-entropy + l2/2 |W|^2, full-batch
    Adam."""
    n, v = x.shape
    w = np.zeros((v, classes))
    b = np.zeros(classes)
    onehot = np.eye(classes)[y]
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    sw = (sw / sw.sum())[:, None]
    xt = x.T.tocsr()
    mw, vw = np.zeros_like(w), np.zeros_like(w)
    mb, vb = np.zeros_like(b), np.zeros_like(b)
    for t in range(1, steps + 1):
        g = (softmax(x @ w + b) - onehot) * sw
        gw = xt @ g + l2 * w
        gb = g.sum(axis=0)
        for param, grad, m, s in ((w, gw, mw, vw), (b, gb, mb, vb)):
            m *= 0.9
            m += 0.1 * grad
            s *= 0.999
            s += 0.001 * grad * grad
            param -= rate * (m / (1 - 0.9**t)) / (np.sqrt(s / (1 - 0.999**t)) + 1e-8)
    return w, b


def decide(action_probs, threshold):
    """The model's action per row: the most probable, NONE when it is another action below the
    threshold."""
    best = action_probs.argmax(axis=1)
    low = (best != 0) & (action_probs.max(axis=1) < threshold)
    return np.where(low, 0, best)


def per_action(pred, truth):
    rows = []
    for a in range(len(ACTIONS)):
        tp = int(((pred == a) & (truth == a)).sum())
        p = tp / max(1, int((pred == a).sum()))
        r = tp / max(1, int((truth == a).sum()))
        rows.append((p, r, 0.0 if p + r == 0 else 2 * p * r / (p + r)))
    return rows


def folds_of(actions, k=5):
    fold = np.zeros(len(actions), dtype=int)
    seen = Counter()
    for i, a in enumerate(actions):
        fold[i] = seen[a] % k
        seen[a] += 1
    return fold


def action_probabilities(p, class_actions):
    out = np.zeros((p.shape[0], len(ACTIONS)))
    for c, a in enumerate(class_actions):
        out[:, a] += p[:, c]
    return out


def action_weights(actions, power):
    """Per message: (N / (number of actions x N of its action)) ** power."""
    counts = Counter(actions)
    k = len(counts)
    return np.array([(len(actions) / (k * counts[a])) ** power for a in actions])


def cross_validate(texts, y, class_actions, n_classes, l2, power, min_df, steps):
    actions = [class_actions[c] for c in y]
    fold = folds_of(actions)
    weights = action_weights(actions, power)
    probs = np.zeros((len(texts), len(ACTIONS)))
    for f in range(5):
        train = np.where(fold != f)[0]
        held = np.where(fold == f)[0]
        vocab = build_vocab([texts[i] for i in train], min_df)
        w, b = train_softmax(featurize([texts[i] for i in train], vocab), y[train], n_classes, l2,
                             steps, sample_weight=weights[train])
        p = softmax(featurize([texts[i] for i in held], vocab) @ w + b)
        probs[held] = action_probabilities(p, class_actions)
    return probs


def best_threshold(probs, truth):
    best = None
    for threshold in np.round(np.arange(0.20, 0.91, 0.05), 2):
        rows = per_action(decide(probs, threshold), truth)
        macro = sum(r[2] for r in rows) / len(rows)
        if best is None or macro > best[0] + 1e-12:
            best = (macro, float(threshold), rows)
    return best


def read_corpus(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def fmt(x):
    s = "%.6g" % x
    return "0" if s in ("0", "-0") else s


def quote(s):
    return json.dumps(s, ensure_ascii=False)


def write_model(path, model_id, provenance, threshold, classes, class_bias, departments,
                department_bias, vocab, w_class, w_department, override=0.0):
    lines = [
        "# proto-file: fengqiao/v1/alert.proto",
        "# proto-message: fengqiao.v1.AlertModel",
        "# Written by tools/train_alert_model.py; see docs/alert_model.md. Do not edit by hand.",
        "format_version: 1",
        f"id: {quote(model_id)}",
        f"provenance: {quote(provenance)}",
        f"max_order: {MAX_ORDER}",
        f"threshold: {fmt(threshold)}",
    ]
    if override > 0:
        lines.append(f"override_threshold: {fmt(override)}")
    for (action, category), bias in zip(classes, class_bias):
        lines.append(f"classes {{ action: {action} category: {category} bias: {fmt(bias)} }}")
    for department, bias in zip(departments, department_bias):
        lines.append(f"departments {{ department: {department} bias: {fmt(bias)} }}")
    for g, k in vocab.items():
        weights = ", ".join(fmt(x) for x in list(w_class[k]) + list(w_department[k]))
        lines.append(f"ngrams {{ ngram: {quote(g)} weights: [{weights}] }}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def model_logits(model, normalized):
    """The class logits of a normalised text under a parsed fengqiao.v1.AlertModel, computed the
    way the C++ AlertModel::Logits is meant to (the test compares the two)."""
    weights = {}
    for g in model.ngrams:
        weights[fold_digits(g.ngram)] = list(g.weights)
    n_classes = len(model.classes)
    out = [0.0] * n_classes
    grams = ngrams(normalized, model.max_order)
    for g in grams:
        row = weights.get(g)
        if row is not None:
            for c in range(n_classes):
                out[c] += row[c]
    scale = 0.0 if not grams else 1.0 / math.sqrt(len(grams))
    return [out[c] * scale + model.classes[c].bias for c in range(n_classes)]


def figures(pred, truth):
    """(110 precision, 110 recall, NOTIFY recall, macro F1) of decided actions."""
    rows = per_action(pred, truth)
    return rows[3][0], rows[3][1], rows[2][1], sum(r[2] for r in rows) / len(rows)


def combine(rule_action, rule_decided, probs, threshold, override=None):
    """The assistant's decision per message: the rules' where a rule decided, otherwise the
    model's (decide()). With `override`, the model's action also replaces a rule's when the model
    gives a different action at least that probability."""
    model = decide(probs, threshold)
    out = np.where(rule_decided, rule_action, model)
    if override is not None:
        best = probs.argmax(axis=1)
        strong = rule_decided & (best != rule_action) & (probs.max(axis=1) >= override)
        out = np.where(strong, best, out)
    return out


OVERRIDES = [round(0.5 + 0.05 * i, 2) for i in range(10)]


def report_policies(rules_dir, rows, sources, probs, threshold, truth, policy_corpus):
    """Prints the rules alone, the model alone, the rules first and the override variants on the
    out-of-fold predictions, per corpus; returns the override threshold with the best macro F1 on
    `policy_corpus` (0: none), and its figures."""
    from fengqiao import _core

    assistant = _core.AlertAssistant.load(rules_dir, "")
    columns = assistant.decide_batch([r["text"] for r in rows])
    names = {a: i for i, a in enumerate(ACTIONS)}
    from fengqiao.v1 import alert_pb2

    rule_action = np.array([names[alert_pb2.AlertAction.Name(a)] for a in columns["action"]])
    rule_decided = np.array([len(ids) > 0 for ids in columns["rule_ids"]])
    print("out-of-fold combination with the rules (110 P / 110 R / NOTIFY R / macro F1):",
          file=sys.stderr)
    chosen = (-1.0, 0.0, None)
    for source in sorted(set(sources)):
        m = np.array([s == source for s in sources])
        line = [f"  {source} ({m.sum()}; no rule decides {int((~rule_decided[m]).sum())}):"]
        variants = [("rules alone", None, rule_action),
                    ("model alone", None, decide(probs, threshold)),
                    ("rules first", 0.0, combine(rule_action, rule_decided, probs, threshold))]
        for t in OVERRIDES:
            if t >= threshold:
                variants.append((f"override>={t:.2f}", t,
                                 combine(rule_action, rule_decided, probs, threshold, t)))
        for name, override, pred in variants:
            f = figures(pred[m], truth[m])
            line.append(f"    {name:16s} {f[0]:.3f} / {f[1]:.3f} / {f[2]:.3f} / {f[3]:.3f}")
            if source == policy_corpus and override is not None and f[3] > chosen[0] + 1e-12:
                chosen = (f[3], override, f)
        print("\n".join(line), file=sys.stderr)
    return chosen[1], chosen[2]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", required=True, action="append",
                        help="a training part (JSON Lines); repeat for several")
    parser.add_argument("--out", required=True, help="the model file to write")
    parser.add_argument("--id", default="char-ngram-logreg-2")
    parser.add_argument("--min-df", type=int, default=2)
    parser.add_argument("--steps-grid", default="300",
                        help="numbers of Adam steps to try (the fewer, the smaller the weights)")
    parser.add_argument("--l2-grid", default="0.00001,0.0001,0.001")
    parser.add_argument("--weight-grid", default="0,0.5,1",
                        help="powers of the per-action loss weight to try (0: none)")
    parser.add_argument("--rules", default="",
                        help="a rule folder: print the out-of-fold combination with the rules")
    parser.add_argument("--policy-corpus", default="",
                        help="with --rules: the corpus (file name) whose messages choose the "
                        "override threshold; the rules must not have been written from it")
    args = parser.parse_args(argv)

    from fengqiao import _core  # the C++ Normalizer

    rows, sources, described = [], [], []
    for path in args.corpus:
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        part = read_corpus(path)
        rows += part
        name = path.rsplit("/", 1)[-1]
        sources += [name] * len(part)
        described.append(f"{name} ({len(part)} messages, sha256 {digest[:16]})")
    texts = _core.normalize_texts([r["text"] for r in rows])
    pairs = sorted({(r["action"], r["category"]) for r in rows},
                   key=lambda p: (ACTIONS.index(p[0]), p[1]))
    class_actions = [ACTIONS.index(a) for a, _ in pairs]
    y = np.array([pairs.index((r["action"], r["category"])) for r in rows])
    truth = np.array([ACTIONS.index(r["action"]) for r in rows])

    results = []
    for steps in [int(v) for v in args.steps_grid.split(",")]:
        for power in [float(v) for v in args.weight_grid.split(",")]:
            for l2 in [float(v) for v in args.l2_grid.split(",")]:
                probs = cross_validate(texts, y, class_actions, len(pairs), l2, power,
                                       args.min_df, steps)
                macro, threshold, per = best_threshold(probs, truth)
                results.append((macro, l2, power, steps, threshold, per, probs))
                print(f"cv steps={steps} l2={l2:g} weight power={power:g}: macro F1 {macro:.3f} "
                      f"at threshold {threshold:.2f} (110 P {per[3][0]:.3f} R {per[3][1]:.3f}, "
                      f"NOTIFY R {per[2][1]:.3f})", file=sys.stderr)
    # Ties go to the stronger penalty, the weaker weighting, the fewer steps.
    macro, l2, power, steps, threshold, per, probs = max(
        results, key=lambda r: (round(r[0], 6), r[1], -r[2], -r[3]))
    cv_lines = "; ".join(
        f"{a.replace('ALERT_ACTION_', '')} P {p:.3f} R {r:.3f} F1 {f1:.3f}"
        for a, (p, r, f1) in zip(ACTIONS, per))
    override, policy = 0.0, None
    if args.rules:
        override, policy = report_policies(args.rules, rows, sources, probs, threshold, truth,
                                           args.policy_corpus)

    vocab = build_vocab(texts, args.min_df)
    x = featurize(texts, vocab)
    weights = action_weights([class_actions[c] for c in y], power)
    w_class, b_class = train_softmax(x, y, len(pairs), l2, steps, sample_weight=weights)
    refer = [i for i, r in enumerate(rows)
             if r["action"] == "ALERT_ACTION_REFER_12345" and r.get("department")]
    departments = sorted({rows[i]["department"] for i in refer})
    if departments:
        yd = np.array([departments.index(rows[i]["department"]) for i in refer])
        w_dep, b_dep = train_softmax(x[refer], yd, len(departments), l2, steps)
    else:
        w_dep, b_dep = np.zeros((len(vocab), 0)), np.zeros(0)

    provenance = (
        f"trained on {' + '.join(described)}; "
        f"char 1-{MAX_ORDER}-grams of the Normalizer text, min_df {args.min_df}, "
        f"{len(vocab)} n-grams; softmax regression, l2 {l2:g}, action weight power {power:g}, "
        f"{steps} Adam steps; 5-fold CV on the same messages: macro F1 {macro:.3f} at "
        f"threshold {threshold:.2f} ({cv_lines})")
    if policy is not None:
        provenance += (
            f"; rules + model out of fold on {args.policy_corpus}: "
            + ("the rules first" if override == 0 else f"override at p >= {override:.2f}")
            + f" (110 P {policy[0]:.3f} R {policy[1]:.3f}, NOTIFY R {policy[2]:.3f}, "
            f"macro F1 {policy[3]:.3f})")
    write_model(args.out, args.id, provenance, threshold, pairs, b_class, departments, b_dep,
                vocab, w_class, w_dep, override)
    print(provenance)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
