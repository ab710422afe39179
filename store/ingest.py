"""Importing files into the store: walking folders, reading bytes, one report per batch.

A bad file costs only itself: its problem is reported in one line naming it, and the
rest of the batch still imports.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from factmark.corpus.article import ArticleError
from factmark.corpus.reading import ARTICLE_SUFFIXES, read_article

from . import articles
from .database import Store

STDIN = "-"


@dataclass
class ImportReport:
    imported: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.imported)} imported, {len(self.unchanged)} unchanged, "
            f"{len(self.refused)} refused"
        )


def discover(paths: Iterable[str]) -> Iterator[str | ArticleError]:
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
            yield from _walk(path)
        elif path.exists():
            yield str(path)
        else:
            yield ArticleError(f"{raw}: no such file or folder")


def _walk(top: Path) -> Iterator[str | ArticleError]:
    seen: set[str] = set()
    for folder, dirs, files in os.walk(top, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        for name in sorted(files):
            if Path(name).suffix.lower() in ARTICLE_SUFFIXES and not name.startswith("."):
                yield os.path.join(folder, name)


def import_paths(
    store: Store,
    paths: Iterable[str],
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    report = ImportReport()
    found = list(discover(paths))
    for done, item in enumerate(found, 1):
        try:
            if isinstance(item, ArticleError):
                raise item
            article = read_article(item, _read_bytes(item))
            article_id, added = articles.add(store, article)
            (report.imported if added else report.unchanged).append(article_id)
        except ArticleError as exc:
            report.refused.append(str(exc))
        if progress:
            progress(done, len(found))
    return report


def _read_bytes(name: str) -> bytes:
    if name == STDIN:
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise ArticleError(f"{name}: cannot read ({exc.strerror})") from None
