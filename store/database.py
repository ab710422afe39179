"""Opening a factmark database safely, migrating it, and writing to it.

Nothing here may damage a file it does not understand: a file is checked read-only
(header, application id, schema version, integrity) before it is ever opened for
writing, and anything unexpected becomes a one-line `StoreError`.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from .errors import StoreError
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


class Store:
    """A connection to one factmark database, with its sqlite-utils `Database` as `db`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool) -> None:
        self.path = path
        self.conn = conn
        self.readonly = readonly
        self.db = sqlite_utils.Database(conn, execute_plugins=False)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, readonly: bool = False) -> Store:
        """Open (or, unless `readonly`, create) the database at `path`, migrated to LATEST."""
        path = Path(path)
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        if path.exists():
            _check_existing(path)
            if not readonly and _is_read_only(path):
                raise StoreError(
                    f"{path}: the database is read-only; factmark needs to write to it"
                )
        elif readonly:
            raise StoreError(f"{path}: no such database (import some articles first)")
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{path.parent}: cannot create folder ({exc.strerror})") from None
        try:
            conn = _connect(path, readonly)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open database ({exc})") from None
        store = cls(path, conn, readonly)
        if not readonly:
            store._migrate()
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
        """
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only")
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        self._begin_immediate()
        try:
            yield self.db
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _begin_immediate(self) -> None:
        for attempt in range(WRITE_ATTEMPTS):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                time.sleep(min(2.0, 0.05 * 2**attempt) * random.uniform(0.5, 1.5))
        raise StoreError(f"{self.path}: the database stayed busy; try again in a moment")

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


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(
            f"file:{quote(str(path))}?mode=ro",
            uri=True,
            timeout=BUSY_TIMEOUT_S,
            isolation_level=None,
        )
        conn.execute("PRAGMA query_only = ON")
    else:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves (see Store.write).
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a verdict reported saved survives a power cut, not only a crash.
        conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.row_factory = sqlite3.Row
    return conn


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
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open database ({exc})") from None
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        integrity = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: damaged database ({exc}); factmark left it untouched") from None
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


def _is_read_only(path: Path) -> bool:
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
