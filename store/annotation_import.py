"""Verdicts from annotations made elsewhere: W3C Web Annotation JSON-LD (factmark's own
`export --format webannotation` among them) and Hypothesis exports, anchored onto the
stored articles by their quote selectors.

What is read (the Web Annotation Data Model, https://www.w3.org/TR/annotation-model/,
"the model"; Hypothesis's API, https://h.readthedocs.io/en/latest/api-reference/):

- The file: one JSON document, an AnnotationCollection with its first page embedded
  (model 5.1), an AnnotationPage (model 5.2), one Annotation or a JSON array of them;
  JSON Lines of annotations; a Hypothesis search result (`{"rows": [...]}`) or the
  Hypothesis client's export (`{"annotations": [...]}`).
- The article: the target's `source` (for Hypothesis `uri`, and the `document`'s
  other links) as an article's stored web link, or as the `ni:///sha-256;` name
  (RFC 6920) of its content that factmark's exports give; failing both, the one stored
  article whose text holds the quote (looked up once per source).
- The place: the TextQuoteSelector (`exact`, with `prefix` and `suffix` to choose
  between repeats) found as `corpus.anchoring` finds a claim again in an edited text,
  the TextPositionSelector's `start` breaking ties. An annotation whose quote is not
  found in its article once (or is found twice, equally well) is an orphan: counted,
  reported, and nothing lands.
- The claim: the stored claim at that place, or the one claim the place lies inside
  (a highlight of a few words of a claim judges the claim); else a new claim there, a
  reader's, marked as imported from the tool, unless it would overlap another claim
  or cross a paragraph (refused), or the database is a class copy, whose claims are
  the teacher's (refused).
- The verdict: a body with `purpose` "assessing" (for Hypothesis, a tag) whose value is
  a verdict's name; the note: a TextualBody "commenting" (or with no purpose, a
  Hypothesis annotation's `text`); the evidence link: a SpecificResource "linking"
  (its `source`); a "tagging" body (a Hypothesis tag) "dismissed" dismisses the claim.
- The annotator: `annotator` when given, else the `creator`'s `nickname` or `name`
  (Hypothesis: `acct:NAME@host` gives NAME).

An annotation that holds what is already stored changes nothing (importing a file
twice adds nothing); one with neither verdict, note nor link only places its claim
(a highlight). Replies and page notes (Hypothesis annotations on no quote) are
skipped and counted. Each annotation is checked before anything is written, and a
refused one never undoes another.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factmark.corpus.anchoring import Quote, find
from factmark.corpus.safe_text import one_line

from . import claims, classroom, gate, verdicts
from .database import Store
from .errors import StoreError

# The tool a new claim is marked as imported from (claims.IMPORTED_CUE).
TOOLS = ("webannotation", "hypothesis")
_NI_SHA256 = re.compile(r"ni:///sha-256;([A-Za-z0-9_-]{43})")
_ACCOUNT = re.compile(r"acct:([^@]+)@.*")
MAX_SOURCES = 20  # links of one Hypothesis document tried as the article's
# The largest file read (bytes): the whole of it is parsed at once, and Python's JSON
# objects take about six times the file's size (a 72 MB export of 78,000 annotations:
# 430 MB), so this keeps a file to about 1.2 GB of memory at most.
MAX_BYTES = 200 * 1024 * 1024
# Annotations per transaction: a commit (a disk flush) each would cost seconds for a
# class's file, one for the whole file would hold the class's write lock throughout.
BATCH = 50


@dataclass
class AnnotationImport:
    """What `import_annotations` did: verdicts (with their notes and links) that landed,
    annotations that changed nothing, claims added where none was, highlights placed
    (no verdict, note or link), claims dismissed, annotations skipped (replies, page
    notes); one line per orphan ("FILE: annotation N: ...") and per refused one."""

    landed: int = 0
    unchanged: int = 0
    claims_added: int = 0
    highlights: int = 0
    dismissed: int = 0
    skipped: int = 0
    orphans: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """The report in one line."""
        parts = [
            f"{self.landed} verdicts imported",
            f"{self.unchanged} unchanged",
            f"{len(self.orphans)} orphaned (quote not found)",
            f"{len(self.problems)} refused",
        ]
        if self.claims_added:
            parts.insert(1, f"{self.claims_added} claims added")
        if self.highlights:
            parts.insert(-2, f"{self.highlights} highlights without a verdict")
        if self.dismissed:
            parts.insert(-2, f"{self.dismissed} claims dismissed")
        if self.skipped:
            parts.append(f"{self.skipped} replies or page notes skipped")
        return ", ".join(parts)


class _Refused(Exception):
    """An annotation that cannot land; the message says why."""


class _Orphan(_Refused):
    """An annotation whose quote is not (or not unambiguously) in its article."""


class _Skipped(Exception):
    """An annotation that is not about a quote: a reply, a page note."""


@dataclass(frozen=True)
class _Annotation:
    """What one annotation says, read and checked: where (article source candidates,
    quote, position hint), by whom, and the verdict state it holds."""

    sources: tuple[str, ...]
    quote: Quote
    hint: int | None
    annotator: str
    changes: dict[str, Any]  # verdict, note, evidence_url: those the annotation holds
    dismissed: bool
    reader_added: bool


def looks_like_json(head: bytes) -> bool:
    """Whether a file starting with `head` is JSON (an object or an array), not CSV."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def import_annotations(store: Store, path: Path, annotator: str | None) -> AnnotationImport:
    """Read the annotations in `path` (see the module's docstring) and land their
    verdicts, notes and links; `annotator` (checked by the gate) overrides each
    annotation's creator.

    Raises StoreError in one line naming the file when it cannot be read as JSON or
    holds no annotations, and DiskFull, ReadOnly or StoreBusy when the database stops
    taking writes (what landed before stays).
    """
    name = gate.path(path)
    who = None
    if annotator is not None:
        try:
            who = gate.annotator(annotator)
        except StoreError as exc:
            raise StoreError(f"--annotator {_show(annotator)}: {exc}") from None
    items, tool = _items(path, name)
    report = AnnotationImport()
    articles = _Articles(store)
    batch: list[tuple[str, _Annotation]] = []
    for where, item in items:
        try:
            batch.append((where, _parse(item, who, tool)))
        except _Skipped:
            report.skipped += 1
        except _Refused as exc:
            report.problems.append(f"{name}: {where}: {exc}")
        if len(batch) >= BATCH:
            _land_batch(store, articles, batch, tool, report, name)
    _land_batch(store, articles, batch, tool, report, name)
    return report


