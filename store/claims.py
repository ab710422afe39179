"""Claims: spans of an article's text that a reader may check."""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypedDict

from factmark.corpus.anchoring import quote
from factmark.corpus.article import Claim, Label
from factmark.corpus.vocabulary import DISMISSED, PENDING

from . import classroom, gate
from .database import Store, utc_now
from .errors import StoreError

ORIGINS = ("detector", "reader")
# The cues of a claim another annotation tool labelled (origin "reader"): the tool,
# then each label it was given, as "imported:doccano", "label:CLAIM".
IMPORTED_CUE, LABEL_CUE = "imported:", "label:"


class StoredClaim(TypedDict):
    """A claim as stored: every column of the `claims` table, decoded.

    `start`/`end`: Python str indices into the article's text (text[start:end] is the
    claim), an orphan's lying past its end; `text`: the claim's words as they were
    stored, and `prefix`, `suffix`: the few characters either side, together the
    quote that finds the claim again in an edited text; `score`: the detector's
    check-worthiness in [0, 1], None for a claim a reader added; `origin`: "detector"
    or "reader" (ORIGINS); `dismissed`: a reader said it is not a claim; `cues`: the
    detector's reasons (see corpus/cues.py), or for a claim another tool labelled
    `IMPORTED_CUE` + tool then `LABEL_CUE` + each label, decoded from the stored JSON
    (unreadable JSON: no cues); `attributed`: whether the detector found the claim
    attributed to someone, `source`: to whom, `vague_source`: whether no one
    identifiable is named (None where unknown, as for a claim a reader added);
    `created_at`: when it was stored, ISO 8601 UTC text as `database.utc_now` writes
    it; `orphaned`: it lost its place when the article was edited (its verdicts are
    kept)."""

    id: int
    article_id: int
    start: int
    end: int
    text: str
    prefix: str
    suffix: str
    score: float | None
    origin: str
    dismissed: bool
    cues: tuple[str, ...]
    attributed: bool | None
    source: str | None
    vague_source: bool | None
    created_at: str
    orphaned: bool


@dataclass(slots=True)
class AnnotatedClaim:
    """A claim with one annotator's current verdict, note and evidence link.

    `start`/`end` are offsets in the article text (an orphan's lie past its end);
    `cues` are the detector's reasons (see corpus/cues.py), decoded; `score` its
    check-worthiness in [0, 1], None for a claim a reader added.
    """

    id: int
    article_id: int
    start: int
    end: int
    text: str
    score: float | None
    origin: str
    cues: tuple[str, ...]
    attributed: bool | None
    source: str | None
    vague_source: bool | None
    dismissed: bool
    orphaned: bool
    verdict: str | None = None
    note: str | None = None
    evidence_url: str | None = None

    @property
    def state(self) -> str:
        """The state a glyph shows: "dismissed", the verdict, or "pending"."""
        return DISMISSED if self.dismissed else self.verdict or PENDING


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
    """Add the claim text[start:end] of an article and return its id.

    Claims never overlap and never cross a paragraph (a line break): a span that would
    raises StoreError, as does one outside the text or of an unknown article, an
    origin not in ORIGINS, and any claim in a class copy (the claims are the
    teacher's there)."""
    if origin not in ORIGINS:
        raise StoreError(f"unknown claim origin {origin!r}")
    classroom.refuse_in_copy(store, "adding a claim")
    row = store.conn.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        raise StoreError(f"no article {article_id}")
    text = row[0]
    if not 0 <= start < end <= len(text):
        raise StoreError(f"claim {start}-{end} is outside article {article_id}")
    if "\n" in text[start:end]:
        raise StoreError(f"claim {start}-{end} crosses a paragraph of article {article_id}")
    taken = store.conn.execute(
        'SELECT id FROM claims WHERE article_id = ? AND start < ? AND "end" > ? AND NOT orphaned',
        [article_id, end, start],
    ).fetchone()
    if taken is not None:
        raise StoreError(f"claim {start}-{end} overlaps claim {taken[0]} of article {article_id}")
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


# Every column of `claims`, in the order `stored` decodes them.
STORED_COLUMNS = (
    "id", "article_id", "start", "end", "text", "prefix", "suffix", "score", "origin",
    "dismissed", "cues", "attributed", "source", "vague_source", "created_at", "orphaned",
)  # fmt: skip


def stored_columns(table: str = "claims") -> str:
    """STORED_COLUMNS as SQL, each of `table` (a name or an alias: "c")."""
    return ", ".join(f'{table}."{name}"' for name in STORED_COLUMNS)


_STORED = f"SELECT {stored_columns()} FROM claims"


