"""CSV export of verdicts: RFC 4180, UTF-8, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
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


def rows(store: Store, *, history: bool = False, annotator: str | None = None) -> Iterator[dict]:
    """Current verdicts (one per claim and annotator), or with `history` every event,
    as dicts with the keys of COLUMNS (HISTORY_COLUMNS with `history`), in article,
    text and annotator order."""
    source = "verdicts" if history else "current_verdicts"
    sql = f"""
        SELECT a.id AS article_id, a.title AS article_title, a.path AS article_path,
               a.language, c.id AS claim_id, c.start AS claim_start, c."end" AS claim_end,
               c.text AS claim_text, v.verdict, v.annotator, v.note, v.evidence_url,
               v.created_at AS decided_at, v.id AS event_id, v.action
        FROM {source} v
        JOIN claims c ON c.id = v.claim_id
        JOIN articles a ON a.id = c.article_id
        WHERE (:annotator IS NULL OR v.annotator = :annotator)
    """
    if not history:
        # A claim whose verdict, note and link were all cleared holds nothing to export.
        sql += " AND coalesce(v.verdict, v.note, v.evidence_url) IS NOT NULL"
    sql += " ORDER BY a.id, c.start, c.id, v.annotator, v.created_at, v.rowid"
    for row in store.conn.execute(sql, {"annotator": annotator}):
        yield dict(row)
