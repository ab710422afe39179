"""Opening a factmark database safely, migrating it, and writing to it.

Nothing here may damage a file it does not understand: a file is checked read-only
(header, application id, schema version, and its integrity when in doubt: see
`Store.open`) before it is ever opened for writing, and anything unexpected becomes a
one-line `StoreError`.

Only the standard library loads on the way to an open store: sqlite-utils loads the
first time a caller uses `Store.db` (or the database a `write()` block gives).
"""

from __future__ import annotations

import fcntl
import os
import random
import re
import signal
import sqlite3
import stat
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

from .errors import DiskFull, ReadOnly, StoreBusy, StoreError
from .schema import APPLICATION_ID, LATEST, MIGRATIONS

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["Store", "StoreError", "check", "utc_now"]

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 5.0
# After SQLite's own busy timeout, a few more tries with jittered backoff, so that a
# class of writers sharing one file never sees "database is locked".
WRITE_ATTEMPTS = 8
# The file beside a database that factmark's writers queue on (see Store.write).
WRITERS_LOCK = "-writers.lock"
# Places in that queue: byte 0 of the file guards its counter, bytes 1..QUEUE_SLOTS are
# the places (see `_take_place`). More writers than places at once never deadlock: the
# writers past the last place go straight to SQLite's lock.
QUEUE_SLOTS = 4096
# How long a patient writer waits for its turn in that queue before StoreBusy: about
# what SQLite's busy timeout and the retries above add up to.
QUEUE_PATIENCE_S = BUSY_TIMEOUT_S * WRITE_ATTEMPTS
# How long an impatient writer (the reader's) waits for its turn: long enough for a
# queue of busy writers ahead to pass (30 of them: tens of milliseconds), short enough
# that the screen never seems to hang; past it, StoreBusy (the app then says it waits).
QUEUE_TURN_S = 0.5


