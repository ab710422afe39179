"""From the bytes of one file to finished Article records, ready to store.

`read_articles` reads a file in its format (text, Markdown, HTML, JSON); `analyse`
is the step after it, on text alone: import uses it on what the format reader gave,
and `factmark redetect` on the text already stored.
"""

from __future__ import annotations

from dataclasses import replace

from .article import Article, ArticleError, Region
from .claims import detect
from .cues import Evidence
from .dates import states
from .formats import SUFFIXES, Record, format_of, read_records
from .language import article_languages
from .loaded import loaded_regions
from .safe_text import clean, file_name, normalise_newlines
from .structure import analyse as structure_of
from .vocabulary import HEADING
from .words import Words

# The file endings a folder walk picks up; a file named explicitly is read whatever its name.
ARTICLE_SUFFIXES = frozenset(SUFFIXES)


def read_articles(path: str, data: bytes, *, named: bool = True) -> list[Article | ArticleError]:
    """Every article in a file (a JSON file may hold many), or why each could not be read.

    `path` is only shown, never opened: the articles and messages carry it printable
    (`safe_text.file_name`: bytes that are not UTF-8 and hidden characters escaped).
    `named` is False for bytes that come from no file (standard input), whose path
    then identifies no article.
    An article whose analysis fails for any reason costs only itself: an ArticleError
    naming its file (and line).
    """
    shown = file_name(path)
    try:
        records = list(read_records(shown, data))
    except Exception as exc:  # a reader's bug on one odd file must not end the import
        return [ArticleError(f"{shown}: could not be read ({type(exc).__name__})")]
    page = data.decode("utf-8", "replace") if format_of(path, data) == "html" else None
    return [
        item if isinstance(item, ArticleError) else _article(item, named, page) for item in records
    ]


def _article(record: Record, named: bool, page: str | None) -> Article | ArticleError:
    if not record.text.strip():
        return ArticleError(f"{record.where}: only blank space, nothing to import")
    extra = {"encoding": record.encoding}
    try:
        article = analyse(
            record.path,
            record.text,
            sha256=record.sha256,
            title=record.title,
            published=_stated_date(record.published, page),
            source=record.source,
            author=record.author,
            language=record.language,
            url=record.url,
            external_id=record.external_id,
            path_identifies=named and not record.one_of_many,
            headings=record.headings,
            extra=extra,
        )
    except Exception as exc:  # a bug on one odd article must not end the whole import
        return ArticleError(f"{record.where}: could not be analysed ({type(exc).__name__})")
    claims = tuple(
        claim
        for claim in article.claims
        if not any(claim.start < end and start < claim.end for start, end in record.not_claims)
    )
    return replace(article, claims=claims, labels=record.labels, notes=record.notes)


def _stated_date(published: str | None, page: str | None) -> str | None:
    """The format's date, unless an HTML page does not state it. trafilatura completes
    a year or a month alone to its first day, and a date it cannot read to the first
    day of its year ("2020-13-45" becomes 2020-01-01): a first of the month that the
    page never writes is such a guess, and no date is better than a wrong one."""
    if page is None or not published or not published.endswith("-01"):
        return published
    return published if states(page, published[:10]) else None


def _safe(value: str | None) -> str | None:
    return clean(normalise_newlines(value)).strip() or None if value else None


def analyse(
    path: str,
    text: str,
    *,
    sha256: str,
    title: str | None = None,
    published: str | None = None,
    source: str | None = None,
    author: str | None = None,
    language: str | None = None,
    url: str | None = None,
    external_id: str | None = None,
    path_identifies: bool = True,
    headings: tuple[tuple[int, int], ...] = (),
    extra: dict | None = None,
) -> Article:
    """The Article for `text`: its structure, languages, loaded words and claims.

    `text` must be clean already (`safe_text.clean`, LF line ends): it is kept exactly,
    so every offset found indexes it. The metadata, when given, wins over what the
    text suggests: a `title` or `published` date from the format, a declared
    `language` (a stored article keeps its own), an `author` (else the byline's). A
    numeric date that reads two ways (03/04/2020) is read in the article's language's
    order. `headings` are (start, end) spans the format marks as headings (Markdown's):
    each becomes a "heading" region, never a claim, unless the text's structure already
    gave that stretch a region (the title). Blank text gives an article without
    claims; refusing it is the caller's choice.
    """
    structure = structure_of(
        text, title=_safe(title), published=_safe(published), source=_safe(source)
    )
    words = Words(text)  # tokenised once, for languages, loaded words and claims alike
    found, foreign = article_languages(text, structure.regions, _safe(language), words)
    regions = structure.regions + _heading_regions(headings, structure.regions) + foreign
    evidence = Evidence(text, words)
    regions += loaded_regions(text, found, regions, evidence)
    return Article(
        path=path,
        title=structure.title,
        text=text,
        sha256=sha256,
        published=structure.published_in(found),
        source=structure.source,
        author=_safe(author) or structure.author,
        language=found,
        url=_safe(url),
        external_id=_safe(external_id),
        path_identifies=path_identifies,
        regions=tuple(sorted(regions, key=lambda r: (r.start, r.kind))),
        claims=detect(text, found, regions, evidence=evidence),
        extra={} if extra is None else extra,
    )


def _heading_regions(
    headings: tuple[tuple[int, int], ...], found: tuple[Region, ...]
) -> tuple[Region, ...]:
    """A "heading" region for each heading span that no region found overlaps."""
    return tuple(
        Region(start, end, HEADING)
        for start, end in headings
        if not any(r.start < end and start < r.end for r in found)
    )
