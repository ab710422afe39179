"""Writers of one database queue on a lock file beside it, first come first served,
and lose nothing.

(No timing here: bench/writers.py measures the latencies.)
"""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from factmark.store import verdicts
from factmark.store.database import WRITERS_LOCK, Store, _lock, _unlock
from factmark.store.errors import DiskFull, StoreBusy
from tests.helpers import (
    SAMPLE,
    VERDICT_WRITER,
    factmark,
    fill,
    needs_root,
    start_writer,
    tiny_filesystem,
    without_root_override,
)


@pytest.fixture
def db(db_path: Path) -> Path:
    factmark("import", str(SAMPLE / "000_31e52ad88bccfe9c.txt"), "--db", str(db_path))
    return db_path


def lock_of(db: Path) -> Path:
    return db.with_name(db.name + WRITERS_LOCK)


def first_claim(store: Store) -> int:
    return store.conn.execute("SELECT min(id) FROM claims").fetchone()[0]


def waiting_on(lock: Path) -> int:
    """How many locks on `lock` someone is blocked waiting for (/proc/locks)."""
    inode = str(lock.stat().st_ino)
    with open("/proc/locks") as locks:
        return sum(
            1 for line in locks if "->" in line.split() and line.split()[-3].endswith(":" + inode)
        )


def until(condition: Callable[[], bool]) -> None:
    """Wait for `condition` (no timing asserted: a minute only guards against a hang)."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, "waited a minute"
        time.sleep(0.01)


# A writer that takes its turn and keeps it (until killed).
HOLDER = """
import sys, time
from factmark.store.database import Store
with Store.open(sys.argv[1]) as store, store.write():
    print("writing", flush=True)
    time.sleep(600)