def utc_now() -> str:
    """UTC ISO 8601 with microseconds: sorts as text, and orders a fast typist's events."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# A timestamp as factmark writes it (utc_now), with or without the fraction.
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?Z")


def parse_timestamp(value: object) -> datetime | None:
    """`value` as an aware UTC datetime, or None when it is not a timestamp as factmark
    writes them (`2024-05-01T09:30:00.123456Z`, or the same without the fraction).
    Never raises."""
    match = _TIMESTAMP.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        moment = datetime.strptime(
            value, "%Y-%m-%dT%H:%M:%S.%fZ" if match[1] else "%Y-%m-%dT%H:%M:%SZ"
        )
    except ValueError:  # a day or an hour that does not exist
        return None
    return moment.replace(tzinfo=timezone.utc)


class Store:
    """A connection to one factmark database, with its sqlite-utils `Database` as `db`."""

    # Writers of one file queue on its WRITERS_LOCK (see `write`); False only in a
    # benchmark comparing with SQLite's busy handler alone (bench/writers.py).
    queue_writers = True

    def __init__(
        self, path: Path, conn: sqlite3.Connection, readonly: bool, patient: bool = True
    ) -> None:
        self.path = path
        self.conn = conn
        self.readonly = readonly
        self.patient = patient
        self._queue: int | None = None  # the WRITERS_LOCK's descriptor, once opened
        self._savepoints = 0
        if not patient:  # set once: a write costs no extra statement to switch it
            conn.execute("PRAGMA busy_timeout = 0")

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """The connection as a sqlite-utils `Database` (loaded on first use)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)

    def be_impatient(self) -> None:
        """From now on a write meeting another program's lock raises StoreBusy at once
        (see `open`): for an interactive caller that opened the store patiently."""
        if self.patient:
            self.patient = False
            self.conn.execute("PRAGMA busy_timeout = 0")

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        readonly: bool = False,
        patient: bool = True,
        verify: bool = False,
        create: bool = True,
    ) -> Store:
        """Open (or, unless `readonly` or not `create`, create) the database at `path`,
        migrated to LATEST. A caller with nothing to put in a new database (a key, a
        reveal, verdicts for claims it would not hold) passes `create=False`, so that a
        mistyped path is an error, not a new empty file.

        A `readonly` store reads files on read-only media too (where SQLite cannot
        create the `-shm` file a WAL database needs). An impatient store (`patient=False`)
        raises StoreBusy at once when another program holds the write lock, so an
        interactive caller can say it is waiting instead of freezing.

        Every open checks what costs next to nothing: the SQLite header, the application
        id, the schema version, and that the file's size is what its header says. The
        integrity check (`PRAGMA quick_check`, which reads the whole file: 0.1 s for
        140 MB, over a second for 400 MB) runs only when the file is new to this
        process in the sense that matters, that is when factmark has a reason to doubt
        it: asked for (`verify`, as `factmark check` and `merge`, whose files come
        from elsewhere, ask), a write cut short and rolled back just now, or a size
        that disagrees with the header (a file truncated, or copied while written).
        A file that passed these checks and is damaged where they do not look is
        still called damaged, when SQLite meets the damage (see `describe`), and a
        write that meets it is rolled back.

        Raises StoreError (ReadOnly, DiskFull...) in one line naming the file; only
        SQLite's own verdict (an integrity check, a corruption error) calls a file
        damaged.
        """
        path = Path(path)
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        if path.exists() and not path.is_file():  # a device or a fifo: it could block
            raise StoreError(f"{path}: not a regular file, so not a database; left untouched")
        if path.exists():
            _check_existing(path, verify)
            if not readonly and _is_read_only(path):
                raise ReadOnly(_read_only_reason(path))
        elif readonly or not create:
            raise StoreError(f"{path}: no such database")
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{path.parent}: cannot create folder ({exc.strerror})") from None
        try:
            conn = _connect(path, readonly, new=not path.exists() or not path.stat().st_size)
        except sqlite3.Error as exc:
            raise describe(exc, path) from None
        store = cls(path, conn, readonly, patient)
        if not readonly:
            try:
                store._migrate()
            except BaseException:
                store.close()
                raise
        return store

    def close(self) -> None:
        """Close the connection, and remove the WRITERS_LOCK when no one is writing or
        waiting (a writer holding the old one then makes a new one: see `_join_queue`)."""
        self.conn.close()
        if self._queue is not None:
            try:
                _lock(self._queue, 0, 0, wait=False)  # the whole file: no one queued
                if _still_there(self._queue, self.path):
                    os.unlink(_queue_path(self.path))
            except OSError:  # someone is writing, or the folder is read-only now: leave it
                pass
            os.close(self._queue)
            self._queue = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One short write transaction, committed (and so durable) when the block ends.

        Writers queue first come, first served: factmark's writers of one file take a
        place in a queue kept in WRITERS_LOCK beside it (`class.db-writers.lock`, see
        `_take_place`), and each waits only for the writer just ahead of it, so a
        writer waits about as long as the writers ahead of it take (a few milliseconds
        each). SQLite's busy handler alone keeps no queue: it sleeps with growing
        pauses, and an unlucky writer keeps losing to the others (30 writers:
        seconds); a `flock` everyone waits on wakes them all, and whoever runs first
        wins (30 writers: a p99 five times the mean). Then `BEGIN IMMEDIATE` takes
        SQLite's write lock up front, so another program (`sqlite3`) still queues on
        SQLite's busy timeout, and past that we retry with backoff: the queue is for
        fairness, SQLite's lock for correctness. The lock file is made with the
        database's mode narrowed to reading and writing by whoever may write the
        database, so it never widens access; where it cannot be made or opened for
        writing (a folder this user may not write), or on a system without
        open-file-description locks (`F_OFD_SETLKW`: Linux has them, macOS not),
        writers queue on SQLite alone. A patient writer waits its turn up to
        QUEUE_PATIENCE_S, an impatient one up to QUEUE_TURN_S (then StoreBusy), so an
        interactive writer gets its turn however many writers keep the queue full. A
        writer killed anywhere holds up no one: the kernel lets its locks go.

        Nested blocks become savepoints (and do not queue again).

        Errors of the disk or the lock (full, read-only, busy) become StoreError
        subclasses in one line; anything raised rolls the block back.
        """
        if self.readonly:
            raise ReadOnly(f"{self.path}: opened read-only")
        if self.conn.in_transaction:
            yield from self._savepoint()
            return
        place = self._join_queue()
        try:
            self._begin_immediate()
            try:
                yield self._database
                self.conn.execute("COMMIT")
            except BaseException as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):
                    raise describe(exc, self.path) from None
                raise
        finally:
            if place is not None:
                _unlock(cast(int, self._queue), place)

    def _savepoint(self) -> Iterator[sqlite_utils.Database]:
        self._savepoints += 1
        name = f"factmark_{self._savepoints}"
        try:
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self._database
            except BaseException:
                if self.conn.in_transaction:  # SQLite may have rolled back already
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                raise
            self.conn.execute(f"RELEASE {name}")
        except sqlite3.OperationalError as exc:
            raise describe(exc, self.path) from None
        finally:
            self._savepoints -= 1

    @property
    def _database(self) -> sqlite_utils.Database:
        """What a write block gives: `db`, loading sqlite-utils only if the block uses it."""
        return cast("sqlite_utils.Database", _LazyDatabase(self))

    def _join_queue(self) -> int | None:
        """Wait for this writer's turn in the file's queue; the byte it holds until its
        write ends (its place), or None when there is no queue to join (see `write`).
        Raises StoreBusy."""
        if not self.queue_writers:
            return None
        for _ in range(3):  # the lock file removed meanwhile: the new one (see close)
            if self._queue is None:
                self._queue = _open_queue(self.path)
                if self._queue is None:
                    return None
            patience = QUEUE_PATIENCE_S if self.patient else QUEUE_TURN_S
            try:
                place = _take_place(self._queue, patience)
            except OSError:  # every place taken, no room for the counter: SQLite alone
                return None
            if place is None:
                raise StoreBusy(f"{self.path}: the database stayed busy; try again in a moment")
            ahead = 1 + (place - 2) % QUEUE_SLOTS  # the place before, held until it is done
            try:
                try:
                    _lock(self._queue, ahead, wait=False)
                except BlockingIOError:
                    if not _wait_in_queue(self._queue, ahead, patience):
                        raise StoreBusy(
                            f"{self.path}: the database stayed busy; try again in a moment"
                        ) from None
            except BaseException:  # out of patience, or interrupted: the writer behind goes on
                _unlock(self._queue, place)  # (to SQLite's lock, at worst)
                raise
            finally:
                _unlock(self._queue, ahead)  # held or not
            if _still_there(self._queue, self.path):
                return place
            os.close(self._queue)  # closing lets its locks go
            self._queue = None
        return None

    def _begin_immediate(self) -> None:
        attempts = WRITE_ATTEMPTS if self.patient else 1
        for attempt in range(attempts):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode & 0xFF not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                    raise describe(exc, self.path) from None
                if attempt + 1 < attempts:
                    time.sleep(min(2.0, 0.05 * 2**attempt) * random.uniform(0.5, 1.5))
        raise StoreBusy(f"{self.path}: the database stayed busy; try again in a moment")

    def _migrate(self) -> None:
        if self.user_version() == LATEST:
            return
        with self.write():
            # Another process may have migrated while we waited for the lock.
            for version in range(self.user_version(), LATEST):
                for statement in _statements(MIGRATIONS[version]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {version + 1}")
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def user_version(self) -> int:
        """The schema version the file holds: how many MIGRATIONS it has had."""
        return self.conn.execute("PRAGMA user_version").fetchone()[0]


class _LazyDatabase:
    """`Store.db`, loaded (with sqlite-utils) only when something of it is used."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store.db, name)

    def __getitem__(self, table: str) -> Any:
        return self._store.db[table]


