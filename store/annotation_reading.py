"""Annotations read from a file: W3C Web Annotation JSON-LD and Hypothesis exports,
each checked and reduced to what factmark keeps (a quote to place, whose, a verdict,
a note, a link, a dismissal). `annotation_import` places and lands them.

What is read (the Web Annotation Data Model, https://www.w3.org/TR/annotation-model/,
"the model"; Hypothesis's API, https://h.readthedocs.io/en/latest/api-reference/):

- The file: UTF-8 (or UTF-16 with a byte-order mark) JSON: an AnnotationCollection
  with its pages embedded (model 5.1: `first`, then each page's `next`), an
  AnnotationPage (model 5.2), one Annotation or an array of them; JSON Lines of
  annotations (a bad line is refused alone); a Hypothesis search result (`{"rows":
  [...]}`) or the Hypothesis client's export (`{"annotations": [...]}`).
- Where: the target's `source` (Hypothesis: `uri` and the `document`'s links), its
  TextQuoteSelector (`exact`, `prefix`, `suffix`; white space at the ends of `exact`
  moves to the context, as a selection often takes a space with it) and its
  TextPositionSelector's `start`.
- What: a body whose `purpose` is "assessing" (`oa:assessing`, or a list holding it)
  has the verdict as its text `value` (Hypothesis: a tag naming a verdict); bodies
  "commenting", or TextualBodies without a purpose, the note (Hypothesis: `text`); a
  body "linking", the evidence link (its `source`); a "tagging" body (a Hypothesis tag)
  "dismissed" or "reader-added" marks the claim.
- Whose: the `creator`'s `nickname` or `name` (Hypothesis: `acct:NAME@host` gives
  NAME), unless the caller says whose; when: `modified`, else `created` (Hypothesis:
  `updated`, `created`).

An annotation whose verdict, note or link is there but cannot be read (not text, not
a verdict, not a web link) is refused, never half taken. Replies and page notes
(Hypothesis annotations on no quote) are skipped.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from factmark.corpus.anchoring import Quote

from . import gate, verdicts
from .errors import StoreError
from .files import read_bounded

# The largest file read (bytes): the whole of it is parsed at once, and Python's JSON
# objects take about six times the file's size (a 72 MB export of 78,000 annotations:
# 430 MB), so this keeps a file to about 1.2 GB of memory at most.
MAX_BYTES = 200 * 1024 * 1024
MAX_SOURCES = 20  # links of one Hypothesis document tried as the article's
_ACCOUNT = re.compile(r"acct:([^@]+)@.*")
_OA = ("oa:", "http://www.w3.org/ns/oa#")  # how a purpose may be written in full
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class Annotation:
    """One annotation, read and checked: `index` (0-based, in file order) and `where`
    ("annotation 3", "line 7") for messages; `sources`, the links or names the article
    may go by; `quote` and `hint` (a code-point offset, or None) to place it;
    `annotator` (None when it names nobody: a highlight needs no one); `changes`, the
    verdict, note and evidence link it holds (keys of verdicts.STATE_FIELDS); `tool`,
    "webannotation" or "hypothesis"; `time`, when it was last changed (UTC, or None)."""

    index: int
    where: str
    sources: tuple[str, ...]
    quote: Quote
    hint: int | None
    annotator: str | None
    changes: dict[str, str]
    dismissed: bool
    reader_added: bool
    tool: str
    time: datetime | None


@dataclass
class Reading:
    """What a file held: its annotations, how many were skipped (replies, page notes),
    and (index, "where: why") for each refused."""

    annotations: list[Annotation] = field(default_factory=list)
    skipped: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)


class _Refused(Exception):
    """An annotation that cannot be taken; the message says why."""


class _Skipped(Exception):
    """An annotation that is not about a quote: a reply, a page note."""


def looks_like_json(head: bytes) -> bool:
    """Whether a file starting with `head` is JSON (an object or an array), not CSV."""
    if head.startswith(_UTF16_BOMS):
        head = head.decode("utf-16", "ignore").encode("utf-8", "ignore")
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def read_annotations(path: Path, who: str | None) -> Reading:
    """The annotations in `path` (see the module's docstring); `who`, already checked
    by the gate, is every annotation's annotator when given. Raises StoreError in one
    line naming the file when it cannot be read as JSON or holds no annotations."""
    name = gate.path(path)
    reading = Reading()
    items, after = _items(path, name)
    _refuse_other_kinds(name, items)
    for index, (where, item, hypothesis) in enumerate(items):
        try:
            if isinstance(item, _Unreadable):
                raise _Refused(f"not JSON ({item})")
            reading.annotations.append(_parse(index, where, item, who, hypothesis))
        except _Skipped:
            reading.skipped += 1
        except _Refused as exc:
            reading.problems.append((index, f"{where}: {exc}"))
    reading.problems += [(len(items), problem) for problem in after]
    return reading


def _refuse_other_kinds(name: str, items: Items) -> None:
    """Raise StoreError, in one line saying what to do instead, for a file of another
    kind than annotations (none with a target): factmark's own jsonl export, or
    articles with labelled spans (its doccano, Label Studio and Prodigy exports)."""
    records = [value for _, value, _ in items if isinstance(value, dict)]
    if not records or any("target" in value or "uri" in value for value in records):
        return
    first = records[0]
    if {"article", "claim", "verdicts"} <= first.keys():
        raise StoreError(
            f"{name}: factmark's jsonl export, which holds no annotations; to bring "
            "verdicts back, export them with --format webannotation"
        )
    if "text" in first or isinstance(first.get("data"), dict):
        raise StoreError(
            f"{name}: articles with labelled spans (doccano, Label Studio, Prodigy), not "
            "annotations: bring them in with factmark import"
        )


class _Unreadable(str):
    """A JSON line that could not be read: why."""


Items = list[tuple[str, Any, bool]]  # (where, value, whether the file is Hypothesis's)


def _items(path: Path, name: str) -> tuple[Items, list[str]]:
    """Each annotation in the file, and what to report after them (a collection's page
    missing from the file)."""
    data = read_bounded(path, name, MAX_BYTES, "export one annotator at a time, with --annotator")
    try:
        utf16 = data.startswith(_UTF16_BOMS)
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StoreError(f"{name}: not UTF-8 at byte {exc.start} (JSON is UTF-8)") from None
    try:
        return _annotations(name, json.loads(text))
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise StoreError(f"{name}:{exc.lineno}: not JSON ({exc.msg})") from None
    except (ValueError, RecursionError) as exc:  # a number of thousands of digits
        raise StoreError(f"{name}: not JSON ({_why(exc)})") from None
    return _json_lines(text), []


def _json_lines(text: str) -> Items:
    """JSON Lines (lines end at LF, as jsonlines.org says: U+2028 and the like are text
    inside a string): each line that is not blank, one annotation or _Unreadable."""
    items: Items = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            try:
                value = json.loads(line)
            except (ValueError, RecursionError) as exc:
                value = _Unreadable(_why(exc))
            items.append((f"line {number}", value, False))
    return items


def _why(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return exc.msg
    if isinstance(exc, RecursionError):
        return "nested too deep"
    return str(exc).split(";")[0].split(":")[0]


def _annotations(name: str, document: Any) -> tuple[Items, list[str]]:
    if isinstance(document, dict):
        for key in ("rows", "annotations"):  # Hypothesis's search API, its client's export
            if isinstance(document.get(key), list):
                return _numbered(document[key], True), []
        kinds = _types(document)
        if "AnnotationCollection" in kinds:
            items, after = _collection(name, document)
            return _numbered(items, False), after
        if "AnnotationPage" in kinds or isinstance(document.get("items"), list):
            items = document.get("items")
            if not isinstance(items, list):
                raise StoreError(f"{name}: an annotation page without items")
            return _numbered(items, False), []
        if "Annotation" in kinds or "target" in document:
            return _numbered([document], False), []
    if isinstance(document, list):
        return _numbered(document, False), []
    raise StoreError(
        f"{name}: no annotations (expected Web Annotation JSON-LD: an annotation, a page "
        "or a collection; or a Hypothesis export)"
    )


def _collection(name: str, collection: dict) -> tuple[list[Any], list[str]]:
    """The items of a collection's pages, `first` then each `next`, as far as they are
    in the file; and a problem when a page is only a link."""
    page, items, seen = collection.get("first"), [], 0
    if not isinstance(page, dict):
        raise StoreError(
            f"{name}: the collection's pages are not in the file (its `first` is a link); "
            "save the pages' annotations in one file"
        )
    while isinstance(page, dict) and seen < 10_000:
        found = page.get("items")
        items.extend(found if isinstance(found, list) else [])
        page, seen = page.get("next"), seen + 1
    if isinstance(page, str):
        return items, [
            f"the collection's next page, {quoted(page)}, is not in the file: only the "
            f"{len(items)} annotations before it were read"
        ]
    return items, []


def _numbered(items: list[Any], hypothesis: bool) -> Items:
    return [(f"annotation {n}", item, hypothesis) for n, item in enumerate(items, start=1)]


def _types(value: dict) -> set[str]:
    """The `type` (or `@type`) names of a JSON-LD node, without a prefix (`oa:`)."""
    return {_bare(name) for name in _list(value.get("type", value.get("@type")))}


def _bare(name: Any) -> str:
    """A term without its prefix or namespace: "oa:assessing", the full IRI and
    "assessing" are one; anything not text is ""."""
    if not isinstance(name, str):
        return ""
    for prefix in _OA:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name.rsplit(":", 1)[-1].rsplit("#", 1)[-1]


def _list(value: Any) -> list[Any]:
    """A JSON-LD value that may be one thing or a list of them, as a list (null: [])."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _string(value: dict, key: str) -> str:
    found = value.get(key)
    return found if isinstance(found, str) else ""


def _parse(index: int, where: str, item: Any, who: str | None, hypothesis: bool) -> Annotation:
    """Check an annotation; raise _Refused or _Skipped."""
    if not isinstance(item, dict):
        kind = {list: "a list", str: "text", bool: "true or false", type(None): "null"}
        raise _Refused(f"not an annotation (a JSON {kind.get(type(item), 'number')})")
    hypothesis = hypothesis or ("uri" in item and "user" in item)
    if item.get("references"):
        raise _Skipped  # a Hypothesis reply
    source, selectors = _target(item)
    quote_selector = next((s for s in selectors if "TextQuoteSelector" in _types(s)), None)
    if quote_selector is None:
        if not selectors:
            raise _Skipped  # a page note: about the page, not a quote in it
        raise _Refused("no TextQuoteSelector in its target (factmark places a quote)")
    quote, shift = _quote(quote_selector)
    position = next((s for s in selectors if "TextPositionSelector" in _types(s)), None)
    start = position.get("start") if position else None
    hint = start + shift if isinstance(start, int) and not isinstance(start, bool) else None
    tags = _tags(item)
    changes = _changes(item, tags, hypothesis)
    annotator = who or _creator(item)
    if changes and annotator is None:
        raise _Refused("no creator: say whose verdicts these are with --annotator")
    return Annotation(
        index=index,
        where=where,
        sources=tuple(dict.fromkeys(s for s in (source, *_document_links(item)) if s)),
        quote=quote,
        hint=hint,
        annotator=annotator,
        changes=changes,
        dismissed="dismissed" in tags,
        reader_added="reader-added" in tags,
        tool="hypothesis" if hypothesis else "webannotation",
        time=_time(item),
    )


def _quote(selector: dict) -> tuple[Quote, int]:
    """The selector's quote, with the white space at the ends of `exact` moved into its
    context; and how far that moved its start."""
    exact = selector.get("exact")
    if not isinstance(exact, str) or not exact.strip():
        raise _Refused("its TextQuoteSelector has no `exact` text")
    lead = len(exact) - len(exact.lstrip())
    trail = len(exact) - len(exact.rstrip())
    prefix = _string(selector, "prefix") + exact[:lead]
    suffix = exact[len(exact) - trail :] + _string(selector, "suffix")
    return Quote(exact.strip(), prefix, suffix), lead


def _target(item: dict) -> tuple[str | None, list[dict]]:
    """The target's source and its selectors: the first target with a quote selector
    (Hypothesis gives a list of one), or the first."""
    first: tuple[str | None, list[dict]] | None = None
    for target in _list(item.get("target")):
        if isinstance(target, str):
            found: tuple[str | None, list[dict]] = (target, [])
        elif isinstance(target, dict):
            selectors = [s for s in _list(target.get("selector")) if isinstance(s, dict)]
            found = (_string(target, "source") or _string(item, "uri") or None, selectors)
        else:
            continue
        if any("TextQuoteSelector" in _types(s) for s in found[1]):
            return found
        first = first or found
    if first is None:
        raise _Refused("no target")
    return first


def _document_links(item: dict) -> list[str]:
    """Hypothesis's `uri` and the other links it knows the document by."""
    links = [_string(item, "uri")]
    document = item.get("document")
    if isinstance(document, dict):
        links += [
            _string(link, "href") for link in _list(document.get("link")) if isinstance(link, dict)
        ]
    return links[:MAX_SOURCES]


def _bodies(item: dict) -> list[dict]:
    body = item.get("body", item.get("bodyValue"))
    if isinstance(body, str):  # bodyValue, or a body given as a bare string: a note
        return [{"type": "TextualBody", "value": body}]
    return [b for b in _list(body) if isinstance(b, dict)]


def _purposes(body: dict) -> set[str]:
    return {_bare(p) for p in _list(body.get("purpose"))}


def _tags(item: dict) -> set[str]:
    """The tags, lower case: tagging bodies' values and Hypothesis's `tags`."""
    values = [b.get("value") for b in _bodies(item) if "tagging" in _purposes(b)]
    values += _list(item.get("tags"))
    return {value.strip().lower() for value in values if isinstance(value, str)}


def _changes(item: dict, tags: set[str], hypothesis: bool) -> dict[str, str]:
    """The verdict, note and evidence link the annotation holds; _Refused for one that
    is there and cannot be read."""
    changes: dict[str, str] = {}
    bodies = _bodies(item)
    found = []
    for body in bodies:
        if "assessing" in _purposes(body):
            value = body.get("value")
            if not isinstance(value, str):
                raise _Refused("its assessing body's value is not text")
            found.append(value.strip().lower())
    if hypothesis:
        found += sorted(tags & set(verdicts.VERDICTS))
    if found:
        if len(set(found)) > 1:
            raise _Refused(f"two verdicts: {', '.join(map(quoted, sorted(set(found))))}")
        if found[0] not in verdicts.VERDICTS:
            raise _Refused(
                f"unknown verdict {quoted(found[0])} (one of {', '.join(verdicts.VERDICTS)})"
            )
        changes["verdict"] = found[0]
    notes = []
    for body in bodies:
        purposes = _purposes(body)
        if "commenting" in purposes or (not purposes and "value" in body):
            if not isinstance(body.get("value"), str):
                raise _Refused("its note (a commenting body's value) is not text")
            notes.append(body["value"])
    if hypothesis:
        if item.get("text") is not None and not isinstance(item.get("text"), str):
            raise _Refused("its text is not text")
        notes.append(_string(item, "text"))
    note = gate.text("\n\n".join(n.strip() for n in notes if n.strip()))
    if note:
        changes["note"] = note
    for body in bodies:
        if "linking" in _purposes(body):
            link = body.get("source", body.get("id"))
            if not isinstance(link, str) or not gate.is_web_link(link):
                raise _Refused(f"evidence link is not a web link: {quoted(str(link))}")
            changes["evidence_url"] = link
            break
    return changes


def _creator(item: dict) -> str | None:
    """The creator's name as the gate keeps it; None when the annotation names none."""
    creators = _list(item.get("creator"))
    creator = creators[0] if creators else None
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
        return None
    try:
        return gate.annotator(name)
    except StoreError as exc:
        raise _Refused(f"creator {quoted(name)}: {exc}") from None


def _time(item: dict) -> datetime | None:
    """When the annotation was last changed, in UTC; None when it does not say."""
    for key in ("modified", "updated", "created"):
        value = item.get(key)
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                continue
            return moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC)
    return None


def quoted(value: str) -> str:
    """A value quoted for a one-line message: control and bidi characters shown as
    escapes (repr), cut when long."""
    return repr(value if len(value) <= 40 else value[:39] + "…")