def for_article(store: Store, article_id: int) -> list[StoredClaim]:
    """Every claim of an article (dismissed and orphaned ones too), in text order; none
    for an unknown article."""
    rows = store.conn.execute(f'{_STORED} WHERE article_id = ? ORDER BY start, "end"', [article_id])
    return [stored(r) for r in rows]


def get(store: Store, claim_id: int) -> StoredClaim | None:
    """One claim, None for an unknown id."""
    row = store.conn.execute(f"{_STORED} WHERE id = ?", [claim_id]).fetchone()
    return stored(row) if row else None


def stored(r: Sequence) -> StoredClaim:
    """A StoredClaim from a row of STORED_COLUMNS, in their order."""
    return StoredClaim(
        id=r[0], article_id=r[1], start=r[2], end=r[3], text=r[4], prefix=r[5],
        suffix=r[6], score=r[7], origin=r[8], dismissed=bool(r[9]), cues=decode_cues(r[10]),
        attributed=_flag(r[11]), source=r[12], vague_source=_flag(r[13]), created_at=r[14],
        orphaned=bool(r[15]),
    )  # fmt: skip


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
_INSERT_MANY = (
    f"INSERT OR IGNORE INTO claims ({', '.join(repr(c) for c in _DETECTED_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_DETECTED_COLUMNS))})"
)


@lru_cache(maxsize=4096)
def _cues_json(cues: tuple[str, ...]) -> str:
    """Claims share a few cue lists: each is encoded once, not once per claim."""
    return json.dumps(list(cues))


def add_detected(store: Store, article_id: int, text: str, detected: Sequence[Claim]) -> int:
    """Store the detector's claims of an article (whose text is `text`); a span
    already there, or overlapping a claim there, is kept as is. Returns how many were
    added."""
    with store.write():
        return insert_detected(store, article_id, text, detected)


def insert_detected(store: Store, article_id: int, text: str, detected: Sequence[Claim]) -> int:
    """`add_detected` inside a write the caller holds already (one article's import),
    where a nested savepoint would cost as much as the article's regions. Returns how
    many were added.

    A plain `executemany`: on the import hot path, sqlite-utils' per-value checks cost
    four times the insert itself (measured)."""
    now = utc_now()
    rows = []
    kept = _placed_spans(store, article_id)
    for claim in detected:
        if kept and _overlaps(kept, claim.start, claim.end):
            continue  # claims never overlap: a kept claim (a reader's work) wins
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
    return store.conn.executemany(_INSERT_MANY, rows).rowcount


def insert_labelled(store: Store, article_id: int, text: str, labels: Sequence[Label]) -> int:
    """Store the spans another tool labelled in an article as claims a reader added
    (origin "reader", no score; cues `IMPORTED_CUE` + tool, then `LABEL_CUE` + each name),
    inside a write the caller holds, before the detector's claims (which then yield
    to them). `labels` do not overlap one another (corpus/json_formats.py).

    A span that is a claim already is not added again; one that overlaps a claim of
    the article (a reader's, kept from an earlier version) is not added: returns how
    many were not."""
    kept = _placed_spans(store, article_id)
    there = set(kept)
    now = utc_now()
    rows, refused = [], 0
    for label in labels:
        if (label.start, label.end) in there:
            continue
        if kept and _overlaps(kept, label.start, label.end):
            refused += 1
            continue
        selector = quote(text, label.start, label.end)
        names = (gate.field(name) for name in label.names)
        cues = (f"{IMPORTED_CUE}{label.tool}", *(f"{LABEL_CUE}{name}" for name in names if name))
        rows.append(
            (
                article_id,
                label.start,
                label.end,
                selector.exact,
                selector.prefix,
                selector.suffix,
                None,
                "reader",
                json.dumps(cues),
                None,
                None,
                None,
                now,
            )
        )
    store.conn.executemany(_INSERT_MANY, rows)
    return refused


def _placed_spans(store: Store, article_id: int) -> list[tuple[int, int]]:
    """The (start, end) of the article's claims in its text, sorted."""
    rows = store.conn.execute(
        'SELECT start, "end" FROM claims WHERE article_id = ? AND NOT orphaned ORDER BY start',
        [article_id],
    )
    return [(start, end) for start, end in rows]


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when [start, end) overlaps one of `spans` (sorted, not overlapping)."""
    at = bisect_left(spans, (end,))
    return at > 0 and spans[at - 1][1] > start


def drop_unjudged_detections(store: Store, article_id: int) -> int:
    """Remove detector claims nobody has judged: they are detected again from the text.
    Returns how many were removed.

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


