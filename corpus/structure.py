"""An article's structure: title, date, author, source, and the regions that are not body.

News text copied from a site carries furniture: a section label, a dateline, a byline,
photo captions and credits, "Lire aussi" links, share buttons, tag and comment
headers, a source line. The reader keeps all of it (it is what the reader saw) but
marks it, so claim detection skips it and the reader can dim it. A wire story's
dateline ("WASHINGTON (Reuters) - ...") starts the body: it names the source and
dates the story, and the rest of its paragraph may hold claims. Cues are generic
(line shape, position, credit words) with phrase lists in the lexicon files, not
site names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from .article import Region
from .bylines import head_line, is_contribution, wire_dateline
from .captions import ends_with_credit, is_credit, is_figure_caption
from .dates import DateMatch, find_dates, month_first, parse_date
from .lexicon import all_entries
from .sentences import split
from .vocabulary import HEADING

# Region kinds that hold no body text, so never claims.
MAX_TITLE = 200
MAX_FURNITURE = 160  # boilerplate lines are short
MAX_FOOTER = 400
MAX_CAPTION = 400
MAX_PUBLISHER_WORDS = 8
HEAD_LINES = 6  # datelines, bylines and labels sit in the first few lines
TAIL_LINES = 3  # source lines and some bylines close the article
_BULLETS = "•·*-–—>#▪►"
_WORD = re.compile(r"\w")
# Pieces of a masthead line: "THE CIVIC LEDGER -- Weekly notes on city budgets".
_PIECES = re.compile(r"\s+(?:--|[|•·–—])\s+")
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
    """What `analyse` found. The date comes from the metadata when it holds one
    (`metadata_date`, as given), else from the text (`date`: a dateline's, a
    byline's or a wire dateline's, its year borrowed from the article if missing)."""

    title: str
    title_found: bool
    source: str | None
    author: str | None
    regions: tuple[Region, ...]
    metadata_date: str | None = None
    date: DateMatch | None = None

    @property
    def published(self) -> str | None:
        """The ISO date, an ambiguous numeric one ("03/04/2020") read day first."""
        return self.published_in(None)

    def published_in(self, language: str | None) -> str | None:
        """The ISO date for an article in `language`: an ambiguous numeric date read in
        its order (`dates.month_first`). None when no possible date with a year is found."""
        found = parse_date(self.metadata_date, language) if self.metadata_date else None
        if found is None and self.date is not None:
            found = self.date.read(month_first(language)).iso()
        return found


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
def _source_pattern() -> re.Pattern[str]:
    labels = "|".join(map(re.escape, all_entries("source_labels")))
    return re.compile(rf"^(?:{labels})\s*:\s*(?P<name>\S.{{0,80}})$", re.IGNORECASE)


def _normalise(line: str) -> str:
    return " ".join(line.replace("\xa0", " ").split())


def _is_boilerplate(line: Line, in_tail: bool) -> bool:
    """A line of furniture: it opens with a `boilerplate` phrase, and is short (a mail's
    footer, at the very end, may run to MAX_FOOTER: "You are receiving this...")."""
    return len(line.text) <= (MAX_FOOTER if in_tail else MAX_FURNITURE) and bool(
        _starts_pattern("boilerplate").match(_normalise(line.text))
    )


def _is_caption(lines: list[Line], index: int) -> bool:
    """A short line ending with a photo credit, a credit line, or a paragraph of its own
    beside a credit line (the two standing apart from the text around them)."""
    line = lines[index]
    if len(line.text) > MAX_CAPTION:
        return False
    if ends_with_credit(line.text) or is_credit(line.text) or is_figure_caption(line.text):
        return True
    above = lines[index - 1] if index else None
    below = lines[index + 1] if index + 1 < len(lines) else None
    if below and line.blank_before and not line.blank_after and below.blank_after:
        return is_credit(below.text)
    if above and line.blank_after and not line.blank_before and above.blank_before:
        return is_credit(above.text)
    return False


def _is_publisher(lines: list[Line], index: int, after_title: bool) -> bool:
    """A newsletter's masthead or a report's publisher: a short name standing in one
    block with the issue's date line, above the title ("THE CIVIC LEDGER" / "Issue 112
    | 2020/09/27"), or right under the title, before its date line ("Regional Housing
    Review 2020" / "Northfield Planning Council" / "Published 30 November 2020")."""
    line = lines[index]
    words = line.text.split()
    if (
        index + 1 >= len(lines)
        or len(words) > MAX_PUBLISHER_WORDS
        or not line.text[0].isupper()
        or line.text[-1] in _END_PUNCT
        or any(c.isdigit() or c in "|•" for c in line.text)
    ):
        return False
    below = lines[index + 1]
    date_line = head_line(below.text)
    if date_line is None or date_line.kind != "dateline":
        return False
    if after_title:  # title, name, then the date line a paragraph below
        return not line.blank_before and line.blank_after and index >= 1
    return (  # name and date in one block, then the title
        not line.blank_after
        and below.blank_after
        and index + 2 < len(lines)
        and _title_like(lines[index + 2])
        and not _is_label(line)
    )


