"""Helpers for tests: the real `factmark` command and file fingerprints."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "sample_corpus"
FACTMARK = str(Path(sys.executable).with_name("factmark"))


def factmark(
    *args: str, input: bytes | None = None, env: dict | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run the installed `factmark` command as a user would."""
    return subprocess.run(
        [FACTMARK, *args],
        input=input,
        capture_output=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# A process saving `count` verdicts on article 1's claims, printing each event id once
# it is saved: args DB ANNOTATOR COUNT.
VERDICT_WRITER = """
import sys
from factmark.store import claims, verdicts
from factmark.store.database import Store
db, annotator, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with Store.open(db) as store:
    ids = [c["id"] for c in claims.for_article(store, 1)]
    for i in range(count):
        event = verdicts.record(store, ids[i % len(ids)], annotator,
                                ("verified", "disputed", "unsourced")[i % 3])
        print(event["id"], flush=True)
"""


def start_writer(db: Path, annotator: str, count: int, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", VERDICT_WRITER, str(db), annotator, str(count)],
        stdout=subprocess.PIPE,
        text=True,
        **popen,
    )
