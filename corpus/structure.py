"""An article's structure: title, dateline, source, and the regions that are not body.

News text copied from a site carries furniture: a section label, a dateline, photo
captions and credits, "Lire aussi" links, share buttons, tag and comment headers,
a source line. The reader keeps all of it (it is what the reader saw) but marks it,
so claim detection skips it and the reader can dim it. Cues are generic (line shape,
position, credit markers) with phrase lists in the lexicon files, not site names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .article import Region
from .dates import DateMatch, find_dates, parse_date
from .lexicon import all_entries

# Region kinds that hold no body text, so never claims.
NON_BODY = frozenset({"title", "dateline", "label", "caption", "boilerplate", "source"})
MAX_TITLE = 200
MAX_FURNITURE = 160  # boilerplate lines are short
MAX_CAPTION = 400
HEAD_LINES = 6  # datelines and labels sit in the first few lines
_BULLETS = "•·*-–—>#▪►"
_END_PUNCT = ".!?:;…»\"”'’)"


@dataclass(frozen=True)
class Line:
    start: int  # of the first non-blank character
    end: int  # after the last non-blank character
    text: str  # stripped
    blank_before: bool
    blank_after: bool


@dataclass(frozen=True)
class Structure:
    title: str
    title_found: bool
    published: str | None
    source: str | None
    regions: tuple[Region, ...]


def lines_of(text: str) -> list[Line]:
    """Non-blank lines with their offsets, and whether blank lines surround them."""
    raw: list[tuple[int, int, str]] = []
    pos = 0
    for piece in text.split("\n"):
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            raw.append((pos + lead, pos + lead + len(stripped), stripped))
        else:
            raw.append((pos, pos, ""))
        pos += len(piece) + 1
    result = []
    for i, (start, end, content) in enumerate(raw):
        if content:
            before = i == 0 or not raw[i - 1][2]
            after = i == len(raw) - 1 or not raw[i + 1][2]
            result.append(Line(start, end, content, before, after))
    return result


@cache
def _starts_pattern(name: str) -> re.Pattern[str]:
    phrases = sorted(all_entries(name), key=len, reverse=True)
    return re.compile(
        r"(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![\w-])", re.IGNORECASE
    )


@cache
def _credit_pattern() -> re.Pattern[str]:
    """Credit markers, in lower case: searching a lowered line is several times faster
    than a case-insensitive search, and every body line is searched."""
    markers = sorted({m.lower() for m in all_entries("credits")}, key=len, reverse=True)
    parts = [re.escape(m) + (r"(?!\w)" if m[-1].isalnum() else "") for m in markers]
    return re.compile("|".join(parts))


# "Téhéran/IRNA": a place and an agency acronym ending the line.
_AGENCY = re.compile(r"\w/[A-Z]{2,}\s*$")


@cache
def _source_pattern() -> re.Pattern[str]:
    labels = "|".join(map(re.escape, all_entries("source_labels")))
    return re.compile(rf"^(?:{labels})\s*:\s*(?P<name>\S.{{0,80}})$", re.IGNORECASE)


def _normalise(line: str) -> str:
    return " ".join(line.replace("\xa0", " ").split())


def _is_boilerplate(line: Line) -> bool:
    return len(line.text) <= MAX_FURNITURE and bool(
        _starts_pattern("boilerplate").match(_normalise(line.text))
    )


def _is_caption(line: Line) -> bool:
    return len(line.text) <= MAX_CAPTION and bool(
        _credit_pattern().search(line.text.lower()) or _AGENCY.search(line.text)
    )


def _is_dateline(line: Line) -> bool:
    """A short line that is mostly a date, and not a sentence."""
    if len(line.text) > 60 or line.text.endswith("."):
        return False
    dates = find_dates(line.text)
    rest = len(line.text) - sum(d.end - d.start for d in dates)
    return bool(dates) and rest <= 25


def _is_label(line: Line) -> bool:
    """A section label ("TV", "Monde"): a word or two, alone, above the title."""
    words = line.text.split()
    return len(words) <= 2 and len(line.text) <= 20 and line.text[-1] not in _END_PUNCT


def _title_like(line: Line) -> bool:
    text = line.text.rstrip()
    return len(text) <= MAX_TITLE and (not text.endswith(".") or text.endswith("..."))


def _is_heading(line: Line) -> bool:
    """An intertitle: a short paragraph of its own with no closing punctuation."""
    return (
        line.blank_before
        and line.blank_after
        and len(line.text) <= 120
        and len(line.text.split()) >= 2
        and line.text[-1] not in _END_PUNCT
    )


def _strip_bullet(line: Line) -> tuple[int, str]:
    stripped = line.text.lstrip(_BULLETS + " \t\xa0")
    return line.start + len(line.text) - len(stripped), stripped


def analyse(
    text: str,
    *,
    title: str | None = None,
    published: str | None = None,
    source: str | None = None,
) -> Structure:
    """Find the title, dateline, source and non-body regions of an article's text.

    `title`, `published` and `source` come from the format's metadata when it has any;
    they win over what is found in the text.
    """
    lines = lines_of(text)
    regions: list[Region] = []
    found_title: str | None = None
    dateline_dates: list[DateMatch] = []
    found_source: str | None = None
    body_started = False

    for index, line in enumerate(lines):
        kind = None
        if _is_boilerplate(line):
            kind = "boilerplate"
        elif (match := _source_pattern().match(_normalise(line.text))) and (
            index >= len(lines) - 3 or index < 2
        ):
            kind, found_source = "source", found_source or match.group("name").strip()
        elif _is_caption(line):
            kind = "caption"
        elif not body_started and index < HEAD_LINES and _is_dateline(line):
            kind = "dateline"
            dateline_dates = dateline_dates or find_dates(line.text)
        elif not body_started and found_title is None:
            start, stripped = _strip_bullet(line)
            if (
                title is not None
                and _normalise(stripped).casefold() == _normalise(title).casefold()
            ):
                found_title = stripped
                regions.append(Region(start, line.end, "title"))
                continue
            if title is None and index < HEAD_LINES and _is_label(line) and index + 1 < len(lines):
                kind = "label"
            elif title is None and _title_like(line):
                found_title = stripped
                regions.append(Region(start, line.end, "title"))
                continue
            else:
                body_started = True
        else:
            body_started = True
            if _is_heading(line):
                kind = "heading"
        if kind:
            regions.append(Region(line.start, line.end, kind))

    return Structure(
        title=_clean_title(title) or found_title or _fallback_title(lines),
        title_found=found_title is not None,
        published=_published(published, dateline_dates, text),
        source=source or found_source,
        regions=tuple(regions),
    )


def _clean_title(title: str | None) -> str | None:
    return _normalise(title) if title and title.strip() else None


def _fallback_title(lines: list[Line]) -> str:
    """No title line: the start of the first sentence, shortened at a word boundary."""
    if not lines:
        return "(untitled)"
    first = _normalise(lines[0].text)
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    if len(sentence) <= 90:
        return sentence
    return sentence[:90].rsplit(" ", 1)[0] + "…"


def _published(metadata: str | None, dateline: list, text: str) -> str | None:
    """The metadata date, else the dateline's; a dateline without a year borrows the
    year of a full date elsewhere in the article, and stays unknown without one."""
    if metadata:
        return parse_date(metadata)
    if not dateline:
        return None
    first = dateline[0]
    if first.year:
        return first.iso()
    years = [d.year for d in find_dates(text) if d.year]
    return first.iso(max(years)) if years else None
