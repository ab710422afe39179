"""How fast `factmark import` takes a large batch, against a bare baseline.

    python bench/import_speed.py [COUNT] [REPEATS]   (default 10,000 articles of 3-6 KB, once)

The import does everything: decoding, structure, language, sentences, claims,
attribution, loaded language, and stores articles, regions and claims. The baseline
only reads the same files and inserts their raw text with sqlite-utils, in one
transaction: the floor any import pays. Prints articles per second for both and
their ratio, for each of REPEATS runs: the machine's speed varies from run to run.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import sqlite_utils

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_gen import write
from machine import describe

from factmark.store.database import Store
from factmark.store.ingest import import_paths


def baseline(paths: list[Path], db_file: Path) -> float:
    start = time.perf_counter()
    db = sqlite_utils.Database(db_file)
    with db.conn:
        db["articles"].insert_all(
            ({"path": str(p), "text": p.read_text(encoding="utf-8")} for p in paths),
            batch_size=500,
        )
    db.close()
    return time.perf_counter() - start


def factmark_import(folder: Path, db_file: Path) -> tuple[float, int, int]:
    start = time.perf_counter()
    with Store.open(db_file) as store:
        report = import_paths(store, [str(folder)])
        claims = store.conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    return time.perf_counter() - start, len(report.imported), claims


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    print(describe())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        paths = write(folder, count)
        megabytes = sum(p.stat().st_size for p in paths) / 1e6
        print(f"articles: {count} ({megabytes:.1f} MB)")
        for run in range(repeats):  # a fresh database each time
            base = baseline(paths, Path(tmp) / f"baseline{run}.db")
            took, imported, claims = factmark_import(folder, Path(tmp) / f"factmark{run}.db")
            print(
                f"run {run + 1}: factmark import {count / took:,.0f} articles/s ({took:.1f} s, "
                f"{imported} imported, {claims} claims); baseline (read + insert raw text) "
                f"{count / base:,.0f} articles/s ({base:.1f} s); {took / base:.1f}x the time"
            )


if __name__ == "__main__":
    main()
