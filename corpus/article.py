"""The article record that every later stage (store, reader, export) relies on."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


class ArticleError(ValueError):
    """An input that cannot become an article; the message names the file (and line)."""


@dataclass(frozen=True)
class Article:
    """One article as the reader sees it.

    `text` is exactly what claim offsets index: every later offset is into this string.
    `sha256` is of the original bytes, so the same file imported twice is recognised.
    """

    path: str
    title: str
    text: str
    sha256: str
    published: str | None = None
    source: str | None = None
    language: str = "und"
    url: str | None = None
    external_id: str | None = None
    extra: dict = field(default_factory=dict, compare=False)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
