"""JSON articles: JSON Lines, JSON documents, and annotation tools' exports.

A JSON Lines file holds one article object per line; a JSON document one article
object or an array of them. An article object has a "text", and may have "title",
"url", "published", "source", "language" and "id". A bad line or element costs only
itself, named by its line ("feed.jsonl:3") or its index in the array ("feed.json[2]");
so does a line or element whose id an earlier one of the file already has. A file
whose first line is not a whole object is read as one document (pretty-printed JSON),
and a `.json` file holding one object per line as JSON Lines.

The exports of three annotation tools are read as articles too, and the character
spans they labelled become `Label`s (offsets into the text as stored):

- doccano: `{"text", "label": [[start, end, "name"], ...]}` ("labels" in some
  versions), or `"entities": [{"start_offset", "end_offset", "label"}]`.
- Label Studio: tasks `{"id", "data": {"text", "url", ...}, "annotations": [{"result":
  [{"value": {"start", "end", "text", "labels"}}]}]}`; its JSON-MIN export
  (`{"text", "label": [{"start", "end", "text", "labels"}]}`) too. JavaScript counts
  offsets in UTF-16 units: a span whose own text shows it is read that way. Cancelled
  annotations and model predictions are not brought.
- Prodigy: `{"text", "spans": [{"start", "end", "label"}], "meta": {...}, "answer"}`;
  `meta` fills the article's fields the example does not have. The spans of a
  rejected or ignored example are not brought.

A span whose every label says it is no claim (the lexicon's `not_claim_labels`:
"OPINION", "not check-worthy"...) is not brought, and the detector's claims that
overlap it are dropped: the team decided. Every other span is brought, its labels kept.

A claim never overlaps another nor crosses a line break, so a span that overlaps an
earlier one (in text order), crosses a line break, lies outside the text, does not
match its own quoted text or cuts through a word is not brought; identical spans are
one, with every label given them. White space at a span's ends is left out. The
record's notes say how many spans were not brought, and why.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .article import ArticleError, Label, sha256_of
from .decoding import MAX_BYTES
from .formats import MAX_FILE_BYTES, Record
from .lexicon import all_words
from .safe_text import clean, normalise_newlines

ARTICLE_FIELDS = ("title", "url", "published", "source", "author", "language", "id")
# Other names tools give a field, read when the field itself is absent.
FIELD_ALIASES = {"published": ("date", "published_at", "datePublished")}
EXPECTED = (
    'expected an article object with a "text" field, or an array of them '
    "(doccano, Label Studio and Prodigy exports are read too)"
)
# Prodigy answers whose spans are not claims, and how a span of one is counted.
_NOT_SPANS = {"reject": "in a rejected example", "ignore": "in an ignored example"}


def read_jsonl(path: str, data: bytes) -> Iterator[Record | ArticleError]:
    """One record per non-blank line, in order; an ArticleError "path:line: why" for a
    line that cannot be one. Raises ArticleError for a file over MAX_FILE_BYTES; a file
    whose first line is not valid JSON but which is as a whole is read by `read_json`."""
    _check_size(path, data)
    lines = [(number, raw) for number, raw in enumerate(data.splitlines(), 1) if raw.strip()]
    if lines and _whole_document(lines[0][1], data):
        yield from read_json(path, data)
        return
    yield from _unique_ids(
        (_line_record(path, number, raw) for number, raw in lines),
        lambda record: f"line {record.line}",
    )


def read_json(path: str, data: bytes) -> Iterator[Record | ArticleError]:
    """The records of a JSON document: one for an article object, one per element of
    an array ("path[index]: why" for an element that cannot be one). A document that
    holds several values, one per line, is read as JSON Lines. Raises ArticleError in
    one line naming the file for a file over MAX_FILE_BYTES, invalid JSON, an empty
    array, or a document that is not an article (saying what was expected)."""
    _check_size(path, data)
    try:
        document = json.loads(data)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and exc.lineno > 1:
            yield from read_jsonl(path, data)
            return
        raise ArticleError(
            f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise ArticleError(f"{path}: not valid JSON ({_json_problem(exc)})") from None
    if isinstance(document, list):
        if not document:
            raise ArticleError(f"{path}: an empty JSON array, no article in it")
        yield from _unique_ids(
            (
                _record(path, item, sha256_of(_canonical(item)), index=index)
                for index, item in enumerate(document)
            ),
            lambda record: f"element {record.index}",
        )
    elif isinstance(document, dict) and _fields(document) is not None:
        yield _record(path, document, sha256_of(data.strip()))
    else:
        raise ArticleError(f"{path}: {_what(document)}; {EXPECTED}")


def _check_size(path: str, data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise ArticleError(
            f"{path}: too large for a JSON file (the limit is {MAX_FILE_BYTES / 1e6:.0f} MB)"
        )


def _whole_document(first_line: bytes, data: bytes) -> bool:
    """True when the first line is not JSON by itself but the whole file is."""
    try:
        json.loads(first_line)
    except (ValueError, RecursionError):
        try:
            json.loads(data)
        except (ValueError, RecursionError):
            return False
        return True
    return False


def _unique_ids(
    records: Iterator[Record | ArticleError], place: Callable[[Record], str]
) -> Iterator[Record | ArticleError]:
    """`records`, except that a record whose id an earlier one has becomes an error:
    two articles cannot be one."""
    first: dict[str, str] = {}  # id -> the place that used it first
    for record in records:
        if isinstance(record, Record) and record.external_id is not None:
            there = first.setdefault(record.external_id, place(record))
            if there != place(record):
                record = ArticleError(
                    f"{record.where}: id {record.external_id!r} is already used on {there}; "
                    "not imported"
                )
        yield record


def _line_record(path: str, number: int, raw: bytes) -> Record | ArticleError:
    """The record on line `number`, or why it cannot be one."""
    if len(raw) > MAX_BYTES:
        return ArticleError(f"{path}:{number}: {_too_large(len(raw))}")
    try:
        obj = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError...
        return ArticleError(f"{path}:{number}: not valid JSON ({_json_problem(exc)})")
    return _record(path, obj, sha256_of(raw.strip()), line=number)


def _too_large(size: int) -> str:
    return f"too large for an article ({size / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB)"


def _canonical(item: object) -> bytes:
    """An array element's bytes for its fingerprint: the same object, the same bytes."""
    return json.dumps(item, sort_keys=True, separators=(",", ":")).encode()


