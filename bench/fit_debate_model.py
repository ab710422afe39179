"""Fit the English speech model (corpus/data/en/speech_weights.tsv) on debate sentences.

    python bench/fit_debate_model.py [--data ../shared/data/ct24-en] [--folds 5]

Data: CheckThat! 2024 task 1, English (CLEF; US presidential debates), its `train.tsv`
only (`Sentence_id`, `Text`, `class_label` Yes/No); `dev.tsv` is held out, measured by
`bench/checkthat.py`. The cue model of corpus/claims.py stays as it is: its evidence
for each sentence (bias, cues, attribution) is the offset, and L2-regularised
logistic regression fits weights of the features of `corpus.speech.features` (words,
word pairs, the first person and the cues with it) on top, so a feature that does not fire
changes nothing. Plain Python, stochastic gradient descent with exact lazy L2 decay,
rows in a shuffled order from a fixed seed: the same data gives the same file.

As at run time (`corpus.speech.gated`), the learned evidence counts for a claim only
in a speaker's own words in the first person, and against one anywhere. The
regularisation strength is chosen by cross-validation on train (folds by row number):
F1 of the positive class at the detector's threshold, each fold's model cut to its
KEPT strongest features (largest |weight|) and refitted on them alone, as the model
written out is, from all of train. (Keeping 5,000 features instead of 10,000 cost
0.001-0.005 of cross-validated F1.)
"""

from __future__ import annotations

import argparse
import csv
import math
import random
from pathlib import Path

from factmark.corpus.attribution import attribute
from factmark.corpus.claims import BIAS, THRESHOLD, WEIGHTS
from factmark.corpus.cues import cues
from factmark.corpus.sentences import quoted_ranges
from factmark.corpus.speech import WORDING, features, gated, speaking
from factmark.corpus.words import Words

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "corpus" / "data" / "en" / "speech_weights.tsv"
SEED, RATE, EPOCHS = 17, 0.2, 8
MIN_ROWS = 3  # a feature must occur in this many training rows to be weighed
L2_GRID = (1.0, 3.0, 10.0)
KEPT = 10000

# Features, the cue model's log-odds, check-worthy, in the speaker's own words in the
# first person (`corpus.speech.speaking`).
Row = tuple[list[str], float, bool, bool]


def rows(path: Path) -> list[Row]:
    """Each sentence of a CT24 split as its speech features and cue-model offset."""
    with path.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    found = []
    for row in table:
        text = row["Text"]
        cue_values = cues(text, "en")
        offset = BIAS + sum(WEIGHTS[n] * v for n, v in cue_values.items())
        if attribute(text, "en").attributed:
            offset += WEIGHTS["attributed"]
        names = features(Words(text).words, cue_values)
        gold = row["class_label"].strip() == "Yes"
        found.append((names, offset, gold, speaking(cue_values, text, quoted_ranges(text))))
    return found


def _logistic(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z > -30 else 0.0


def fit(train: list[Row], l2: float, allowed: set[str] | None = None) -> dict[str, float]:
    """Feature -> weight: minimises the log loss of `train` plus l2/2 * |w|^2, over the
    features in at least MIN_ROWS rows (and in `allowed`, when given)."""
    counts: dict[str, int] = {}
    for names, *_ in train:
        for name in set(names):
            counts[name] = counts.get(name, 0) + 1
    vocabulary = sorted(
        n for n, c in counts.items() if c >= MIN_ROWS and (allowed is None or n in allowed)
    )
    ids = {n: i for i, n in enumerate(vocabulary)}
    data = [([ids[n] for n in names if n in ids], *rest) for names, *rest in train]
    weights = [0.0] * len(vocabulary)
    last = [0] * len(vocabulary)  # the step each weight was last decayed to
    order = list(range(len(data)))
    shuffle = random.Random(SEED).shuffle
    step = 0
    for epoch in range(EPOCHS):
        rate = RATE / (1 + epoch)
        decay = 1 - rate * l2 / len(data)
        shuffle(order)
        for i in order:
            active, offset, gold, own_words = data[i]
            learned = 0.0
            for f in active:
                if last[f] != step:
                    weights[f] *= decay ** (step - last[f])
                    last[f] = step
                learned += weights[f]
            if learned <= 0 or own_words:  # corpus.speech.gated: otherwise no gradient
                g = rate * (_logistic(offset + learned) - gold)
                for f in active:
                    weights[f] -= g
            step += 1
        for f in range(len(weights)):  # up to date before the rate changes
            weights[f] *= decay ** (step - last[f])
            last[f] = step
    return dict(zip(vocabulary, weights, strict=True))


def pruned(train: list[Row], l2: float, kept: int) -> dict[str, float]:
    """The model fitted on `train`, cut to its `kept` strongest features and refitted."""
    weights = fit(train, l2)
    strongest = sorted(weights, key=lambda n: (-abs(weights[n]), n))[:kept]
    return fit(train, l2, set(strongest))


def f1(test: list[Row], weights: dict[str, float]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the positive class at the detector's threshold."""
    tp = fp = fn = 0
    for names, offset, gold, own_words in test:
        learned = gated(sum(weights.get(n, 0.0) for n in names), own_words)
        found = _logistic(offset + learned) >= THRESHOLD
        tp += found and gold
        fp += found and not gold
        fn += gold and not found
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ct24-en")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    train = rows(args.data / "train.tsv")
    print(f"train: {len(train)} sentences, {sum(gold for _, _, gold, _ in train)} check-worthy")
    print("cue model alone: P {:.3f} R {:.3f} F1 {:.3f}".format(*f1(train, {})))
    scores = {}
    for l2 in L2_GRID:
        folds = []
        for k in range(args.folds):
            inside = [r for i, r in enumerate(train) if i % args.folds != k]
            outside = [r for i, r in enumerate(train) if i % args.folds == k]
            folds.append(f1(outside, pruned(inside, l2, KEPT)))
        p, r, f = (sum(x) / len(folds) for x in zip(*folds, strict=True))
        scores[l2] = f
        print(f"L2 {l2:<5} kept {KEPT:<6} cross-validated P {p:.3f} R {r:.3f} F1 {f:.3f}")
    l2 = max(scores, key=lambda key: scores[key])
    weights = pruned(train, l2, KEPT)
    write(weights, l2, scores[l2], args.folds)
    print(f"chose L2 {l2}, {KEPT} features: wrote {OUT.relative_to(ROOT)}")


def write(weights: dict[str, float], l2: float, cv: float, folds: int) -> None:
    header = [
        f"# Speech model for English: feature<TAB>weight, the weights of the {WORDING!r} cue",
        "# (corpus/speech.py), in log-odds added to the cue model's. Fitted on CheckThat! 2024",
        "# task 1 English train (CLEF 2024 CheckThat! lab: sentences of US presidential",
        "# debates, released for research; the sentences themselves are not kept here)",
        f"# by `python bench/fit_debate_model.py`: L2 {l2}, the {KEPT} strongest features",
        f"# of those in {MIN_ROWS}+ sentences; {folds}-fold cross-validated F1 on train {cv:.3f}.",
    ]
    lines = [
        f"{name}\t{weights[name]:.3f}" for name in sorted(weights) if round(weights[name], 3) != 0
    ]
    OUT.write_text("\n".join(header + lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
