"""The claim detector on debate speech: CheckThat! 2024 task 1 (English), sentence by sentence.

    python bench/checkthat.py [--data ../shared/data/ct24-en] [--split dev] [--errors N]

Each sentence of a split (`train.tsv` or `dev.tsv`: `Sentence_id`, `Text`, `class_label`
Yes/No, from the CLEF 2024 CheckThat! lab) is scored alone, as body text in English,
by `corpus.claims.detect`; a sentence counts as found when claims cover at least half
of it. Prints precision, recall and F1 of the positive class beside two baselines
(every sentence a claim; every sentence with a digit), and with `--errors N` the first
N misses and false alarms with their cues. The data stays outside the repository.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from factmark.corpus.claims import THRESHOLD, sentences
from factmark.corpus.evaluate import BASELINES, COVERED, Counts

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ct24-en")
    parser.add_argument("--split", default="dev", choices=["train", "dev"])
    parser.add_argument("--errors", type=int, default=0)
    args = parser.parse_args()
    with (args.data / f"{args.split}.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    counts = {"factmark": Counts(), **{name: Counts() for name in BASELINES}}
    for row in rows:
        text, gold = row["Text"], row["class_label"].strip() == "Yes"
        scored = list(sentences(text, "en"))
        covered = sum(s.end - s.start for s in scored if s.score >= THRESHOLD)
        found = covered >= COVERED * len(text.strip())
        cues = "; ".join(f"{s.score:.2f} {','.join(s.cues)}" for s in scored)
        counts["factmark"].add(gold, found, f"{text[:100]}  [{cues}]")
        for name, says in BASELINES.items():
            counts[name].add(gold, says(text), "")
    positives = sum(row["class_label"].strip() == "Yes" for row in rows)
    print(f"CheckThat! 2024 English {args.split}: {len(rows)} sentences, {positives} check-worthy")
    for name, c in counts.items():
        print(f"  {name:12} precision {c.precision:.3f}  recall {c.recall:.3f}  F1 {c.f1:.3f}")
    if args.errors:
        mine = counts["factmark"].errors
        for kind in ("FN", "FP"):
            print(f"\nfirst {args.errors} {kind}:")
            print("\n".join(e for e in mine if e.startswith(kind))[: 400 * args.errors])


if __name__ == "__main__":
    main()
