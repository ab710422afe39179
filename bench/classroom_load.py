"""Thirty students saving verdicts to one database at once.

    python bench/classroom_load.py [STUDENTS] [VERDICTS_EACH]    (default 30 and 100)

Each student is its own process (as each is over SSH), saving verdicts one at a time
with no pause, so this is far harsher than a class. Prints every save's latency
(median, p99, max), any "database is locked" seen, and whether every verdict is in
the database afterwards.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from factmark.store import claims
from factmark.store.database import Store
from factmark.store.ingest import import_paths

ROOT = Path(__file__).resolve().parent.parent

STUDENT = """
import sys, time
from factmark.store import verdicts
from factmark.store.database import Store
db, name, count, ids = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split(",")
with Store.open(db) as store:
    for i in range(count):
        start = time.perf_counter()
        verdicts.record(store, int(ids[i % len(ids)]), name,
                        ("verified", "disputed", "unsourced")[i % 3])
        print(time.perf_counter() - start, flush=True)
"""


def main() -> None:
    students = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    each = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "class.db"
        with Store.open(db) as store:
            import_paths(store, [str(ROOT / "sample_corpus")])
            ids = ",".join(str(c["id"]) for c in claims.for_article(store, 1))
        start = time.perf_counter()
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", STUDENT, str(db), f"s{i}", str(each), ids],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(students)
        ]
        latencies, locked, failed = [], 0, 0
        for proc in procs:
            out, err = proc.communicate()
            latencies += [float(x) for x in out.split()]
            locked += err.count("locked")
            failed += proc.returncode != 0
        took = time.perf_counter() - start
        with Store.open(db, readonly=True) as store:
            kept = store.conn.execute("SELECT count(*) FROM verdicts").fetchone()[0]
    latencies.sort()
    print(
        f"{students} students x {each} verdicts in {took:.1f} s "
        f"({students * each / took:.0f} verdicts/s overall)"
    )
    print(
        f"save latency: median {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms"
    )
    print(
        f"kept {kept} of {students * each}; 'database is locked' seen {locked} times; "
        f"{failed} student processes failed"
    )


if __name__ == "__main__":
    main()
