"""Counts for `factmark stats`: how far the reading of a corpus has got."""

from __future__ import annotations

from itertools import pairwise
from statistics import median

from .database import Store, parse_timestamp
from .verdicts import VERDICTS

# A gap longer than this between two verdicts is a break, not time spent on a claim.
SESSION_GAP_S = 15 * 60


def time_per_claim(store: Store) -> dict[int | None, float | None]:
    """Median seconds an annotator spent per decided claim, per article (None: corpus).

    Read from the verdict log: the time since the same annotator's previous verdict,
    leaving out breaks. An event whose timestamp cannot be read (the log is append-only,
    and an old merge or a hand edit may have stored one) is left out. Never raises on
    what the log holds.
    """
    rows = store.conn.execute(
        """
        SELECT v.annotator, v.created_at, c.article_id FROM verdicts v
        JOIN claims c ON c.id = v.claim_id
        WHERE v.action = 'set' AND v.verdict IS NOT NULL
        ORDER BY v.annotator, v.created_at, v.rowid
        """
    ).fetchall()
    timed = [
        (row["annotator"], moment, row["article_id"])
        for row in rows
        if (moment := parse_timestamp(row["created_at"])) is not None
    ]
    gaps: dict[int | None, list[float]] = {None: []}
    for (before_by, before, _), (by, moment, article_id) in pairwise(timed):
        if before_by != by:
            continue
        gap = (moment - before).total_seconds()
        if 0 <= gap <= SESSION_GAP_S:
            gaps[None].append(gap)
            gaps.setdefault(article_id, []).append(gap)
    return {k: round(median(v), 1) if v else None for k, v in gaps.items()}


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
                   count(CASE WHEN cv.verdict = 'verified' THEN 1 END) AS verified,
                   count(CASE WHEN cv.verdict = 'disputed' THEN 1 END) AS disputed,
                   count(CASE WHEN cv.verdict = 'unsourced' THEN 1 END) AS unsourced,
                   count(DISTINCT cv.annotator) AS annotators
            FROM articles a
            LEFT JOIN claims c ON c.article_id = a.id
            LEFT JOIN current_verdicts cv ON cv.claim_id = c.id AND cv.verdict IS NOT NULL
            GROUP BY a.id ORDER BY a.id
            """
        )
    ]
    timing = time_per_claim(store)
    for row in per_article:
        row["median_seconds_per_claim"] = timing.get(row["id"])
    return {
        "median_seconds_per_claim": timing[None],
        "articles": one("SELECT count(*) FROM articles"),
        "claims": one("SELECT count(*) FROM claims WHERE NOT dismissed"),
        "annotators": one("SELECT count(*) FROM annotators"),
        "events": one("SELECT count(*) FROM verdicts"),
        "verdicts": counts,
        "per_article": per_article,
    }
