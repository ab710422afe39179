"""The article record that every later stage (store, reader, export) relies on."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Region:
    """A stretch of the text that is not plain body: a title, caption, boilerplate...

    `kind` says which; a `language` region is a paragraph in another language than
    the article's, with its code in `language`.
    """

    start: int
    end: int
    kind: str
    language: str | None = None


@dataclass(frozen=True)
class Claim:
    """A span worth checking: text[start:end], how sure we are, and why.

    `cues` name the evidence for the score (positive cues first); `source` is who the
    claim is attributed to, `vague_source` whether no one identifiable is named.
    """

    start: int
    end: int
    score: float
    cues: tuple[str, ...]
    attributed: bool = False
    source: str | None = None
    vague_source: bool = False


@dataclass(frozen=True)
class Label:
    """A span another annotation tool labelled: text[start:end], the names it was
    given there (one or more: "CLAIM", "STATISTIC"...) and the tool ("doccano",
    "label-studio", "prodigy"). It is brought in as a claim a reader added."""

    start: int
    end: int
    names: tuple[str, ...]
    tool: str


class ArticleError(ValueError):
    """An input that cannot become an article; the message names the file (and line)."""


@dataclass(frozen=True)
class Article:
    """One article as the reader sees it.

    `text` is exactly what claim offsets index: every later offset is into this string.
    `sha256` is of the original bytes, so the same file imported twice is recognised.
    `path` is printable (a file name that is not UTF-8 has U+FFFD for its bad bytes).
    `author` is the byline's name(s), as written ("Jane Roe and John Smith").

    `path_identifies` says whether `path` names this article alone, so that a later
    article read from the same path is an edited version of it (updated in place):
    true for a one-article file (text, Markdown, HTML); false for a record of a JSON
    Lines file, which is one of many sharing the path (a record with an `id` is
    identified by `external_id` instead), and for standard input, which names no file.

    `labels` are the spans another annotation tool labelled in the text (no two
    overlap, none crosses a line break); `notes` what the reader should hear about
    how the article was read, in one line each naming it ("x.txt: encoding guessed
    as Windows-1252", "x.md: front matter ignored, not valid YAML on line 3").
    """

    path: str
    title: str
    text: str
    sha256: str
    published: str | None = None
    source: str | None = None
    author: str | None = None
    language: str = "und"
    url: str | None = None
    external_id: str | None = None
    path_identifies: bool = True
    regions: tuple[Region, ...] = ()
    claims: tuple[Claim, ...] = ()
    labels: tuple[Label, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)
    extra: dict = field(default_factory=dict, compare=False)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
