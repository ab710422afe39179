"""Opening a large database, and starting the reader on it: before and after, interleaved.

    python bench/open_speed.py [--db PATH] [--megabytes 140] [--rounds 7]
                               [--before DIR] [--no-paint]

`--db` (default /tmp/factmark-open-bench.db) is made if missing: a factmark database
of 4 KB articles of random words, ten claims each, grown to `--megabytes`. `--before`
is a folder holding an older factmark as a package named `factmark`, for example
`mkdir -p DIR/factmark && git archive ecd6a95 | tar -x -C DIR/factmark` (default
/tmp/writers16/before); its code runs with DIR first on PYTHONPATH.

Each round runs, in a fresh process for each and alternating which goes first:

* **open**: `Store.open(db)` then `close()`, timed inside the process (modules loaded
  before the clock starts);
* **command**: the whole `factmark key list --db DB` process, wall time (Python
  starting, the command line, opening the database, one query);
* **first paint** (unless `--no-paint`): what `factmark open --db DB` does up to the
  library's first screen, headless at 80x24 with Textual's `run_test`, from the
  process's start (its start time in /proc) to the first `pilot.pause()` returning
  with the library mounted.

Prints each run, then min/median/max of each figure and the ratio of the medians.
The file stays in the page cache between runs (it is read again and again), so the
figures are those of a warm cache: a cold one only adds to what reads the whole file.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe

VENV_BIN = Path(sys.executable).parent

OPEN = """
import sys, time
from factmark.store.database import Store
start = time.perf_counter()
Store.open(sys.argv[1]).close()
print(time.perf_counter() - start)
"""

# What run_open does (import nothing: no paths), then the app up to its first screen.
PAINT = """
import asyncio, inspect, os, sys, time
ticks = os.sysconf("SC_CLK_TCK")
with open("/proc/self/stat") as fh:
    started_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
with open("/proc/uptime") as fh:
    uptime = float(fh.read().split()[0])
since_start = uptime - started_ticks / ticks  # seconds since this process started
clock_at_start = time.monotonic() - since_start
try:  # the command line, loaded as `open` loads it
    import factmark.cli.reading
    from factmark.cli.command import sample_corpus
except ImportError:  # a factmark from before the cli package
    from factmark.tui.cli import sample_corpus, build_parser
    build_parser()
from factmark.store.database import Store
from factmark.tui.app import FactmarkApp
from factmark.tui.library import LibraryScreen
db = sys.argv[1]
store = Store.open(db)
if "store" in inspect.signature(FactmarkApp).parameters:
    app = FactmarkApp(db_path=db, annotator="bench", sample=sample_corpus(), store=store)
else:  # before: the store was closed, and the app opened the file again
    store.close()
    app = FactmarkApp(db_path=db, annotator="bench", sample=sample_corpus())
async def main():
    async with app.run_test(size=(80, 24)) as pilot:
        while not isinstance(app.screen, LibraryScreen):
            await pilot.pause()
        await pilot.pause()
        print(time.monotonic() - clock_at_start, flush=True)
        app.exit()
asyncio.run(main())
"""


def make(db: Path, megabytes: int) -> None:
    from factmark.store.database import Store

    words = [
        "".join(random.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(random.randint(2, 9)))
        for _ in range(5000)
    ]
    rng = random.Random(16)
    with Store.open(db) as store:
        now = "2026-12-01T00:00:00.000000Z"
        article = 0
        while db.stat().st_size < megabytes * 1_000_000:
            with store.write():
                for _ in range(2000):
                    article += 1
                    text = " ".join(rng.choice(words) for _ in range(700))[:4000]
                    store.conn.execute(
                        "INSERT INTO articles (id, path, title, text, sha256, imported_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        [article, f"a{article}.txt", f"Article {article}", text, f"{article:064x}",
                         now],
                    )  # fmt: skip
                    store.conn.executemany(
                        'INSERT INTO claims (article_id, start, "end", text, origin, '
                        "created_at) VALUES (?, ?, ?, ?, 'detector', ?)",
                        [
                            (article, i * 300, i * 300 + 120, text[i * 300 : i * 300 + 120], now)
                            for i in range(10)
                        ],
                    )
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        print(f"made {db}: {article} articles, {db.stat().st_size / 1e6:.0f} MB", flush=True)


def child(code: list[str], tree: Path | None) -> float:
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    done = subprocess.run(code, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        raise SystemExit(f"{code[:3]}: {done.stderr.strip()[-500:]}")
    return float(done.stdout.strip().splitlines()[-1])


def command_time(db: Path, tree: Path | None) -> float:
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    code = (
        "try:\n    from factmark.cli import main\n"
        "except ImportError:  # a factmark from before the cli package\n"
        "    from factmark.tui.cli import main\n"
        "raise SystemExit(main())"
    )
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code, "key", "list", "--db", str(db)],
        capture_output=True,
        env=env,
        check=True,
    )
    return time.perf_counter() - start


def summary(values: list[float]) -> str:
    return (
        f"{min(values) * 1000:7.1f} / {statistics.median(values) * 1000:7.1f} / "
        f"{max(values) * 1000:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/factmark-open-bench.db"))
    parser.add_argument("--megabytes", type=int, default=140)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--before", type=Path, default=Path("/tmp/writers16/before"))
    parser.add_argument("--no-paint", action="store_true")
    args = parser.parse_args()
    if not args.db.exists():
        make(args.db, args.megabytes)
    print(f"{args.db}: {args.db.stat().st_size / 1e6:.0f} MB; {describe()}", flush=True)
    print(f"load average: {os.getloadavg()}", flush=True)
    versions = {"before": args.before, "after": None}
    figures: dict[str, dict[str, list[float]]] = {
        name: {"open": [], "command": [], "first paint": []} for name in versions
    }
    for round_ in range(args.rounds):
        order = list(versions.items())
        for name, tree in order if round_ % 2 == 0 else order[::-1]:
            got = figures[name]
            got["open"].append(child([sys.executable, "-c", OPEN, str(args.db)], tree))
            got["command"].append(command_time(args.db, tree))
            if not args.no_paint:
                got["first paint"].append(child([sys.executable, "-c", PAINT, str(args.db)], tree))
            shown = "  ".join(f"{k} {v[-1] * 1000:7.1f} ms" for k, v in got.items() if v)
            print(f"round {round_ + 1} {name:6} {shown}", flush=True)
    print("\nmin / median / max, and the ratio of the medians (after / before)")
    for figure in ("open", "command", "first paint"):
        before, after = figures["before"][figure], figures["after"][figure]
        if not before:
            continue
        ratio = statistics.median(after) / statistics.median(before)
        print(f"{figure:12} before {summary(before)}   after {summary(after)}   {ratio:.2f}x")
    print(f"load average: {os.getloadavg()}; {describe()}")


if __name__ == "__main__":
    main()
