"""The one way factmark writes a file: exports, the gradebook, a class README, the note
handed to an editor.

- A regular file (or a new one) is written whole to a temporary file created with
  O_EXCL in the target's folder, then moved into place: readers never see half a file,
  a failure (a full disk) leaves the old file as it was, and nothing planted at a
  predictable temporary name can redirect the write.
- A symlink is written through: its target is the file replaced.
- A character device, fifo or socket (`/dev/null`, `/dev/stdout`, a pipe) is streamed
  to as it is: never replaced by a regular file.
- The database itself, and its `-wal`, `-shm` and `-journal` files, are refused.

Errors: every failure is a StoreError (DiskFull when the disk is full) naming the
target, raised after the temporary file is removed.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from .errors import DiskFull, StoreError

SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


@contextmanager
def output(
    target: str | os.PathLike[str],
    *,
    protect: Iterable[str | os.PathLike[str]] = (),
    encoding: str = "utf-8",
    newline: str | None = "",
) -> Iterator[TextIO]:
    """A text stream whose content becomes `target` when the block ends without error.

    `protect` names databases that must never be overwritten (with their side files).
    Raises StoreError (or DiskFull) in one line naming `target`.
    """
    target = Path(target)
    real = Path(os.path.realpath(target))
    _refuse_protected(target, real, protect)
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise _failure(target, exc) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise StoreError(f"{target}: is a folder; name a file to write")
    if mode is not None and not stat.S_ISREG(mode):
        with _stream(target, real, encoding, newline) as out:
            yield out
        return
    with _replace(target, real, mode, encoding, newline) as out:
        yield out


@contextmanager
def _stream(target: Path, real: Path, encoding: str, newline: str | None) -> Iterator[TextIO]:
    """Write to a device or fifo as it is (no O_CREAT, no O_TRUNC)."""
    try:
        fd = os.open(real, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise _failure(target, exc) from None
    try:
        with open(fd, "w", encoding=encoding, newline=newline) as out:
            yield out
    except OSError as exc:
        raise _failure(target, exc) from None


@contextmanager
def _replace(
    target: Path, real: Path, mode: int | None, encoding: str, newline: str | None
) -> Iterator[TextIO]:
    """Write a temporary file beside `real`, then rename it over `real`."""
    try:
        fd, temporary = tempfile.mkstemp(
            prefix=f".{real.name}.", suffix=".partial", dir=real.parent
        )
    except OSError as exc:
        raise _failure(target, exc) from None
    try:
        with open(fd, "w", encoding=encoding, newline=newline) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private (0600); give it the mode the file had, or the
        # mode a new file gets under the user's umask.
        os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        os.replace(temporary, real)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _failure(target, exc) from None
        raise


def write_text(
    target: str | os.PathLike[str],
    text: str,
    *,
    protect: Iterable[str | os.PathLike[str]] = (),
    encoding: str = "utf-8",
) -> None:
    """Write `text` to `target` whole (see `output`)."""
    with output(target, protect=protect, encoding=encoding) as out:
        out.write(text)


def private_file(text: str, suffix: str = ".txt") -> Path:
    """A new file only the user can read (0600, created with O_EXCL in the temporary
    folder) holding `text` in UTF-8: for handing a note to an editor. The caller
    removes it."""
    fd, name = tempfile.mkstemp(prefix="factmark-", suffix=suffix)
    try:
        with open(fd, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        Path(name).unlink(missing_ok=True)
        raise _failure(Path(name), exc) from None
    return Path(name)


def _refuse_protected(target: Path, real: Path, protect: Iterable[str | os.PathLike[str]]) -> None:
    for database in protect:
        base = os.path.realpath(database)
        for side in SQLITE_SIDE_FILES:
            if str(real) == base + side or _same_file(real, Path(base + side)):
                what = f"the database's {side[1:]} file" if side else "the database itself"
                raise StoreError(f"{target}: is {what}; choose another file to write")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _failure(target: Path, exc: OSError) -> StoreError:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(f"{target}: cannot write, the disk is full; nothing was changed")
    return StoreError(f"{target}: cannot write ({reason})")
