"""Counts for `factmark stats`: how far the reading of a corpus has got."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from itertools import pairwise
from statistics import median

from .database import Store, parse_timestamp
from .verdicts import VERDICTS

# A gap longer than this between two verdicts is a break, not time spent on a claim.
SESSION_GAP_S = 15 * 60


@dataclass(frozen=True, slots=True)
class TimePerClaim:
    """Median seconds an annotator spent per decided claim, one decimal: `corpus` over
    every article (None when no verdict followed another within SESSION_GAP_S), and
    `per_article`, article id -> seconds, for the articles that have a figure.

    Each gap counted is the time between two events of the same annotator, one after
    the other, that leave a verdict in place (a verdict set, or a note or link changed
    on a decided claim; clearing a verdict, undo and redo are not counted), up to
    SESSION_GAP_S; a gap belongs to the article of the later event."""

    corpus: float | None
    per_article: Mapping[int, float]


@dataclass(frozen=True, slots=True)
class ArticleStats:
    """One article's row of `factmark stats`.

    `id`, `title` and `language` (a BCP 47 code, "und" when unknown) as stored;
    `claims`: its claims not dismissed (orphans included); `verdicts`: the current
    verdicts of every annotator (answer keys included) on any of its claims (dismissed
    and orphaned ones included), and `verified`, `disputed`, `unsourced`: those of each
    kind; `annotators`: how many annotators hold one; `median_seconds_per_claim`:
    TimePerClaim's figure for the article, None when it has none."""

    id: int
    title: str
    language: str
    claims: int
    verdicts: int
    verified: int
    disputed: int
    unsourced: int
    annotators: int
    median_seconds_per_claim: float | None


@dataclass(frozen=True, slots=True)
class Summary:
    """What `factmark stats` shows: the corpus's totals, then each article.

    `median_seconds_per_claim`: TimePerClaim's `corpus` (seconds, None when there is no
    figure); `articles`; `claims`: claims not dismissed; `annotators`: every annotator
    the database knows, answer keys included; `events`: the verdict log's events (a
    verdict, note or link set or cleared, an undo, a redo); `verdicts`: verdict -> how
    many current verdicts of that kind, on any claim, every verdict of VERDICTS a key
    (0 when none); `per_article`: one ArticleStats per article, by id."""

    median_seconds_per_claim: float | None
    articles: int
    claims: int
    annotators: int
    events: int
    verdicts: Mapping[str, int]
    per_article: tuple[ArticleStats, ...]

    def as_dict(self) -> dict[str, object]:
        """The figures as `factmark stats --format json` gives them: the fields as keys
        in this order, each article a dict of ArticleStats' fields."""
        return asdict(self)


def time_per_claim(store: Store) -> TimePerClaim:
    """Median seconds an annotator spent per decided claim, for the corpus and per
    article (see TimePerClaim).

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
    corpus = gaps.pop(None)
    return TimePerClaim(
        corpus=round(median(corpus), 1) if corpus else None,
        per_article={k: round(median(v), 1) for k, v in gaps.items() if k is not None},
    )


def summary(store: Store) -> Summary:
    """Corpus totals, and per article: claims and current verdicts of all annotators
    (see Summary). Never raises on what the verdict log holds."""
    one = lambda sql: store.conn.execute(sql).fetchone()[0]  # noqa: E731
    counts = dict.fromkeys(VERDICTS, 0)
    for verdict, n in store.conn.execute(
        "SELECT verdict, count(*) FROM current_verdicts WHERE verdict IS NOT NULL GROUP BY verdict"
    ):
        counts[verdict] = n
    timing = time_per_claim(store)
    per_article = tuple(
        ArticleStats(**row, median_seconds_per_claim=timing.per_article.get(row["id"]))
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
    )
    return Summary(
        median_seconds_per_claim=timing.corpus,
        articles=one("SELECT count(*) FROM articles"),
        claims=one("SELECT count(*) FROM claims WHERE NOT dismissed"),
        annotators=one("SELECT count(*) FROM annotators"),
        events=one("SELECT count(*) FROM verdicts"),
        verdicts=counts,
        per_article=per_article,
    )