def _land_batch(
    store: Store,
    articles: _Articles,
    batch: list[tuple[str, _Annotation]],
    tool: str,
    report: AnnotationImport,
    name: str,
) -> None:
    """Land checked annotations in one transaction; an orphan or a refusal (found before
    anything of that annotation is written) is reported and the others go on. What
    fails in the database itself stops the import, saying where."""
    if not batch:
        return
    landed = report.landed
    try:
        with store.write():
            for where, annotation in batch:
                try:
                    _land(store, articles, annotation, tool, report)
                except _Orphan as exc:
                    report.orphans.append(f"{name}: {where}: {exc}")
                except _Refused as exc:
                    report.problems.append(f"{name}: {where}: {exc}")
    except StoreError as exc:
        if len(exc.args) == 1 and isinstance(exc.args[0], str):
            exc.args = (
                f"{exc.args[0]} (import stopped at {name}: {batch[0][0]}: {landed} verdicts "
                "imported before it, none from it on)",
            )
        raise
    batch.clear()


def _items(path: Path, name: str) -> tuple[list[tuple[str, Any]], str]:
    """(where, annotation) for each annotation in the file, and the tool they come from;
    StoreError in one line when the file cannot be read or holds none."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise StoreError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise StoreError(
            f"{name}: too large (over {MAX_BYTES / 1e6:.0f} MB; export one "
            "annotator at a time, with --annotator)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StoreError(f"{name}: not UTF-8 at byte {exc.start} (JSON is UTF-8)") from None
    try:
        return _annotations(name, json.loads(text))
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise StoreError(f"{name}:{exc.lineno}: not JSON ({exc.msg})") from None
    except RecursionError:
        raise StoreError(f"{name}: JSON nested too deep") from None
    lines = _json_lines(name, text)
    return lines, _tool(value for _, value in lines)


def _json_lines(name: str, text: str) -> list[tuple[str, Any]]:
    """JSON Lines: ("line N", value) for each line that is not blank."""
    values = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                values.append((f"line {number}", json.loads(line)))
            except (json.JSONDecodeError, RecursionError):
                raise StoreError(f"{name}:{number}: not a JSON line") from None
    return values


def _annotations(name: str, document: Any) -> tuple[list[tuple[str, Any]], str]:
    """(where, annotation) for each annotation the document holds, and the tool it
    comes from; StoreError when it holds none that could be read."""
    if isinstance(document, dict):
        if isinstance(document.get("rows"), list):  # Hypothesis search API
            return _numbered(document["rows"]), "hypothesis"
        if isinstance(document.get("annotations"), list):  # Hypothesis client export
            return _numbered(document["annotations"]), "hypothesis"
        kinds = _types(document)
        if "AnnotationCollection" in kinds:
            page = document.get("first")
            if not isinstance(page, dict):
                raise StoreError(
                    f"{name}: the collection's pages are not in the file (its `first` is "
                    "a link); save the pages' annotations in one file"
                )
            document = page
            kinds = _types(page)
        if "AnnotationPage" in kinds or isinstance(document.get("items"), list):
            items = document.get("items")
            if not isinstance(items, list):
                raise StoreError(f"{name}: an annotation page without items")
            return _numbered(items), "webannotation"
        if "Annotation" in kinds or "target" in document:
            return _numbered([document]), _tool([document])
    if isinstance(document, list):
        return _numbered(document), _tool(document)
    raise StoreError(
        f"{name}: no annotations (expected Web Annotation JSON-LD: an annotation, a page "
        "or a collection; or a Hypothesis export)"
    )


def _numbered(items: list[Any]) -> list[tuple[str, Any]]:
    return [(f"annotation {number}", item) for number, item in enumerate(items, start=1)]


def _tool(items: Any) -> str:
    """Hypothesis's annotations have a `uri` and a `user`; Web Annotations neither."""
    for item in items:
        if isinstance(item, dict):
            return "hypothesis" if "uri" in item and "user" in item else "webannotation"
    return "webannotation"


