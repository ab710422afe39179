"""The answer-key template: a CSV sheet with one row for every claim still to decide
or decided, for a teacher to fill in a spreadsheet and read back with import-verdicts.

Each claim is named twice: by its `claim_id`, and as `claim`, `article/claim` as the
library and the reader count them (`5/3`), so a row can be written by hand from what
the reader shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypedDict

from . import claims
from .database import Store

COLUMNS = (
    "article",
    "article_title",
    "claim",
    "claim_id",
    "text",
    "verdict",
    "note",
    "evidence_url",
)


class TemplateRow(TypedDict):
    """One claim of the template, keyed by COLUMNS.

    `article`: the article's number (its id); `article_title`: its title as stored;
    `claim`: "A/N", claim N of article A in text order as the reader counts (dismissed
    and orphaned claims count in N); `claim_id`: the claim's database id; `text`: the
    claim as stored; `verdict`, `note` and `evidence_url`: the annotator's current
    ones, None where they have none."""

    article: int
    article_title: str
    claim: str
    claim_id: int
    text: str
    verdict: str | None
    note: str | None
    evidence_url: str | None


def rows(store: Store, annotator: str) -> Iterator[TemplateRow]:
    """One TemplateRow per claim neither dismissed nor orphaned, by article number then
    in text order, with the current verdict, note and link of `annotator` (a name as
    stored: `gate.annotator` normalises it)."""
    numbers = claims.numbers(store)
    sql = """
        SELECT a.id AS article, a.title AS article_title, c.id AS claim_id, c.text,
               v.verdict, v.note, v.evidence_url
        FROM claims c
        JOIN articles a ON a.id = c.article_id
        LEFT JOIN current_verdicts v ON v.claim_id = c.id AND v.annotator = :annotator
        WHERE NOT c.dismissed AND NOT c.orphaned
        ORDER BY a.id, c.start, c."end"
    """
    for row in store.conn.execute(sql, {"annotator": annotator}):
        article, number = numbers[row["claim_id"]]
        yield TemplateRow(**row, claim=f"{article}/{number}")  # type: ignore[typeddict-item]
