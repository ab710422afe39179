"""Article formats: plain text, Markdown, HTML (via trafilatura) and JSON Lines.

Each reader turns one file's bytes into `Record`s (a JSONL file holds many) or
`ArticleError`s that name the file and, for JSONL, the line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from .article import ArticleError, sha256_of
from .decoding import MAX_BYTES, decode

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


@dataclass(frozen=True)
class Record:
    """One article's text and whatever metadata its format carried."""

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
    fmt = format_of(path, data)
    try:
        if fmt == "jsonl":
            yield from _jsonl(path, data)
        elif fmt == "html":
            yield _html(path, data)
        else:
            decoded = decode(path, data)
            text, meta = (decoded.text, {}) if fmt == "text" else markdown_to_text(decoded.text)
            yield Record(path, text, sha256_of(data), decoded.encoding, **meta)
    except ArticleError as exc:
        yield exc


def _jsonl(path: str, data: bytes) -> Iterator[Record | ArticleError]:
    """One article per line; a bad line costs only itself."""
    if len(data) > 50 * MAX_BYTES:
        raise ArticleError(f"{path}: too large ({len(data) / 1e6:.0f} MB)")
    for number, raw in enumerate(data.splitlines(), 1):
        if not raw.strip():
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8"
            yield ArticleError(f"{where}: not valid JSON ({reason})")
            continue
        if not isinstance(obj, dict):
            yield ArticleError(f'{where}: expected a JSON object with a "text" field')
            continue
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            yield ArticleError(f'{where}: no "text" field, or it is empty')
            continue
        meta = {}
        for name in JSONL_FIELDS:
            value = obj.get(name)
            if value is not None and not isinstance(value, (str, int, float)):
                yield ArticleError(f'{where}: "{name}" should be a string')
                break
            if value is not None and str(value).strip():
                meta["external_id" if name == "id" else name] = str(value).strip()
        else:
            yield Record(path, text, sha256_of(raw.strip()), "utf-8", **meta)


def _html(path: str, data: bytes) -> Record:
    try:
        import trafilatura  # optional, and slow to import: only HTML pays for it
    except ImportError:
        raise ArticleError(
            f"{path}: reading HTML needs trafilatura: pip install 'factmark[html]'"
        ) from None
    if len(data) > MAX_BYTES:
        decode(path, data)  # raises the size error
    doc = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=False
    )
    if doc is None or not (doc.text or "").strip():
        raise ArticleError(f"{path}: no article text found in this HTML page")
    # trafilatura ends each paragraph with one newline; a blank line reads better.
    text = re.sub(r"\n+", "\n\n", doc.text.strip())
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


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_MD_RULES = (
    (re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$", re.M), ""),  # horizontal rules
    (re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.M), r"\1"),  # headings
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # block quotes
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their words
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # inline code
)


def markdown_to_text(markdown: str) -> tuple[str, dict[str, str]]:
    """Plain reading text from Markdown, and title/date/source/url from front matter."""
    meta: dict[str, str] = {}
    match = _FRONT_MATTER.match(markdown)
    if match:
        keys = {
            "title": "title",
            "date": "published",
            "published": "published",
            "source": "source",
            "url": "url",
        }
        for line in match.group(1).splitlines():
            key, _, value = line.partition(":")
            if key.strip().lower() in keys and value.strip():
                meta[keys[key.strip().lower()]] = value.strip().strip("\"'")
        markdown = markdown[match.end() :]
    for pattern, replacement in _MD_RULES:
        markdown = pattern.sub(replacement, markdown)
    return markdown.strip("\n"), meta
