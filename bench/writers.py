"""Thirty writers saving verdicts to one database at once: the writers' queue against
SQLite's busy handler alone, interleaved.

    python bench/writers.py [--writers 30] [--each 100] [--rounds 3] [--synchronous NORMAL]

Each writer is its own process saving verdicts one at a time with no pause, through
`verdicts.record` (what the reader calls to save a verdict), on a patient store (as
the command line's, and `bench/classroom_load.py`'s). A round runs SQLite alone
(`Store.queue_writers = False`: `BEGIN IMMEDIATE` waiting on SQLite's busy handler)
and the writers' queue (first come, first served, on open-file-description locks in
`DB-writers.lock`, in front of it; see `Store.write`), each on a fresh copy of the
same database; rounds alternate which goes first (to compare with another version
of the queue, run this file from that version's checkout). Prints every run's save
latency (p50, p99, max), then min/median/max of each over the rounds, and checks that
every verdict is in the database (rows counted).

Each round also times one writer alone (the queue, 300 saves): its save latency is
the turn each of the thirty takes in the queue, so a writer waits about thirty of
them. `--synchronous NORMAL` runs every writer without the fsync a save makes in
factmark (SQLite's `synchronous = FULL`, kept so a verdict shown saved survives a
power cut): what that durability costs the queue.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from factmark.store import claims
from factmark.store.database import Store
from factmark.store.ingest import import_paths

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe

ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import sys, time
from factmark.store import verdicts
from factmark.store.database import Store
db, name, count, ids, queue, synchronous = sys.argv[1:7]
count, ids = int(count), [int(i) for i in ids.split(",")]
Store.queue_writers = queue == "queue"
with Store.open(db) as store:
    store.conn.execute(f"PRAGMA synchronous = {synchronous}")
    sys.stdin.readline()  # everyone starts together
    for i in range(count):
        start = time.perf_counter()
        verdict = ("verified", "disputed", "unsourced")[i % 3]
        verdicts.record(store, ids[i % len(ids)], name, verdict)
        print(time.perf_counter() - start, flush=True)
"""

MECHANISMS = {"busy handler alone": "busy", "writers' queue": "queue"}


ALONE = "one writer alone"


def run(
    seed: Path, folder: Path, writers: int, each: int, ids: str, mechanism: str, sync: str
) -> dict:
    db = folder / f"{mechanism}.db"
    shutil.copy(seed, db)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), f"w{i}", str(each), ids, mechanism, sync],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(writers)
    ]
    time.sleep(1.5)  # all open
    start = time.perf_counter()
    for proc in procs:
        proc.stdin.write("go\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]
    latencies: list[float] = []
    later: list[float] = []  # every save but each writer's first
    failed = 0
    for proc in procs:
        out, err = proc.communicate()
        mine = [float(x) for x in out.split()]
        latencies += mine
        later += mine[1:]
        if proc.returncode:
            failed += 1
            print(err.strip().splitlines()[-1:], file=sys.stderr)
    took = time.perf_counter() - start
    with Store.open(db, readonly=True) as store:
        kept = store.conn.execute("SELECT count(*) FROM verdicts").fetchone()[0]
    latencies.sort()
    later.sort()
    return {
        "p99 later": later[min(len(later) - 1, int(len(later) * 0.99))] * 1000,
        "max later": later[-1] * 1000,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "max": latencies[-1] * 1000,
        "took": took,
        "kept": kept,
        "expected": writers * each,
        "failed": failed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=30)
    parser.add_argument("--each", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--synchronous", choices=("FULL", "NORMAL"), default="FULL")
    args = parser.parse_args()
    print(describe())
    print(f"synchronous = {args.synchronous}")
    results: dict[str, list[dict]] = {name: [] for name in [*MECHANISMS, ALONE]}
    with tempfile.TemporaryDirectory(prefix="writers-bench-") as tmp:
        folder = Path(tmp)
        seed = folder / "seed.db"
        with Store.open(seed) as store:
            import_paths(store, [str(ROOT / "sample_corpus")])
            ids = ",".join(str(c["id"]) for c in claims.for_article(store, 1))
        order = [
            (name, mechanism, args.writers, args.each) for name, mechanism in MECHANISMS.items()
        ]
        for round_ in range(args.rounds):
            runs = order if round_ % 2 == 0 else order[::-1]
            for name, mechanism, writers, each in [*runs, (ALONE, "queue", 1, 300)]:
                found = run(seed, folder, writers, each, ids, mechanism, args.synchronous)
                results[name].append(found)
                lost = found["expected"] - found["kept"]
                print(
                    f"round {round_ + 1} {name:22} p50 {found['p50']:6.1f} ms  "
                    f"p99 {found['p99']:7.1f} ms  max {found['max']:7.1f} ms  "
                    f"(after the first save: p99 {found['p99 later']:.1f}, "
                    f"max {found['max later']:.1f} ms)  "
                    f"({found['took']:.1f} s; kept {found['kept']} of {found['expected']}, "
                    f"lost {lost}, {found['failed']} writers failed)",
                    flush=True,
                )
    print(f"\n{args.writers} writers x {args.each} verdicts, {args.rounds} rounds: min/median/max")
    for name, runs in results.items():
        cells = []
        for figure in ("p50", "p99", "max", "p99 later", "max later"):
            values = [r[figure] for r in runs]
            cells.append(
                f"{figure} {min(values):.1f}/{statistics.median(values):.1f}/{max(values):.1f} ms"
            )
        lost = sum(r["expected"] - r["kept"] for r in runs)
        print(f"{name:22} {'  '.join(cells)}  lost {lost}")
    print(describe())


if __name__ == "__main__":
    main()
