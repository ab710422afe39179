"""A vanished terminal or a kill never leaves factmark running: SIGHUP and SIGTERM end it
within a second whatever it is doing (here, rebuilding a library of 5,000 articles),
and every verdict shown as saved is in the database."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal, decided, verdicts_in
from tests.helpers import FACTMARK, article_feed, factmark

ARTICLES = 5000  # enough that showing the library keeps the app busy for a while
GONE_WITHIN = 10.0  # seconds: a liveness bound for a loaded machine, not a speed target


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hangup")
    feed = article_feed(folder / "many.jsonl", ARTICLES)
    db = folder / "many.db"
    assert factmark("import", "--db", str(db), str(feed)).returncode == 0
    return db


def started(db: Path, tmp_path: Path) -> Terminal:
    copy = tmp_path / "library.db"  # each test its own copy: a path no other process has
    copy.write_bytes(db.read_bytes())
    env = {"TERM": "xterm-256color", "FACTMARK_ANNOTATOR": "e2e", "HOME": os.environ["HOME"]}
    env |= {"PATH": os.environ["PATH"], "LANG": "C.UTF-8"}
    terminal = Terminal([FACTMARK, "--db", str(copy)], env)
    terminal.wait_for(lambda s: "sorted by" in s, timeout=60)
    return terminal


def running(db: Path) -> list[int]:
    """The processes whose command line names `db`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if str(db).encode() in command:
            found.append(int(entry.name))
    return found


def gone(db: Path) -> bool:
    deadline = time.monotonic() + GONE_WITHIN
    while running(db) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not running(db)


def test_closing_the_terminal_in_a_library_rebuild_leaves_no_process(
    library: Path, tmp_path: Path
) -> None:
    terminal = started(library, tmp_path)
    terminal.keys("enter")
    terminal.wait_for(decided(0))
    terminal.keys("1")  # a verdict, shown as saved
    terminal.wait_for(decided(1))
    terminal.keys("q")  # back to the library: its rows are rebuilt
    terminal.close()  # the terminal goes away in the middle of it (SIGHUP)
    db = tmp_path / "library.db"
    survivors = running(db)
    assert gone(db), f"factmark still running after its terminal closed: {survivors}"
    assert verdicts_in(db) == ["verified"]


def test_sigterm_in_a_library_rebuild_ends_the_app(library: Path, tmp_path: Path) -> None:
    terminal = started(library, tmp_path)
    db = tmp_path / "library.db"
    try:
        terminal.keys("enter")
        terminal.wait_for(decided(0))
        terminal.keys("q")
        for pid in running(db):
            os.kill(pid, signal.SIGTERM)
        assert gone(db), "factmark ignored SIGTERM"
    finally:
        terminal.close()