def _masthead(lines: list[Line], index: int) -> str | None:
    """The publication's name when the line at `index` is a masthead in capitals above
    the title ("THE CIVIC LEDGER -- Weekly notes", "CHAMBRE RÉGIONALE DES COMPTES"): its
    first piece is in capitals, of two words or more, and the next line that is neither
    a date line, a byline nor a rule is a title in mixed case. None otherwise."""
    name = _PIECES.split(lines[index].text, maxsplit=1)[0].strip()
    if len(name.split()) < 2 or not name.isupper() or len(name.split()) > MAX_PUBLISHER_WORDS:
        return None
    for line in lines[index + 1 : index + HEAD_LINES]:
        if head_line(line.text) is not None or not _WORD.search(line.text):
            continue
        mixed = any(c.islower() for c in line.text) and len(line.text.split()) >= 3
        return name if mixed and _title_like(line) else None
    return None


def _is_label(line: Line) -> bool:
    """A section label ("TV", "Monde"): a word or two, alone, above the title."""
    words = line.text.split()
    return len(words) <= 2 and len(line.text) <= 20 and line.text[-1] not in _END_PUNCT


def _title_like(line: Line) -> bool:
    """A line that can be a title: short, not closed by a full stop, and one sentence
    ("The city spent 6 million in 2021. Fees rose 2 percent. See the chart" is text)."""
    text = line.text.rstrip()
    return (
        len(text) <= MAX_TITLE
        and (not text.endswith(".") or text.endswith("..."))
        and len(split(text)) < 3
    )


def _is_heading(line: Line) -> bool:
    """An intertitle: a short paragraph of its own with no closing punctuation (one
    word only if capitalised: "Summary", "Perspectives")."""
    words = line.text.split()
    return (
        line.blank_before
        and line.blank_after
        and len(line.text) <= 120
        and (len(words) >= 2 or line.text[0].isupper())
        and line.text[-1] not in _END_PUNCT + ","  # "Hello again," greets
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
    """Find the title, date, author, source and non-body regions of an article's text.

    `title`, `published` and `source` come from the format's metadata when it has any;
    they win over what is found in the text (a `published` that holds no possible
    date leaves the text's date). The source, else, is a source line's ("SOURCE: X"),
    else the agency of the wire dateline opening the body; the author is the first
    byline's.
    """
    lines = lines_of(text)
    regions: list[Region] = []
    found_title: str | None = None
    dates: list[DateMatch] = []
    found_source: str | None = None
    agency: str | None = None
    author: str | None = None
    body_started = False

    for index, line in enumerate(lines):
        kind = None
        in_head = not body_started and index < HEAD_LINES
        in_tail = index >= len(lines) - TAIL_LINES
        if _is_boilerplate(line, in_tail):
            kind = "boilerplate"
        elif (match := _source_pattern().match(_normalise(line.text))) and (in_tail or index < 2):
            kind, found_source = "source", found_source or match.group("name").strip()
        elif (wire := wire_dateline(line.text)) is not None:
            if not body_started:  # it opens the story: it names and dates it
                agency, dates = wire.agency, dates or list(wire.dates)
            body_started = True  # the rest of the line is body text
            regions.append(Region(line.start, line.start + wire.end, "dateline"))
        elif _is_caption(lines, index):
            kind = "caption"
        elif (
            (in_head or in_tail)
            and (head := head_line(line.text))
            and (in_head or head.kind == "byline")
        ):
            kind, author = head.kind, author or head.author
            dates = dates or list(head.dates)
            found_source = found_source or head.source
        elif in_tail and is_contribution(line.text):
            kind = "byline"
        elif in_head and _is_publisher(lines, index, found_title is not None):
            kind, found_source = "source", found_source or line.text
        elif in_head and found_title is None and (name := _masthead(lines, index)):
            kind, found_source = "source", found_source or name
        elif not body_started and not _WORD.search(line.text):
            continue  # a rule ("=====") in the head: neither title nor body
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
            elif title is None and _title_like(line) and _body_after(lines, index):
                found_title = stripped
                regions.append(Region(start, line.end, "title"))
                continue
            else:
                body_started = True
        else:
            body_started = True
            if _is_heading(line):
                kind = HEADING
        if kind:
            regions.append(Region(line.start, line.end, kind))

    return Structure(
        title=_clean_title(title) or found_title or _fallback_title(lines),
        title_found=found_title is not None,
        source=source or found_source or agency,
        author=author,
        regions=tuple(regions),
        metadata_date=published,
        date=_with_year(dates[0], text, regions) if dates else None,
    )


def _body_after(lines: list[Line], index: int) -> bool:
    """Whether words follow line `index`: a title heads something, so a text of one
    line (a sentence fed alone, a post, a transcript's turn) is a sentence, not a title."""
    return any(_WORD.search(line.text) for line in lines[index + 1 :])


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


def _with_year(found: DateMatch, text: str, regions: list[Region]) -> DateMatch | None:
    """The text's date, a date without a year given the latest year of a full date
    elsewhere in the article's own text (not a caption's or the page's furniture: a
    photo may be years old); None without one."""
    if found.year:
        return found
    apart = [(r.start, r.end) for r in regions if r.kind in ("caption", "boilerplate")]
    years = [
        d.year
        for d in find_dates(text)
        if d.year and not any(start <= d.start < end for start, end in apart)
    ]
    return replace(found, year=max(years)) if years else None
