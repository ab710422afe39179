"""Instructions an article costs, counted by valgrind: the same on a busy or quiet machine.

    python bench/instructions.py [COUNT]        (default 20 generated articles, at most 49)

Runs the analysis under `valgrind --tool=callgrind` twice, on COUNT articles and on
none, and prints the difference per article, for the whole analysis and for
`detect` alone. Needs valgrind (Debian: `apt install valgrind`); takes a few minutes.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_gen import articles

from factmark.corpus.claims import detect
from factmark.corpus.reading import read_articles

GENERATED = 50  # articles made in every run, so that making them cancels out
VALGRIND = ("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null")


def work(stage: str, count: int) -> None:
    """What is measured: `count` articles through `stage`, after a warm-up that loads
    the lexicons (and is paid by the empty run too)."""
    data = [t.encode() for t in articles(GENERATED, seed=3)]  # as many in every run
    read_articles("warm.txt", data[-1])
    analysed = [read_articles(f"{i}.txt", d)[0] for i, d in enumerate(data[:count])]
    if stage == "detect":
        for a in analysed:
            detect(a.text, a.language, a.regions)


def instructions(stage: str, count: int) -> int:
    run = subprocess.run(
        [*VALGRIND, sys.executable, __file__, "--work", stage, str(count)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(re.search(r"Collected : (\d+)", run.stderr).group(1))


def main() -> None:
    if sys.argv[1:2] == ["--work"]:
        work(sys.argv[2], int(sys.argv[3]))
        return
    count = min(int(sys.argv[1]) if len(sys.argv) > 1 else 20, GENERATED - 1)
    base = instructions("read", 0)
    read = instructions("read", count) - base
    both = instructions("detect", count) - base
    print(f"whole analysis: {read / count / 1e6:.1f} M instructions an article")
    print(f"detect:         {(both - read) / count / 1e6:.1f} M instructions an article")


if __name__ == "__main__":
    main()