@dataclass(slots=True)
class Positions:
    """Where an article's claims are, as parallel columns in text order (orphans,
    whose offsets lie past the end of the text, last): what a reader needs of every
    claim to draw the article; the rest is read claim by claim (`in_range`)."""

    ids: list[int]
    starts: list[int]
    ends: list[int]
    dismissed: list[bool]
    orphaned: list[bool]


def positions(store: Store, article_id: int) -> Positions:
    """Every claim's id, offsets and flags, in two queries on indexes: the claims'
    (article, start, end) index, read as JSON arrays (a third of the time of one row
    per claim, measured on 150,000 claims), and the few dismissed or orphaned claims
    (a partial index)."""
    row = store.conn.execute(
        'SELECT json_group_array(id), json_group_array(start), json_group_array("end") '
        'FROM (SELECT id, start, "end" FROM claims WHERE article_id = ? ORDER BY start, "end")',
        [article_id],
    ).fetchone()
    ids, starts, ends = (json.loads(column) for column in row)
    dismissed, orphaned = [False] * len(ids), [False] * len(ids)
    flagged = store.conn.execute(
        "SELECT id, dismissed, orphaned FROM claims "
        "WHERE article_id = ? AND (dismissed OR orphaned)",
        [article_id],
    ).fetchall()
    if flagged:
        at = {claim_id: i for i, claim_id in enumerate(ids)}
        for claim_id, is_dismissed, is_orphaned in flagged:
            dismissed[at[claim_id]], orphaned[at[claim_id]] = bool(is_dismissed), bool(is_orphaned)
    return Positions(ids, starts, ends, dismissed, orphaned)


def in_range(store: Store, article_id: int, start: int, end: int) -> list[AnnotatedClaim]:
    """The article's claims that start in [start, end), in text order, without any
    annotator's verdict (the caller knows those from the verdict log)."""
    rows = store.conn.execute(
        """
        SELECT id, article_id, start, "end", text, score, origin, cues, attributed, source,
               vague_source, dismissed, orphaned
        FROM claims WHERE article_id = ? AND start >= ? AND start < ? ORDER BY start, "end"
        """,
        [article_id, start, end],
    )
    return [_annotated(r) for r in rows]


def _annotated(r: tuple) -> AnnotatedClaim:
    return AnnotatedClaim(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], decode_cues(r[7]), _flag(r[8]), r[9],
        _flag(r[10]), bool(r[11]), bool(r[12]),
    )  # fmt: skip


def numbers(
    store: Store, articles: int | Iterable[int] | None = None
) -> dict[int, tuple[int, int]]:
    """claim id -> (article number, claim number), as the library and the reader show
    them (`5/18` is claim 5 of article 5's 18 in the reader's counter): the article
    number is the article's id, the claim number its 1-based place among all the
    article's claims in text order (dismissed and orphaned ones count, as in the
    reader). One article (an id), several (an iterable of ids: one query whatever
    their number), or every article with None."""
    sql = (
        'SELECT id, article_id, row_number() OVER (PARTITION BY article_id ORDER BY start, "end") '
        "FROM claims"
    )
    params: list[int | str] = []
    if isinstance(articles, int):
        sql += " WHERE article_id = ?"
        params.append(articles)
    elif articles is not None:
        sql += " WHERE article_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(sorted(set(articles))))
    return {r[0]: (r[1], r[2]) for r in store.conn.execute(sql, params)}


def by_number(store: Store, article_id: int, number: int) -> int | None:
    """The id of claim `number` (1-based, text order) of an article, None if none."""
    if number < 1:
        return None
    row = store.conn.execute(
        'SELECT id FROM claims WHERE article_id = ? ORDER BY start, "end" LIMIT 1 OFFSET ?',
        [article_id, number - 1],
    ).fetchone()
    return row[0] if row else None


def article_of(store: Store, claim_id: int) -> int | None:
    """The id of the article a claim belongs to (None for an unknown claim)."""
    row = store.conn.execute("SELECT article_id FROM claims WHERE id = ?", [claim_id]).fetchone()
    return row[0] if row else None


@lru_cache(maxsize=4096)
def decode_cues(stored: str | None) -> tuple[str, ...]:
    """The cue list as stored (JSON); anything unreadable is no cues."""
    try:
        cues = json.loads(stored or "[]")
    except ValueError:
        return ()
    return tuple(str(c) for c in cues) if isinstance(cues, list) else ()


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def set_dismissed(store: Store, claim_id: int, dismissed: bool) -> None:
    """Mark a highlight as not a claim (or restore it); its verdicts are kept. Raises
    StoreError in a class copy, where the claims are the teacher's."""
    classroom.refuse_in_copy(store, "dismissing a claim")
    with store.write() as db:
        db.conn.execute("UPDATE claims SET dismissed = ? WHERE id = ?", [int(dismissed), claim_id])
