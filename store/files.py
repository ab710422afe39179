"""Finding article files and reading them: no database here, so `factmark detect`
can use it without loading SQLite.

A folder walk yields regular files only: a fifo, socket or device in a folder is never
opened (a fifo would block for ever) and is reported in one line, as is a folder that
cannot be read or one nested deeper than MAX_DEPTH. A file named on the command line is
read whatever it is, so `factmark import <(curl ...)` reads its pipe.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import sys
from collections.abc import Iterable, Iterator

from factmark.corpus.article import Article, ArticleError
from factmark.corpus.formats import MAX_FILE_BYTES
from factmark.corpus.reading import ARTICLE_SUFFIXES, read_articles
from factmark.corpus.safe_text import file_name

STDIN = "-"
STDIN_PATH = "<stdin>"
MAX_DEPTH = 64  # folder levels walked below a folder named on the command line
_FOLDER, _FILE = "folder", "file"
_OTHER_KINDS = {
    stat.S_IFIFO: "a fifo",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
}


def discover(paths: Iterable[str], glob: str | None = None) -> Iterator[str | ArticleError]:
    """Every file named, and every article file below the folders named, each once.

    Yields each file's real name as an absolute path (to open it; not necessarily
    UTF-8; the same file names the same article from any working folder), or an
    ArticleError in one printable line for what cannot be read. Folders are walked in
    sorted order so imports are reproducible; a folder reached a second time (through
    a symlink loop, or named twice) is skipped, so walks end.
    """
    seen: set[tuple[int, int]] = set()
    for raw in paths:
        if raw == STDIN:
            yield STDIN
        elif os.path.isdir(raw):
            yield from _walk(os.path.abspath(raw), glob, 0, seen)
        elif os.path.exists(raw):
            yield os.path.abspath(raw)
        else:
            yield ArticleError(_no_such(raw))


def missing(paths: Iterable[str]) -> list[str]:
    """What `discover` says of each of `paths` that names nothing, one line each (so
    a command can stop before it makes a database for nothing)."""
    return [_no_such(raw) for raw in paths if raw != STDIN and not os.path.exists(raw)]


def _no_such(raw: str) -> str:
    return f"{file_name(raw)}: no such file or folder"


def _walk(
    folder: str, glob: str | None, depth: int, seen: set[tuple[int, int]]
) -> Iterator[str | ArticleError]:
    """The article files of `folder` in name order, then those of each subfolder."""
    try:
        info = os.stat(folder)
        if (info.st_dev, info.st_ino) in seen:
            return
        seen.add((info.st_dev, info.st_ino))
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        yield ArticleError(f"{file_name(folder)}: cannot read this folder ({exc.strerror})")
        return
    subfolders = []
    for entry in entries:
        kind = _kind(entry)
        if kind == _FOLDER:
            subfolders.append(entry.path)
        elif not _wanted(entry.name, glob):
            continue
        elif kind == _FILE:
            yield os.path.normpath(entry.path)
        else:
            yield ArticleError(f"{file_name(entry.path)}: {kind}, skipped")
    for subfolder in subfolders:
        if depth < MAX_DEPTH:
            yield from _walk(subfolder, glob, depth + 1, seen)
        else:
            yield ArticleError(
                f"{file_name(subfolder)}: more than {MAX_DEPTH} folders deep, not walked"
            )


def _kind(entry: os.DirEntry[str]) -> str:
    """_FOLDER or _FILE (after symlinks), else what the entry is, in words."""
    try:
        if entry.is_dir():
            return _FOLDER
        if entry.is_file():
            return _FILE
        mode = entry.stat().st_mode
    except OSError as exc:
        return f"cannot read ({exc.strerror})"
    return f"not a regular file ({_OTHER_KINDS.get(stat.S_IFMT(mode), 'unknown kind')})"


def _wanted(name: str, glob: str | None) -> bool:
    if name.startswith("."):
        return False
    if glob:
        return fnmatch.fnmatch(name, glob)
    return os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES


def read_file(name: str) -> list[Article | ArticleError]:
    """Read and analyse one file (in a worker process for large imports).

    `name` is the file's real name, or STDIN; the articles carry a printable path.
    A file that cannot be read becomes one ArticleError naming it.
    """
    shown = STDIN_PATH if name == STDIN else name
    try:
        data = _read(name)
    except OSError as exc:
        return [ArticleError(f"{file_name(shown)}: cannot read ({exc.strerror})")]
    return read_articles(shown, data, named=name != STDIN)


def _read(name: str) -> bytes:
    """At most MAX_FILE_BYTES + 1 bytes of the file: more is refused anyway, and a
    stream that never ends (a device, a pipe) must not fill the memory."""
    if name == STDIN:
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    with open(name, "rb") as stream:
        return stream.read(MAX_FILE_BYTES + 1)


def read_bounded(path: os.PathLike[str], name: str, limit: int, hint: str) -> bytes:
    """The bytes of the file at `path` (shown as `name`), at most `limit` of them.
    Raises StoreError in one line when it cannot be read, or is larger (saying `hint`:
    what to do instead)."""
    from .errors import StoreError

    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise StoreError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise StoreError(f"{name}: too large (over {limit / 1e6:.0f} MB; {hint})")
    return data
