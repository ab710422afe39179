"""Importing files into the store: walking folders, reading in parallel, one report.

A bad file (or a bad JSONL line) costs only itself: its problem is reported in one
line naming it, and the rest of the batch still imports.
"""

from __future__ import annotations

import fnmatch
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from factmark.corpus.article import Article, ArticleError
from factmark.corpus.reading import ARTICLE_SUFFIXES, read_articles

from . import articles
from .articles import STDIN_PATH
from .database import Store

STDIN = "-"
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 64
BATCH = 100  # files per write transaction


@dataclass
class ImportReport:
    imported: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    orphaned: int = 0

    def summary(self) -> str:
        line = (
            f"{len(self.imported)} imported, {len(self.unchanged)} unchanged, "
            f"{len(self.updated)} updated, {len(self.refused)} refused"
        )
        if self.orphaned:
            claims = "1 claim" if self.orphaned == 1 else f"{self.orphaned} claims"
            line += f"; {claims} with reader work not found in the edited text, kept as orphans"
        return line


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


def import_paths(
    store: Store,
    paths: Iterable[str],
    *,
    glob: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import every article under `paths` into `store`, and say what happened."""
    report = ImportReport()
    found = list(discover(paths, glob))
    files = [f for f in found if isinstance(f, str)]
    report.refused.extend(str(e) for e in found if isinstance(e, ArticleError))
    results = enumerate(_read_all(files), 1)
    while batch := list(itertools.islice(results, BATCH)):
        with store.write():  # one commit per batch: 10,000 commits would dominate
            for done, items in batch:
                for item in items:
                    if isinstance(item, ArticleError):
                        report.refused.append(str(item))
                        continue
                    saved = articles.save(store, item)
                    getattr(report, saved.status).append(saved.article_id)
                    report.orphaned += saved.orphaned
                if progress:
                    progress(done, len(files))
    return report


def _read_all(files: list[str]) -> Iterator[list[Article | ArticleError]]:
    """Each file's articles in order, read on every core for large imports."""
    workers = min(os.cpu_count() or 1, 8)
    if len(files) < PARALLEL_FROM or workers < 2 or STDIN in files:
        yield from map(read_file, files)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(read_file, files, chunksize=16)
