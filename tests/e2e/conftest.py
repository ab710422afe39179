"""Fixtures for the terminal tests: a sample database, and factmark started in tmux."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal
from tests.helpers import FACTMARK


@pytest.fixture
def corpus_db(sample_db: Path) -> Path:
    return sample_db


@pytest.fixture
def run(corpus_db: Path) -> Iterator[Callable[..., Terminal]]:
    """Start factmark on the sample database in a terminal of its own (closed after the
    test), once the library shows: `run(*args, term=..., size=..., config=..., **env)`."""
    terminals: list[Terminal] = []

    def start(
        *args: str,
        term: str = "xterm-256color",
        size: tuple[int, int] = (80, 24),
        config: Path | None = None,
        **env: str,
    ) -> Terminal:
        environment = {
            "TERM": term,
            "FACTMARK_ANNOTATOR": "e2e",
            "HOME": os.environ["HOME"],
            "PATH": os.environ["PATH"],
            "LANG": "C.UTF-8",
            **env,
        }
        terminal = Terminal([FACTMARK, "--db", str(corpus_db), *args], environment, size, config)
        terminals.append(terminal)
        terminal.wait_for(lambda s: "sorted by" in s)
        return terminal

    yield start
    for terminal in terminals:
        terminal.close()
