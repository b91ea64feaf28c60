#!/usr/bin/python3
"""Trains the alert assistant's model (fengqiao.v1.AlertModel, docs/alert_model.md) on the
DEVELOPMENT split of the labelled corpus and writes it as protobuf text format.

    PYTHONPATH=build/python /usr/bin/python3 tools/train_alert_model.py \\
        --corpus examples/data/alert/corpus/dev.jsonl \\
        --out examples/data/alert/model.textproto

The model: character 1- to 3-grams of the project's Normalizer text (fengqiao._core, so the
trainer sees exactly what the C++ assistant sees; ASCII digits folded to '0'), kept when at least
`--min-df` training messages hold them; a message's features are its n-gram counts divided by the
square root of its number of n-gram positions. Two multinomial logistic regressions with an L2
penalty: one over the (action, category) pairs of the corpus, one over the departments of its
REFER_12345 messages. Full-batch Adam from zero weights for a fixed number of steps: the same
corpus gives the same file on the same machine.

What is chosen by 5-fold cross-validation on the training file (folds: every fifth message of
each action, in file order): the L2 penalty (from --l2-grid) and the threshold the probability of
the model's action must reach (the value maximising the macro F1 of the five actions over the
out-of-fold predictions). The cross-validation figures go into the model's `provenance` and are
printed. The test split is never read here.

Needs numpy and the fengqiao Python package (for the Normalizer); nothing else.
"""

import argparse
import hashlib
import json
import math
import sys
from collections import Counter

import numpy as np

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
    x = np.zeros((len(texts), len(vocab)))
    for r, t in enumerate(texts):
        grams = ngrams(t)
        if not grams:
            continue
        scale = 1.0 / math.sqrt(len(grams))
        for g in grams:
            k = vocab.get(g)
            if k is not None:
                x[r, k] += scale
    return x


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


def train_softmax(x, y, classes, l2, steps, rate=0.05):
    """Multinomial logistic regression, mean cross-entropy + l2/2 |W|^2, full-batch Adam."""
    n, v = x.shape
    w = np.zeros((v, classes))
    b = np.zeros(classes)
    onehot = np.eye(classes)[y]
    mw, vw = np.zeros_like(w), np.zeros_like(w)
    mb, vb = np.zeros_like(b), np.zeros_like(b)
    for t in range(1, steps + 1):
        g = softmax(x @ w + b) - onehot
        gw = x.T @ g / n + l2 * w
        gb = g.mean(axis=0)
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


def cross_validate(texts, y, class_actions, n_classes, l2, min_df, steps):
    fold = folds_of([class_actions[c] for c in y])
    probs = np.zeros((len(texts), len(ACTIONS)))
    for f in range(5):
        train = np.where(fold != f)[0]
        held = np.where(fold == f)[0]
        vocab = build_vocab([texts[i] for i in train], min_df)
        w, b = train_softmax(featurize([texts[i] for i in train], vocab), y[train], n_classes, l2,
                             steps)
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
                department_bias, vocab, w_class, w_department):
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


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", required=True, help="the training split (JSON Lines)")
    parser.add_argument("--out", required=True, help="the model file to write")
    parser.add_argument("--id", default="char-ngram-logreg-1")
    parser.add_argument("--min-df", type=int, default=2)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--l2-grid", default="0.00001,0.0001,0.001")
    args = parser.parse_args(argv)

    from fengqiao import _core  # the C++ Normalizer

    with open(args.corpus, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    rows = read_corpus(args.corpus)
    texts = _core.normalize_texts([r["text"] for r in rows])
    pairs = sorted({(r["action"], r["category"]) for r in rows},
                   key=lambda p: (ACTIONS.index(p[0]), p[1]))
    class_actions = [ACTIONS.index(a) for a, _ in pairs]
    y = np.array([pairs.index((r["action"], r["category"])) for r in rows])
    truth = np.array([ACTIONS.index(r["action"]) for r in rows])

    results = []
    for l2 in [float(v) for v in args.l2_grid.split(",")]:
        probs = cross_validate(texts, y, class_actions, len(pairs), l2, args.min_df, args.steps)
        macro, threshold, per = best_threshold(probs, truth)
        results.append((macro, l2, threshold, per))
        print(f"cv l2={l2:g}: macro F1 {macro:.3f} at threshold {threshold:.2f}", file=sys.stderr)
    macro, l2, threshold, per = max(results, key=lambda r: (r[0], -r[1]))
    cv_lines = "; ".join(
        f"{a.replace('ALERT_ACTION_', '')} P {p:.3f} R {r:.3f} F1 {f1:.3f}"
        for a, (p, r, f1) in zip(ACTIONS, per))

    vocab = build_vocab(texts, args.min_df)
    x = featurize(texts, vocab)
    w_class, b_class = train_softmax(x, y, len(pairs), l2, args.steps)
    refer = [i for i, r in enumerate(rows)
             if r["action"] == "ALERT_ACTION_REFER_12345" and r.get("department")]
    departments = sorted({rows[i]["department"] for i in refer})
    if departments:
        yd = np.array([departments.index(rows[i]["department"]) for i in refer])
        w_dep, b_dep = train_softmax(x[refer], yd, len(departments), l2, args.steps)
    else:
        w_dep, b_dep = np.zeros((len(vocab), 0)), np.zeros(0)

    provenance = (
        f"trained on {args.corpus.rsplit('/', 1)[-1]} ({len(rows)} messages, sha256 {digest[:16]}); "
        f"char 1-{MAX_ORDER}-grams of the Normalizer text, min_df {args.min_df}, "
        f"{len(vocab)} n-grams; softmax regression, l2 {l2:g}, {args.steps} Adam steps; "
        f"5-fold CV on the same split: macro F1 {macro:.3f} at threshold {threshold:.2f} "
        f"({cv_lines})")
    write_model(args.out, args.id, provenance, threshold, pairs, b_class, departments, b_dep,
                vocab, w_class, w_dep)
    print(provenance)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
