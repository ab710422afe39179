"""factmark in a real terminal: tmux runs it, send-keys types, capture-pane reads.

The terminal tests need tmux; `.ci/run` installs it when it is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import FACTMARK, SAMPLE, factmark

TMUX = shutil.which("tmux")


class Terminal:
    """One tmux server of our own, with one 80x24 pane running a command."""

    def __init__(self, command: list[str], env: dict[str, str], size=(80, 24)) -> None:
        assert TMUX, "the terminal tests need tmux (apt-get install tmux; .ci/run does it)"
        self.socket = f"factmark-test-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={_quote(v)}" for k, v in env.items())
        line = f"exec env {exports} " + " ".join(_quote(c) for c in command)
        self.tmux("new-session", "-d", "-s", "t", "-x", str(size[0]), "-y", str(size[1]), line)
        self.tmux("set-option", "-t", "t", "remain-on-exit", "on")

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            [TMUX, "-L", self.socket, *args], check=True, capture_output=True, text=True
        ).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "t", key)
            time.sleep(0.15)

    def wait_for(self, check: Callable[[str], bool], timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"timed out; the screen shows:\n{self.screen()}")

    @property
    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", "t", "#{pane_pid}").strip())

    def exit_status(self) -> str:
        return self.tmux("display-message", "-p", "-t", "t", "#{pane_dead_status}").strip()

    def closed(self) -> bool:
        """The program's terminal is closed: it has exited, and all its files with it."""
        return self.tmux("display-message", "-p", "-t", "t", "#{pane_dead}").strip() == "1"

    def dead(self) -> bool:
        """The program has exited and tmux knows how. Under load tmux can mark a pane
        dead (its terminal closed) and miss the SIGCHLD that brings the exit status,
        leaving the program a zombie; any other child of the server exiting makes it
        reap them all, so a dead pane without a status gets a `run-shell true`."""
        dead, status, sig = (
            self.tmux(
                "display-message",
                "-p",
                "-t",
                "t",
                "#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}",
            )
            .strip()
            .split(":")
        )
        if dead == "1" and not (status or sig):
            self.tmux("run-shell", "true")  # the next look finds the status
        return dead == "1" and bool(status or sig)

    def close(self) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


@pytest.fixture
def corpus_db(db_path: Path) -> Path:
    factmark("import", str(SAMPLE), "--db", str(db_path))
    return db_path


@pytest.fixture
def run(corpus_db: Path) -> Iterator[Callable[..., Terminal]]:
    terminals: list[Terminal] = []

    def start(*args: str, term: str = "xterm-256color", **env: str) -> Terminal:
        environment = {
            "TERM": term,
            "FACTMARK_ANNOTATOR": "e2e",
            "HOME": os.environ["HOME"],
            "PATH": os.environ["PATH"],
            "LANG": "C.UTF-8",
            **env,
        }
        terminal = Terminal([FACTMARK, "--db", str(corpus_db), *args], environment)
        terminals.append(terminal)
        terminal.wait_for(lambda s: "sorted by" in s)
        return terminal

    yield start
    for terminal in terminals:
        terminal.close()


def decided(count: int) -> Callable[[str], bool]:
    """The status line says `count` claims are decided."""
    return lambda screen: re.search(rf"\b{count}/\d+ decided", screen) is not None


def verdicts_in(db_path: Path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return [
            r[0]
            for r in conn.execute(
                "SELECT verdict FROM current_verdicts WHERE annotator = 'e2e' ORDER BY created_at"
            )
        ]
    finally:
        conn.close()


def test_marking_claims_shows_on_screen_and_lands_in_the_database(run, corpus_db: Path) -> None:
    terminal = run()
    terminal.keys("Enter")
    terminal.wait_for(decided(0))
    terminal.keys("1", "2", "u")
    terminal.wait_for(lambda s: decided(3)(s) and all(g in s for g in "✓✗▶"))
    terminal.keys("q", "q")
    terminal.wait_for(lambda s: terminal.dead(), timeout=15)
    assert verdicts_in(corpus_db) == ["verified", "disputed", "unsourced"]


def test_sigkill_loses_nothing_that_was_shown_saved(run, corpus_db: Path) -> None:
    terminal = run()
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "why" in s)
    terminal.keys("1", "1", "2")
    terminal.wait_for(decided(3))
    os.kill(terminal.pid, signal.SIGKILL)
    # A killed process has no exit status worth waiting for (tmux may be slow to reap
    # it): once its terminal is closed, its database connection is gone too.
    terminal.wait_for(lambda s: terminal.closed(), timeout=15)
    assert verdicts_in(corpus_db) == ["verified", "verified", "disputed"]
    conn = sqlite3.connect(corpus_db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_hangup_or_terminate_exits_cleanly_with_verdicts_saved(
    run, corpus_db: Path, sig: signal.Signals
) -> None:
    terminal = run()
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "why" in s)
    terminal.keys("3")
    terminal.wait_for(decided(1))
    pid = terminal.pid
    os.kill(pid, sig)
    terminal.wait_for(lambda s: terminal.dead(), timeout=30)
    how = terminal.tmux(
        "display-message", "-p", "-t", "t", "status=#{pane_dead_status} signal=#{pane_dead_signal}"
    ).strip()
    assert how == "status=0 signal=", how
    assert verdicts_in(corpus_db) == ["unsourced"]


@pytest.mark.parametrize(
    "term, env, glyph",
    [
        ("xterm-256color", {}, "✓"),
        ("screen-256color", {}, "✓"),
        ("tmux-256color", {}, "✓"),
        ("xterm-256color", {"NO_COLOR": "1"}, "✓"),
        ("linux", {}, "+"),
        ("vt100", {}, "+"),
    ],
)
def test_usable_at_80x24_in_many_terminals_and_without_colour(
    run, corpus_db: Path, term: str, env: dict, glyph: str
) -> None:
    terminal = run("--no-mouse", term=term, **env)
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "why" in s)
    terminal.keys("v")
    # The glyph in the text, and the footer showing the keys, once the screen is painted.
    terminal.wait_for(lambda s: decided(1)(s) and glyph in s and "Verified" in s)
    assert verdicts_in(corpus_db) == ["verified"]


def test_note_written_in_the_users_editor(run, corpus_db: Path, tmp_path: Path) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "checked against the AFP wire" > "$1"\n')
    editor.chmod(0o755)
    terminal = run(EDITOR=str(editor))
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "why" in s)
    terminal.keys("E")
    terminal.wait_for(lambda s: "checked against the AFP wire" in s)
    conn = sqlite3.connect(corpus_db)
    notes = [r[0] for r in conn.execute("SELECT note FROM current_verdicts")]
    assert notes == ["checked against the AFP wire"]
