"""Finding article files and reading them: no database here, so `factmark detect`
can use it without loading SQLite."""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from factmark.corpus.article import Article, ArticleError
from factmark.corpus.reading import ARTICLE_SUFFIXES, read_articles

STDIN = "-"
STDIN_PATH = "<stdin>"


def discover(paths: Iterable[str], glob: str | None = None) -> Iterator[str | ArticleError]:
    """Every file named, and every article file below the folders named, each once.

    Folders are walked in sorted order so imports are reproducible; a symlink that
    leads back into a folder already walked is skipped, so loops end.
    """
    for raw in paths:
        if raw == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path, glob)
        elif path.exists():
            yield os.path.normpath(raw)
        else:
            yield ArticleError(f"{raw}: no such file or folder")


def _walk(top: Path, glob: str | None) -> Iterator[str]:
    seen: set[str] = set()
    for folder, dirs, files in os.walk(top, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        for name in sorted(files):
            if name.startswith("."):
                continue
            wanted = (
                fnmatch.fnmatch(name, glob)
                if glob
                else (Path(name).suffix.lower() in ARTICLE_SUFFIXES)
            )
            if wanted:
                yield os.path.normpath(os.path.join(folder, name))


def read_file(name: str) -> list[Article | ArticleError]:
    """Read and analyse one file (in a worker process for large imports)."""
    try:
        data = sys.stdin.buffer.read() if name == STDIN else Path(name).read_bytes()
    except OSError as exc:
        return [ArticleError(f"{name}: cannot read ({exc.strerror})")]
    return read_articles(STDIN_PATH if name == STDIN else name, data)
