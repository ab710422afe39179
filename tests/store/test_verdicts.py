"""The verdict log: current state, undo/redo, validation, concurrency and crash safety."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from factmark.store import verdicts
from factmark.store.database import Store, StoreError
from tests.helpers import reader_claim, start_writer


@pytest.fixture
def store(sample_db: Path):
    with Store.open(sample_db) as store:
        yield store


@pytest.fixture
def claim(store: Store) -> int:
    return reader_claim(store, 1)


def test_current_verdict_is_the_newest_event_and_keeps_the_note(store: Store, claim: int) -> None:
    verdicts.record(store, claim, "ann", "unsourced", note="no source named")
    verdicts.record(store, claim, "ann", "disputed")
    verdicts.record(store, claim, "bob", "verified")
    ann = verdicts.current(store, claim, "ann")
    assert (ann["verdict"], ann["note"]) == ("disputed", "no source named")
    assert verdicts.current(store, claim, "bob")["verdict"] == "verified"
    assert [e["verdict"] for e in verdicts.history(store, claim, "ann")] == [
        "unsourced",
        "disputed",
    ]


def test_clearing_appends_an_event_and_keeps_history(store: Store, claim: int) -> None:
    verdicts.record(store, claim, "ann", "verified")
    verdicts.record(store, claim, "ann", None)
    assert verdicts.current(store, claim, "ann")["verdict"] is None
    assert len(verdicts.history(store, claim)) == 2


def test_undo_and_redo_walk_back_and_forth_through_the_log(store: Store, claim: int) -> None:
    other = reader_claim(store, 1, 1)
    verdicts.record(store, claim, "ann", "verified")
    verdicts.record(store, other, "ann", "disputed", note="see link")
    verdicts.record(store, claim, "ann", "unsourced")

    assert verdicts.undo(store, "ann")["verdict"] == "verified"  # claim back to verified
    assert verdicts.undo(store, "ann")["claim_id"] == other
    assert verdicts.current(store, other, "ann")["verdict"] is None
    assert verdicts.redo(store, "ann")["note"] == "see link"
    assert verdicts.current(store, other, "ann")["verdict"] == "disputed"
    assert verdicts.redo(store, "ann")["verdict"] == "unsourced"
    assert verdicts.redo(store, "ann") is None

    # A new change after undo clears what could be redone, as in any editor.
    verdicts.undo(store, "ann")
    verdicts.record(store, other, "ann", "verified")
    assert verdicts.redo(store, "ann") is None
    # Nothing was ever deleted: every step is an event.
    assert store.conn.execute("SELECT count(*) FROM verdicts").fetchone()[0] == 9


def test_undo_is_per_annotator(store: Store, claim: int) -> None:
    verdicts.record(store, claim, "ann", "verified")
    assert verdicts.undo(store, "bob") is None
    assert verdicts.current(store, claim, "ann")["verdict"] == "verified"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"verdict": "true"}, "unknown verdict"),
        ({"verdict": "verified", "evidence_url": "javascript:alert(1)"}, "not a web link"),
        ({"verdict": "verified", "evidence_url": "example.org/page"}, "not a web link"),
        # Characters a URI holds only percent-encoded: one would end the attribute or
        # script a link is written into.
        ({"evidence_url": 'https://example.org/"></script><svg/onload=alert(2)>'}, "not a web"),
        ({"evidence_url": "https://example.org/a{b}|c"}, "not a web link"),
    ],
)
def test_invalid_input_is_refused_and_nothing_is_written(
    store: Store, claim: int, kwargs: dict, message: str
) -> None:
    with pytest.raises(StoreError, match=message):
        verdicts.record(store, claim, "ann", **kwargs)
    assert verdicts.history(store, claim) == []


def test_unknown_claim_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="no claim 999"):
        verdicts.record(store, 999, "ann", "verified")


def test_notes_are_stored_as_safe_text(store: Store, claim: int) -> None:
    verdicts.record(store, claim, "ann", "verified", note="ok\x1b]0;owned\x07 done\x00")
    assert verdicts.current(store, claim, "ann")["note"] == "ok done"


def test_two_processes_writing_at_once_lose_nothing(store: Store, db_path: Path) -> None:
    writers = [start_writer(db_path, name, 500, stderr=subprocess.PIPE) for name in ("ann", "bob")]
    reported = set()
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        assert "locked" not in err
        reported |= set(out.split())
    assert len(reported) == 1000
    stored = {r[0] for r in store.conn.execute("SELECT id FROM verdicts")}
    assert stored == reported


def test_sigkill_while_writing_loses_no_verdict_reported_saved(store: Store, db_path: Path) -> None:
    writer = start_writer(db_path, "ann", 100_000)
    reported = []
    for line in writer.stdout:
        reported.append(line.strip())
        if len(reported) == 300:
            writer.send_signal(signal.SIGKILL)
            break
    writer.wait(timeout=30)
    writer.stdout.close()
    assert writer.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {r[0] for r in conn.execute("SELECT id FROM verdicts")}
    assert set(reported) <= stored