def _types(value: dict) -> set[str]:
    """The `type` (or `@type`) names of a JSON-LD node, without a prefix (`oa:`)."""
    kinds = value.get("type", value.get("@type"))
    names = kinds if isinstance(kinds, list) else [kinds]
    return {name.rsplit(":", 1)[-1].rsplit("#", 1)[-1] for name in names if isinstance(name, str)}


def _parse(item: Any, who: str | None, tool: str) -> _Annotation:
    """Check an annotation without writing anything."""
    if not isinstance(item, dict):
        raise _Refused(f"not an annotation (a JSON {type(item).__name__})")
    if item.get("references"):
        raise _Skipped  # a Hypothesis reply
    source, selectors = _target(item)
    quote_selector = next((s for s in selectors if "TextQuoteSelector" in _types(s)), None)
    if quote_selector is None:
        if tool == "hypothesis" or not selectors:
            raise _Skipped  # a page note: about the page, not a quote in it
        raise _Refused("no TextQuoteSelector in its target")
    exact = quote_selector.get("exact")
    if not isinstance(exact, str) or not exact.strip():
        raise _Refused("its TextQuoteSelector has no `exact` text")
    quote = Quote(exact, _string(quote_selector, "prefix"), _string(quote_selector, "suffix"))
    position = next((s for s in selectors if "TextPositionSelector" in _types(s)), None)
    hint = position.get("start") if position else None
    sources = tuple(dict.fromkeys(s for s in (source, *_document_links(item)) if s))
    annotator = who or _creator(item)
    bodies = _bodies(item)
    changes: dict[str, Any] = {}
    tags = {_string(b, "value").strip().lower() for b in bodies if b.get("purpose") == "tagging"}
    tags |= {t.strip().lower() for t in item.get("tags") or [] if isinstance(t, str)}
    found = [
        _string(b, "value").strip().lower()
        for b in bodies
        if b.get("purpose") == "assessing" and _string(b, "value")
    ]
    found += sorted(tags & set(verdicts.VERDICTS)) if tool == "hypothesis" else []
    if found:
        if len(set(found)) > 1:
            raise _Refused(f"two verdicts: {', '.join(sorted(set(found)))}")
        if found[0] not in verdicts.VERDICTS:
            raise _Refused(
                f"unknown verdict {_show(found[0])} (one of {', '.join(verdicts.VERDICTS)})"
            )
        changes["verdict"] = found[0]
    notes = [
        _string(b, "value")
        for b in bodies
        if "TextualBody" in _types(b) or "value" in b
        if b.get("purpose") in ("commenting", None)
    ]
    if tool == "hypothesis" and _string(item, "text").strip():
        notes.append(_string(item, "text"))
    note = "\n\n".join(n.strip() for n in notes if n.strip())
    if note:
        changes["note"] = gate.text(note)
    links = [
        _string(b, "source") or _string(b, "id") for b in bodies if b.get("purpose") == "linking"
    ]
    if links:
        link = links[0]
        if not gate.is_web_link(link):
            raise _Refused(f"evidence link is not a web link: {_show(link)}")
        changes["evidence_url"] = link
    return _Annotation(
        sources=sources,
        quote=quote,
        hint=hint if isinstance(hint, int) and not isinstance(hint, bool) else None,
        annotator=annotator,
        changes=changes,
        dismissed="dismissed" in tags,
        reader_added="reader-added" in tags,
    )


