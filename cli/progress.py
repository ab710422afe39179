"""A one-line progress bar for long imports, drawn on standard error."""

from __future__ import annotations

import time
from typing import TextIO

MIN_FILES = 5  # a bar for a handful of files is only flicker
WIDTH = 30


class ProgressBar:
    """Call with (done, total); redraws at most ten times a second."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.drawn = False
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if total < MIN_FILES or (done < total and now - self.last < 0.1):
            return
        self.last = now
        filled = WIDTH * done // total
        self.out.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} files")
        self.out.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.out.write("\n")
            self.out.flush()
