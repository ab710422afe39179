"""Article formats: plain text (unwrapped), Markdown, HTML (via trafilatura) and JSON Lines.

Each reader turns one file's bytes into `Record`s (a JSONL file holds many) or
`ArticleError`s that name the file and, for JSONL, the line.

Limits: an article is at most MAX_BYTES (10 MB), whether it is a file or one line of a
JSON Lines file; a JSON Lines file is at most MAX_FILE_BYTES. A line that cannot be
read (bad JSON, too deeply nested, a number too long to convert) costs only itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from .article import ArticleError, sha256_of
from .decoding import MAX_BYTES, decode
from .markdown import read_markdown
from .safe_text import clean, normalise_newlines
from .unwrap import unwrap

SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
JSONL_FIELDS = ("title", "url", "published", "source", "language", "id")
MAX_FILE_BYTES = 50 * MAX_BYTES  # a JSON Lines file holds many articles


@dataclass(frozen=True)
class Record:
    """One article's text and whatever metadata its format carried.

    `text` is clean (`safe_text.clean`) with LF line ends: what claim offsets will
    index. The metadata is as the format gave it. `line` is the record's line number
    in a JSON Lines file (None for a one-article file): such a record is one of many
    that share the file's path. `headings` are the (start, end) spans of the headings
    the format marks (Markdown's), and `notes` one printable line for each problem
    that did not stop the reading (a front matter that could not be read).
    """

    path: str
    text: str
    sha256: str
    encoding: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    source: str | None = None
    language: str | None = None
    external_id: str | None = None
    line: int | None = None
    author: str | None = None
    headings: tuple[tuple[int, int], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        """The file, and for a JSON Lines record its line: "path" or "path:line"."""
        return self.path if self.line is None else f"{self.path}:{self.line}"


def format_of(path: str, data: bytes) -> str:
    """The format named by the file's ending; sniffed from the content otherwise."""
    by_suffix = SUFFIXES.get(PurePath(path).suffix.lower())
    if by_suffix:
        return by_suffix
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def read_records(path: str, data: bytes) -> Iterator[Record | ArticleError]:
    """The records of one file's bytes, in order, or an ArticleError for each that
    cannot be read (the whole file's, or one JSON Lines line's)."""
    fmt = format_of(path, data)
    try:
        if fmt == "jsonl":
            yield from _jsonl(path, data)
        elif fmt == "html":
            yield _html(path, data)
        else:
            yield _text_or_markdown(path, data, fmt)
    except ArticleError as exc:
        yield exc


def _jsonl(path: str, data: bytes) -> Iterator[Record | ArticleError]:
    """One article per line; a bad line costs only itself, and so does a line whose
    `id` an earlier line of the file already has."""
    if len(data) > MAX_FILE_BYTES:
        raise ArticleError(
            f"{path}: too large for a JSON Lines file (the limit is {MAX_FILE_BYTES / 1e6:.0f} MB)"
        )
    first_line_of: dict[str, int] = {}  # id -> the line that used it first
    for number, raw in enumerate(data.splitlines(), 1):
        if not raw.strip():
            continue
        record = _jsonl_record(path, number, raw)
        if isinstance(record, Record) and record.external_id is not None:
            first = first_line_of.setdefault(record.external_id, number)
            if first != number:  # two articles cannot be one: the later is not taken
                record = ArticleError(
                    f"{path}:{number}: id {record.external_id!r} is already used on line "
                    f"{first}; not imported"
                )
        yield record


def _jsonl_record(path: str, number: int, raw: bytes) -> Record | ArticleError:
    """The record on line `number`, or why it cannot be one."""
    where = f"{path}:{number}"
    if len(raw) > MAX_BYTES:
        return ArticleError(
            f"{where}: too large for an article ({len(raw) / 1e6:.1f} MB; "
            f"the limit is {MAX_BYTES / 1e6:.0f} MB)"
        )
    try:
        obj = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError...
        return ArticleError(f"{where}: not valid JSON ({_json_problem(exc)})")
    if not isinstance(obj, dict):
        return ArticleError(f'{where}: expected a JSON object with a "text" field')
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return ArticleError(f'{where}: no "text" field, or it is empty')
    meta = {}
    for name in JSONL_FIELDS:
        value = obj.get(name)
        if value is not None and not isinstance(value, (str, int, float)):
            return ArticleError(f'{where}: "{name}" should be a string')
        if value is not None and str(value).strip():
            meta["external_id" if name == "id" else name] = str(value).strip()
    return Record(path, _clean(text), sha256_of(raw.strip()), "utf-8", line=number, **meta)


def _clean(text: str) -> str:
    return clean(normalise_newlines(text))


def _json_problem(exc: ValueError | RecursionError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return exc.msg
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc).partition(":")[0]  # e.g. "Exceeds the limit (4300 digits) for integer..."


def _html(path: str, data: bytes) -> Record:
    try:
        import trafilatura  # optional, and slow to import: only HTML pays for it
    except ImportError:
        raise ArticleError(
            f"{path}: reading HTML needs trafilatura: pip install 'factmark[html]'"
        ) from None
    # Decoded and cleaned first: trafilatura drops a control character but keeps the
    # rest of its escape sequence, which cleaning afterwards could not tell from text.
    page = decode(path, data).text
    doc = trafilatura.bare_extraction(
        page, with_metadata=True, include_comments=False, include_tables=False
    )
    if doc is None or not (doc.text or "").strip():
        raise ArticleError(f"{path}: no article text found in this HTML page")
    # trafilatura ends each paragraph with one newline; a blank line reads better.
    text = re.sub(r"\n+", "\n\n", _clean(doc.text).strip())
    return Record(
        path,
        text,
        sha256_of(data),
        "html",
        title=doc.title,
        url=doc.url,
        published=doc.date,
        source=doc.sitename,
    )


def _text_or_markdown(path: str, data: bytes, fmt: str) -> Record:
    """A plain-text file unwrapped into paragraphs, or a Markdown file's reading text."""
    decoded = decode(path, data)
    if fmt == "text":
        return Record(path, unwrap(decoded.text), sha256_of(data), decoded.encoding)
    read = read_markdown(path, decoded.text)
    return Record(
        path,
        read.text,
        sha256_of(data),
        decoded.encoding,
        headings=read.headings,
        notes=read.notes,
        **read.meta,
    )
