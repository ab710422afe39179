"""The library on many articles: time to show it, and to sort, filter, search and come back.

    python bench/library_speed.py [--articles N] [--rounds R]

A database of N articles (default 10,000: one short English or French paragraph
each, imported with `factmark import` from a generated JSON Lines feed) is shown
headless at 80x24 with Pilot, R times (default 5), interleaved with its baseline:

* **shown**: wall time from creating the app to the end of the first `pilot.pause()`
  after `run_test` starts it, the library drawn. The baseline is a bare Textual app
  whose only widget is a DataTable given the same rows (the columns of
  `articles.listing`, as strings) with `add_rows` in `on_mount`, timed the same way.
* **sort**, **filter**, **search**, **back**: in the same factmark run, wall time from
  just before `pilot.press` of `o` (sort by title), `f` (one language), the search
  dialog's Enter (a title word), and Escape in the reader (an article read, one claim
  decided) to the end of the `pilot.pause()` after it: the key handled and the screen
  redrawn (headless Textual draws no terminal output). The wall time includes Pilot's
  own waits (each press and pause sleeps while it waits for the app to be idle) and
  Textual's frame pacing; "cpu" is the main thread's CPU time over the same window
  (`time.thread_time()`: the app and Pilot run on it), and "idle" and "idle cpu" the
  same for a key bound to nothing: the harness's own share.

Prints min/median/max of each, the ratio of shown to the baseline (median of the
per-round ratios), each key's **net** wall time (its wall less the idle key's, per
round: what the key itself costs the person at the keyboard), and the machine's load
with the reference loop before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import describe, reference_seconds, spread
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from factmark.store import articles
from factmark.store.database import Store
from factmark.tui.app import FactmarkApp
from factmark.tui.reader import ReaderScreen

SAMPLE = Path(__file__).resolve().parent.parent / "sample_corpus"


def build(db: Path, count: int) -> None:
    feed = db.with_suffix(".jsonl")
    with feed.open("w", encoding="utf-8") as out:
        for n in range(count):
            english = n % 2
            text = (
                f"The council spent {n} million euros on roads in 2021, the mayor said."
                if english
                else f"Le conseil a dépensé {n} millions d'euros pour les routes en 2021."
            )
            title = f"Roads budget {n}" if english else f"Budget des routes {n}"
            out.write(json.dumps({"id": str(n), "title": title, "text": text}) + "\n")
    factmark = Path(sys.executable).with_name("factmark")
    subprocess.run([str(factmark), "import", "--db", str(db), str(feed)], check=True)


class Baseline(App[None]):
    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "Title", "Date", "Source", "Lang", "Claims", "Decided")
        table.add_rows(self.rows)


async def baseline(rows: list[tuple[str, ...]]) -> float:
    start = time.perf_counter()
    app = Baseline(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        return time.perf_counter() - start


async def timed(pilot, *keys: str) -> tuple[float, float]:
    """(wall, CPU) seconds of pressing `keys` until the pause after them."""
    start, cpu = time.perf_counter(), time.thread_time()
    await pilot.press(*keys)
    await pilot.pause()
    return time.perf_counter() - start, time.thread_time() - cpu


async def factmark_run(db: Path) -> dict[str, float]:
    found = {}
    start = time.perf_counter()
    app = FactmarkApp(db, "bench", SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        found["shown"] = time.perf_counter() - start
        found["sort"], found["sort cpu"] = await timed(pilot, "o")
        found["filter"], found["filter cpu"] = await timed(pilot, "f")
        await pilot.press("slash", *"budget 99")
        found["search"], found["search cpu"] = await timed(pilot, "enter")
        await pilot.press("enter")
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("1")
        await pilot.pause()
        found["back"], found["back cpu"] = await timed(pilot, "escape")
        found["idle"], found["idle cpu"] = await timed(pilot, "f12")  # bound to nothing
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(describe())
    print(f"before: load {os.getloadavg()[0]:.2f}; reference loop {reference_seconds():.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "library.db"
        build(db, args.articles)
        with Store.open(db, readonly=True) as store:
            rows = [tuple(str(v or "") for v in r.values()) for r in articles.listing(store)]
        rows = [(r[0], r[2], r[3], r[4], r[5], r[6], f"{r[7]}/{r[6]}") for r in rows]
        figures: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            figures.setdefault("baseline", []).append(asyncio.run(baseline(rows)))
            for name, value in asyncio.run(factmark_run(db)).items():
                figures.setdefault(name, []).append(value)
    print(f"{args.articles} articles, {args.rounds} rounds, 80x24, headless")
    for name, values in figures.items():
        print(f"  {name:9} {spread(values)}")
    ratios = [a / b for a, b in zip(figures["shown"], figures["baseline"], strict=True)]
    print(
        f"  shown / baseline: median {statistics.median(ratios):.2f}x "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f})"
    )
    for key in ("sort", "filter", "search", "back"):
        net = [k - i for k, i in zip(figures[key], figures["idle"], strict=True)]
        print(f"  {key + ' net':9} {spread(net)}")
    print(f"after: load {os.getloadavg()[0]:.2f}; reference loop {reference_seconds():.2f} s")


if __name__ == "__main__":
    main()
