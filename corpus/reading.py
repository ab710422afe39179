"""From the bytes of one file to finished Article records, ready to store."""

from __future__ import annotations

from .article import Article, ArticleError
from .claims import detect
from .cues import Evidence
from .formats import SUFFIXES, Record, read_records
from .language import article_languages
from .loaded import loaded_regions
from .safe_text import clean, normalise_newlines
from .structure import analyse
from .words import Words

# The file endings a folder walk picks up; a file named explicitly is read whatever its name.
ARTICLE_SUFFIXES = frozenset(SUFFIXES)


def read_articles(path: str, data: bytes) -> list[Article | ArticleError]:
    """Every article in a file (a JSONL file holds many), or why each could not be read."""
    return [
        item if isinstance(item, ArticleError) else _article(item)
        for item in read_records(path, data)
    ]


def _safe(value: str | None) -> str | None:
    return clean(normalise_newlines(value)).strip() or None if value else None


def _article(record: Record) -> Article | ArticleError:
    text = clean(normalise_newlines(record.text))
    if not text.strip():
        return ArticleError(f"{record.path}: only blank space, nothing to import")
    structure = analyse(
        text,
        title=_safe(record.title),
        published=_safe(record.published),
        source=_safe(record.source),
    )
    words = Words(text)  # tokenised once, for languages, loaded words and claims alike
    language, foreign = article_languages(text, structure.regions, _safe(record.language), words)
    regions = structure.regions + foreign
    evidence = Evidence(text, words)
    regions += loaded_regions(text, language, regions, evidence)
    return Article(
        path=record.path,
        title=structure.title,
        text=text,
        sha256=record.sha256,
        published=structure.published,
        source=structure.source,
        language=language,
        url=_safe(record.url),
        external_id=_safe(record.external_id),
        regions=tuple(sorted(regions, key=lambda r: (r.start, r.kind))),
        claims=detect(text, language, regions, evidence=evidence),
        extra={"encoding": record.encoding},
    )