def _target(item: dict) -> tuple[str | None, list[dict]]:
    """The target's source and its selectors: the first target with a quote selector
    (Hypothesis gives a list of one), or the first."""
    targets = item.get("target")
    candidates = targets if isinstance(targets, list) else [targets]
    first: tuple[str | None, list[dict]] | None = None
    for target in candidates:
        if isinstance(target, str):
            found: tuple[str | None, list[dict]] = (target, [])
        elif isinstance(target, dict):
            selector = target.get("selector")
            selectors = selector if isinstance(selector, list) else [selector]
            source = target.get("source")
            found = (
                source if isinstance(source, str) else None,
                [s for s in selectors if isinstance(s, dict)],
            )
        else:
            continue
        if any("TextQuoteSelector" in _types(s) for s in found[1]):
            first = found if found[0] else (_string(item, "uri") or None, found[1])
            break
        first = first or found
    if first is None:
        raise _Refused("no target")
    return first


def _document_links(item: dict) -> list[str]:
    """Hypothesis's `uri` and the other links it knows the document by."""
    links = [_string(item, "uri")]
    document = item.get("document")
    if isinstance(document, dict):
        for link in document.get("link") or []:
            if isinstance(link, dict):
                links.append(_string(link, "href"))
    return links[:MAX_SOURCES]


def _bodies(item: dict) -> list[dict]:
    body = item.get("body", item.get("bodyValue"))
    if isinstance(body, str):  # bodyValue, or a body given as a bare string: a note
        return [{"type": "TextualBody", "value": body}]
    bodies = body if isinstance(body, list) else [body]
    return [b for b in bodies if isinstance(b, dict)]


def _creator(item: dict) -> str:
    creator = item.get("creator")
    if isinstance(creator, list):
        creator = creator[0] if creator else None
    name = ""
    if isinstance(creator, dict):
        name = _string(creator, "nickname") or _string(creator, "name")
    elif isinstance(creator, str):
        name = creator
    user = _string(item, "user")  # Hypothesis: acct:NAME@hypothes.is
    if not name and user:
        account = _ACCOUNT.fullmatch(user)
        name = account.group(1) if account else user
    if not name:
        raise _Refused("no creator: say whose verdicts these are with --annotator")
    try:
        return gate.annotator(name)
    except StoreError as exc:
        raise _Refused(f"creator {_show(name)}: {exc}") from None


def _string(value: dict, key: str) -> str:
    found = value.get(key)
    return found if isinstance(found, str) else ""


