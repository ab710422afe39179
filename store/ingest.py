"""Importing files into the store: walking folders, reading in parallel, one report.

A bad file (or a bad JSONL line) costs only itself: its problem is reported in one
line naming it, and the rest of the batch still imports.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from factmark.corpus.article import Article, ArticleError

from . import articles
from .database import Store
from .files import STDIN, discover, read_file

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
