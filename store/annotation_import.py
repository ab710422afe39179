"""Verdicts from annotations made elsewhere (W3C Web Annotation JSON-LD, factmark's own
`export --format webannotation` among them, and Hypothesis exports: see
`annotation_reading`), placed on the stored articles by their quotes.

- The article: the one whose stored web link, or `ni:///sha-256;` content name (RFC
  6920, as factmark's exports give it), is a source the annotation names; when none
  is, the one stored article whose text holds the quote (an annotation's source that
  named none is tried first in the article its previous annotation was found in).
- The place: the quote found as `corpus.anchoring` finds a claim again in an edited
  text (its context choosing between repeats, the position breaking ties). A quote
  that is not there, or is in two places its context cannot tell apart, or in no
  single article, makes the annotation an orphan: counted, reported, nothing lands.
- The claim: the stored claim at that place, or the one claim the place lies inside
  (a highlight of a few words of a claim judges the claim); else a new claim there, a
  reader's, marked as imported from the tool, unless it would overlap another claim
  or cross a paragraph (refused) or the database is a class copy, whose claims are
  the teacher's (refused).
- Conflicts: when a file holds several different verdicts (with notes and links) of
  one annotator on one claim (two highlights in one claim, or `--annotator` given for
  a file of several creators), the most recently changed is kept, or the last in the
  file when they do not say when, and each other is reported: never a mix of them.

An annotation that holds what is already stored changes nothing (importing a file
twice adds nothing); one with neither verdict, note nor link only places its claim
(a highlight) and may dismiss it. Every annotation is placed and checked before
anything is written, and a refused one never undoes another.
"""

from __future__ import annotations

import base64
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from factmark.corpus.anchoring import Place, find

from . import claims, classroom, gate, verdicts
from .annotation_reading import Annotation, quoted, read_annotations
from .database import Store
from .errors import StoreError
from .merge_source import plural

_NI_SHA256 = re.compile(r"ni:///sha-256;([A-Za-z0-9_-]{43})")
# Annotations per transaction: a commit (a disk flush) each would cost seconds for a
# class's file, one for the whole file would hold the class's write lock throughout.
BATCH = 50
TEXTS_KEPT = 64  # article texts kept in memory while placing
_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass
class AnnotationImport:
    """What `import_annotations` did: verdicts (with their notes and links) that landed,
    annotations that changed nothing, claims added, highlights placed (no verdict, note
    or link), claims dismissed, annotations skipped (replies, page notes); one line per
    orphan and per refused annotation ("FILE: annotation N: ..."), and per conflict
    (kept apart: the file was read, one of two verdicts was chosen)."""

    landed: int = 0
    unchanged: int = 0
    claims_added: int = 0
    highlights: int = 0
    dismissed: int = 0
    skipped: int = 0
    orphans: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """The report in one line."""
        parts = [plural(self.landed, "verdict") + " imported", f"{self.unchanged} unchanged"]
        if self.claims_added:
            parts.append(plural(self.claims_added, "claim") + " added")
        if self.highlights:
            parts.append(plural(self.highlights, "highlight") + " without a verdict")
        if self.dismissed:
            parts.append(plural(self.dismissed, "claim") + " dismissed")
        parts += [
            f"{len(self.orphans)} orphaned (quote not found)",
            f"{len(self.problems)} refused",
        ]
        if self.conflicts:
            parts.append(plural(len(self.conflicts), "conflicting annotation") + " left out")
        if self.skipped:
            parts.append(f"{self.skipped} skipped (replies or page notes)")
        return ", ".join(parts)


class _Refused(Exception):
    """An annotation that cannot land; the message says why."""


class _Orphan(_Refused):
    """An annotation whose quote is not (or not unambiguously) in one article."""


@dataclass(frozen=True)
class _Placed:
    """An annotation with its place: the article, the span, and the stored claim there
    (None: a claim is to be added)."""

    annotation: Annotation
    article_id: int
    start: int
    end: int
    claim_id: int | None


def import_annotations(store: Store, path: Path, annotator: str | None) -> AnnotationImport:
    """Read the annotations in `path` and land their verdicts, notes and links;
    `annotator`, when given, is every annotation's annotator.

    Raises StoreError in one line naming the file when `annotator` is refused by the
    gate, or the file cannot be read as JSON or holds no annotations; DiskFull,
    ReadOnly or StoreBusy when the database stops taking writes (what landed before
    stays, and the message says where it stopped).
    """
    name = gate.path(path)
    who = None
    if annotator is not None:
        try:
            who = gate.annotator(annotator)
        except StoreError as exc:
            raise StoreError(f"--annotator {annotator!r}: {exc}") from None
    reading = read_annotations(path, who)
    report = AnnotationImport(skipped=reading.skipped)
    messages: list[tuple[int, list[str], str]] = [
        (index, report.problems, f"{name}: {line}") for index, line in reading.problems
    ]
    places = _Places(store)
    placed = []
    for annotation in reading.annotations:
        try:
            placed.append(places.place(annotation))
        except _Refused as exc:
            kind = report.orphans if isinstance(exc, _Orphan) else report.problems
            messages.append((annotation.index, kind, f"{name}: {annotation.where}: {exc}"))
    kept = _without_conflicts(placed, name, messages, report)
    for start in range(0, len(kept), BATCH):
        _land_batch(store, kept[start : start + BATCH], report, name, messages)
    for _, kind, line in sorted(messages, key=lambda message: message[0]):
        kind.append(line)
    return report


