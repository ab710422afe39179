"""Start to first paint: factmark on the sample database against a bare Textual app.

    python bench/startup_speed.py [--rounds 10]

Each round starts two fresh Python processes, one after the other, alternating which
goes first, and times each from just before the process starts to its exit:

* **factmark**: `FactmarkApp` on a copy of the sample database (imported once with
  `factmark import`), run headless at 80x24 with Pilot until the first
  `pilot.pause()` returns (the library drawn), then exited;
* **baseline**: a bare Textual app with one Static widget, run the same way.

Both pay the interpreter's start and their imports, as a user's `factmark` does, with
Python's bytecode cached as pip leaves an installed package: the children may write
it (even where PYTHONDONTWRITEBYTECODE is set) and an untimed round fills the cache,
so factmark is not timed compiling its own modules while Textual's come precompiled.
Prints min/median/max of each, the median of the per-round ratios, and the machine's
load with the reference loop before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import describe, reference_seconds, spread

SAMPLE = Path(__file__).resolve().parent.parent / "sample_corpus"

FACTMARK = """
import asyncio, sys
from pathlib import Path
from factmark.tui.app import FactmarkApp

async def main():
    app = FactmarkApp(Path(sys.argv[1]), "bench", Path(sys.argv[2]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()

asyncio.run(main())
"""

BASELINE = """
import asyncio
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("hello")

async def main():
    async with Bare().run_test(size=(80, 24)) as pilot:
        await pilot.pause()

asyncio.run(main())
"""


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(code: str, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, env=ENV)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    print(describe())
    print(f"before: load {os.getloadavg()[0]:.2f}; reference loop {reference_seconds():.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "sample.db"
        factmark = Path(sys.executable).with_name("factmark")
        subprocess.run(
            [str(factmark), "import", "--db", str(db), str(SAMPLE)], check=True, capture_output=True
        )
        runs = [("factmark", FACTMARK, str(db), str(SAMPLE)), ("baseline", BASELINE)]
        for _name, code, *rest in runs:  # untimed: fills the bytecode cache
            timed(code, *rest)
        times: dict[str, list[float]] = {"factmark": [], "baseline": []}
        for round_ in range(args.rounds):
            for name, code, *rest in runs if round_ % 2 else runs[::-1]:
                times[name].append(timed(code, *rest))
    print(f"{args.rounds} rounds, headless 80x24, from process start to exit")
    for name, values in times.items():
        print(f"  {name:9} {spread(values)}")
    ratios = [a / b for a, b in zip(times["factmark"], times["baseline"], strict=True)]
    print(
        f"  factmark / baseline: median {statistics.median(ratios):.2f}x "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f})"
    )
    print(f"after: load {os.getloadavg()[0]:.2f}; reference loop {reference_seconds():.2f} s")


if __name__ == "__main__":
    main()
