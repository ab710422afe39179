"""What an export holds: claims, each with its article and its annotators' verdicts, in
the CSV's order. Every format but the CSV of current verdicts is written from these
(`jsonl_export`, `web_annotation`, `claim_review`, and the CSV with `--all`).

Which claims: those an annotator holds something about (a verdict, a note or a link;
with `history`, any event, cleared ones too), of `annotator` alone when one is given,
as the CSV export; and with `every`, each claim besides that has not lost its place in
its article (not orphaned), decided or not, dismissed ones too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypedDict

from . import claims
from .claims import IMPORTED_CUE, StoredClaim
from .database import Store
from .verdicts import VerdictEvent

# Where a claim comes from, as the exports name it: the detector found it, a reader
# added it in factmark, or another annotation tool labelled it (see corpus/json_formats.py).
ORIGINS = ("detector", "reader", "imported")


class ArticleFields(TypedDict):
    """The article a claim is in, as stored (every text field cleaned by the gate): its
    `id` (the number the library shows), `path` (the file it was imported from),
    `title`, `url` (its own web link, None when it has none), `sha256` (hex SHA-256 of
    the file's bytes, or of the record for a JSON one), `language` (BCP 47, "und" when
    unknown), `published` (as the source gave it, None when unknown), `source` (the
    publication) and `author` (the byline), None where unknown, and `external_id` (its
    id in a JSON file of many)."""

    id: int
    path: str
    title: str
    url: str | None
    sha256: str
    language: str
    published: str | None
    source: str | None
    author: str | None
    external_id: str | None


_ARTICLE_COLUMNS = tuple(ArticleFields.__annotations__)
_EVENT_COLUMNS = tuple(VerdictEvent.__annotations__)


@dataclass(frozen=True, slots=True)
class AnnotatorVerdict:
    """What one annotator holds about a claim. `current`: their newest event, whose
    `verdict`, `note` and `evidence_url` are what they hold now (each None once cleared)
    and `created_at` when it was made; `since`: when they first touched the claim (their
    first event); both ISO 8601 UTC as `database.utc_now` writes it. `history`: every
    event of theirs on the claim, oldest first, when the export asked for it (else ())."""

    annotator: str
    current: VerdictEvent
    since: str
    history: tuple[VerdictEvent, ...] = ()


@dataclass(frozen=True, slots=True)
class ExportedClaim:
    """A claim as the exports write it: its `article`, the `claim` as stored (offsets
    index the article's text, in code points; an orphan's lie past its end), and each
    annotator's verdict, by name."""

    article: ArticleFields
    claim: StoredClaim
    verdicts: tuple[AnnotatorVerdict, ...]

    @property
    def origin(self) -> str:
        """One of ORIGINS: "imported" for a claim a reader brought from another tool."""
        claim = self.claim
        if claim["origin"] != "reader":
            return claim["origin"]
        imported = any(str(cue).startswith(IMPORTED_CUE) for cue in claim["cues"])
        return "imported" if imported else "reader"

    @property
    def placed(self) -> bool:
        """Whether `claim`'s offsets index its article's text: not orphaned, and whole
        numbers (a database edited by hand may hold anything)."""
        start, end = self.claim["start"], self.claim["end"]
        return (
            not self.claim["orphaned"]
            and type(start) is int
            and type(end) is int
            and 0 <= start < end
        )


def exported_claims(
    store: Store,
    *,
    every: bool = False,
    annotator: str | None = None,
    history: bool = False,
) -> Iterator[ExportedClaim]:
    """The export's claims (see the module's docstring), by article id, then in text
    order (start, then id), each one's verdicts by annotator: read in one statement, so
    from one state of the database, and streamed. `annotator` is a name as stored
    (`gate.annotator` normalises it). Raises what SQLite raises (sqlite3.Error)."""
    source = "verdicts" if history else "current_verdicts"
    since = (
        "NULL"
        if history
        else "(SELECT min(w.created_at) FROM verdicts w"
        " WHERE w.claim_id = v.claim_id AND w.annotator = v.annotator)"
    )
    held = "" if history else " AND coalesce(v.verdict, v.note, v.evidence_url) IS NOT NULL"
    sql = f"""
        SELECT {claims.stored_columns("c")},
               {", ".join(f"a.{name}" for name in _ARTICLE_COLUMNS)},
               {", ".join(f"v.{name}" for name in _EVENT_COLUMNS)}, {since}
        FROM claims c JOIN articles a ON a.id = c.article_id
        LEFT JOIN {source} v ON v.claim_id = c.id
             AND (:annotator IS NULL OR v.annotator = :annotator){held}
        WHERE v.claim_id IS NOT NULL OR (:every AND NOT c.orphaned)
        ORDER BY a.id, c.start, c.id, v.annotator, v.created_at, v.rowid
    """
    cursor = store.conn.cursor()
    cursor.row_factory = None  # plain tuples
    cursor.execute(sql, {"annotator": annotator, "every": every})
    article: ArticleFields | None = None
    claim: StoredClaim | None = None
    events: list[VerdictEvent] = []
    firsts: list[str] = []
    for row in cursor:
        if claim is None or row[0] != claim["id"]:
            if claim is not None and article is not None:
                yield ExportedClaim(article, claim, _verdicts(events, firsts, history))
            if article is None or row[_CLAIM_END] != article["id"]:
                article = _article(row[_CLAIM_END:_ARTICLE_END])
            claim = claims.stored(row[:_CLAIM_END])
            events, firsts = [], []
        if row[_ARTICLE_END + 1] is not None:  # a verdict event's claim id: it has one
            events.append(_event(row[_ARTICLE_END:_EVENT_END]))
            firsts.append(row[_EVENT_END])
    if claim is not None and article is not None:
        yield ExportedClaim(article, claim, _verdicts(events, firsts, history))


# Where each part of a row ends: the claim's columns, the article's, the event's.
_CLAIM_END = len(claims.STORED_COLUMNS)
_ARTICLE_END = _CLAIM_END + len(_ARTICLE_COLUMNS)
_EVENT_END = _ARTICLE_END + len(_EVENT_COLUMNS)


def _article(values: tuple) -> ArticleFields:
    return ArticleFields(**dict(zip(_ARTICLE_COLUMNS, values, strict=True)))  # type: ignore[typeddict-item]


def _event(values: tuple) -> VerdictEvent:
    return VerdictEvent(**dict(zip(_EVENT_COLUMNS, values, strict=True)))  # type: ignore[typeddict-item]


def _verdicts(
    events: list[VerdictEvent], firsts: list[str], history: bool
) -> tuple[AnnotatorVerdict, ...]:
    """Each annotator's verdict from a claim's events: with `history`, every event of
    each annotator, oldest first; else each one's current event, with `firsts` the time
    of their first."""
    if not history:
        return tuple(
            AnnotatorVerdict(event["annotator"], event, first)
            for event, first in zip(events, firsts, strict=True)
        )
    found: dict[str, list[VerdictEvent]] = {}
    for event in events:
        found.setdefault(event["annotator"], []).append(event)
    return tuple(
        AnnotatorVerdict(name, log[-1], log[0]["created_at"], tuple(log))
        for name, log in found.items()
    )