def _what(document: object) -> str:
    """What a JSON document is, in words: 'a JSON object with "claims"'..."""
    if isinstance(document, dict):
        keys = ", ".join(json.dumps(key) for key in list(document)[:5])
        return f"a JSON object with {keys or 'no fields'}" + (", ..." if len(document) > 5 else "")
    kinds = {str: "a JSON string", bool: "JSON true or false", type(None): "JSON null"}
    return kinds.get(type(document), "a JSON number")


@dataclass
class _Span:
    """A labelled span as the tool gave it: offsets into its text, as it counts them."""

    start: object
    end: object
    names: tuple[str, ...]
    quoted: str | None = None  # the span's own text, when the tool gives it


@dataclass
class _Fields:
    """What an object holds, whatever tool wrote it."""

    text: object
    meta: dict
    tool: str
    spans: list[_Span]
    not_brought: Counter[str]


def _fields(obj: dict) -> _Fields | None:
    """The text, metadata and spans of an article object in any of the shapes read,
    or None for an object that is none of them."""
    data = obj.get("data")
    if "text" not in obj and isinstance(data, dict) and "text" in data:
        return _label_studio(obj, data)
    if "text" not in obj:
        return None
    if "spans" in obj:
        return _prodigy(obj)
    raw = next((obj[key] for key in ("label", "labels", "entities") if key in obj), None)
    spans = [span for span in map(_span, raw) if span] if isinstance(raw, list) else []
    tool = "label-studio" if isinstance(raw, list) and _min_export(raw) else "doccano"
    return _Fields(obj["text"], obj, tool, spans, Counter())


def _min_export(entries: list) -> bool:
    """True for Label Studio's JSON-MIN labels ({"start", "end", "labels"})."""
    return any(isinstance(entry, dict) and "labels" in entry for entry in entries)


