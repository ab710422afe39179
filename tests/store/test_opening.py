"""Opening costs what it must: header, application id and schema version every time;
SQLite's whole-file integrity check only when asked for or in doubt."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from factmark.store.database import Store, StoreError, check
from tests.helpers import SAMPLE, factmark, sha256


@pytest.fixture
def db(sample_db: Path) -> Path:
    return sample_db


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every SQL statement run by connections made from now on."""
    seen: list[str] = []
    connect: Callable[..., sqlite3.Connection] = sqlite3.connect

    def traced(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(seen.append)
        return conn

    monkeypatch.setattr(sqlite3, "connect", traced)
    return seen


def integrity_checks(statements: list[str]) -> int:
    return sum("quick_check" in s or "integrity_check" in s for s in statements)


@pytest.mark.parametrize("readonly", [False, True])
def test_a_sound_file_opens_without_reading_it_whole(
    db: Path, statements: list[str], readonly: bool
) -> None:
    Store.open(db, readonly=readonly).close()
    assert statements  # traced
    assert integrity_checks(statements) == 0


def test_check_reads_it_whole(db: Path, statements: list[str]) -> None:
    check(db)
    assert integrity_checks(statements) == 1


def test_a_file_longer_than_its_header_says_is_checked_whole(
    db: Path, statements: list[str]
) -> None:
    with db.open("ab") as fh:  # copied while written, or grown by something else
        fh.write(bytes(4096))
    Store.open(db, readonly=True).close()
    assert integrity_checks(statements) == 1


def _wreck_roots(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[4096 : 4096 * 3] = b"\xde\xad\xbe\xef" * 2048  # the first tables' first pages
    path.write_bytes(bytes(data))


def test_check_command_says_sound_or_damaged_in_one_line(db: Path) -> None:
    sound = factmark("check", "--db", str(db))
    assert sound.returncode == 0 and sound.stdout.decode().strip() == f"{db}: sound"
    _wreck_roots(db)
    before = sha256(db)
    damaged = factmark("check", "--db", str(db))
    lines = damaged.stderr.decode().strip().splitlines()
    assert damaged.returncode == 1 and len(lines) == 1 and "damaged database" in lines[0]
    assert sha256(db) == before


def test_damaged_first_pages_are_refused_at_open_without_the_whole_check(
    db: Path, statements: list[str]
) -> None:
    _wreck_roots(db)
    with pytest.raises(StoreError, match="damaged database"):
        Store.open(db, readonly=True)
    assert integrity_checks(statements) == 0


def test_check_command_names_a_missing_database(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    result = factmark("check", "--db", str(missing))
    assert result.returncode == 1 and "no such database" in result.stderr.decode()
    assert not missing.exists()


def test_the_reader_uses_the_store_already_open(db: Path) -> None:
    from factmark.tui.app import FactmarkApp

    store = Store.open(db)
    app = FactmarkApp(db_path=db, annotator="ann", sample=SAMPLE, store=store)
    assert app.store is store and not store.patient
    store.close()
