"""Sentence splitters on the trap suite of tests/corpus/test_sentences.py.

    python bench/splitters.py

Compares factmark's splitter with a naive regex and, when installed, pysbd
(pip install pysbd); prints cases passed and time per case.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from factmark.corpus.sentences import split
from tests.corpus.test_sentences import TRAPS


def factmark_split(text: str) -> list[str]:
    return [text[a:b] for a, b in split(text)]


def naive(text: str) -> list[str]:
    return [
        s.strip()
        for line in text.split("\n")
        for s in re.split(r"(?<=[.!?…])\s+(?=[A-ZÀ-Ý0-9«\"(])", line)
        if s.strip()
    ]


def splitters() -> dict:
    found = {"factmark": factmark_split, "naive regex": naive}
    try:
        import pysbd

        segmenters = {lang: pysbd.Segmenter(language=lang, clean=False) for lang in ("fr", "en")}

        def pysbd_split(text: str) -> list[str]:
            english = re.search(r"\b(the|and|said|is)\b", text)
            segmenter = segmenters["en" if english else "fr"]
            return [
                s.strip() for line in text.split("\n") for s in segmenter.segment(line) if s.strip()
            ]

        found["pysbd"] = pysbd_split
    except ImportError:
        pass
    return found


def main() -> None:
    for name, run in splitters().items():
        start = time.perf_counter()
        passed = sum(run(text) == expected for text, expected in TRAPS)
        took = time.perf_counter() - start
        print(
            f"{name:12} {passed}/{len(TRAPS)} trap cases, {1e6 * took / len(TRAPS):.0f} µs a case"
        )


if __name__ == "__main__":
    main()