def _label_studio(task: dict, data: dict) -> _Fields:
    meta = {**data, **({"id": task["id"]} if "id" in task and "id" not in data else {})}
    spans = []
    annotations = task.get("annotations")
    for annotation in annotations if isinstance(annotations, list) else ():
        if not isinstance(annotation, dict) or annotation.get("was_cancelled"):
            continue
        results = annotation.get("result")
        for result in results if isinstance(results, list) else ():
            value = result.get("value") if isinstance(result, dict) else None
            span = _span(value) if isinstance(value, dict) and "start" in value else None
            if span:
                spans.append(span)
    return _Fields(data["text"], meta, "label-studio", spans, Counter())


def _prodigy(example: dict) -> _Fields:
    meta = example.get("meta")
    meta = {**(meta if isinstance(meta, dict) else {}), **example}
    raw = example["spans"]
    spans = [span for span in map(_span, raw) if span] if isinstance(raw, list) else []
    not_brought = Counter[str]()
    answer = example.get("answer")
    if isinstance(answer, str) and answer in _NOT_SPANS and spans:
        not_brought[_NOT_SPANS[answer]] = len(spans)
        spans = []
    return _Fields(example["text"], meta, "prodigy", spans, not_brought)


def _span(entry: object) -> _Span | None:
    """A span from `[start, end, name]` or `{"start"|"start_offset", "end"|"end_offset",
    "label"|"labels", "text"}`; None for what names no span (a document's category)."""
    if isinstance(entry, list) and len(entry) >= 2:
        names = entry[2:3]
        return _Span(entry[0], entry[1], _names(names[0] if names else None))
    if not isinstance(entry, dict):
        return None
    start = entry.get("start", entry.get("start_offset"))
    end = entry.get("end", entry.get("end_offset"))
    if start is None and end is None:
        return None
    quoted = entry.get("text")
    names = _names(entry.get("labels", entry.get("label")))
    return _Span(start, end, names, quoted if isinstance(quoted, str) else None)


def _names(value: object) -> tuple[str, ...]:
    """A span's label names: one name or a list of them; anything else is none."""
    values = value if isinstance(value, list) else [value]
    return tuple(
        str(v).strip() for v in values if isinstance(v, (str, int, float)) and str(v).strip()
    )


def _record(
    path: str, obj: object, sha256: str, *, line: int | None = None, index: int | None = None
) -> Record | ArticleError:
    """The record an object makes, or why it cannot make one."""
    where = path if line is None else f"{path}:{line}"
    where = where if index is None else f"{path}[{index}]"
    if not isinstance(obj, dict):
        return ArticleError(f'{where}: expected a JSON object with a "text" field')
    found = _fields(obj)
    if found is None or not isinstance(found.text, str) or not found.text.strip():
        return ArticleError(f'{where}: no "text" field, or it is empty')
    if len(found.text) > MAX_BYTES:
        return ArticleError(f"{where}: {_too_large(len(found.text.encode()))}")
    meta = {}
    for name in ARTICLE_FIELDS:
        aliases = (name, *FIELD_ALIASES.get(name, ()))
        value = next((found.meta[a] for a in aliases if found.meta.get(a) is not None), None)
        if value is not None and not isinstance(value, (str, int, float)):
            return ArticleError(f'{where}: "{name}" should be a string')
        if value is not None and str(value).strip():
            meta["external_id" if name == "id" else name] = str(value).strip()
    text, at = _cleaned(found.text)
    labels, not_claims, not_brought = _labels(found, found.text, text, at)
    notes = (f"{where}: {_not_brought(not_brought)}",) if not_brought else ()
    return Record(
        path,
        text,
        sha256,
        "utf-8",
        line=line,
        index=index,
        labels=labels,
        not_claims=not_claims,
        notes=notes,
        **meta,
    )


def _cleaned(original: str) -> tuple[str, Callable[[int], int]]:
    """The text as stored (`safe_text.clean`, LF line ends), and where an offset of the
    original falls in it. An offset inside characters cleaning removes falls where
    they were; the caller checks that a span still holds its text."""
    normalised = normalise_newlines(original)
    text = clean(normalised)
    crlf = [m.start() for m in re.finditer("\r\n", original)]

    def at(offset: int) -> int:
        offset -= bisect_left(crlf, offset)  # each CR of a CRLF before it is gone
        return offset if text is normalised else len(clean(normalised[:offset]))

    return text, at


