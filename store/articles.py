"""Articles in the database: adding them once, and the lists the reader needs."""

from __future__ import annotations

import json
from dataclasses import asdict

from factmark.corpus.article import Article

from .database import Store, utc_now


def add(store: Store, article: Article) -> tuple[int, bool]:
    """Store `article` unless the same bytes are already there; return (id, added)."""
    existing = find_by_sha256(store, article.sha256)
    if existing is not None:
        return existing, False
    row = asdict(article)
    row["extra"] = json.dumps(row["extra"], ensure_ascii=False, sort_keys=True)
    row["imported_at"] = utc_now()
    with store.write() as db:
        return db["articles"].insert(row).last_rowid, True


def find_by_sha256(store: Store, sha256: str) -> int | None:
    row = store.conn.execute("SELECT id FROM articles WHERE sha256 = ?", [sha256]).fetchone()
    return row[0] if row else None


def get(store: Store, article_id: int) -> dict | None:
    row = store.conn.execute("SELECT * FROM articles WHERE id = ?", [article_id]).fetchone()
    return dict(row) if row else None


def listing(store: Store, annotator: str | None = None) -> list[dict]:
    """Every article with its claim count and, for `annotator`, how many are decided."""
    sql = """
        SELECT a.id, a.path, a.title, a.published, a.source, a.language,
               count(c.id) AS claims,
               count(cv.verdict) AS decided
        FROM articles a
        LEFT JOIN claims c ON c.article_id = a.id AND c.dismissed = 0
        LEFT JOIN current_verdicts cv ON cv.claim_id = c.id AND cv.annotator = :annotator
        GROUP BY a.id ORDER BY a.id
    """
    return [dict(r) for r in store.conn.execute(sql, {"annotator": annotator})]
