"""Opening databases: created right, migrated once, and foreign files never touched."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from factmark.store.database import Store, StoreError
from factmark.store.schema import APPLICATION_ID, LATEST
from tests.helpers import (
    FACTMARK,
    SAMPLE,
    factmark,
    fill,
    judged_sample,
    needs_root,
    reader_claim,
    sha256,
    tiny_filesystem,
    without_root_override,
)


def test_new_database_is_wal_versioned_and_marked_as_factmark(db_path: Path) -> None:
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "claims", "verdicts", "annotators"} <= tables


def test_reopening_keeps_data_and_does_not_migrate_again(db_path: Path) -> None:
    assert factmark("import", str(SAMPLE), "--db", str(db_path)).returncode == 0
    with Store.open(db_path) as store:
        assert store.user_version() == LATEST
        assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5


def test_verdict_log_refuses_updates_and_deletes(db_path: Path) -> None:
    from factmark.store import verdicts

    factmark("import", str(SAMPLE / "000_31e52ad88bccfe9c.txt"), "--db", str(db_path))
    with Store.open(db_path) as store:
        claim = reader_claim(store, 1)
        verdicts.record(store, claim, "ann", "verified")
        for sql in ("UPDATE verdicts SET verdict = 'disputed'", "DELETE FROM verdicts"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                store.conn.execute(sql)


def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.commit()
    conn.close()


def _newer_schema(path: Path) -> None:
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.commit()
    conn.close()


def _corrupt(path: Path) -> None:
    factmark("import", str(SAMPLE), "--db", str(path))
    data = bytearray(path.read_bytes())
    # Keep the header (so it looks like SQLite) and wreck the pages after the first.
    data[4096 : 4096 * 3] = b"\xde\xad\xbe\xef" * 2048
    path.write_bytes(bytes(data))


def _text_file(path: Path) -> None:
    path.write_text("my shopping list\neggs\n")


def _read_only(path: Path) -> None:
    factmark("import", str(SAMPLE), "--db", str(path))
    path.chmod(0o444)


BAD_FILES = {
    "not-sqlite": (_text_file, "not a SQLite database"),
    "foreign-sqlite": (_foreign_sqlite, "not factmark's"),
    "corrupt": (_corrupt, "damaged database"),
    "newer-schema": (_newer_schema, "newer factmark"),
    "read-only": (_read_only, "read-only"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
@pytest.mark.parametrize("command", [["import", str(SAMPLE)], ["stats"], ["export"]])
def test_bad_database_gets_one_line_error_and_is_never_modified(
    tmp_path: Path, kind: str, command: list[str]
) -> None:
    make, message = BAD_FILES[kind]
    path = tmp_path / "suspect.db"
    make(path)
    before = sha256(path)

    result = factmark(*command, "--db", str(path))

    if kind == "read-only" and command[0] != "import":
        # Reading a read-only database is fine; only writing is refused.
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == 1
        lines = result.stderr.decode().strip().splitlines()
        assert len(lines) == 1 and message in lines[0] and str(path) in lines[0]
        assert "Traceback" not in result.stderr.decode()
    assert sha256(path) == before


def test_directory_as_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        Store.open(tmp_path)


def test_read_commands_do_not_create_a_database(db_path: Path) -> None:
    result = factmark("stats", "--db", str(db_path))
    assert result.returncode == 1
    assert "no such database" in result.stderr.decode()
    assert not db_path.exists()


def test_an_older_database_is_migrated_forward_keeping_its_data(db_path: Path) -> None:
    from factmark.store.database import _statements
    from factmark.store.schema import MIGRATIONS

    conn = sqlite3.connect(db_path)
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(
        "INSERT INTO articles (path, title, text, sha256, imported_at) "
        "VALUES ('old.txt', 'Old', 'Old text', 'abc', '2020-01-01T00:00:00Z')"
    )
    conn.commit()
    conn.close()

    with Store.open(db_path) as store:
        assert store.user_version() == LATEST
        assert store.conn.execute("SELECT title FROM articles").fetchone()[0] == "Old"
        columns = {r[1] for r in store.conn.execute("PRAGMA table_info(claims)")}
        assert "orphaned" in columns
        assert store.conn.execute("SELECT count(*) FROM regions").fetchone()[0] == 0


def _sound_class_database(folder: Path) -> Path:
    folder.mkdir()
    return judged_sample(folder / "factmark.db", "1,verified,\r\n")


def test_a_sound_database_in_a_read_only_folder_is_read_and_never_called_damaged(
    tmp_path: Path,
) -> None:
    # A backup, a read-only share, a USB stick: SQLite cannot create -shm there.
    db = _sound_class_database(tmp_path / "share")
    db.parent.chmod(0o555)
    try:
        for command in (
            ["stats"],
            ["export"],
            ["compare"],
            ["export", "--gradebook"],
            ["key", "list"],
        ):
            result = subprocess.run(
                without_root_override(FACTMARK, *command, "--db", str(db)), capture_output=True
            )
            assert result.returncode == 0, (command, result.stderr)
        export = subprocess.run(
            without_root_override(FACTMARK, "export", "--db", str(db)), capture_output=True
        )
        assert b",verified," in export.stdout.replace(b'"', b"")
        writing = subprocess.run(
            without_root_override(FACTMARK, "import", "--db", str(db), str(SAMPLE)),
            capture_output=True,
        )
        err = writing.stderr.decode()
        assert writing.returncode == 1 and "read-only" in err and "damaged" not in err
        assert len(err.strip().splitlines()) == 1
    finally:
        db.parent.chmod(0o755)
    assert sorted(p.name for p in db.parent.iterdir()) == ["factmark.db"]


@needs_root
def test_a_full_disk_is_called_full_never_damaged(tmp_path: Path) -> None:
    # (A full disk during an import: tests/store/test_import_trust.py.)
    sound = _sound_class_database(tmp_path / "sound")
    with tiny_filesystem(tmp_path / "full", "512k") as full:
        db = full / "class.db"
        db.write_bytes(sound.read_bytes())
        fill(full)
        csv = tmp_path / "v.csv"
        result = factmark("import-verdicts", "--db", str(db), "--annotator", "u", str(csv))
        err = result.stderr.decode()
        assert result.returncode == 1 and "Traceback" not in err
        assert "disk is full" in err and "damaged" not in err


def test_a_write_cut_short_is_rolled_back_not_called_damaged(tmp_path: Path) -> None:
    """A class copy uses a rollback journal: a process killed mid-write leaves a hot
    `-journal`. Its owner's next factmark rolls it back; the copy is not damaged."""
    db = tmp_path / "copy.db"
    factmark("import", str(SAMPLE), "--db", str(db))
    with Store.open(db) as store:
        store.conn.execute("PRAGMA journal_mode = DELETE")
        before = store.conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    killed = subprocess.run(
        [sys.executable, "-c", (
            "import os, sqlite3, sys\n"
            "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "conn.execute('PRAGMA cache_size = 1')\n"
            "conn.execute('BEGIN')\n"
            "conn.execute(\"UPDATE claims SET text = text || printf('%.2000c', 'x')\")\n"
            "os._exit(9)\n"
        ), str(db)],
    )  # fmt: skip
    assert killed.returncode == 9
    assert (tmp_path / "copy.db-journal").stat().st_size > 0
    result = factmark("stats", "--db", str(db), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["claims"] == before
