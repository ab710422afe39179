"""Opening a factmark database safely, migrating it, and writing to it.

Nothing here may damage a file it does not understand: a file is checked read-only
(header, application id, schema version, integrity) before it is ever opened for
writing, and anything unexpected becomes a one-line `StoreError`.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from .errors import DiskFull, ReadOnly, StoreBusy, StoreError
from .schema import APPLICATION_ID, LATEST, MIGRATIONS

__all__ = ["Store", "StoreError", "utc_now"]

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 5.0
# After SQLite's own busy timeout, a few more tries with jittered backoff, so that a
# class of writers sharing one file never sees "database is locked".
WRITE_ATTEMPTS = 8


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

    def __init__(
        self, path: Path, conn: sqlite3.Connection, readonly: bool, patient: bool = True
    ) -> None:
        self.path = path
        self.conn = conn
        self.readonly = readonly
        self.patient = patient
        self.db = sqlite_utils.Database(conn, execute_plugins=False)
        if not patient:  # set once: a write costs no extra statement to switch it
            conn.execute("PRAGMA busy_timeout = 0")

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, readonly: bool = False, patient: bool = True
    ) -> Store:
        """Open (or, unless `readonly`, create) the database at `path`, migrated to LATEST.

        A `readonly` store reads files on read-only media too (where SQLite cannot
        create the `-shm` file a WAL database needs). An impatient store (`patient=False`)
        raises StoreBusy at once when another program holds the write lock, so an
        interactive caller can say it is waiting instead of freezing.

        Raises StoreError (ReadOnly, DiskFull...) in one line naming the file; only a
        failed integrity check calls a file damaged.
        """
        path = Path(path)
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        if path.exists() and not path.is_file():  # a device or a fifo: it could block
            raise StoreError(f"{path}: not a regular file, so not a database; left untouched")
        if path.exists():
            _check_existing(path)
            if not readonly and _is_read_only(path):
                raise ReadOnly(_read_only_reason(path))
        elif readonly:
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
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One short write transaction, committed (and so durable) when the block ends.

        `BEGIN IMMEDIATE` takes the write lock up front, so concurrent writers queue on
        SQLite's busy timeout instead of failing on a lock upgrade; past that we retry
        with backoff. Nested blocks become savepoints.

        Errors of the disk or the lock (full, read-only, busy) become StoreError
        subclasses in one line; anything raised rolls the block back.
        """
        if self.readonly:
            raise ReadOnly(f"{self.path}: opened read-only")
        if self.conn.in_transaction:
            try:
                with self.db.atomic():
                    yield self.db
            except sqlite3.OperationalError as exc:
                raise describe(exc, self.path) from None
            return
        self._begin_immediate()
        try:
            yield self.db
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise describe(exc, self.path) from None
            raise

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
        return self.conn.execute("PRAGMA user_version").fetchone()[0]


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
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return StoreError(f"{path}: damaged database ({exc}); factmark left it untouched")
    return StoreError(f"{path}: database error ({exc})")


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


def _check_existing(path: Path) -> None:
    """Refuse, without writing a byte, any file that is not a sound factmark database."""
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None
    if not header:
        return  # an empty file is an empty database, as SQLite itself treats it
    if header != SQLITE_HEADER:
        raise StoreError(f"{path}: not a SQLite database; factmark left it untouched")
    _finish_interrupted_write(path)
    try:
        conn = _open_for_reading(path)
    except sqlite3.Error as exc:
        raise describe(exc, path) from None
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        integrity = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
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


def _finish_interrupted_write(path: Path) -> None:
    """A write cut short (a killed process) leaves a `-journal` beside a database with a
    rollback journal: SQLite rolls it back at the next open that may write, and a
    read-only open would read half-written pages. Roll it back where we may write;
    elsewhere say what it is, not that the file is damaged."""
    journal = path.with_name(path.name + "-journal")
    try:
        hot = journal.stat().st_size > 0
    except OSError:
        return
    if not hot:
        return
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            raise describe(exc, path) from None
        finally:
            conn.close()
        return
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
