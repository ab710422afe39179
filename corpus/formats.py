"""Article formats: plain text (unwrapped), Markdown, HTML (via trafilatura), and the
JSON formats of json_formats.py (JSON Lines, JSON documents, annotation tools' exports).

Each reader turns one file's bytes into `Record`s (a JSON file may hold many) or
`ArticleError`s that name the file and, for JSON, the line or array element.

Limits: an article is at most MAX_BYTES (10 MB), whether it is a file or one record
of a JSON file; a JSON file is at most MAX_FILE_BYTES.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from .article import ArticleError, Label, sha256_of
from .decoding import MAX_BYTES, Decoded, decode
from .markdown import read_markdown
from .pages import PAGE_BREAK, join_pages
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
    ".json": "json",
}
MAX_FILE_BYTES = 50 * MAX_BYTES  # a JSON file holds many articles


@dataclass(frozen=True)
class Record:
    """One article's text and whatever metadata its format carried.

    `text` is clean (`safe_text.clean`) with LF line ends: what claim offsets will
    index. The metadata is as the format gave it. `line` is the record's line number
    in a JSON Lines file, `index` its place (from 0) in a JSON array (both None for a
    one-article file): such a record is one of many that share the file's path.
    `headings` are the (start, end) spans of the headings the format marks
    (Markdown's); `labels` the spans an annotation tool labelled in `text` as claims,
    `not_claims` those it labelled as no claim (the detector's claims yield); `notes`
    what the reader should hear about how the record was read, one line each naming
    it (an encoding guessed, a front matter that could not be read).
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
    index: int | None = None
    labels: tuple[Label, ...] = ()
    not_claims: tuple[tuple[int, int], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        """The file, and for a JSON record its line or element: "path", "path:line"
        or "path[index]"."""
        if self.line is not None:
            return f"{self.path}:{self.line}"
        return self.path if self.index is None else f"{self.path}[{self.index}]"

    @property
    def one_of_many(self) -> bool:
        """True for a record of a file that holds many (JSON Lines, a JSON array)."""
        return self.line is not None or self.index is not None


def format_of(path: str, data: bytes) -> str:
    """The format named by the file's ending; sniffed from the content otherwise."""
    by_suffix = SUFFIXES.get(PurePath(path).suffix.lower())
    if by_suffix:
        return by_suffix
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{"):
        return "jsonl"  # read as one document when its first line is not a whole object
    if head.startswith(b"[") and head[1:].lstrip().startswith((b"{", b"]")):
        return "json"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def read_records(path: str, data: bytes) -> Iterator[Record | ArticleError]:
    """The records of one file's bytes, in order, or an ArticleError for each that
    cannot be read (the whole file's, or one JSON line's or element's)."""
    fmt = format_of(path, data)
    try:
        if fmt in ("json", "jsonl"):
            from . import json_formats  # imported here: it builds this module's Records

            yield from (json_formats.read_json if fmt == "json" else json_formats.read_jsonl)(
                path, data
            )
        elif fmt == "html":
            yield _html(path, data)
        else:
            yield _text_or_markdown(path, data, fmt)
    except ArticleError as exc:
        yield exc


def _notes(path: str, decoded: Decoded) -> tuple[str, ...]:
    return (f"{path}: {decoded.note}",) if decoded.note else ()


def _clean(text: str) -> str:
    return clean(normalise_newlines(text))


def _html(path: str, data: bytes) -> Record:
    try:
        import trafilatura  # optional, and slow to import: only HTML pays for it
    except ImportError:
        raise ArticleError(
            f"{path}: reading HTML needs the html extra (trafilatura): install it as "
            "factmark was installed: pip install 'factmark[html]', pipx install --force "
            "'factmark[html]' or uv tool install 'factmark[html]' (from a clone: pip install "
            "'.[html]')"
        ) from None
    # Decoded and cleaned first: trafilatura drops a control character but keeps the
    # rest of its escape sequence, which cleaning afterwards could not tell from text.
    decoded = decode(path, data)
    doc = trafilatura.bare_extraction(
        decoded.text, with_metadata=True, include_comments=False, include_tables=False
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
        author=doc.author,
        notes=_notes(path, decoded),
    )


def _text_or_markdown(path: str, data: bytes, fmt: str) -> Record:
    """A plain-text file unwrapped into paragraphs, or a Markdown file's reading text."""
    decoded = decode(path, data, pages=fmt == "text")
    guessed = _notes(path, decoded)
    if fmt == "text":
        typeset = PAGE_BREAK in decoded.text  # a PDF's copy: its hyphens are hyphenation
        text = unwrap(join_pages(decoded.text), typeset=typeset)
        return Record(path, text, sha256_of(data), decoded.encoding, notes=guessed)
    read = read_markdown(path, decoded.text)
    return Record(
        path,
        read.text,
        sha256_of(data),
        decoded.encoding,
        headings=read.headings,
        notes=guessed + read.notes,
        **read.meta,
    )