"""


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
    """While another writer has its turn in the queue, an impatient store says it is
    busy (SQLite's own lock is free: only the queue stops it); once done, it saves."""
    with Store.open(db, patient=False) as store, Store.open(db) as other:
        claim = first_claim(store)
        turn = other._join_queue()  # its turn, before its BEGIN IMMEDIATE
        assert turn is not None
        try:
            with pytest.raises(StoreBusy):
                verdicts.record(store, claim, "ann", "disputed")
            assert not store.conn.in_transaction
        finally:
            _unlock(other._queue, turn)  # type: ignore[arg-type]
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


@pytest.mark.parametrize(("database", "lock"), [(0o600, 0o600), (0o640, 0o600), (0o660, 0o660)])
def test_the_lock_file_never_widens_access(db: Path, database: int, lock: int) -> None:
    """Readable and writable by exactly those who may write the database, in its
    group."""
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


def test_a_read_only_lock_file_of_an_older_factmark_leaves_writers_to_sqlite(db: Path) -> None:
    """Its queue needs a lock file open for writing: one made read-only (as factmark
    made them when it queued on `flock`) is left as it is, and writers still save."""
    lock_of(db).touch(0o400)
    writer = [sys.executable, "-c", VERDICT_WRITER, str(db), "ann", "1"]
    saved = subprocess.run(without_root_override(*writer), capture_output=True, text=True)
    assert saved.returncode == 0 and saved.stdout.strip(), saved.stderr
    assert stat.S_IMODE(lock_of(db).stat().st_mode) == 0o400 and not lock_of(db).stat().st_size


@needs_root
def test_on_a_full_disk_writers_hear_it_from_sqlite(tmp_path: Path) -> None:
    """A lock file made on a full disk has no room for its counter: the writer goes to
    SQLite, which says the disk is full (not the queue, in an error of its own)."""
    with tiny_filesystem(tmp_path / "full", "512k") as full:
        db = full / "f.db"
        factmark("import", str(SAMPLE / "000_31e52ad88bccfe9c.txt"), "--db", str(db))
        with Store.open(db) as store:
            claim = first_claim(store)
            fill(full)
            with pytest.raises(DiskFull):
                verdicts.record(store, claim, "ann", "verified")


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
    with Store.open(db) as store, Store.open(db) as other:
        claim = first_claim(store)
        verdicts.record(store, claim, "ann", "verified")
        turn = other._join_queue()  # then stopped before its BEGIN IMMEDIATE
        assert turn is not None
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
        _unlock(other._queue, turn)  # type: ignore[arg-type]
        assert len(raised) == 1
        verdicts.record(store, claim, "ann", "unsourced")
        assert [e["verdict"] for e in verdicts.history(store, claim, "ann")] == [
            "verified",
            "unsourced",
        ]


def test_writers_take_their_turns_in_the_order_they_came(db: Path) -> None:
    """Three writers join the queue one after another while a fourth writes, which
    then writes again at once: they all save in the order they came (a `flock` that
    all wait on lets whoever runs first win, often the one that just let it go)."""
    with Store.open(db) as store:
        with store.write():
            writers = []
            for name in ("a", "b", "c"):
                writers.append(start_writer(db, name, 1))
                until(lambda: waiting_on(lock_of(db)) == len(writers))
        verdicts.record(store, first_claim(store), "d", "verified")
        for writer in writers:
            writer.communicate(timeout=120)
            assert writer.returncode == 0
        saved = [
            row[0] for row in store.conn.execute("SELECT annotator FROM verdicts ORDER BY rowid")
        ]
    assert saved == ["a", "b", "c", "d"]  # rowids: the order of the commits


def test_a_writer_killed_while_waiting_holds_up_no_one(db: Path) -> None:
    with Store.open(db) as store:
        with store.write():
            killed = start_writer(db, "killed", 1)
            until(lambda: waiting_on(lock_of(db)) == 1)
            behind = start_writer(db, "behind", 1)
            until(lambda: waiting_on(lock_of(db)) == 2)
            killed.send_signal(signal.SIGKILL)
            killed.wait()
        out, _ = behind.communicate(timeout=120)
        assert behind.returncode == 0 and out.strip()
        annotators = {row[0] for row in store.conn.execute("SELECT annotator FROM verdicts")}
    assert annotators == {"behind"}


def test_a_writer_killed_during_its_turn_holds_up_no_one(db: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "writing\n"
        behind = start_writer(db, "behind", 1)
        until(lambda: waiting_on(lock_of(db)) == 1)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    out, _ = behind.communicate(timeout=120)
    assert behind.returncode == 0 and out.strip()
    with Store.open(db) as store:
        verdicts.record(store, first_claim(store), "ann", "verified")
        annotators = {row[0] for row in store.conn.execute("SELECT annotator FROM verdicts")}
    assert annotators == {"behind", "ann"}


def test_an_impatient_writer_gets_its_turn_while_others_keep_the_queue_full(db: Path) -> None:
    """The reader's store waits its turn (briefly) instead of stepping out of the queue
    whenever someone is ahead: ten writers saving without a pause never starve it."""
    procs = [start_writer(db, f"busy{i}", 2000, stderr=subprocess.DEVNULL) for i in range(10)]
    try:

        def saving() -> bool:
            with sqlite3.connect(db) as conn:
                return conn.execute("SELECT count(*) FROM verdicts").fetchone()[0] >= 100

        until(saving)
        with Store.open(db, patient=False) as store:
            claim = first_claim(store)
            for verdict in ("verified", "disputed", "unsourced", "verified", "disputed"):
                verdicts.record(store, claim, "reader", verdict)
            assert verdicts.current(store, claim, "reader")["verdict"] == "disputed"
            assert all(proc.poll() is None for proc in procs)  # they were still writing
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


# One verdict saved by an impatient store (the reader's), or "busy".
SAVE_ONCE = """
import sys
from factmark.store import verdicts
from factmark.store.database import Store
from factmark.store.errors import StoreBusy
with Store.open(sys.argv[1], patient=False) as store:
    claim = store.conn.execute("SELECT min(id) FROM claims").fetchone()[0]
    try:
        verdicts.record(store, claim, "reader", "verified")
    except StoreBusy:
        print("busy")
    else:
        print("saved")
"""


def _save_once(db: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", SAVE_ONCE, str(db)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_writer_never_waits_without_end_for_the_queues_counter(db: Path) -> None:
    """Someone holds the counter of the queue and never lets go: an impatient writer
    says the database is busy instead of hanging (a reader would freeze)."""
    with Store.open(db) as store:
        verdicts.record(store, first_claim(store), "ann", "verified")  # makes the lock file
        holder = os.open(lock_of(db), os.O_RDWR)
        try:
            _lock(holder, 0)
            assert _save_once(db) == "busy"
        finally:
            os.close(holder)
        assert _save_once(db) == "saved"


@needs_root
def test_a_lock_file_planted_by_someone_who_may_not_write_is_not_used(db: Path) -> None:
    """A lock file made by another user, open to everyone, beside a database only its
    owner may write: writers queue on SQLite alone, and whoever planted it cannot
    stall them by holding its counter."""
    planted = os.open(lock_of(db), os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        os.fchmod(planted, 0o666)
        os.fchown(planted, 65534, 65534)
        _lock(planted, 0)
        assert _save_once(db) == "saved"
    finally:
        os.close(planted)