class _Places:
    """Where annotations go: articles by the sources they name (remembered), their
    texts (a few kept), and the claims there."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.named: dict[str, int | None] = {}
        self.last_found: dict[tuple[str, ...], int] = {}
        self.texts: OrderedDict[int, str] = OrderedDict()
        self.copy = classroom.class_copy(store)

    def place(self, annotation: Annotation) -> _Placed:
        """The annotation's article, span and claim; _Orphan or _Refused."""
        quote = annotation.quote
        named = next(
            (found for s in annotation.sources if (found := self._named(s)) is not None), None
        )
        if named is not None:
            article_id, place = named, find(self._text(named), quote, annotation.hint)
        else:
            article_id, place = self._by_quote(annotation)
        if place is None:
            raise _Orphan(
                f"its quote {quoted(quote.exact)} is not in article {article_id}, or not in "
                "one place that its context picks"
            )
        claim_id = self._claim(article_id, place.start, place.end, annotation)
        if self.copy is not None and (claim_id is None or annotation.dismissed):
            what = "adding a claim" if claim_id is None else "dismissing a claim"
            raise _Refused(f"in a class, {what} is the teacher's to do")
        return _Placed(annotation, article_id, place.start, place.end, claim_id)

    def _by_quote(self, annotation: Annotation) -> tuple[int, Place | None]:
        """The article found by the quote: first the one this source's previous
        annotation was found in, else the one stored article whose text holds it."""
        quote = annotation.quote
        previous = self.last_found.get(annotation.sources)
        if previous is not None:
            place = find(self._text(previous), quote, annotation.hint)
            if place is not None:
                return previous, place
        rows = self.store.conn.execute(
            "SELECT id FROM articles WHERE instr(text, ?) LIMIT 2", [quote.exact]
        ).fetchall()
        if len(rows) != 1:
            source = quoted(annotation.sources[0]) if annotation.sources else None
            exact = quoted(quote.exact)
            if not rows:
                raise _Orphan(
                    f"no stored article is {source} or holds its quote {exact}"
                    if source
                    else f"no stored article holds its quote {exact}"
                )
            raise _Orphan(
                f"no stored article is {source}, and its quote {exact} is in several"
                if source
                else f"its quote {exact} is in several stored articles, and it names none"
            )
        article_id = rows[0][0]
        self.last_found[annotation.sources] = article_id
        return article_id, find(self._text(article_id), quote, annotation.hint)

    def _named(self, source: str) -> int | None:
        if source not in self.named:
            self.named[source] = _article_named(self.store, source)
        return self.named[source]

    def _text(self, article_id: int) -> str:
        if article_id not in self.texts:
            row = self.store.conn.execute(
                "SELECT text FROM articles WHERE id = ?", [article_id]
            ).fetchone()
            self.texts[article_id] = row[0]
            if len(self.texts) > TEXTS_KEPT:
                self.texts.popitem(last=False)
        return self.texts[article_id]

    def _claim(self, article_id: int, start: int, end: int, annotation: Annotation) -> int | None:
        """The stored claim at text[start:end] or around it; None when a claim may be
        added there; _Refused when none can."""
        claim_id = _claim_around(self.store, article_id, start, end, annotation)
        if claim_id is None and "\n" in self._text(article_id)[start:end]:
            raise _Refused(
                f"its quote {quoted(annotation.quote.exact)} runs over paragraphs of article "
                f"{article_id}; a claim stays in one"
            )
        return claim_id


def _article_named(store: Store, source: str) -> int | None:
    """The article a source names: by the `ni:` name of its content, or its web link
    (as given, without its fragment, with or without a final `/`)."""
    digest = _NI_SHA256.fullmatch(source)
    if digest:
        sha256 = base64.urlsafe_b64decode(digest.group(1) + "=").hex()
        row = store.conn.execute("SELECT id FROM articles WHERE sha256 = ?", [sha256]).fetchone()
        return row[0] if row else None
    bare = source.split("#", 1)[0]
    for link in dict.fromkeys((source, bare, bare.rstrip("/"), bare.rstrip("/") + "/")):
        row = store.conn.execute(
            "SELECT id FROM articles WHERE url = ? ORDER BY id DESC LIMIT 1", [link]
        ).fetchone()
        if row:
            return row[0]
    return None


