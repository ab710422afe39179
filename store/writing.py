"""The one way factmark writes a file: exports, the gradebook, a class README, the note
handed to an editor.

- A regular file (or a new one) is written whole to a temporary file created with
  O_EXCL in the target's folder, then moved into place: readers never see half a file,
  a failure (a full disk) leaves the old file as it was, and nothing planted at a
  predictable temporary name can redirect the write.
- A symlink is written through: its target is the file replaced.
- A character device, fifo or socket (`/dev/null`, a pipe) is streamed to as it is:
  never replaced by a regular file; `/dev/stdout` and `/dev/fd/N` write to the
  descriptor already open (so the shell's `>>` appends).
- A regular file its owner made read-only is refused, as `>` and `cp` would.
- The database itself, and its `-wal`, `-shm`, `-journal` and `-writers.lock` files,
  are refused.

Errors: every failure is a StoreError (DiskFull when the disk is full) naming the
target, raised after the temporary file is removed.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from .errors import DiskFull, ReadOnly, StoreError

SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal", "-writers.lock")
PARTIAL = ".partial"  # how the temporary file an output is written to ends
NAME_MAX = 255  # bytes in a file name, on Linux's file systems


@contextmanager
def output(
    target: str | os.PathLike[str],
    *,
    protect: Iterable[str | os.PathLike[str]] = (),
    encoding: str = "utf-8",
    newline: str | None = "",
    private: bool = False,
) -> Iterator[TextIO]:
    """A text stream whose content becomes `target` when the block ends without error.

    `protect` names databases that must never be overwritten (with their side files).
    A `private` file (a class's key or grades) is readable by its owner only, whatever
    the umask or the folder's group. Raises StoreError (or DiskFull) in one line naming
    `target`.
    """
    if not os.fspath(target):
        raise StoreError("an empty file name: name a file to write")
    if os.fspath(target).endswith(os.sep):
        raise StoreError(f"{target}: names a folder; name a file to write")
    target = Path(target)
    real = Path(os.path.realpath(target))
    _refuse_protected(target, real, protect)
    inherited = _inherited_descriptor(target)
    if inherited is not None:  # /dev/stdout and the like: the shell's own `>` or `>>`
        with _stream(target, _dup(target, inherited), encoding, newline) as out:
            yield out
        return
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise _failure(target, exc) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise StoreError(f"{target}: is a folder; name a file to write")
    if mode is not None and not stat.S_ISREG(mode):
        with _stream(target, _open_as_it_is(target, real), encoding, newline) as out:
            yield out
        return
    if mode is not None and (not mode & 0o222 or not os.access(real, os.W_OK)):
        # The rename could replace it, but its owner made it read-only: respect that.
        raise ReadOnly(f"{target}: the file is read-only; nothing was changed")
    with _replace(target, real, mode, encoding, newline, private) as out:
        yield out


# /dev/stdout, /dev/fd/1, /proc/self/fd/1: a descriptor this process already has open.
_DESCRIPTOR = re.compile(r"/(?:proc/self|dev)/fd/([0-9]+)")


def _inherited_descriptor(target: Path) -> int | None:
    """The descriptor `target` names through its chain of links, if it names one."""
    path = os.path.abspath(target)
    for _ in range(40):  # the kernel's own limit on links followed
        match = _DESCRIPTOR.fullmatch(path)
        if match:
            return int(match[1])
        if not os.path.islink(path):
            return None
        path = os.path.normpath(os.path.join(os.path.dirname(path), os.readlink(path)))
    return None


def _dup(target: Path, descriptor: int) -> int:
    try:
        return os.dup(descriptor)
    except OSError as exc:
        raise _failure(target, exc) from None


def _open_as_it_is(target: Path, real: Path) -> int:
    """A device or fifo, opened to write as it is (no O_CREAT, no O_TRUNC)."""
    try:
        return os.open(real, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise _failure(target, exc) from None


@contextmanager
def _stream(target: Path, fd: int, encoding: str, newline: str | None) -> Iterator[TextIO]:
    """Write to an open descriptor as it is: a device, a fifo, the shell's redirection."""
    try:
        with open(fd, "w", encoding=encoding, newline=newline) as out:
            yield out
    except OSError as exc:
        raise _failure(target, exc) from None


def _fitting(name: str) -> str:
    """`name`, cut so that the temporary file named after it (a dot, the name, a dot,
    mkstemp's 8 characters, PARTIAL) fits in NAME_MAX bytes."""
    room = NAME_MAX - len(f"..{'x' * 8}{PARTIAL}")
    while len(os.fsencode(name)) > room:
        name = name[:-1]
    return name


@contextmanager
def _replace(
    target: Path,
    real: Path,
    mode: int | None,
    encoding: str,
    newline: str | None,
    private: bool = False,
) -> Iterator[TextIO]:
    """Write a temporary file beside `real`, then rename it over `real`."""
    try:
        fd, temporary = tempfile.mkstemp(
            prefix=f".{_fitting(real.name)}.", suffix=PARTIAL, dir=real.parent
        )
    except OSError as exc:
        raise _failure(target, exc) from None
    try:
        with _ended_in_order(), open(fd, "w", encoding=encoding, newline=newline) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private (0600); give it the mode (and, where we may,
        # the owner) the file had, or the mode a new file gets under the user's umask.
        kept = stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask()
        os.chmod(temporary, kept & 0o700 if private else kept)
        if mode is not None:
            _keep_owner(temporary, real)
        os.replace(temporary, real)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _failure(target, exc) from None
        raise


@contextmanager
def _ended_in_order() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP (a `kill`, a closed terminal) end the
    process by raising SystemExit(128 + the signal's number), so the block's clean-up
    runs: no partial file is left, no helper process runs on. Only where those signals
    would otherwise end the process at once (their default action, on the main thread);
    the handlers found are put back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    found = {number: signal.getsignal(number) for number in _ENDING}
    mine = [number for number, handler in found.items() if handler == signal.SIG_DFL]
    for number in mine:
        signal.signal(number, _end)
    try:
        yield
    finally:
        for number in mine:
            signal.signal(number, found[number])


_ENDING = (signal.SIGTERM, signal.SIGHUP)


def _end(number: int, _frame: object) -> None:
    raise SystemExit(128 + number)


def create_text(target: str | os.PathLike[str], text: str) -> bool:
    """Write `text` (UTF-8) to a new file `target`; False, writing nothing, if anything
    is there already: a file the user may have edited, or a symlink someone planted in
    a shared folder (never followed). Raises StoreError (or DiskFull) naming `target`,
    after removing what it began to write."""
    target = Path(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(target, flags, 0o666)
    except FileExistsError:
        return False
    except OSError as exc:
        raise _failure(target, exc) from None
    try:
        with open(fd, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise _failure(target, exc) from None
    return True


def private_file(text: str, suffix: str = ".txt") -> Path:
    """A new file only the user can read (0600, created with O_EXCL in the temporary
    folder) holding `text` in UTF-8: for handing a note to an editor. Returns its
    path; the caller removes it. Raises OSError when the temporary folder takes no new
    file, StoreError (or DiskFull) naming the file when writing it fails."""
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


def _keep_owner(temporary: str, real: Path) -> None:
    """Give the new file the old one's owner and group, as far as we are allowed (root
    replacing a teacher's file must not leave it unreadable to the teacher)."""
    info = os.stat(real)
    for uid, gid in ((info.st_uid, info.st_gid), (-1, info.st_gid)):
        try:
            os.chown(temporary, uid, gid)
            return
        except PermissionError:
            continue


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _failure(target: Path, exc: OSError) -> StoreError:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(f"{target}: cannot write, the disk is full; nothing was changed")
    if exc.errno == errno.EROFS or (
        exc.errno == errno.EACCES and not os.access(target.parent, os.W_OK)
    ):
        return ReadOnly(f"{target}: cannot write, its folder is read-only; nothing was changed")
    return StoreError(f"{target}: cannot write ({reason})")
