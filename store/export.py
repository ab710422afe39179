"""CSV export of verdicts: RFC 4180, UTF-8, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Any, TextIO

from factmark.corpus.safe_text import clean, unclean_offsets

from .database import Store

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
    if delimiter not in DELIMITERS:
        raise ValueError(f"delimiter {delimiter!r}: use one of , ; or a tab")
    return csv.writer(out, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)


def write_rows(
    out: TextIO, columns: Iterable[str], rows: Iterable[dict], delimiter: str = ","
) -> int:
    """Write a header and one neutralised row per dict; return the number of rows."""
    columns = tuple(columns)
    csv_out = writer(out, delimiter)
    out.write(delimiter.join(columns) + "\r\n")  # factmark's own names: bare, as tools expect
    count = 0
    for row in rows:
        csv_out.writerow([neutralise(row[name]) for name in columns])
        count += 1
    return count


BATCH = 1000  # rows screened at once


def write_verdicts(
    out: TextIO,
    store: Store,
    *,
    history: bool = False,
    annotator: str | None = None,
    delimiter: str = ",",
) -> int:
    """Write the CSV of the current verdicts (one row per claim and annotator holding a
    verdict, a note or a link), or with `history` of every event, in article, text and
    annotator order, under a header of COLUMNS (HISTORY_COLUMNS with `history`); only
    `annotator`'s rows when one is given. Return the number of rows written.

    The file is the one `write_rows` writes for the same cells, every cell through
    `neutralise`, in about 1.35 times the time of a bare csv.writer on the same query
    (docs/benchmarks.md): rows are streamed from SQLite as tuples and written a batch
    at a time, and each batch's CSV text is screened in two scans (`_guarded`), which
    point at the rows to write again.
    Raises ValueError for a delimiter not in DELIMITERS."""
    cells = _HISTORY_CELLS if history else _CELLS
    lines = _Lines()
    csv_out = writer(lines, delimiter)
    where = "(:annotator IS NULL OR v.annotator = :annotator)"
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
        {"annotator": annotator},
    )
    out.write(delimiter.join(name for name, _ in cells) + "\r\n")  # bare, as tools expect
    count = 0
    while batch := cursor.fetchmany(BATCH):
        count += len(batch)
        lines.clear()
        csv_out.writerows(batch)
        out.write(_guarded(lines, batch, delimiter))
    return count


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
