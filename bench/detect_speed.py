"""Segmentation plus claim scoring, in MB of text per second on one core.

    python bench/detect_speed.py [COUNT] [REPEATS]   (default 500 articles, 5 repeats)

Runs `corpus.claims.detect` (sentences, cues, attribution, scores) on articles whose
structure and language were found beforehand, and prints the throughput; then the
whole analysis of an article (decoding, structure, language, loaded words, claims).
Each is timed REPEATS times: on a shared machine other load only ever slows a run
down, so the best run is the program's own speed (as `timeit` reports) and the median
says what a reader can expect on a busy day.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_gen import articles
from machine import describe

from factmark.corpus.claims import detect
from factmark.corpus.reading import read_articles


def timings(work: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(best, median) seconds of `repeats` runs of `work`."""
    took = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        took.append(time.perf_counter() - start)
    return min(took), statistics.median(took)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    print(describe())
    texts = articles(count, seed=1)
    analysed = [read_articles(f"{i}.txt", t.encode())[0] for i, t in enumerate(texts)]
    megabytes = sum(len(a.text.encode()) for a in analysed) / 1e6
    print(f"{count} articles, {megabytes:.1f} MB, best and median of {repeats} runs")

    best, median = timings(
        lambda: [detect(a.text, a.language, a.regions) for a in analysed], repeats
    )
    print(
        f"segmentation + scoring: {megabytes / best:.2f} MB/s on one core "
        f"(median {megabytes / median:.2f} MB/s)"
    )

    best, median = timings(
        lambda: [read_articles(f"{i}.txt", t.encode()) for i, t in enumerate(texts)], repeats
    )
    print(
        f"whole analysis: {megabytes / best:.2f} MB/s, {1000 * best / count:.1f} ms an article "
        f"(median {1000 * median / count:.1f} ms)"
    )


if __name__ == "__main__":
    main()
