"""Articles in the database as the reader and the library see them: read and listed.
Storing them (and re-anchoring claims when one is edited) is `article_saving`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from .database import Store


class StoredArticle(TypedDict):
    """An article as stored: every text field cleaned by the gate; `published` as
    given by the source, `imported_at` ISO 8601 UTC; `extra` a JSON object; `author`
    the byline's name(s), NULL when none was found (or imported before bylines were
    read)."""

    id: int
    path: str
    title: str
    published: str | None
    source: str | None
    language: str
    text: str
    sha256: str
    url: str | None
    external_id: str | None
    extra: str
    imported_at: str
    author: str | None


class StoredRegion(TypedDict):
    """A span of an article's text of one kind (title, caption, boilerplate, loaded,
    another language...): offsets into the text."""

    start: int
    end: int
    kind: str
    language: str | None


class ArticleListing(TypedDict):
    """One article's row in the library: its stored fields the library shows, with
    `claims` (the claims not dismissed or orphaned), `decided` (those with a current
    verdict of the annotator asked for) and that annotator's count of each verdict."""

    id: int
    path: str
    title: str
    published: str | None
    source: str | None
    language: str
    claims: int
    decided: int
    verified: int
    disputed: int
    unsourced: int


UNTITLED = "(untitled)"


def find_by_sha256(store: Store, sha256: str) -> int | None:
    """The id of the article whose text has this SHA-256 (hex), or None."""
    row = store.conn.execute("SELECT id FROM articles WHERE sha256 = ?", [sha256]).fetchone()
    return row[0] if row else None


def exists(store: Store, article_id: int) -> bool:
    """True when an article has this id."""
    return (
        store.conn.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone()
        is not None
    )


def get(store: Store, article_id: int) -> StoredArticle | None:
    """The article with this id as stored, or None when there is none."""
    row = store.conn.execute("SELECT * FROM articles WHERE id = ?", [article_id]).fetchone()
    return StoredArticle(**row) if row else None  # type: ignore[typeddict-item]


def ids(store: Store) -> list[int]:
    """Every article's id, in number order."""
    return [r[0] for r in store.conn.execute("SELECT id FROM articles ORDER BY id")]


def regions(store: Store, article_id: int) -> list[StoredRegion]:
    """The article's regions (titles, captions, boilerplate...), by start offset."""
    rows = store.conn.execute(
        'SELECT start, "end", kind, language FROM regions WHERE article_id = ? ORDER BY start',
        [article_id],
    )
    return [StoredRegion(**r) for r in rows]  # type: ignore[typeddict-item]


def listing(
    store: Store, annotator: str | None = None, ids: Sequence[int] | None = None
) -> list[ArticleListing]:
    """Every article (or those of `ids`) with its claim count and, for `annotator`,
    verdicts by kind, in id order."""
    where = f"WHERE a.id IN ({', '.join('?' * len(ids))})" if ids is not None else ""
    sql = f"""
        SELECT a.id, a.path, a.title, a.published, a.source, a.language,
               count(c.id) AS claims,
               count(cv.verdict) AS decided,
               count(CASE WHEN cv.verdict = 'verified' THEN 1 END) AS verified,
               count(CASE WHEN cv.verdict = 'disputed' THEN 1 END) AS disputed,
               count(CASE WHEN cv.verdict = 'unsourced' THEN 1 END) AS unsourced
        FROM articles a
        LEFT JOIN claims c ON c.article_id = a.id AND c.dismissed = 0 AND c.orphaned = 0
        LEFT JOIN current_verdicts cv ON cv.claim_id = c.id AND cv.annotator = ?
        {where}
        GROUP BY a.id ORDER BY a.id
    """
    rows = store.conn.execute(sql, [annotator, *(ids or ())])
    return [ArticleListing(**r) for r in rows]  # type: ignore[typeddict-item]