def _open_queue(path: Path) -> int | None:
    """The descriptor of the WRITERS_LOCK beside `path`, made if need be, open for
    reading and writing (its counter, and the write locks of its queue); None where
    there can be none (no open-file-description locks, a folder this user may not
    write, a lock file that is not a plain file of its own or that this user may not
    write, such as a read-only one left by an older factmark), and writers then queue
    on SQLite alone.

    A new lock file gets read and write permission for exactly the classes (owner,
    group, others) that may write the database, and the database's group: only its
    writers can open it, so no mere reader can stall them, and it never widens
    access."""
    if not hasattr(fcntl, "F_OFD_SETLKW"):
        return None
    lock = _queue_path(path)
    flags = os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # a fifo never blocks
    try:
        database = path.stat()
    except OSError:
        return None
    writers = stat.S_IMODE(database.st_mode) & 0o222
    mode = writers | writers << 1  # each class that may write the database, and only those
    try:
        fd = os.open(lock, flags | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        try:
            fd = os.open(lock, flags)
        except OSError:
            return None
    except OSError:  # a read-only folder, a full disk: no queue, SQLite's lock still holds
        return None
    else:
        try:
            if os.fstat(fd).st_gid != database.st_gid:
                try:
                    os.fchown(fd, -1, database.st_gid)
                except OSError:  # not a member of its group: the group gets nothing
                    mode &= ~0o070
            os.fchmod(fd, mode)
        except OSError:
            os.close(fd)
            return None
    lock_file = os.fstat(fd)
    if not stat.S_ISREG(lock_file.st_mode) or not _trusted(lock_file, database):
        os.close(fd)
        return None
    return fd


def _trusted(lock: os.stat_result, database: os.stat_result) -> bool:
    """Whether a lock file was made by someone who may write the database (its owner,
    this user, or a member of its group when the group may write it: only members can
    give a file that group), and lets no one else stall its writers (its mode grants
    nothing to a class that may not write the database)."""
    writers = stat.S_IMODE(database.st_mode) & 0o222
    if stat.S_IMODE(lock.st_mode) & ~(writers | writers << 1):
        return False
    return (
        lock.st_uid in (database.st_uid, os.geteuid())
        or (writers & 0o020 != 0 and lock.st_gid == database.st_gid)
        or writers & 0o002 != 0
    )


def _queue_path(path: Path) -> Path:
    return path.with_name(path.name + WRITERS_LOCK)


def _still_there(fd: int, path: Path) -> bool:
    """Whether `fd` is still the WRITERS_LOCK beside `path` (not one removed since)."""
    try:
        now = _queue_path(path).stat()
    except OSError:
        return False
    held = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)


