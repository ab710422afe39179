"""Articles in the database: stored once, updated in place when edited, listed for the UI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from factmark.corpus.anchoring import Quote, locate, quote
from factmark.corpus.article import Article, Region

from . import claims
from .database import Store, utc_now
from .files import STDIN_PATH


@dataclass(frozen=True)
class Saved:
    article_id: int
    status: str  # "imported", "unchanged" or "updated"
    orphaned: int = 0  # claims with reader work that could not be found again


def save(store: Store, article: Article) -> Saved:
    """Store `article`: once per content, and as an update of the same path or id.

    An edited article (same `external_id`, else same path) keeps its id, and every claim
    holding a reader's work (a verdict, or added by a reader) is re-anchored in the new
    text; those that cannot be are kept, flagged `orphaned`. Detector claims with no
    verdict are replaced by what detection finds in the new text.
    """
    existing = find_by_sha256(store, article.sha256)
    if existing is not None:
        return Saved(existing, "unchanged")
    with store.write():
        previous = _previous_version(store, article)
        if previous is None:
            row = _row(article)  # a plain INSERT: sqlite-utils' checks cost more on import
            columns = ", ".join(row)
            article_id = store.conn.execute(
                f"INSERT INTO articles ({columns}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            ).lastrowid
            # Already inside this article's savepoint: insert directly, no nested ones.
            _insert_regions(store, article_id, article.regions)
            claims.insert_detected(store, article_id, article.text, article.claims)
            return Saved(article_id, "imported")
        store.db["articles"].update(previous, _row(article))
        replace_regions(store, previous, article.regions)
        claims.drop_unjudged_detections(store, previous)
        orphaned = _reanchor_claims(store, previous, article.text)
        claims.add_detected(store, previous, article.text, article.claims)
        return Saved(previous, "updated", orphaned)


def _row(article: Article) -> dict:
    return {
        "path": article.path,
        "title": article.title,
        "published": article.published,
        "source": article.source,
        "language": article.language,
        "text": article.text,
        "sha256": article.sha256,
        "url": article.url,
        "external_id": article.external_id,
        "extra": json.dumps(article.extra, ensure_ascii=False, sort_keys=True),
        "imported_at": utc_now(),
    }


def _previous_version(store: Store, article: Article) -> int | None:
    if article.external_id:
        sql, key = "SELECT id FROM articles WHERE external_id = ?", article.external_id
    elif article.path != STDIN_PATH:
        sql, key = "SELECT id FROM articles WHERE path = ? AND external_id IS NULL", article.path
    else:
        return None
    row = store.conn.execute(sql + " ORDER BY id DESC LIMIT 1", [key]).fetchone()
    return row[0] if row else None


def replace_regions(store: Store, article_id: int, regions: Sequence[Region]) -> None:
    with store.write() as db:
        db.conn.execute("DELETE FROM regions WHERE article_id = ?", [article_id])
        _insert_regions(store, article_id, regions)


def _insert_regions(store: Store, article_id: int, regions: Sequence[Region]) -> None:
    store.conn.executemany(
        'INSERT INTO regions (article_id, start, "end", kind, language) VALUES (?, ?, ?, ?, ?)',
        [(article_id, r.start, r.end, r.kind, r.language) for r in regions],
    )


def _reanchor_claims(store: Store, article_id: int, text: str) -> int:
    """Find every remaining claim (each holds a reader's work) in the new text."""
    orphaned = 0
    rows = store.conn.execute("SELECT * FROM claims WHERE article_id = ?", [article_id])
    for claim in rows.fetchall():
        span = locate(text, Quote(claim["text"], claim["prefix"], claim["suffix"]), claim["start"])
        if span is None:
            store.conn.execute("UPDATE claims SET orphaned = 1 WHERE id = ?", [claim["id"]])
            orphaned += 1
            continue
        q = quote(text, *span)
        store.conn.execute(
            'UPDATE claims SET start = ?, "end" = ?, text = ?, prefix = ?, suffix = ?, '
            "orphaned = 0 WHERE id = ?",
            [span[0], span[1], q.exact, q.prefix, q.suffix, claim["id"]],
        )
    return orphaned


def find_by_sha256(store: Store, sha256: str) -> int | None:
    row = store.conn.execute("SELECT id FROM articles WHERE sha256 = ?", [sha256]).fetchone()
    return row[0] if row else None


def get(store: Store, article_id: int) -> dict | None:
    row = store.conn.execute("SELECT * FROM articles WHERE id = ?", [article_id]).fetchone()
    return dict(row) if row else None


def regions(store: Store, article_id: int) -> list[dict]:
    rows = store.conn.execute(
        'SELECT start, "end", kind, language FROM regions WHERE article_id = ? ORDER BY start',
        [article_id],
    )
    return [dict(r) for r in rows]


def listing(store: Store, annotator: str | None = None) -> list[dict]:
    """Every article with its claim count and, for `annotator`, verdicts by kind."""
    sql = """
        SELECT a.id, a.path, a.title, a.published, a.source, a.language,
               count(c.id) AS claims,
               count(cv.verdict) AS decided,
               count(CASE WHEN cv.verdict = 'verified' THEN 1 END) AS verified,
               count(CASE WHEN cv.verdict = 'disputed' THEN 1 END) AS disputed,
               count(CASE WHEN cv.verdict = 'unsourced' THEN 1 END) AS unsourced
        FROM articles a
        LEFT JOIN claims c ON c.article_id = a.id AND c.dismissed = 0 AND c.orphaned = 0
        LEFT JOIN current_verdicts cv ON cv.claim_id = c.id AND cv.annotator = :annotator
        GROUP BY a.id ORDER BY a.id
    """
    return [dict(r) for r in store.conn.execute(sql, {"annotator": annotator})]
