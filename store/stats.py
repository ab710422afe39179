"""Counts for `factmark stats`: how far the reading of a corpus has got."""

from __future__ import annotations

from .database import Store
from .verdicts import VERDICTS


def summary(store: Store) -> dict:
    """Corpus totals, and per article: claims and current verdicts of all annotators."""
    one = lambda sql: store.conn.execute(sql).fetchone()[0]  # noqa: E731
    counts = dict.fromkeys(VERDICTS, 0)
    for verdict, n in store.conn.execute(
        "SELECT verdict, count(*) FROM current_verdicts WHERE verdict IS NOT NULL GROUP BY verdict"
    ):
        counts[verdict] = n
    per_article = [
        dict(row)
        for row in store.conn.execute(
            """
            SELECT a.id, a.title, a.language,
                   (SELECT count(*) FROM claims c WHERE c.article_id = a.id AND NOT c.dismissed)
                       AS claims,
                   count(cv.verdict) AS verdicts,
                   count(DISTINCT cv.annotator) AS annotators
            FROM articles a
            LEFT JOIN claims c ON c.article_id = a.id
            LEFT JOIN current_verdicts cv ON cv.claim_id = c.id AND cv.verdict IS NOT NULL
            GROUP BY a.id ORDER BY a.id
            """
        )
    ]
    return {
        "articles": one("SELECT count(*) FROM articles"),
        "claims": one("SELECT count(*) FROM claims WHERE NOT dismissed"),
        "annotators": one("SELECT count(*) FROM annotators"),
        "events": one("SELECT count(*) FROM verdicts"),
        "verdicts": counts,
        "per_article": per_article,
    }