class _Articles:
    """The stored article an annotation's sources name, remembered per source."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.by_source: dict[str, int | None] = {}

    def find(self, sources: tuple[str, ...], exact: str) -> tuple[int, str]:
        """(article id, its text); _Orphan when no stored article is the annotation's."""
        for source in sources:
            if source not in self.by_source:
                self.by_source[source] = self._named(source)
            if self.by_source[source] is not None:
                return self._text(self.by_source[source])
        key = sources[0] if sources else ""
        if key not in self.by_source or self.by_source[key] is None:
            self.by_source[key] = self._holding(exact)
        article = self.by_source[key]
        if article is None:
            where = f" {_show(sources[0])}" if sources else ""
            raise _Orphan(f"no stored article{where} holds its quote {_show(exact)}")
        return self._text(article)

    def _named(self, source: str) -> int | None:
        conn = self.store.conn
        digest = _NI_SHA256.fullmatch(source)
        if digest:
            sha256 = base64.urlsafe_b64decode(digest.group(1) + "=").hex()
            row = conn.execute("SELECT id FROM articles WHERE sha256 = ?", [sha256]).fetchone()
            return row[0] if row else None
        for link in _link_forms(source):
            row = conn.execute(
                "SELECT id FROM articles WHERE url = ? ORDER BY id DESC LIMIT 1", [link]
            ).fetchone()
            if row:
                return row[0]
        return None

    def _holding(self, exact: str) -> int | None:
        """The one article whose text holds `exact`; None for none or several."""
        rows = self.store.conn.execute(
            "SELECT id FROM articles WHERE instr(text, ?) LIMIT 2", [exact]
        ).fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def _text(self, article_id: int | None) -> tuple[int, str]:
        row = self.store.conn.execute(
            "SELECT text FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        assert article_id is not None and row is not None
        return article_id, row[0]


def _link_forms(source: str) -> list[str]:
    """A web link as given, without its fragment, and with and without a final `/`."""
    bare = source.split("#", 1)[0]
    forms = [source, bare, bare.rstrip("/"), bare.rstrip("/") + "/"]
    return list(dict.fromkeys(form for form in forms if form))


def _land(
    store: Store, articles: _Articles, annotation: _Annotation, tool: str, report: AnnotationImport
) -> None:
    article_id, text = articles.find(annotation.sources, annotation.quote.exact)
    place = find(text, annotation.quote, annotation.hint)
    if place is None:
        raise _Orphan(
            f"its quote {_show(annotation.quote.exact)} is not in article {article_id}, "
            "or not in one place that its context picks"
        )
    claim_id, added = _claim_at(store, article_id, text, place.start, place.end, annotation, tool)
    report.claims_added += added
    if annotation.dismissed and not _dismissed(store, claim_id):
        _refuse_in_copy(store, "dismissing a claim")
        claims.set_dismissed(store, claim_id, True)
        report.dismissed += 1
    if not annotation.changes:
        report.highlights += 1
        return
    if verdicts.record_changes(store, claim_id, annotation.annotator, annotation.changes):
        report.landed += 1
    else:
        report.unchanged += 1


def _dismissed(store: Store, claim_id: int) -> bool:
    row = store.conn.execute("SELECT dismissed FROM claims WHERE id = ?", [claim_id]).fetchone()
    return bool(row and row[0])


def _claim_at(
    store: Store,
    article_id: int,
    text: str,
    start: int,
    end: int,
    annotation: _Annotation,
    tool: str,
) -> tuple[int, int]:
    """(the claim at text[start:end], 1 if it was added now else 0): the stored claim
    there, or the one the span lies inside, or a new one; _Refused where none can be."""
    overlapping = store.conn.execute(
        'SELECT id, start, "end" FROM claims WHERE article_id = ? AND start < ? AND "end" > ? '
        "AND NOT orphaned ORDER BY start",
        [article_id, end, start],
    ).fetchall()
    for claim_id, claim_start, claim_end in overlapping:
        if claim_start <= start and end <= claim_end:
            return claim_id, 0
    if overlapping:
        shown = ", ".join(str(row[0]) for row in overlapping[:3])
        raise _Refused(
            f"its quote {_show(annotation.quote.exact)} overlaps claim {shown} of article "
            f"{article_id} without lying inside it"
        )
    if "\n" in text[start:end]:
        raise _Refused(
            f"its quote {_show(annotation.quote.exact)} runs over paragraphs of article "
            f"{article_id}; a claim stays in one"
        )
    _refuse_in_copy(store, f"adding a claim (none is at {_show(annotation.quote.exact)})")
    cues = () if annotation.reader_added else (claims.IMPORTED_CUE + tool,)
    return claims.add(store, article_id, start, end, origin="reader", cues=cues), 1


def _refuse_in_copy(store: Store, what: str) -> None:
    try:
        classroom.refuse_in_copy(store, what)
    except StoreError as exc:
        raise _Refused(str(exc)) from None


def _show(value: str) -> str:
    """A value quoted for a one-line message: cleaned, and cut when long."""
    shown = one_line(value)
    return repr(shown if len(shown) <= 40 else shown[:39] + "…")
