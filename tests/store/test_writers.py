"""Writers of one database queue fairly on a lock file beside it, and lose nothing.

(No timing here: bench/writers.py measures the latencies.)
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from factmark.store import verdicts
from factmark.store.database import WRITERS_LOCK, Store
from factmark.store.errors import StoreBusy
from tests.helpers import SAMPLE, factmark, start_writer


@pytest.fixture
def db(db_path: Path) -> Path:
    factmark("import", str(SAMPLE / "000_31e52ad88bccfe9c.txt"), "--db", str(db_path))
    return db_path


def lock_of(db: Path) -> Path:
    return db.with_name(db.name + WRITERS_LOCK)


def first_claim(store: Store) -> int:
    return store.conn.execute("SELECT min(id) FROM claims").fetchone()[0]


def test_thirty_writers_at_once_lose_nothing(db: Path) -> None:
    writers = [f"writer{i}" for i in range(30)]
    procs = [start_writer(db, name, 20, stderr=subprocess.PIPE) for name in writers]
    saved = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0 and "locked" not in err, err
        saved += out.split()
    assert len(saved) == 30 * 20
    with Store.open(db, readonly=True) as store:
        kept = {row[0] for row in store.conn.execute("SELECT id FROM verdicts")}
        per_writer = dict(
            store.conn.execute("SELECT annotator, count(*) FROM verdicts GROUP BY annotator")
        )
    assert kept == set(saved)
    assert per_writer == dict.fromkeys(writers, 20)
    assert not lock_of(db).exists()  # the last writer to close took it away


def test_a_writer_waits_its_turn_in_the_queue(db: Path) -> None:
    """While another writer holds the queue's lock, an impatient store says it is busy
    (SQLite's own lock is free: only the queue stops it); once let go, it saves."""
    with Store.open(db, patient=False) as store:
        claim = first_claim(store)
        verdicts.record(store, claim, "ann", "verified")  # makes the lock file
        other = os.open(lock_of(db), os.O_RDONLY)
        try:
            fcntl.flock(other, fcntl.LOCK_EX)
            with pytest.raises(StoreBusy):
                verdicts.record(store, claim, "ann", "disputed")
            assert not store.conn.in_transaction
        finally:
            os.close(other)
        verdicts.record(store, claim, "ann", "disputed")
        assert verdicts.current(store, claim, "ann")["verdict"] == "disputed"


def test_nested_writes_are_savepoints_that_do_not_queue_again(db: Path) -> None:
    with Store.open(db, patient=False) as store:
        claim = first_claim(store)
        with store.write():
            verdicts.record(store, claim, "ann", "verified")  # nested: no second lock
            with pytest.raises(ValueError), store.write():
                verdicts.record(store, claim, "ann", "disputed")
                raise ValueError("rolled back alone")
        events = verdicts.history(store, claim, "ann")
    assert [e["verdict"] for e in events] == ["verified"]


@pytest.mark.parametrize(("database", "lock"), [(0o600, 0o400), (0o640, 0o400), (0o660, 0o440)])
def test_the_lock_file_never_widens_access(db: Path, database: int, lock: int) -> None:
    """Readable by exactly those who may write the database, in its group."""
    db.chmod(database)
    with Store.open(db) as store:
        with store.write():
            made = lock_of(db).stat()
        assert stat.S_IMODE(made.st_mode) == lock
        assert made.st_gid == db.stat().st_gid
    assert not lock_of(db).exists()


def test_without_a_usable_lock_file_writers_queue_on_sqlite_alone(db: Path) -> None:
    os.mkfifo(lock_of(db))  # not a plain file: never opened for the queue (nor blocks)
    with Store.open(db) as store:
        verdicts.record(store, first_claim(store), "ann", "verified")
    assert stat.S_ISFIFO(lock_of(db).lstat().st_mode)  # left as it was


def test_reading_makes_no_lock_file(db: Path) -> None:
    with Store.open(db, readonly=True) as store:
        store.conn.execute("SELECT count(*) FROM verdicts").fetchone()
        assert not lock_of(db).exists()


def test_another_program_holding_sqlites_lock_still_makes_writers_wait(db: Path) -> None:
    """The queue is factmark's; `sqlite3` and the like still meet SQLite's own lock."""
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(db, patient=False) as store, pytest.raises(StoreBusy):
            verdicts.record(store, first_claim(store), "ann", "verified")
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.parametrize("thread", [False, True], ids=["main thread", "other thread"])
def test_a_patient_writer_gives_up_when_its_turn_never_comes(
    db: Path, monkeypatch: pytest.MonkeyPatch, thread: bool
) -> None:
    """A writer stopped while holding the lock (Ctrl-Z) stalls the others only for a
    while: they say the database is busy, and the queue works again afterwards."""
    import threading

    from factmark.store import database

    monkeypatch.setattr(database, "QUEUE_PATIENCE_S", 0.2)
    with Store.open(db) as store:
        claim = first_claim(store)
        verdicts.record(store, claim, "ann", "verified")  # makes the lock file
        other = os.open(lock_of(db), os.O_RDONLY)
        fcntl.flock(other, fcntl.LOCK_EX)
        raised: list[BaseException] = []

        def save() -> None:
            with Store.open(db) as mine:  # a connection belongs to its thread
                try:
                    verdicts.record(mine, claim, "ann", "disputed")
                except StoreBusy as exc:
                    raised.append(exc)

        if thread:
            runner = threading.Thread(target=save)
            runner.start()
            runner.join(60)
        else:
            save()
        os.close(other)
        assert len(raised) == 1
        verdicts.record(store, claim, "ann", "unsourced")
        assert [e["verdict"] for e in verdicts.history(store, claim, "ann")] == [
            "verified",
            "unsourced",
        ]
