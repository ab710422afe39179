"""Writing files: `-o` replaces only the file it names, whole, and nothing else.

Every output target kind: a new file, an old one, a symlink, a device, a fifo, the
database itself, a planted temporary name, a full disk.
"""

from __future__ import annotations

import os
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from tests.helpers import (
    FACTMARK,
    SAMPLE,
    factmark,
    fill,
    judged_sample,
    needs_root,
    sha256,
    tiny_filesystem,
    without_root_override,
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return judged_sample(tmp_path / "class.db", "1,verified,checked\r\n2,disputed,no\r\n", "ann")


def _export(db: Path, target: Path | str, *extra: str):
    return factmark("export", "--db", str(db), "-o", str(target), *extra)


def _one_line_error(result) -> str:
    err = result.stderr.decode()
    assert result.returncode == 1
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


@pytest.mark.parametrize("extra", [(), ("--gradebook",)])
def test_the_database_and_its_side_files_are_never_an_output(
    db: Path, tmp_path: Path, extra: tuple[str, ...]
) -> None:
    (tmp_path / "hard.db").hardlink_to(db)  # another name for the same file
    (tmp_path / "link.db").symlink_to(db)
    before = sha256(db)
    for target in (db, tmp_path / "hard.db", tmp_path / "link.db", Path(f"{db}-wal")):
        err = _one_line_error(_export(db, target, *extra))
        assert "database" in err and "choose another file" in err
    assert sha256(db) == before
    assert factmark("stats", "--db", str(db)).returncode == 0
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0


def test_a_symlink_is_written_through_and_stays_a_symlink(db: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "key.csv"
    link.symlink_to(real)
    assert _export(db, link).returncode == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("article_id,")


def test_a_planted_temporary_name_cannot_redirect_the_write(db: Path, tmp_path: Path) -> None:
    # In a group-writable class folder, a classmate can plant a link at a guessable name.
    shared = tmp_path / "shared"
    shared.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (shared / ".key.csv.partial").symlink_to(victim)
    assert _export(db, shared / "key.csv").returncode == 0
    assert victim.read_text() == "precious"
    assert not (shared / "key.csv").is_symlink()
    assert (shared / "key.csv").read_text(encoding="utf-8").startswith("article_id,")


def test_a_new_file_gets_the_users_umask_and_an_old_one_keeps_its_mode(
    db: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old.csv"
    old.write_text("x")
    old.chmod(0o640)
    assert _export(db, old).returncode == 0
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    new = tmp_path / "new.csv"
    assert _export(db, new).returncode == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~_umask()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_a_character_device_is_streamed_to_never_replaced(db: Path) -> None:
    for extra in ((), ("--gradebook",)):
        result = _export(db, "/dev/null", *extra)
        assert result.returncode == 0, result.stderr
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_is_streamed_to(db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = _export(db, fifo)
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert received and received[0].startswith(b"article_id,")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_folder_is_refused_in_one_line(db: Path, tmp_path: Path) -> None:
    assert "folder" in _one_line_error(_export(db, tmp_path))


@needs_root
@pytest.mark.parametrize("extra", [(), ("--gradebook",)])
def test_a_full_disk_leaves_the_old_file_as_it_was(
    db: Path, tmp_path: Path, extra: tuple[str, ...]
) -> None:
    with tiny_filesystem(tmp_path / "full", "64k") as full:
        old = full / "grades.csv"
        old.write_text("last week's grades\n")
        fill(full)
        err = _one_line_error(_export(db, old, *extra))
        assert "disk is full" in err
        assert old.read_text() == "last week's grades\n"
        assert sorted(p.name for p in full.iterdir()) == ["filler", "grades.csv"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_name_that_is_not_a_file_is_refused_in_one_line(db: Path, tmp_path: Path) -> None:
    (tmp_path / "old.csv").write_text("old")
    for target in (f"{tmp_path}/new.csv/", f"{tmp_path}/old.csv/", ""):
        err = _one_line_error(_export(db, target))
        assert "name a file" in err
    assert (tmp_path / "old.csv").read_text() == "old"
    assert not (tmp_path / "new.csv").exists()


@needs_root
def test_a_replaced_file_keeps_its_owner(db: Path, tmp_path: Path) -> None:
    # Root exporting over a teacher's gradebook must not take it from the teacher.
    grades = tmp_path / "grades.csv"
    grades.write_text("old")
    os.chown(grades, 65534, 65534)
    assert _export(db, grades, "--gradebook").returncode == 0
    assert (grades.stat().st_uid, grades.stat().st_gid) == (65534, 65534)


def test_a_read_only_folder_is_called_read_only(db: Path, tmp_path: Path) -> None:
    shut = tmp_path / "shut"
    shut.mkdir()
    shut.chmod(0o555)
    try:
        result = subprocess.run(
            without_root_override(FACTMARK, "export", "--db", str(db), "-o", str(shut / "key.csv")),
            capture_output=True,
        )
    finally:
        shut.chmod(0o755)
    assert "read-only" in _one_line_error(result)
    assert list(shut.iterdir()) == []


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_a_device_or_fifo_is_never_taken_for_a_database(tmp_path: Path, kind: str) -> None:
    target = Path("/dev/null") if kind == "device" else tmp_path / "pipe"
    if kind == "fifo":
        os.mkfifo(target)
    for command in (
        ["stats"],
        ["import", str(SAMPLE)],
        ["key", "add", "t"],
        ["merge", str(target)],
    ):
        db = str(target) if command[0] != "merge" else str(tmp_path / "class.db")
        result = factmark(*command, "--db", db, timeout=30)  # a fifo opened would block
        assert "not a regular file" in _one_line_error(result)
    assert not Path("/dev/null-journal").exists() and not Path("/dev/null-wal").exists()


def test_standard_output_by_name_writes_where_the_shell_pointed_it(
    db: Path, tmp_path: Path
) -> None:
    # `export -o /dev/stdout | wc`, and `>> log.csv`: the shell's own descriptor, as is.
    piped = subprocess.run(
        [FACTMARK, "export", "--db", str(db), "-o", "/dev/stdout"], capture_output=True
    )
    assert piped.returncode == 0 and piped.stdout.startswith(b"article_id,")
    log = tmp_path / "log.csv"
    log.write_text("earlier line\n")
    with log.open("a") as appended:
        for target in ("/dev/stdout", "/dev/fd/1", "-"):
            result = subprocess.run(
                [FACTMARK, "export", "--db", str(db), "-o", target], stdout=appended
            )
            assert result.returncode == 0
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "earlier line" and lines.count(lines[1]) == 3


def test_a_file_its_owner_made_read_only_is_not_replaced(db: Path, tmp_path: Path) -> None:
    kept = tmp_path / "key.csv"
    kept.write_text("the teacher's key")
    kept.chmod(0o444)
    result = subprocess.run(
        without_root_override(FACTMARK, "export", "--db", str(db), "-o", str(kept)),
        capture_output=True,
    )
    assert "read-only" in _one_line_error(result)
    assert kept.read_text() == "the teacher's key"