def _labels(
    found: _Fields, original: str, text: str, at: Callable[[int], int]
) -> tuple[tuple[Label, ...], tuple[tuple[int, int], ...], Counter[str]]:
    """The spans of `found` that can be claims in `text` (the `original` text cleaned;
    `at` maps offsets from one to the other), in text order; the (start, end) of those
    labelled as no claim; and the number of the spans not brought, by reason."""
    not_brought = found.not_brought
    placed: dict[tuple[int, int], list[str]] = {}
    not_claims = []
    for span in found.spans:
        offsets = _offsets(span, original)
        if _not_a_claim(span):
            not_brought[f"labelled {', '.join(span.names)}"] += 1
            if not isinstance(offsets, str):
                not_claims.append((at(offsets[0]), at(offsets[1])))
            continue
        if isinstance(offsets, str):
            not_brought[offsets] += 1
            continue
        start, end = at(offsets[0]), at(offsets[1])
        if text[start:end] != clean(normalise_newlines(original[offsets[0] : offsets[1]])):
            not_brought["cutting through characters removed from the text"] += 1
            continue
        start += len(text[start:end]) - len(text[start:end].lstrip())
        end -= len(text[start:end]) - len(text[start:end].rstrip())
        if start >= end:
            not_brought["holding only blank space"] += 1
        elif _inside_word(text, start) or _inside_word(text, end):
            not_brought["cutting through a word"] += 1
        elif "\n" in text[start:end]:
            not_brought["crossing a paragraph"] += 1
        else:
            names = placed.setdefault((start, end), [])
            names.extend(name for name in span.names if name not in names)
    labels: list[Label] = []
    for (start, end), names in sorted(placed.items(), key=lambda item: (item[0][0], -item[0][1])):
        if labels and start < labels[-1].end:
            not_brought["overlapping another span"] += 1
        else:
            labels.append(Label(start, end, tuple(names), found.tool))
    return tuple(labels), tuple(not_claims), not_brought


def _inside_word(text: str, offset: int) -> bool:
    """True when `offset` falls between two letters or digits of one word ("Budge|t")."""
    return 0 < offset < len(text) and text[offset - 1].isalnum() and text[offset].isalnum()


def _not_a_claim(span: _Span) -> bool:
    """True when every label of the span says it is no claim (`not_claim_labels`)."""
    return bool(span.names) and all(
        " ".join(name.replace("-", " ").replace("_", " ").split()).lower()
        in all_words("not_claim_labels")
        for name in span.names
    )


def _offsets(span: _Span, text: str) -> tuple[int, int] | str:
    """A span's offsets into `text` as Python counts them, or why it has none."""
    start, end = span.start, span.end
    if not isinstance(start, int) or not isinstance(end, int) or bool in (type(start), type(end)):
        return "without numeric offsets"
    if not 0 <= start < end <= len(text.encode("utf-16-le")) // 2:
        return "outside the text"
    if span.quoted is None or text[start:end] == span.quoted:
        return (start, end) if end <= len(text) else "outside the text"
    units = text.encode("utf-16-le")  # JavaScript's offsets count UTF-16 units
    try:
        before = units[: 2 * start].decode("utf-16-le")
        quoted = units[2 * start : 2 * end].decode("utf-16-le")
    except UnicodeDecodeError:  # an offset between the halves of a surrogate pair
        return "not matching their own text"
    if quoted != span.quoted:
        return "not matching their own text"
    return len(before), len(before) + len(quoted)


def _not_brought(reasons: Counter[str]) -> str:
    """ "3 labelled spans not brought as claims: 2 overlapping another span, 1 crossing a
    paragraph (claims never overlap or cross a paragraph)"."""
    total = sum(reasons.values())
    why = ", ".join(f"{count} {reason}" for reason, count in reasons.most_common())
    rule = reasons.keys() & {"overlapping another span", "crossing a paragraph"}
    return f"{total} labelled span{'s' * (total != 1)} not brought as claims: {why}" + (
        " (claims never overlap or cross a paragraph)" if rule else ""
    )


def _json_problem(exc: ValueError | RecursionError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return exc.msg
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc).partition(":")[0]  # e.g. "Exceeds the limit (4300 digits) for integer..."
