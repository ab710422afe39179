"""CSV export of verdicts: RFC 4180, UTF-8, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

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


def neutralise(cell: object) -> object:
    if isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS):
        return "'" + cell
    return cell


def rows(store: Store, *, history: bool = False, annotator: str | None = None) -> Iterator[dict]:
    """Current verdicts (one per claim and annotator), or with `history` every event."""
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


def write_csv(
    store: Store, out: TextIO, *, history: bool = False, annotator: str | None = None
) -> int:
    """Write the export to `out` (opened with newline=""); return the number of rows."""
    columns = HISTORY_COLUMNS if history else COLUMNS
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for row in rows(store, history=history, annotator=annotator):
        writer.writerow([neutralise(row[name]) for name in columns])
        count += 1
    return count
