"""One line saying what machine, and how fast it is running right now.

Shared VMs change speed from one minute to the next; a fixed reference loop timed
beside each benchmark tells a slow run from a slow program.
"""

from __future__ import annotations

import os
import platform
import statistics
import time

from factmark.corpus import compiled

REFERENCE = "sum(range(10**7))"


def reference_seconds() -> float:
    start = time.perf_counter()
    sum(range(10**7))
    return time.perf_counter() - start


def describe() -> str:
    detection = "compiled" if compiled() else "pure Python"
    return (
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, detection {detection}; "
        f"{REFERENCE} took {reference_seconds():.2f} s"
    )


def spread(seconds: list[float]) -> str:
    """ "min M  median M  max M ms" of timings given in seconds."""
    ms = [value * 1000 for value in seconds]
    return f"min {min(ms):8.1f}  median {statistics.median(ms):8.1f}  max {max(ms):8.1f} ms"
