"""Segmentation plus claim scoring, in MB of text per second on one core.

    python bench/detect_speed.py [COUNT]       (default 500 generated articles)

Runs `corpus.claims.detect` (sentences, cues, attribution, scores) on articles whose
structure and language were found beforehand, and prints the throughput; then the
whole analysis of an article (decoding, structure, language, loaded words, claims).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_gen import articles
from machine import describe

from factmark.corpus.claims import detect
from factmark.corpus.reading import read_articles


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    print(describe())
    texts = articles(count, seed=1)
    analysed = [read_articles(f"{i}.txt", t.encode())[0] for i, t in enumerate(texts)]
    megabytes = sum(len(a.text.encode()) for a in analysed) / 1e6

    start = time.perf_counter()
    for a in analysed:
        detect(a.text, a.language, a.regions)
    took = time.perf_counter() - start
    print(
        f"segmentation + scoring: {megabytes / took:.2f} MB/s on one core "
        f"({count} articles, {megabytes:.1f} MB, {took:.1f} s)"
    )

    start = time.perf_counter()
    for i, t in enumerate(texts):
        read_articles(f"{i}.txt", t.encode())
    took = time.perf_counter() - start
    print(f"whole analysis: {megabytes / took:.2f} MB/s, {1000 * took / count:.1f} ms an article")


if __name__ == "__main__":
    main()
