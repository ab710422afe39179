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
