"""Trust, in a real terminal: stored text never drives the terminal (title, clipboard),
the reader shows what it saves whatever the annotator's name looks like, and an editor
that cannot run or fails leaves the reader running and the log untouched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.e2e.terminal import decided
from tests.tui.hostile import make_hostile


def events(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT annotator, verdict, note, action FROM verdicts").fetchall()
    finally:
        conn.close()


def test_escape_sequences_in_stored_text_never_reach_the_terminal(
    run, corpus_db: Path, tmp_path: Path
) -> None:
    make_hostile(corpus_db, "bob", markup=False)  # markup has a test of its own
    config = tmp_path / "tmux.conf"
    config.write_text("set -g set-clipboard on\n")  # an OSC 52 write would fill a buffer
    hostile_name = "\x1b]0;OWNED-ANNOTATOR\x1b\\ bob"  # stored (and shown) as "bob"
    terminal = run("--annotator", hostile_name, config=config, size=(120, 40))
    untouched = terminal.title
    assert "OWNED" not in untouched
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "why" in s)
    terminal.keys("p")  # the claim with the hostile note, cues, source, key and key note
    screen = terminal.wait_for(lambda s: "Keynote" in s and "Note" in s)
    assert "Bluff [bold]x" in screen and "bob ·" in screen
    assert terminal.title == untouched
    assert terminal.buffers() == ""


def test_a_name_with_a_trailing_space_sees_and_undoes_its_verdicts(run, corpus_db: Path) -> None:
    terminal = run("--annotator", "bob ")
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "why" in s)
    terminal.keys("1")
    terminal.wait_for(lambda s: decided(1)(s) and "bob ·" in s, timeout=15)
    assert events(corpus_db) == [("bob", "verified", None, "set")]
    terminal.keys("z")
    screen = terminal.wait_for(decided(0), timeout=15)
    assert "Nothing to undo" not in screen
    assert [e[3] for e in events(corpus_db)] == ["set", "undo"]


def _bad_bytes_editor(folder: Path) -> str:
    editor = folder / "bad-bytes.sh"
    editor.write_text('#!/bin/sh\nprintf "\\377\\376 not UTF-8" > "$1"\n')
    editor.chmod(0o755)
    return str(editor)


@pytest.mark.parametrize(
    "editor, message",
    [
        ("/nonexistent/editor", "Could not run the editor"),
        ('vim "', "Cannot read $EDITOR"),
        ("false", "exited with status 1"),
        (_bad_bytes_editor, "not UTF-8"),
        ("true", "The note is unchanged"),
    ],
    ids=["missing", "bad-quoting", "fails", "not-utf8", "unchanged"],
)
def test_an_editor_that_cannot_help_changes_nothing_and_the_reader_comes_back(
    run, corpus_db: Path, tmp_path: Path, editor, message: str
) -> None:
    command = editor(tmp_path) if callable(editor) else editor
    terminal = run(EDITOR=command, size=(120, 30))
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "1/17" in s)
    terminal.keys("E")
    terminal.wait_for(lambda s: message in s and "why" in s, timeout=15)
    terminal.keys("n")  # the reader has the keyboard again
    terminal.wait_for(lambda s: "2/17" in s, timeout=15)
    assert events(corpus_db) == []
