"""Importing files into the store: walking folders, reading in parallel, one report.

A bad file (or a bad JSONL line) costs only itself: its problem is reported in one
line naming it, and the rest of the batch still imports. Only the database itself
failing (its disk full, it or its folder read-only) stops an import, and what was
committed before stays.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field

from factmark.corpus.article import Article, ArticleError
from factmark.corpus.safe_text import one_line

from . import article_saving, classroom
from .database import Store, damaged, describe
from .errors import DiskFull, ReadOnly, StoreError
from .files import STDIN, discover, read_file

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 64
BATCH = 100  # files per write transaction


@dataclass
class ImportReport:
    """What an import did: article ids by outcome, one line per problem ("path:
    reason"), one line per thing worth knowing that is no problem (`notes`: "x.txt:
    encoding guessed as Windows-1252", a front matter that could not be read, labelled
    spans not brought), claims left orphaned by edits, and why it stopped early, if it
    did. `failed` is true when anything was refused or the import stopped: a partial
    failure.
    """

    imported: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    orphaned: int = 0
    stopped: str | None = None  # the database's error that ended the import early

    def summary(self) -> str:
        """The report in one line: counts by outcome, orphans, and why it stopped."""
        line = (
            f"{len(self.imported)} imported, {len(self.unchanged)} unchanged, "
            f"{len(self.updated)} updated, {len(self.refused)} refused"
        )
        if self.orphaned:
            claims = "1 claim" if self.orphaned == 1 else f"{self.orphaned} claims"
            line += f"; {claims} with reader work not found in the edited text, kept as orphans"
        if self.stopped:
            line += f"; then the import stopped, nothing more was imported: {self.stopped}"
        return line

    @property
    def failed(self) -> bool:
        """True when a file or an article was refused, or the import stopped."""
        return bool(self.refused) or self.stopped is not None

    def stop(self, reason: str) -> None:
        """Record why the import stopped early (made one line)."""
        self.stopped = one_line(reason)

    def count(self, saved: article_saving.Saved) -> None:
        """Count one saved article by its outcome, with its orphans and notes."""
        getattr(self, saved.status).append(saved.article_id)
        self.orphaned += saved.orphaned
        self.notes.extend(saved.notes)


def import_paths(
    store: Store,
    paths: Iterable[str],
    *,
    glob: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import every article under `paths` into `store`, and say what happened.

    Files are committed BATCH at a time, and each article is saved in its own savepoint
    (`article_saving.save`): one that fails for any reason is rolled back alone and becomes
    one line in `refused`. When the database fails (DiskFull, ReadOnly, or any error of
    the transaction itself), the batch under way is rolled back, the import stops and
    `stopped` says why (see ImportReport): the report counts only what was committed.
    Never raises for those; `progress(done, total)` is called after each file. Raises
    StoreError in a class copy, before reading anything: its articles are the teacher's
    (a student's own would sit beside the class's under the numbers the teacher's
    articles take next).
    """
    classroom.refuse_in_copy(store, "adding articles")
    report = ImportReport()
    found = list(discover(paths, glob))
    files = [f for f in found if isinstance(f, str)]
    report.refused.extend(str(e) for e in found if isinstance(e, ArticleError))
    with closing(_read_all(files)) as read:
        results = enumerate(read, 1)
        try:
            while batch := list(itertools.islice(results, BATCH)):
                for saved in _import_batch(store, batch, report, progress, len(files)):
                    report.count(saved)
        except (StoreError, sqlite3.Error) as exc:
            if isinstance(exc, StoreError):
                report.stop(str(exc))
            else:  # a damaged file is called so (see Store.open)
                report.stop(
                    str(describe(exc, store.path)) if damaged(exc) else f"{store.path}: {exc}"
                )
    return report


def _import_batch(
    store: Store,
    batch: list[tuple[int, list[Article | ArticleError]]],
    report: ImportReport,
    progress: Callable[[int, int], None] | None,
    total: int,
) -> list[article_saving.Saved]:
    """Save a batch of files' articles in one transaction; return what was saved once
    it is committed. A problem with one article is added to the report's `refused` at
    once, and what reading it noted to its `notes`."""
    saved = []
    with store.write():  # one commit per batch: 10,000 commits would dominate
        for done, items in batch:
            for item in items:
                outcome = item if isinstance(item, ArticleError) else _save(store, item)
                if isinstance(item, Article):
                    report.notes.extend(item.notes)
                if isinstance(outcome, article_saving.Saved):
                    saved.append(outcome)
                else:
                    report.refused.append(str(outcome))
            if progress:
                progress(done, total)
    return saved


def _save(store: Store, article: Article) -> article_saving.Saved | ArticleError:
    """Save one article, or say in one line why it could not be. Errors of the database
    itself (full, read-only, the transaction lost) are raised: they stop the import."""
    try:
        return article_saving.save(store, article)
    except Exception as exc:
        if _stops(exc) or not store.conn.in_transaction:
            raise
        reason = str(exc) if isinstance(exc, StoreError) else f"{type(exc).__name__}: {exc}"
        return ArticleError(
            f'{article.path}: could not store "{article.title}" ({one_line(reason)})'
        )


def _stops(exc: Exception) -> bool:
    if isinstance(exc, (DiskFull, ReadOnly)) or damaged(exc):
        return True
    return isinstance(exc, sqlite3.OperationalError) and "full" in str(exc)


def _read_all(files: list[str]) -> Iterator[list[Article | ArticleError]]:
    """Each file's articles in order, read on every core for large imports. Closed
    early, it cancels the reading still queued."""
    workers = min(os.cpu_count() or 1, 8)
    if len(files) < PARALLEL_FROM or workers < 2 or STDIN in files:
        yield from map(read_file, files)
        return
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        yield from pool.map(read_file, files, chunksize=16)
    finally:
        pool.shutdown(cancel_futures=True)
