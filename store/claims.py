"""Claims: spans of an article's text that a reader may check."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache

from factmark.corpus.anchoring import quote
from factmark.corpus.article import Claim

from . import gate
from .database import Store, utc_now
from .errors import StoreError

ORIGINS = ("detector", "reader")


def add(
    store: Store,
    article_id: int,
    start: int,
    end: int,
    *,
    origin: str = "detector",
    score: float | None = None,
    cues: Sequence[str] = (),
    attributed: bool | None = None,
    source: str | None = None,
    vague_source: bool | None = None,
) -> int:
    """Add the claim text[start:end] of an article and return its id."""
    if origin not in ORIGINS:
        raise StoreError(f"unknown claim origin {origin!r}")
    row = store.conn.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        raise StoreError(f"no article {article_id}")
    text = row[0]
    if not 0 <= start < end <= len(text):
        raise StoreError(f"claim {start}-{end} is outside article {article_id}")
    selector = quote(text, start, end)  # kept to find the claim again in an edited text
    with store.write() as db:
        return (
            db["claims"]
            .insert(
                {
                    "article_id": article_id,
                    "start": start,
                    "end": end,
                    "text": selector.exact,
                    "prefix": selector.prefix,
                    "suffix": selector.suffix,
                    "score": score,
                    "origin": origin,
                    "cues": json.dumps(list(cues)),
                    "attributed": attributed,
                    "source": gate.field(source),
                    "vague_source": vague_source,
                    "created_at": utc_now(),
                }
            )
            .last_rowid
        )


def for_article(store: Store, article_id: int) -> list[dict]:
    rows = store.conn.execute(
        'SELECT * FROM claims WHERE article_id = ? ORDER BY start, "end"', [article_id]
    )
    return [dict(r) for r in rows]


def get(store: Store, claim_id: int) -> dict | None:
    row = store.conn.execute("SELECT * FROM claims WHERE id = ?", [claim_id]).fetchone()
    return dict(row) if row else None


_DETECTED_COLUMNS = (
    "article_id",
    "start",
    "end",
    "text",
    "prefix",
    "suffix",
    "score",
    "origin",
    "cues",
    "attributed",
    "source",
    "vague_source",
    "created_at",
)
_INSERT_DETECTED = (
    f"INSERT OR IGNORE INTO claims ({', '.join(repr(c) for c in _DETECTED_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_DETECTED_COLUMNS))})"
)


@lru_cache(maxsize=4096)
def _cues_json(cues: tuple[str, ...]) -> str:
    """Claims share a few cue lists: each is encoded once, not once per claim."""
    return json.dumps(list(cues))


def add_detected(store: Store, article_id: int, text: str, detected: Sequence[Claim]) -> int:
    """Store the detector's claims of an article; a span already there is kept as is.
    Returns how many were added."""
    with store.write():
        return insert_detected(store, article_id, text, detected)


def insert_detected(store: Store, article_id: int, text: str, detected: Sequence[Claim]) -> int:
    """`add_detected` inside a write the caller holds already (one article's import),
    where a nested savepoint would cost as much as the article's regions.

    A plain `executemany`: on the import hot path, sqlite-utils' per-value checks cost
    four times the insert itself (measured)."""
    now = utc_now()
    rows = []
    for claim in detected:
        selector = quote(text, claim.start, claim.end)
        rows.append(
            (
                article_id,
                claim.start,
                claim.end,
                selector.exact,
                selector.prefix,
                selector.suffix,
                claim.score,
                "detector",
                _cues_json(tuple(claim.cues)),
                claim.attributed,
                gate.field(claim.source),
                claim.vague_source,
                now,
            )
        )
    # rowcount: the rows this statement added; total_changes would count what triggers
    # (a full-text index, say) add too.
    return store.conn.executemany(_INSERT_DETECTED, rows).rowcount


def drop_unjudged_detections(store: Store, article_id: int) -> int:
    """Remove detector claims nobody has judged: they are detected again from the text.

    Claims with a verdict, claims a reader dismissed and claims a reader added hold a
    reader's work: they are never removed.
    """
    with store.write() as db:
        cursor = db.conn.execute(
            "DELETE FROM claims WHERE article_id = ? AND origin = 'detector' AND NOT dismissed "
            "AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = claims.id)",
            [article_id],
        )
        return cursor.rowcount


def with_verdicts(store: Store, article_id: int, annotator: str) -> list[dict]:
    """The article's claims in text order, each with `annotator`'s current verdict,
    note and evidence link (None when undecided)."""
    rows = store.conn.execute(
        """
        SELECT c.*, cv.verdict, cv.note, cv.evidence_url, cv.created_at AS decided_at
        FROM claims c
        LEFT JOIN current_verdicts cv ON cv.claim_id = c.id AND cv.annotator = ?
        WHERE c.article_id = ?
        ORDER BY c.orphaned, c.start, c."end", c.id
        """,
        [annotator, article_id],
    )
    return [dict(r) for r in rows]


def set_dismissed(store: Store, claim_id: int, dismissed: bool) -> None:
    """Mark a highlight as not a claim (or restore it); its verdicts are kept."""
    with store.write() as db:
        db.conn.execute("UPDATE claims SET dismissed = ? WHERE id = ?", [int(dismissed), claim_id])
