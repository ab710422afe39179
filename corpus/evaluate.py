"""Measure the claim detector against labelled sentences: precision, recall, F1.

The labels are data handed in (`labelled`), so this module reads no file and prints
nothing: `bench/evaluate.py` reads the sets and prints the table. Two label formats,
both one dict a row (a line of JSON Lines):
- articles written for evaluation: {"id", "language", "genre", "title",
  "paragraphs": [[{"text", "claim"}, ...], ...]}; the title counts as a non-claim;
- segments of a real article file: {"path", "text", "kind", "claim"}, in order,
  the file's text being what `article_text(path)` returns.

A labelled sentence counts as detected when claims cover at least half of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

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


def labelled(rows: list[dict], article_text: Callable[[str], str]) -> Iterator[Labelled]:
    """The labelled articles of one set's rows (either format, see above); segments
    are found in `article_text(path)`. Raises KeyError for a row missing a field, and
    ValueError for a segment not in its article's text."""
    if rows and "path" in rows[0]:
        yield from _segment_files(rows, article_text)
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


def _segment_files(rows: list[dict], article_text: Callable[[str], str]) -> Iterator[Labelled]:
    by_path: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_path[row["path"]].append(row)
    for name, segments in by_path.items():
        text = article_text(name)
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
        for (language, _), counts in measure_all(articles, threshold, by_genre=False).items()
    }


# What the detector is measured against: calling every sentence a claim, and calling
# a claim every sentence with a digit in it.
BASELINES = {
    "all-yes": lambda text: True,
    "has-a-digit": lambda text: any(c.isdigit() for c in text),
}


def measure_all(
    articles: Iterable[Labelled], threshold: float, by_genre: bool = True
) -> dict[tuple[str, str], dict[str, Counts]]:
    """Counts of the detector ("factmark") and of each of BASELINES, keyed by
    (language, genre), the genre "" unless `by_genre`; the whole pipeline runs on
    each article (structure, language, claims)."""
    counts: dict[tuple[str, str], dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    for item in articles:
        (article,) = read_articles(f"{item.name}.txt", item.text.encode("utf-8"))
        claims = detect(article.text, article.language, article.regions, threshold)
        group = counts[item.language, item.genre if by_genre else ""]
        for start, end, gold in item.segments:
            covered = sum(max(0, min(end, c.end) - max(start, c.start)) for c in claims)
            predicted = covered >= COVERED * (end - start)
            text = item.text[start:end]
            group["factmark"].add(gold, predicted, text[:110])
            for name, says in BASELINES.items():
                group[name].add(gold, says(text), "")
    return counts
