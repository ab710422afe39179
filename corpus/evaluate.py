"""Measure the claim detector against labelled sentences: precision, recall, F1.

    python -m factmark.corpus.evaluate [FILES...]      (default: tests/data/claims/*.jsonl)

Two label formats, both JSON Lines:
- articles written for evaluation: {"id", "language", "genre", "title",
  "paragraphs": [[{"text", "claim"}, ...], ...]}; the title counts as a non-claim;
- segments of a real article file: {"path", "text", "kind", "claim"}, in order,
  the file being found in sample_corpus/.

A labelled sentence counts as detected when claims cover at least half of it. Files
named *_tune.jsonl, and the sample corpus, are what the detector was tuned on; every
other file is held out and only ever measured.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .claims import THRESHOLD, detect
from .reading import read_articles

COVERED = 0.5


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, gold: bool, predicted: bool, text: str) -> None:
        if gold and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
            self.errors.append(f"FP  {text}")
        elif gold:
            self.fn += 1
            self.errors.append(f"FN  {text}")
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Labelled:
    """One article's text with its labelled segments (start, end, is_claim)."""

    name: str
    language: str
    text: str
    segments: tuple[tuple[int, int, bool], ...]
    genre: str = "news"


def load(path: Path, sample_dir: Path) -> Iterator[Labelled]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if rows and "path" in rows[0]:
        yield from _segment_files(rows, sample_dir)
    else:
        yield from map(_written, rows)


def _written(row: dict) -> Labelled:
    text, segments = row["title"], [(0, len(row["title"]), False)]
    for paragraph in row["paragraphs"]:
        text += "\n\n"
        for i, sentence in enumerate(paragraph):
            if i:
                text += " "
            segments.append((len(text), len(text) + len(sentence["text"]), sentence["claim"]))
            text += sentence["text"]
    genre = row.get("genre", "news")
    return Labelled(row["id"], row["language"], text + "\n", tuple(segments), genre)


def _segment_files(rows: list[dict], sample_dir: Path) -> Iterator[Labelled]:
    by_path: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_path[row["path"]].append(row)
    for name, segments in by_path.items():
        text = (sample_dir / name).read_text(encoding="utf-8")
        spans, position = [], 0
        for segment in segments:
            start = text.index(segment["text"], position)
            position = start + len(segment["text"])
            spans.append((start, position, segment["claim"]))
        yield Labelled(name, "fr", text, tuple(spans))


def measure(articles: Iterable[Labelled], threshold: float = THRESHOLD) -> dict[str, Counts]:
    """Counts per language, running the whole pipeline (structure, language, claims)."""
    return {
        language: counts["factmark"]
        for (language, _), counts in _measure(articles, threshold, by_genre=False).items()
    }


# What the detector is measured against: calling every sentence a claim, and calling
# a claim every sentence with a digit in it.
BASELINES = {
    "all-yes": lambda text: True,
    "has-a-digit": lambda text: any(c.isdigit() for c in text),
}


def _measure(
    articles: Iterable[Labelled], threshold: float, by_genre: bool = True
) -> dict[tuple[str, str], dict[str, Counts]]:
    """Counts of the detector ("factmark") and of each of BASELINES, per language and
    (with `by_genre`) genre."""
    counts: dict[tuple[str, str], dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    for labelled in articles:
        (article,) = read_articles(f"{labelled.name}.txt", labelled.text.encode("utf-8"))
        claims = detect(article.text, article.language, article.regions, threshold)
        group = counts[labelled.language, labelled.genre if by_genre else ""]
        for start, end, gold in labelled.segments:
            covered = sum(max(0, min(end, c.end) - max(start, c.start)) for c in claims)
            predicted = covered >= COVERED * (end - start)
            text = labelled.text[start:end]
            group["factmark"].add(gold, predicted, text[:110])
            for name, says in BASELINES.items():
                group[name].add(gold, says(text), "")
    return counts


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    verbose = "-v" in args
    files = [Path(a) for a in args if a != "-v"] or sorted(
        Path("tests/data/claims").glob("*.jsonl")
    )
    if not files:
        print("no labelled files found (run from the repository, or name them)", file=sys.stderr)
        return 1
    groups: dict[str, list[Labelled]] = defaultdict(list)
    for path in files:
        held_out = not (path.stem.endswith("_tune") or path.stem.startswith("sample"))
        groups["held-out" if held_out else "tuning"].extend(load(path, Path("sample_corpus")))
    print(
        f"{'set':9} {'lang':4} {'genre':7} {'sentences':>9} {'claims':>6} {'precision':>9} "
        f"{'recall':>6} {'F1':>5}   {'all-yes F1':>10} {'digit P/R/F1':>14}"
    )
    for group in ("tuning", "held-out"):
        for (language, genre), c in sorted(_measure(groups[group], THRESHOLD).items()):
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
