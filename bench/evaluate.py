"""The claim detector on the labelled development sets, per language and genre.

    python bench/evaluate.py [-v] [FILES...]      (default: tests/data/claims/*.jsonl)

Prints precision, recall and F1 for each language and genre, beside two baselines
(every sentence a claim; every sentence with a digit), on the tuning sets (files
named *_tune.jsonl, and the sample corpus's labels) and the held-out ones (every
other file: they are only ever measured). `-v` lists the tuning sets' misses and false
alarms. Run it from the repository (the sample corpus's labels point into
sample_corpus/).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from factmark.corpus.claims import THRESHOLD
from factmark.corpus.evaluate import Labelled, labelled, measure_all

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = ROOT / "tests" / "data" / "claims"
SAMPLE = ROOT / "sample_corpus"


def load(path: Path, sample_dir: Path = SAMPLE) -> Iterator[Labelled]:
    """The labelled articles of one JSON Lines file."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    yield from labelled(rows, lambda name: (sample_dir / name).read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    verbose = "-v" in args
    files = [Path(a) for a in args if a != "-v"] or sorted(CLAIMS.glob("*.jsonl"))
    if not files:
        print("no labelled files found (run from the repository, or name them)", file=sys.stderr)
        return 1
    groups: dict[str, list[Labelled]] = defaultdict(list)
    for path in files:
        held_out = not (path.stem.endswith("_tune") or path.stem.startswith("sample"))
        groups["held-out" if held_out else "tuning"].extend(load(path))
    print(
        f"{'set':9} {'lang':4} {'genre':7} {'sentences':>9} {'claims':>6} {'precision':>9} "
        f"{'recall':>6} {'F1':>5}   {'all-yes F1':>10} {'digit P/R/F1':>14}"
    )
    for group in ("tuning", "held-out"):
        for (language, genre), c in sorted(measure_all(groups[group], THRESHOLD).items()):
            mine, digit = c["factmark"], c["has-a-digit"]
            total = mine.tp + mine.fp + mine.fn + mine.tn
            print(
                f"{group:9} {language:4} {genre:7} {total:>9} {mine.tp + mine.fn:>6} "
                f"{mine.precision:>9.3f} {mine.recall:>6.3f} {mine.f1:>5.3f}   "
                f"{c['all-yes'].f1:>10.3f} "
                f"{digit.precision:>4.2f}/{digit.recall:.2f}/{digit.f1:.2f}"
            )
            if verbose and group == "tuning":
                print("\n".join("    " + e for e in mine.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
