"""The JSON Lines export (`factmark export --format jsonl`): one JSON object per claim,
with its article, what the detector found, where it comes from, and each annotator's
verdict, note and evidence link. JSON Lines: https://jsonlines.org/ (UTF-8, one JSON
value per line, LF line ends); the text is written by `json_output`.

A line, shortened (README.md, "Export", says what each field means):

    {"article": {"id": 1, "title": "...", "url": null, "path": "...", "sha256": "fe6d...",
     "language": "fr", "published": "2020-09-27", "source": null, "author": null,
     "external_id": null},
     "claim": {"id": 3, "start": 120, "end": 187, "text": "...", "prefix": "...",
     "suffix": "...", "score": 0.82, "cues": ["number", "attributed"], "attributed": true,
     "source": "l'Insee", "vague_source": false, "origin": "detector",
     "dismissed": false, "orphaned": false, "created_at": "2026-01-05T10:00:00.000000Z"},
     "verdicts": [{"annotator": "alice", "verdict": "disputed", "note": "...",
     "evidence_url": "https://...", "decided_at": "2026-01-05T10:02:11.000000Z",
     "event_id": "..."}]}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO, TypedDict

from . import json_output
from .database import Store
from .exported_claims import AnnotatorVerdict, ArticleFields, ExportedClaim, exported_claims


class ClaimFields(TypedDict):
    """A claim in a line: its database `id`; `start`, `end`: offsets in the article's
    text as factmark stores it, in Unicode code points (text[start:end] is `text`), null
    for an orphan; `text`, `prefix`, `suffix`: the claim's words and up to 32
    characters either side (the quote that finds it again); `score`: the detector's
    check-worthiness in [0, 1], null for a claim a reader added; `cues`: the detector's
    reasons, or for an imported claim "imported:TOOL" then "label:NAME" per label;
    `attributed`, `source`, `vague_source`: whether the detector found it attributed,
    to whom, and whether that source is vague (null where unknown); `origin`:
    "detector", "reader" (added in factmark) or "imported" (labelled in another tool);
    `dismissed`: a reader marked it as not a claim; `orphaned`: it lost its place when
    the article was edited; `created_at`: when it was stored (ISO 8601 UTC)."""

    id: int
    start: int | None
    end: int | None
    text: str
    prefix: str
    suffix: str
    score: float | None
    cues: list[str]
    attributed: bool | None
    source: str | None
    vague_source: bool | None
    origin: str
    dismissed: bool
    orphaned: bool
    created_at: str


class EventFields(TypedDict):
    """One event of the verdict log (with --history): its `id` (a UUID), the state of
    (claim, annotator) after it (`verdict`, `note`, `evidence_url`), `created_at` (ISO
    8601 UTC), `action` ("set", "undo" or "redo") and `reverts` (the event an undo or
    redo acts on, else null)."""

    id: str
    verdict: str | None
    note: str | None
    evidence_url: str | None
    created_at: str
    action: str
    reverts: str | None


class VerdictFields(TypedDict, total=False):
    """One annotator's current verdict (`verdict`: "verified", "disputed", "unsourced",
    or null once cleared), `note` and `evidence_url`, with `decided_at`, the time of
    their newest event (ISO 8601 UTC), and its id `event_id`; with --history, `history`
    holds every event of theirs on the claim, oldest first."""

    annotator: str
    verdict: str | None
    note: str | None
    evidence_url: str | None
    decided_at: str
    event_id: str
    history: list[EventFields]


class ClaimLine(TypedDict):
    """One line: the claim's `article` (ArticleFields), the `claim`, and its
    `verdicts`, one per annotator, by name."""

    article: ArticleFields
    claim: ClaimFields
    verdicts: list[VerdictFields]


def line(item: ExportedClaim, history: bool = False) -> ClaimLine:
    """The line of one claim; every annotator's `history` too with `history`."""
    claim = item.claim
    placed = item.placed
    return ClaimLine(
        article=item.article,
        claim=ClaimFields(
            id=claim["id"],
            start=claim["start"] if placed else None,
            end=claim["end"] if placed else None,
            text=claim["text"],
            prefix=claim["prefix"],
            suffix=claim["suffix"],
            score=claim["score"],
            cues=list(claim["cues"]),
            attributed=claim["attributed"],
            source=claim["source"],
            vague_source=claim["vague_source"],
            origin=item.origin,
            dismissed=claim["dismissed"],
            orphaned=claim["orphaned"],
            created_at=claim["created_at"],
        ),
        verdicts=[_verdict(held, history) for held in item.verdicts],
    )


def _verdict(held: AnnotatorVerdict, history: bool) -> VerdictFields:
    event = held.current
    fields = VerdictFields(
        annotator=held.annotator,
        verdict=event["verdict"],
        note=event["note"],
        evidence_url=event["evidence_url"],
        decided_at=event["created_at"],
        event_id=event["id"],
    )
    if history:
        fields["history"] = [
            EventFields(
                id=e["id"],
                verdict=e["verdict"],
                note=e["note"],
                evidence_url=e["evidence_url"],
                created_at=e["created_at"],
                action=e["action"],
                reverts=e["reverts"],
            )
            for e in held.history
        ]
    return fields


def lines(
    store: Store, *, every: bool = False, annotator: str | None = None, history: bool = False
) -> Iterator[ClaimLine]:
    """The lines of the claims `exported_claims` gives for these options, in its order."""
    for item in exported_claims(store, every=every, annotator=annotator, history=history):
        yield line(item, history)


def write(
    out: TextIO,
    store: Store,
    *,
    every: bool = False,
    annotator: str | None = None,
    history: bool = False,
) -> int:
    """Write the JSON Lines export to `out`; return the number of lines (claims).
    Raises what SQLite raises, and what writing to `out` raises (OSError)."""
    return json_output.write_lines(
        out, lines(store, every=every, annotator=annotator, history=history)
    )
