"""CSV export of verdicts: RFC 4180, UTF-8, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import Any, TextIO

from factmark.corpus.safe_text import clean

from .database import Store

COLUMNS = (
    "article_id",
    "article_title",
    "article_path",
    "language",
    "claim_id",
    "claim_start",
    "claim_end",
    "claim_text",
    "verdict",
    "annotator",
    "note",
    "evidence_url",
    "decided_at",
    "event_id",
)
HISTORY_COLUMNS = (*COLUMNS, "action")

# A cell starting with one of these is run as a formula by spreadsheet programs
# (OWASP "CSV injection"); a leading apostrophe makes it plain text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DELIMITERS = (",", ";", "\t")  # the export's own comma first: reading, it wins ties


# What a text cell can start with when `neutralise` changes it: a formula's first
# character, or white space it looks past (`clean` drops a carriage return too).
_SUSPECT_START = (*FORMULA_TRIGGERS, " ", "\u00a0")


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
    separator it is (French and German Excel use `;`). Numbers stay bare."""
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


def write_table(
    out: TextIO, columns: Iterable[str], rows: Iterable[Sequence], delimiter: str = ","
) -> int:
    """Write a header and one neutralised row per tuple of cells as SQLite returns them
    (text, numbers, bytes, None) in the order of `columns`; return the number of rows.
    The CSV is the one `write_rows` writes for the same cells, at the cost of the bare
    csv.writer for a batch of rows in which no cell needs neutralising (`_plain`)."""
    csv_out = writer(out, delimiter)
    out.write(delimiter.join(columns) + "\r\n")  # factmark's own names: bare, as tools expect
    count = 0
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        count += len(batch)
        csv_out.writerows(batch if _plain(batch) else map(_neutralised, batch))
    return count


BATCH = 1000  # rows screened at once


def _plain(rows: list[Sequence]) -> bool:
    """Whether `neutralise` would leave every cell of `rows` as it is: one scan of
    their cells joined in one text, each after a "|". `clean` changes only a text with
    a character `str.isprintable` refuses (controls, bidi overrides, surrogates), and a
    formula or the white space before one starts a cell, so comes after a "|". A cell
    holding "|=" (or a number's minus) can only make the answer False for nothing."""
    text = "|" + "|".join(map(str, chain.from_iterable(rows)))
    return text.isprintable() and not _CELL_START.search(text)


# A cell that starts as `neutralise` changes it, in `_plain`'s text: a formula's first
# character, after the white space spreadsheets skip.
_CELL_START = re.compile(f"\\|[ \u00a0]*[{re.escape(''.join(FORMULA_TRIGGERS))}]")


def _neutralised(row: Sequence, suspect: frozenset = frozenset(_SUSPECT_START)) -> Sequence:
    """`row` with its text cells neutralised: only those that start with a formula
    trigger or white space, or hold a character `str.isprintable` refuses (as every
    character `clean` drops is), can change, so only those go through `neutralise`."""
    return [
        neutralise(cell)
        if cell.__class__ is str and (cell[:1] in suspect or not cell.isprintable())
        else cell
        for cell in row
    ]


def rows(store: Store, *, history: bool = False, annotator: str | None = None) -> Iterator[tuple]:
    """Current verdicts (one per claim and annotator), or with `history` every event,
    as tuples in the order of COLUMNS (HISTORY_COLUMNS with `history`), in article,
    text and annotator order, streamed from the database as SQLite returns them."""
    source = "verdicts" if history else "current_verdicts"
    action = ", v.action" if history else ""
    sql = f"""
        SELECT a.id AS article_id, a.title AS article_title, a.path AS article_path,
               a.language, c.id AS claim_id, c.start AS claim_start, c."end" AS claim_end,
               c.text AS claim_text, v.verdict, v.annotator, v.note, v.evidence_url,
               v.created_at AS decided_at, v.id AS event_id{action}
        FROM {source} v
        JOIN claims c ON c.id = v.claim_id
        JOIN articles a ON a.id = c.article_id
        WHERE (:annotator IS NULL OR v.annotator = :annotator)
    """
    if not history:
        # A claim whose verdict, note and link were all cleared holds nothing to export.
        sql += " AND coalesce(v.verdict, v.note, v.evidence_url) IS NOT NULL"
    sql += " ORDER BY a.id, c.start, c.id, v.annotator, v.created_at, v.rowid"
    cursor = store.conn.cursor()
    cursor.row_factory = None  # plain tuples: a dict (or sqlite3.Row) a row costs time
    yield from cursor.execute(sql, {"annotator": annotator})
