"""The export formats against CSV, and annotations read back, on the sample corpus.

    python bench/formats_speed.py [--annotators 100] [--rounds 3]

Builds a database of the sample corpus (one `factmark import`) in which each of N
annotators holds a current verdict on every claim (bulk SQL, one transaction; a note
on one claim in three), then times, as whole commands (Python starting included):

- `factmark export --format F -o FILE` for csv, jsonl, webannotation and claimreview,
  interleaved in each round, with each one's time as a ratio to CSV's in that round;
- `factmark import-verdicts` of the Web Annotation export into a fresh copy of the
  corpus without verdicts (every annotation placed by its quote and landing), then
  the same file again (every annotation unchanged).

Prints the machine and its load (bench/machine.py), min/median/max of each, and the
annotations a second.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from machine import describe, reference_seconds, spread

SAMPLE = Path(__file__).resolve().parent.parent / "sample_corpus"
FACTMARK = str(Path(sys.executable).with_name("factmark"))
FORMATS = ("csv", "jsonl", "webannotation", "claimreview")
VERDICTS = ("verified", "disputed", "unsourced")


def build(db: Path, annotators: int) -> int:
    """Give each of `annotators` a verdict on every claim of `db`; the verdicts made."""
    from factmark.store.database import Store

    with Store.open(db) as store:
        claims = [row[0] for row in store.conn.execute("SELECT id FROM claims")]
        store.conn.execute("BEGIN")
        store.conn.executemany(
            "INSERT INTO annotators (name, created_at) VALUES (?, '2026-11-01T08:00:00Z')",
            [(f"student{a}",) for a in range(annotators)],
        )
        rows = [
            (
                str(uuid.uuid4()),
                claim,
                f"student{a}",
                VERDICTS[(i + a) % 3],
                f"Note {i} by student {a}." if i % 3 == 0 else None,
                f"2026-11-02T08:{a % 60:02d}:{i % 60:02d}Z",
            )
            for a in range(annotators)
            for i, claim in enumerate(claims)
        ]
        store.conn.executemany(
            "INSERT INTO verdicts (id, claim_id, annotator, verdict, note, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
        store.conn.execute("COMMIT")
    return len(rows)


def timed(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([FACTMARK, *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotators", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(describe())
    print(f"before: load {os.getloadavg()[0]:.2f}; reference loop {reference_seconds():.2f} s")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        bare = folder / "bare.db"
        subprocess.run([FACTMARK, "import", "--db", str(bare), str(SAMPLE)], check=True)
        db = folder / "many.db"
        shutil.copyfile(bare, db)
        count = build(db, args.annotators)
        print(f"{count:,} current verdicts ({args.annotators} annotators x every claim)")
        times: dict[str, list[float]] = {f: [] for f in FORMATS}
        ratios: dict[str, list[float]] = {f: [] for f in FORMATS}
        for round_ in range(args.rounds):
            order = FORMATS if round_ % 2 == 0 else FORMATS[::-1]
            taken = {
                f: timed("export", "--db", str(db), "--format", f, "-o", str(folder / f))
                for f in order
            }
            for f in FORMATS:
                times[f].append(taken[f])
                ratios[f].append(taken[f] / taken["csv"])
        for f in FORMATS:
            print(
                f"  export {f:13} {spread(times[f])}; "
                f"x CSV: median {statistics.median(ratios[f]):.2f}"
            )
        annotations = folder / "webannotation"
        first, again = [], []
        for _ in range(args.rounds):
            target = folder / "target.db"
            shutil.copyfile(bare, target)
            first.append(timed("import-verdicts", "--db", str(target), str(annotations)))
            again.append(timed("import-verdicts", "--db", str(target), str(annotations)))
            target.unlink()
        median = statistics.median(first)
        print(
            f"  import of {count:,} annotations, landing: {spread(first)} "
            f"({count / median:,.0f} a second); again, unchanged: {spread(again)}"
        )
    print(f"after: load {os.getloadavg()[0]:.2f}; reference loop {reference_seconds():.2f} s")


if __name__ == "__main__":
    main()