def _claim_around(
    store: Store, article_id: int, start: int, end: int, annotation: Annotation
) -> int | None:
    """The claim at text[start:end] or the one it lies inside; None when no claim is
    there; _Refused when it overlaps one without lying inside it."""
    overlapping = store.conn.execute(
        'SELECT id, start, "end" FROM claims WHERE article_id = ? AND start < ? AND "end" > ? '
        "AND NOT orphaned ORDER BY start",
        [article_id, end, start],
    ).fetchall()
    for claim_id, claim_start, claim_end in overlapping:
        if claim_start <= start and end <= claim_end:
            return claim_id
    if overlapping:
        numbers = claims.numbers(store, article_id)
        shown = " and ".join(_numbered(numbers, row[0]) for row in overlapping[:2])
        raise _Refused(
            f"its quote {quoted(annotation.quote.exact)} overlaps claim {shown} without lying "
            "inside it"
        )
    return None


def _numbered(numbers: dict[int, tuple[int, int]], claim_id: int) -> str:
    """A claim as the reader numbers it: `article/claim`."""
    article, number = numbers[claim_id]
    return f"{article}/{number}"


def _without_conflicts(
    placed: list[_Placed],
    name: str,
    messages: list[tuple[int, list[str], str]],
    report: AnnotationImport,
) -> list[_Placed]:
    """`placed` less the annotations that lose a conflict (see the module's docstring),
    each reported; in file order."""
    groups: dict[tuple, list[_Placed]] = {}
    for item in placed:
        a = item.annotation
        if a.changes:
            where = (
                item.claim_id
                if item.claim_id is not None
                else (item.article_id, item.start, item.end)
            )
            groups.setdefault((where, a.annotator), []).append(item)
    losers: set[int] = set()
    for group in groups.values():
        if len({tuple(sorted(item.annotation.changes.items())) for item in group}) < 2:
            continue
        winner = max(group, key=_recency)
        dated = all(item.annotation.time is not None for item in group)
        why = "the most recently changed" if dated else "the last in the file"
        for item in group:
            if item is winner:
                continue
            losers.add(item.annotation.index)
            line = (
                f"{name}: {item.annotation.where}: another verdict of "
                f"{item.annotation.annotator} on the same claim; {why}, "
                f"{winner.annotation.where}, is kept"
            )
            messages.append((item.annotation.index, report.conflicts, line))
    return [item for item in placed if item.annotation.index not in losers]


def _recency(item: _Placed) -> tuple[bool, datetime, int]:
    """Dated before undated, then by date, then by place in the file."""
    time = item.annotation.time
    return time is not None, time or _NEVER, item.annotation.index


def _land_batch(
    store: Store,
    batch: list[_Placed],
    report: AnnotationImport,
    name: str,
    messages: list[tuple[int, list[str], str]],
) -> None:
    """Land placed annotations in one transaction. A claim another annotation of the
    file has just added in the way is a refusal; what fails in the database itself
    stops the import, saying where."""
    landed = report.landed
    try:
        with store.write():
            for item in batch:
                try:
                    _land(store, item, report)
                except _Refused as exc:
                    line = f"{name}: {item.annotation.where}: {exc}"
                    messages.append((item.annotation.index, report.problems, line))
    except StoreError as exc:
        if len(exc.args) == 1 and isinstance(exc.args[0], str):
            exc.args = (
                f"{exc.args[0]} (import stopped at {name}: {batch[0].annotation.where}: "
                f"{landed} verdicts imported before it, none from it on)",
            )
        raise


def _land(store: Store, item: _Placed, report: AnnotationImport) -> None:
    annotation = item.annotation
    claim_id = item.claim_id
    if claim_id is None:  # unless an annotation before it in the file added one there
        claim_id = _claim_around(store, item.article_id, item.start, item.end, annotation)
    if claim_id is None:
        tool = () if annotation.reader_added else (claims.IMPORTED_CUE + annotation.tool,)
        claim_id = claims.add(
            store, item.article_id, item.start, item.end, origin="reader", cues=tool
        )
        report.claims_added += 1
    if annotation.dismissed and not _dismissed(store, claim_id):
        claims.set_dismissed(store, claim_id, True)
        report.dismissed += 1
    if not annotation.changes:
        report.highlights += 1
        return
    assert annotation.annotator is not None  # read_annotations refuses changes by nobody
    if verdicts.record_changes(store, claim_id, annotation.annotator, dict(annotation.changes)):
        report.landed += 1
    else:
        report.unchanged += 1


def _dismissed(store: Store, claim_id: int) -> bool:
    row = store.conn.execute("SELECT dismissed FROM claims WHERE id = ?", [claim_id]).fetchone()
    return bool(row and row[0])