def _take_place(fd: int, patience: float) -> int | None:
    """Join the queue in the lock file `fd`: the byte that is now this writer's place,
    locked; None when the counter stayed taken for `patience` seconds. Raises OSError
    when the next place is still taken (QUEUE_SLOTS writers waiting), or the file
    cannot be written (a full disk).

    The file holds the next place's number (8 bytes; an empty file: the first), which
    writers read and advance one at a time, each holding byte 0 for a few
    microseconds. A writer waits for the one ahead by locking that one's byte: a lock
    per writer, each waited on by one writer only, so the writers go in the order
    they came, and none waits for a writer that has gone (killed, or out of
    patience). The locks are open-file-description locks: owned by the open file, so
    two stores of one process exclude each other, and let go by the kernel when it
    is closed or its process dies. The counter is held for microseconds, so waiting for
    it is a few short sleeps, never a wait that nothing could interrupt."""
    deadline = time.monotonic() + patience
    pause = 0.0005
    while True:
        try:
            _lock(fd, 0, wait=False)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return None
            time.sleep(pause)
            pause = min(pause * 2, 0.01)
    try:
        number = int.from_bytes(os.pread(fd, 8, 0), "little") % QUEUE_SLOTS
        _lock(fd, 1 + number, wait=False)
        try:
            os.pwrite(fd, ((number + 1) % QUEUE_SLOTS).to_bytes(8, "little"), 0)
        except OSError:
            _unlock(fd, 1 + number)
            raise
        return 1 + number
    finally:
        _unlock(fd, 0)


# struct flock: l_type, l_whence, l_start, l_len, l_pid, padded as C pads it (32 bytes on
# 64-bit Linux, 24 on 32-bit x86).
_FLOCK = "hhqqi0q"


def _lock(fd: int, start: int, length: int = 1, *, wait: bool = True) -> None:
    """An exclusive open-file-description lock on `length` bytes of `fd` from `start`
    (0: to the end of the file and past it). Raises BlockingIOError when someone else
    holds one of them and not `wait`."""
    command = fcntl.F_OFD_SETLKW if wait else fcntl.F_OFD_SETLK
    fcntl.fcntl(fd, command, struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, start, length, 0))


def _unlock(fd: int, start: int, length: int = 1) -> None:
    fcntl.fcntl(
        fd, fcntl.F_OFD_SETLK, struct.pack(_FLOCK, fcntl.F_UNLCK, os.SEEK_SET, start, length, 0)
    )


class _Waited(Exception):
    """A writer's patience ran out in the queue."""


def _out_of_patience(signum: int, frame: object) -> None:
    raise _Waited


def _wait_in_queue(fd: int, ahead: int, patience: float) -> bool:
    """Wait up to `patience` seconds for the lock on byte `ahead` of `fd`, the place of
    the writer ahead; True once it is done (the lock may be held: let it go).

    A lock cannot time out: on the main thread, when no one else uses SIGALRM, a timer
    interrupts it (the cheapest way: measured, a waiting thread per wait costs 30 writers
    a quarter of their throughput); elsewhere a thread waits on a copy of `fd`."""
    if (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    ):
        signal.signal(signal.SIGALRM, _out_of_patience)
        try:
            signal.setitimer(signal.ITIMER_REAL, patience)
            try:
                _lock(fd, ahead)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            return True
        except _Waited:
            return False
        finally:
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
    return _wait_in_thread(fd, ahead, patience)


