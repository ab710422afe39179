"""Fit the claim scorer's cue weights on the tuning sets (never the held-out ones).

    python bench/fit_claim_weights.py

L2-regularised logistic regression by gradient descent, in plain Python: it prints a
WEIGHTS table to compare with corpus/claims.py. Weights are then rounded by hand, so
each stays explainable; the evaluation (python bench/evaluate.py) is the judge.
"""

from __future__ import annotations

import math
from pathlib import Path

from evaluate import load

from factmark.corpus.attribution import attribute
from factmark.corpus.cues import cues

CLAIMS = Path("tests/data/claims")
# Every tuning set, in every language: the sample corpus's labels and *_tune.jsonl.
TUNING = ["sample_labels.jsonl", *sorted(p.name for p in CLAIMS.glob("*_tune.jsonl"))]
L2, RATE, EPOCHS = 0.02, 0.1, 3000


def examples() -> list[tuple[dict[str, float], bool]]:
    rows = []
    for name in TUNING:
        for labelled in load(CLAIMS / name):
            for index, (start, end, gold) in enumerate(labelled.segments):
                if index == 0 and not name.startswith("sample"):
                    continue  # titles are left out by structure, not by the scorer
                sentence = labelled.text[start:end]
                features = cues(sentence, labelled.language)
                if attribute(sentence, labelled.language).attributed:
                    features["attributed"] = 1
                rows.append((features, gold))
    return rows


def fit(rows: list[tuple[dict[str, float], bool]]) -> tuple[float, dict[str, float]]:
    names = sorted({n for features, _ in rows for n in features})
    weights = dict.fromkeys(names, 0.0)
    bias = 0.0
    for _ in range(EPOCHS):
        grad = dict.fromkeys(names, 0.0)
        grad_bias = 0.0
        for features, gold in rows:
            z = bias + sum(weights[n] * v for n, v in features.items())
            error = 1 / (1 + math.exp(-z)) - gold
            grad_bias += error
            for n, v in features.items():
                grad[n] += error * v
        bias -= RATE * grad_bias / len(rows)
        for n in names:
            weights[n] -= RATE * (grad[n] / len(rows) + L2 * weights[n])
    return bias, weights


def main() -> None:
    rows = examples()
    bias, weights = fit(rows)
    print(f"{len(rows)} labelled sentences, {sum(g for _, g in rows)} claims")
    print(f"BIAS = {bias:.2f}")
    for name, weight in sorted(weights.items(), key=lambda kv: -kv[1]):
        print(f'    "{name}": {weight:.2f},')


if __name__ == "__main__":
    main()
