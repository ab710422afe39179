"""factmark in a real terminal: tmux runs it, send-keys types, capture-pane reads.

The terminal tests need tmux; `.ci/run` installs it when it is missing. The terminal
itself is in `terminal.py`, the fixtures (`run`, `corpus_db`) in `conftest.py`.
"""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal, decided, verdicts_in
from tests.helpers import FACTMARK


def test_marking_claims_shows_on_screen_and_lands_in_the_database(run, corpus_db: Path) -> None:
    terminal = run()
    terminal.keys("Enter")
    terminal.wait_for(decided(0))
    terminal.keys("1", "2", "u")
    terminal.wait_for(decided(3))
    terminal.keys("p", "p", "p")  # back to the first claim: the three decided are in view
    terminal.wait_for(lambda s: all(g in s for g in ("▶ ✓", "✗ ", "? Les USA")))
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
    temp = tmp_path / "temp"
    temp.mkdir()
    seen = tmp_path / "seen"
    editor = tmp_path / "editor.sh"
    editor.write_text(
        f'#!/bin/sh\nstat -c "%a %n" "$1" > {seen}\nprintf "checked against the AFP wire" > "$1"\n'
    )
    editor.chmod(0o755)
    terminal = run(EDITOR=str(editor), TMPDIR=str(temp))
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "why" in s)
    terminal.keys("E")
    terminal.wait_for(lambda s: "checked against the AFP wire" in s)
    conn = sqlite3.connect(corpus_db)
    notes = [r[0] for r in conn.execute("SELECT note FROM current_verdicts")]
    assert notes == ["checked against the AFP wire"]
    # The note's file was private, in the user's temporary folder, and is gone.
    mode, name = seen.read_text().split()
    assert mode == "600" and Path(name).parent == temp
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize("redirection", ["2>LOG", "2>&-"])
def test_the_reader_draws_on_the_terminal_when_standard_error_is_redirected(
    corpus_db: Path, tmp_path: Path, redirection: str
) -> None:
    """`factmark 2>log`, `factmark 2>&-`: Textual draws on standard error, which is a
    log or closed here; the screen must still show the reader and answer its keys, and
    the log hold only what was said, as text."""
    log = tmp_path / "log"
    log.touch()
    env = {"TERM": "xterm-256color", "PATH": os.environ["PATH"], "LANG": "C.UTF-8"}
    where = redirection.replace("LOG", f'"{log}"')
    command = ["sh", "-c", f'exec "{FACTMARK}" --db "{corpus_db}" {where}']
    terminal = Terminal(command, env)
    try:
        terminal.wait_for(lambda s: "sorted by" in s and "Coup de bluff" in s)
        terminal.keys("q")
        terminal.wait_for(lambda _: terminal.dead())
        assert terminal.exit_status() == "0"
    finally:
        terminal.close()
    assert "\x1b" not in log.read_text(encoding="utf-8", errors="replace")