def _wait_in_thread(fd: int, ahead: int, patience: float) -> bool:
    """`_wait_in_queue` in a thread, on a copy of `fd` (the same open file, so the same
    locks), which it closes only when done: if the writer gives up and closes `fd`, the
    thread still lets the byte go as soon as it gets it."""
    waiting = os.dup(fd)
    done = threading.Event()

    def wait() -> None:
        try:
            _lock(waiting, ahead)
            _unlock(waiting, ahead)
            done.set()
        finally:
            os.close(waiting)

    threading.Thread(target=wait, name="factmark-writers-queue", daemon=True).start()
    return done.wait(patience)


def _connect(path: Path, readonly: bool, new: bool) -> sqlite3.Connection:
    if readonly:
        conn = _open_for_reading(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute("PRAGMA query_only = ON")
    else:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves (see Store.write).
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        if new:
            # WAL, so many writers queue: a file keeps its mode, so a class copy made
            # with a rollback journal (readable by a teacher who cannot write beside
            # it) keeps that.
            conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a verdict reported saved survives a power cut, not only a crash.
        conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.row_factory = sqlite3.Row
    return conn


def _open_for_reading(path: Path, **options: object) -> sqlite3.Connection:
    """A read-only connection, also on read-only media.

    A WAL database needs its `-shm` file, which SQLite cannot create in a read-only
    folder (a backup, a share, a USB stick) or on a full disk. There, if no `-wal` file
    holds changes, the file is opened `immutable=1`: read as it is, with no lock.
    """
    uri = f"file:{quote(str(path))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, **options)  # type: ignore[arg-type]
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        if exc.sqlite_errorcode & 0xFF not in _CANNOT_SHARE:
            raise
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            raise ReadOnly(
                f"{path}: its {wal.name} holds changes SQLite cannot read without "
                "writing beside the file; open it once where its folder is writable"
            ) from None
    return sqlite3.connect(uri + "&immutable=1", uri=True, **options)  # type: ignore[arg-type]


# What SQLite says when it cannot make the lock files beside a database.
_CANNOT_SHARE = (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR)


def describe(exc: sqlite3.Error, path: Path) -> StoreError:
    """The one-line StoreError for an error SQLite raised on `path`.

    The disk being full, a read-only file or folder and a busy lock get their own
    kinds (DiskFull, ReadOnly, StoreBusy); only SQLite's own corruption codes say
    "damaged".
    """
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_FULL or (code == sqlite3.SQLITE_IOERR and _disk_full(path)):
        return DiskFull(f"{path}: the disk is full; nothing more could be saved")
    if code == sqlite3.SQLITE_READONLY or (code == sqlite3.SQLITE_CANTOPEN and _is_read_only(path)):
        return ReadOnly(_read_only_reason(path))
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreBusy(f"{path}: the database stayed busy; try again in a moment")
    if damaged(exc):
        return StoreError(f"{path}: damaged database ({exc}); factmark left it untouched")
    return StoreError(f"{path}: database error ({exc})")


def damaged(exc: BaseException) -> bool:
    """Whether `exc` is SQLite meeting a damaged file (a corruption error)."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return isinstance(exc, sqlite3.Error) and code in (
        sqlite3.SQLITE_CORRUPT,
        sqlite3.SQLITE_NOTADB,
    )


def _disk_full(path: Path) -> bool:
    try:
        usage = os.statvfs(path.parent)
    except OSError:
        return False
    return usage.f_bavail * usage.f_frsize < 64 * 1024


def _read_only_reason(path: Path) -> str:
    for side in ("-wal", "-shm"):
        companion = path.with_name(path.name + side)
        if companion.exists() and _is_read_only(companion) and not _is_read_only(path):
            return (
                f"{path}: its {companion.name} file is read-only (left by a reader of the "
                "file while it was read-only); make it writable or remove it when no one "
                "has the database open"
            )
    if path.exists() and not os.access(path.parent, os.W_OK):
        return (
            f"{path}: its folder {path.parent} is read-only; factmark needs to write "
            "there (read-only commands such as stats and export still work)"
        )
    return f"{path}: the database is read-only; factmark needs to write to it"


def check(path: str | os.PathLike[str]) -> None:
    """Check the database at `path` whole, without writing to it: its header,
    application id and schema version, and `PRAGMA quick_check`. Raises StoreError
    naming what is wrong (in one line); returns when the file is sound."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"{path}: no such database")
    Store.open(path, readonly=True, verify=True).close()


def _check_existing(path: Path, verify: bool = False) -> None:
    """Refuse, without writing a byte, any file that is not a sound factmark database;
    `verify`: check its integrity whatever the header says (see Store.open)."""
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
            size = os.fstat(fh.fileno()).st_size
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None
    if not header:
        return  # an empty file is an empty database, as SQLite itself treats it
    if header[: len(SQLITE_HEADER)] != SQLITE_HEADER:
        raise StoreError(f"{path}: not a SQLite database; factmark left it untouched")
    if _finish_interrupted_write(path) or not _size_as_said(header, size):
        verify = True
    try:
        conn = _open_for_reading(path)
    except sqlite3.Error as exc:
        raise describe(exc, path) from None
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        integrity = conn.execute("PRAGMA quick_check(1)").fetchone()[0] if verify else "ok"
        if integrity == "ok" and not verify and has_tables and app_id == APPLICATION_ID:
            _read_roots(conn)
    except sqlite3.Error as exc:
        raise describe(exc, path) from None
    finally:
        conn.close()
    if integrity != "ok":
        detail = " ".join(integrity.split())
        raise StoreError(f"{path}: damaged database ({detail}); factmark left it untouched")
    if has_tables and app_id != APPLICATION_ID:
        raise StoreError(
            f"{path}: a SQLite database, but not factmark's; factmark left it untouched"
        )
    if version > LATEST:
        raise StoreError(
            f"{path}: made by a newer factmark (schema {version}, this one knows up to "
            f"{LATEST}); upgrade factmark to open it"
        )


def _read_roots(conn: sqlite3.Connection) -> None:
    """Read the first row of every table and index: a few pages each, so a file whose
    tables start in pages that are not SQLite's raises SQLite's corruption error here,
    not halfway through a command."""
    objects = conn.execute(
        "SELECT type, name, tbl_name FROM sqlite_master "
        "WHERE type IN ('table', 'index') AND rootpage > 0"
    ).fetchall()
    for kind, name, table in objects:
        if kind == "table":
            conn.execute(f"SELECT * FROM {_quoted(name)} LIMIT 1").fetchall()
            continue
        first = conn.execute(f"PRAGMA index_info({_quoted(name)})").fetchone()
        if first is None or first[2] is None:  # an index on an expression
            continue
        try:
            conn.execute(
                f"SELECT 1 FROM {_quoted(table)} INDEXED BY {_quoted(name)} "
                f"ORDER BY {_quoted(first[2])} LIMIT 1"
            ).fetchall()
        except sqlite3.OperationalError as exc:
            if damaged(exc) or "no query solution" not in str(exc):  # a partial index
                raise


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _size_as_said(header: bytes, size: int) -> bool:
    """Whether a file of `size` bytes is as long as its 100-byte SQLite `header` says
    (where the header's page count is valid: as SQLite itself decides)."""
    if len(header) < 100:
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1) or size % page_size:
        return False
    pages = int.from_bytes(header[28:32], "big")
    counter_valid = header[24:28] == header[92:96]
    return not (counter_valid and pages) or pages * page_size == size


def _finish_interrupted_write(path: Path) -> bool:
    """A write cut short (a killed process) leaves a `-journal` beside a database with a
    rollback journal: SQLite rolls it back at the next open that may write, and a
    read-only open would read half-written pages. Roll it back where we may write
    (True: there was one); elsewhere say what it is, not that the file is damaged."""
    journal = path.with_name(path.name + "-journal")
    try:
        hot = journal.stat().st_size > 0
    except OSError:
        return False
    if not hot:
        return False
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            raise describe(exc, path) from None
        finally:
            conn.close()
        return True
    raise StoreError(
        f"{path}: a write to it was cut short ({journal.name} beside it); it reads again "
        "once its owner runs factmark on it"
    )


def _is_read_only(path: Path) -> bool:
    if not path.exists():
        return not os.access(path.parent, os.W_OK)
    # The mode bits count even for root, who may write anywhere: chmod a-w is a wish.
    no_write_bits = not path.stat().st_mode & 0o222
    return no_write_bits or not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)


def _statements(script: str) -> Iterator[str]:
    """Split a script into statements (triggers included) to run inside our transaction.

    `executescript` would commit first, which would break a migration's atomicity.
    """
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()
