"""CSV export of verdicts: RFC 4180, UTF-8, safe to open in a spreadsheet.

Other formats: `jsonl_export`, `web_annotation`, `claim_review`.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import IO, Any, TextIO

from factmark.corpus.safe_text import clean, unclean_offsets

from .database import Store
from .exported_claims import exported_claims
from .processes import end_with

# Each exported column: its name and the SQL that reads it, in the export's order.
_CELLS = (
    ("article_id", "a.id"),
    ("article_title", "a.title"),
    ("article_path", "a.path"),
    ("language", "a.language"),
    ("claim_id", "c.id"),
    ("claim_start", "c.start"),
    ("claim_end", 'c."end"'),
    ("claim_text", "c.text"),
    ("verdict", "v.verdict"),
    ("annotator", "v.annotator"),
    ("note", "v.note"),
    ("evidence_url", "v.evidence_url"),
    ("decided_at", "v.created_at"),
    ("event_id", "v.id"),
)
_HISTORY_CELLS = (*_CELLS, ("action", "v.action"))
COLUMNS = tuple(name for name, _ in _CELLS)
HISTORY_COLUMNS = tuple(name for name, _ in _HISTORY_CELLS)
# The columns an export of every claim (`every_claim_rows`) adds after those.
EVERY_CLAIM_COLUMNS = ("origin", "dismissed", "orphaned")

# A cell starting with one of these is run as a formula by spreadsheet programs
# (OWASP "CSV injection"); a leading apostrophe makes it plain text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DELIMITERS = (",", ";", "\t")  # the export's own comma first: reading, it wins ties


def neutralise(cell: object) -> object:
    """A cell safe to print and to open in a spreadsheet: text without control
    characters, and an apostrophe before a formula's first character (also after
    leading white space, which spreadsheets skip)."""
    if not isinstance(cell, str):
        return cell
    cell = clean(cell)
    if cell.lstrip(" \u00a0").startswith(FORMULA_TRIGGERS):
        return "'" + cell
    return cell


def writer(out: TextIO, delimiter: str = ",") -> Any:
    """A CSV writer for factmark's exports: CRLF line ends, and every text cell quoted,
    so a `;` or tab inside a cell never starts a new cell in a spreadsheet whose list
    separator it is (French and German Excel use `;`). Numbers stay bare.
    Raises ValueError for a delimiter not in DELIMITERS."""
    _check(delimiter)
    return csv.writer(out, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)


def _check(delimiter: str) -> None:
    if delimiter not in DELIMITERS:
        raise ValueError(f"delimiter {delimiter!r}: use one of , ; or a tab")


def write_rows(
    out: TextIO,
    columns: Iterable[str],
    rows: Iterable[Mapping[str, object]],
    delimiter: str = ",",
) -> int:
    """Write a header of `columns` and one neutralised row per mapping (each holding
    every column: a GradebookRow, a TemplateRow...); return the number of rows.
    Raises ValueError for a delimiter not in DELIMITERS, KeyError for a row without one
    of the columns, and what writing to `out` raises (OSError)."""
    columns = tuple(columns)
    csv_out = writer(out, delimiter)
    out.write(delimiter.join(columns) + "\r\n")  # factmark's own names: bare, as tools expect
    count = 0
    for row in rows:
        csv_out.writerow([neutralise(row[name]) for name in columns])
        count += 1
    return count


def every_claim_rows(
    store: Store, *, history: bool = False, annotator: str | None = None
) -> Iterator[dict[str, object]]:
    """The rows of an export of every claim (`write_rows` writes them under COLUMNS, or
    HISTORY_COLUMNS with `history`, then EVERY_CLAIM_COLUMNS): the rows `write_verdicts`
    writes, cell for cell and in its order, with a row of empty verdict cells for each
    claim besides that has not lost its place in its article (not orphaned), decided or
    not, dismissed ones too (`exported_claims` with `every`). `origin`: "detector",
    "reader" or "imported"; `dismissed`: 1 for a claim a reader said is not one, else 0.
    Raises what SQLite raises."""
    for item in exported_claims(store, every=True, annotator=annotator, history=history):
        article, claim = item.article, item.claim
        fixed = {
            "article_id": article["id"],
            "article_title": article["title"],
            "article_path": article["path"],
            "language": article["language"],
            "claim_id": claim["id"],
            "claim_start": claim["start"],
            "claim_end": claim["end"],
            "claim_text": claim["text"],
        }
        marks = {
            "origin": item.origin,
            "dismissed": int(claim["dismissed"]),
            "orphaned": int(claim["orphaned"]),
        }
        events = [e for held in item.verdicts for e in (held.history or (held.current,))]
        if not events:
            blank = dict.fromkeys(HISTORY_COLUMNS[len(fixed) :])
            yield {**fixed, **blank, **marks}
        for event in events:
            decided = {
                "verdict": event["verdict"],
                "annotator": event["annotator"],
                "note": event["note"],
                "evidence_url": event["evidence_url"],
                "decided_at": event["created_at"],
                "event_id": event["id"],
                "action": event["action"],
            }
            yield {**fixed, **decided, **marks}


BATCH = 1000  # rows screened at once
# Claims from which an export written to a file is split over two processes (below
# this, starting the second one costs more than it saves).
SPLIT_AT = 100_000


def write_verdicts(
    out: TextIO,
    store: Store,
    *,
    history: bool = False,
    annotator: str | None = None,
    delimiter: str = ",",
    scratch: Path | None = None,
) -> int:
    """Write the CSV of the current verdicts (one row per claim and annotator holding a
    verdict, a note or a link), or with `history` of every event, in article, text and
    annotator order, under a header of COLUMNS (HISTORY_COLUMNS with `history`); only
    `annotator`'s rows when one is given. Return the number of rows written.

    The file is the one `write_rows` writes for the same cells, every cell through
    `neutralise`: rows are streamed from SQLite as tuples and written a batch at a
    time, and each batch's CSV text is screened in two scans (`_guarded`), which point
    at the rows to write again. With `scratch` (a folder on the output's file system)
    and SPLIT_AT claims or more, a second process writes the later half of the
    articles into an unnamed file there while this one writes the first half, and its
    part is then appended (docs/benchmarks.md, "Export", gives the figures). Each half
    is read in its own transaction, so a verdict saved meanwhile may be in one half
    and not the other; each article is read whole by one of them.
    Raises ValueError for a delimiter not in DELIMITERS; StoreError as `Store.open`."""
    cells = _HISTORY_CELLS if history else _CELLS
    _check(delimiter)
    out.write(delimiter.join(name for name, _ in cells) + "\r\n")  # bare, as tools expect
    query = partial(_write_part, history=history, annotator=annotator, delimiter=delimiter)
    split = _split_point(store, scratch) if scratch is not None and _may_fork(out) else None
    if split is None:
        return query(out, store)
    try:
        part = tempfile.TemporaryFile(dir=scratch)  # noqa: SIM115 (closed by the with below)
    except OSError:  # no room or no right to write there: one process does it all
        return query(out, store)
    with part:
        later = _start_part(part, store.path, partial(query, first=split))
        try:
            count = query(out, store, last=split)
        except BaseException:
            later.stop()
            raise
        written = later.result()
        if written is not None:
            out.flush()
            part.seek(0)
            shutil.copyfileobj(part, out.buffer, 1 << 20)
            return count + written
    # The second process failed: its half is written here, as it would have been,
    # once its part no longer takes room on the disk.
    return count + query(out, store, first=split)


def _write_part(
    out: TextIO,
    store: Store,
    *,
    history: bool,
    annotator: str | None,
    delimiter: str,
    first: int | None = None,
    last: int | None = None,
) -> int:
    """The rows of `write_verdicts` for articles from id `first` to before `last`."""
    cells = _HISTORY_CELLS if history else _CELLS
    lines = _Lines()
    csv_out = writer(lines, delimiter)
    where = (
        "(:annotator IS NULL OR v.annotator = :annotator)"
        " AND (:first IS NULL OR a.id >= :first) AND (:last IS NULL OR a.id < :last)"
    )
    if not history:
        # A claim whose verdict, note and link were all cleared holds nothing to export.
        where += " AND coalesce(v.verdict, v.note, v.evidence_url) IS NOT NULL"
    cursor = store.conn.cursor()
    cursor.row_factory = None  # plain tuples: a dict (or sqlite3.Row) a row costs time
    cursor.execute(
        f"SELECT {', '.join(sql for _, sql in cells)}"
        f" FROM {'verdicts' if history else 'current_verdicts'} v"
        " JOIN claims c ON c.id = v.claim_id JOIN articles a ON a.id = c.article_id"
        f" WHERE {where} ORDER BY a.id, c.start, c.id, v.annotator, v.created_at, v.rowid",
        {"annotator": annotator, "first": first, "last": last},
    )
    count = 0
    while batch := cursor.fetchmany(BATCH):
        count += len(batch)
        lines.clear()
        csv_out.writerows(batch)
        out.write(_guarded(lines, batch, delimiter))
    return count


def _may_fork(out: TextIO) -> bool:
    """Whether a second process may write part of `out`: a UTF-8 file, with no other
    thread in this process (a fork copies only the calling thread)."""
    try:
        regular = stat.S_ISREG(os.fstat(out.fileno()).st_mode)
    except (AttributeError, OSError, io.UnsupportedOperation):
        return False
    encoding = getattr(out, "encoding", "").lower().replace("_", "-")
    return (
        regular
        and encoding in ("utf-8", "utf-8-sig")
        and hasattr(os, "fork")
        and threading.active_count() == 1
    )


def _split_point(store: Store, scratch: Path) -> int | None:
    """The article id that halves the claims, or None below SPLIT_AT claims, or when
    `scratch` has no room for twice the database (the output, and half of it again
    while the halves are joined: an export no larger than the database then fits
    where one process would have written it)."""
    total = store.conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    if total < SPLIT_AT:
        return None
    try:
        room = os.statvfs(scratch)
        if room.f_bavail * room.f_frsize < 2 * os.stat(store.path).st_size:
            return None
    except OSError:
        return None
    row = store.conn.execute(
        "SELECT article_id FROM claims ORDER BY article_id LIMIT 1 OFFSET ?", (total // 2,)
    ).fetchone()
    return row[0]


class _Part:
    """A second process writing part of an export (see `write_verdicts`)."""

    def __init__(self, pid: int, count: int) -> None:
        self.pid = pid
        self._count = count  # the read end of a pipe: the child writes its row count

    def result(self) -> int | None:
        """The number of rows the process wrote, or None when it failed."""
        try:
            written = b""
            while chunk := os.read(self._count, 64):
                written += chunk
            _, status = os.waitpid(self.pid, 0)
        except BaseException:
            self.stop()
            raise
        os.close(self._count)
        return int(written) if os.waitstatus_to_exitcode(status) == 0 and written else None

    def stop(self) -> None:
        """End the process (an interrupted export)."""
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self._count)


def _start_part(part: IO[bytes], path: Path, write: Callable[[TextIO, Store], int]) -> _Part:
    """Start a process that runs `write` on its own read-only connection to `path`,
    into `part` as UTF-8 text."""
    count, sent = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        os.close(sent)
        return _Part(pid, count)
    status = 1  # the child: never returns, never touches the parent's connection
    try:
        os.close(count)
        end_with(parent, signal.SIGKILL)  # no half-export is left running
        with Store.open(path, readonly=True) as store:
            text = io.TextIOWrapper(part, encoding="utf-8", newline="", write_through=False)
            written = write(text, store)
            text.flush()
            text.detach()
        os.write(sent, str(written).encode())
        status = 0
    finally:
        os._exit(status)


class _Lines(list):
    """The lines a csv.writer writes, one string a row."""

    write = list.append


# Where a text cell as csv.writer writes it may start as a formula: an opening quote,
# the white space spreadsheets skip, a formula's first character (a carriage return
# aside: `_guarded` finds those by their count). A doubled quote inside a cell can
# match too, which costs that row a second look and nothing else.
_TRIGGERS = "".join(FORMULA_TRIGGERS).replace("\r", "")
_FORMULA = re.compile(f'"[ \u00a0]*[{re.escape(_TRIGGERS)}]')
# With tabs between cells every closing quote meets a tab: there a tab counts only
# after a quote that opens a cell (at a line's start or after a tab).
_FORMULA_TAB = re.compile(
    f'"[ \u00a0]*[{re.escape(_TRIGGERS.replace(chr(9), ""))}]|(?<![^\t\n])"[ \u00a0]*\t'
)


def _guarded(lines: list[str], rows: list[Sequence], delimiter: str) -> str:
    """The CSV text of `lines`, which csv.writer wrote for `rows`, with each line that
    holds a cell `neutralise` changes written again from its row's neutralised cells.

    Two scans of the text find the characters `clean` removes and the cells that may
    start as a formula; a line holding a carriage return besides its own is written
    again too (a cell holds one)."""
    text = "".join(lines)
    suspects = unclean_offsets(text)
    formula = _FORMULA_TAB if delimiter == "\t" else _FORMULA
    suspects += (match.start() for match in formula.finditer(text))
    again = set()
    if suspects:
        ends = list(accumulate(map(len, lines)))
        again.update(bisect_right(ends, at) for at in suspects)
    if text.count("\r") != len(lines):
        again.update(i for i, line in enumerate(lines) if line.count("\r") > 1)
    if not again:
        return text
    for i in again:
        lines[i] = _csv([[neutralise(cell) for cell in rows[i]]], delimiter)
    return "".join(lines)


def _csv(rows: list[list], delimiter: str) -> str:
    """The CSV lines `writer` writes for `rows`."""
    buffer = io.StringIO(newline="")
    writer(buffer, delimiter).writerows(rows)
    return buffer.getvalue()
