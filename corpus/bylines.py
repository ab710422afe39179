"""Bylines, date lines and wire datelines: who wrote or filed a story, and when.

Lines of their own around the title say it: "By Jane Roe | Business", "Par Jean
Dupont, publié le 27/09/2020 à 15h14", "Updated Sept. 27, 2020", "Économie | 27/09/2020".
A wire story says it at the start of its first paragraph, "WASHINGTON (Reuters) - ..."
or "PARIS, 3 mars (AFP) - ...", whose rest is body text. The words that open a byline,
join names and sit inside them, and the agencies, are lexicon lists (`bylines`,
`name_joiners`, `name_particles`, `agencies`); names are read by their shape
(capitalised words), never looked up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .dates import DateMatch, find_dates, month_names
from .lexicon import all_entries, all_words

MAX_HEAD_LINE = 120
MAX_DATE_PIECE = 100
DATE_SLACK = 25  # a date line has at most this many other characters per date
MAX_LABEL_WORDS = 4  # "Business", "Monde | Afrique", "Reuters Staff"
MAX_TAIL_WORDS = 6  # after the names: ", Reuters Staff", "; Editing by Chris Reese"
MAX_NAME_WORDS = 12

# Pieces of a head line: "By Jane Roe | Business", "Monde • 27/09/2020".
_PIECES = re.compile(r"\s+[|•·]\s+")
_TOKEN = re.compile(r"\s*([^\W\d_][\w'’.\-]*|&|,)")
_TAIL_SEPARATORS = ",;|•·-–—/("
# "a.m." ends a date line without ending a sentence.
_SENTENCE_END = re.compile(r"(?<![ap]\.m)[.!?]\s*\Z", re.IGNORECASE)
# PLACE[, when] (Agency) - : the place in capitals, or any place before a known agency.
_WIRE = re.compile(
    r"(?P<place>[^\W\d_][\w'’.\-]*(?:\s+[\w'’.\-]+){0,4}?)"
    r"(?:\s*,\s*(?P<when>[^(),\n]{1,30}?))?"
    r"\s*\((?P<agency>[^\W\d_][^()\n\d]{0,30})\)\s*(?:--|[-–—])\s+(?=\S)"
)


@dataclass(frozen=True)
class HeadLine:
    """A line around the title that says who and when: `kind` "byline" (with the
    `author`) or "dateline"; `dates` are the dates it holds, offsets into the line."""

    kind: str
    author: str | None
    dates: tuple[DateMatch, ...]


@dataclass(frozen=True)
class WireDateline:
    """The "PLACE (Agency) -" opening a wire story's first paragraph: the `agency` as
    written, and the `dates` in it ("PARIS, 3 mars (AFP) -"), offsets into the line."""

    agency: str
    dates: tuple[DateMatch, ...]


@cache
def _byline_cue() -> re.Pattern[str]:
    cues = sorted(all_entries("bylines"), key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(re.escape(c) for c in cues) + r")\s+", re.IGNORECASE)


@cache
def _not_names() -> frozenset[str]:
    """Capitalised words that open no name: months and days ("By March 2021, ...")."""
    return month_names() | all_words("weekdays")


def head_line(text: str) -> HeadLine | None:
    """What a line standing near the title says, if it is a byline or a date line.

    `text` is one stripped line. Each of its pieces (split at " | ", " • ") must be
    a byline ("By Jane Roe"), a date phrase ("Publié le 27/09/2020 à 15h14") or a
    short label ("Business"); one at least must be a byline or a date. None for
    anything else (a title, a sentence).
    """
    if len(text) > MAX_HEAD_LINE:
        return None
    author = None
    dated = False
    for piece in _PIECES.split(text):
        name = byline_author(piece)
        if name is not None:
            author = author or name
        elif _is_date_phrase(piece):
            dated = True
        elif not _is_label(piece):
            return None
    if author is None and not dated:
        return None
    return HeadLine("byline" if author else "dateline", author, tuple(find_dates(text)))


def byline_author(text: str) -> str | None:
    """The author's name(s) in a byline ("By Jane Roe and John Smith, Reuters Staff"
    gives "Jane Roe and John Smith"), or None when `text` is not a byline: it must
    open with a byline word, then capitalised names, then at most a date or a few
    words after a separator ("| Business", ", publié le 27/09/2020")."""
    cue = _byline_cue().match(text)
    if cue is None:
        return None
    rest = text[cue.end() :]
    end = _names_end(rest)
    if end == 0 or not _is_tail(rest[end:]):
        return None
    return rest[:end].rstrip(".")


def _names_end(text: str) -> int:
    """Where the run of names at the start of `text` ends (0: no name). A comma
    continues it only in a list closed by a joining word ("A, B and C")."""
    particles, joiners = all_words("name_particles"), all_words("name_joiners")
    end = position = words = 0
    comma_at = None  # where the names ended at the first comma
    joined_after_comma = False
    while words < MAX_NAME_WORDS and (m := _TOKEN.match(text, position)):
        token = m.group(1)
        position = m.end()
        lower = token.lower()
        if _capitalised(token) and lower not in _not_names():
            end, words = m.end(), words + 1
        elif not end:
            break
        elif token == ",":
            comma_at = comma_at if comma_at is not None else end
        elif lower in joiners:
            joined_after_comma = comma_at is not None
        elif lower not in particles:
            break
    if comma_at is not None and not joined_after_comma:
        return comma_at
    return end


def _capitalised(token: str) -> bool:
    """True for a word of a name: "Roe", "ROE", "O'Neil", "d'Estaing", "al-Askari"."""
    for particle in ("d'", "d’", "al-", "el-"):
        if token.lower().startswith(particle) and len(token) > len(particle):
            token = token[len(particle) :]
    return token[0].isupper()


def _is_tail(tail: str) -> bool:
    """What may follow a byline's names: nothing, a date, or a few words after a
    separator, not a sentence."""
    tail = tail.strip()
    if not tail:
        return True
    if len(tail) > MAX_HEAD_LINE or _SENTENCE_END.search(tail):
        return False
    if find_dates(tail):
        return True
    return tail[0] in _TAIL_SEPARATORS and len(tail.split()) <= MAX_TAIL_WORDS


def _is_date_phrase(text: str) -> bool:
    """A piece that is mostly dates ("Sep 27, 2020 15:14 UTC", "Publié le 27/09/2020 à
    15h14, mis à jour le 28/09/2020"), not a sentence."""
    if len(text) > MAX_DATE_PIECE or _SENTENCE_END.search(text):
        return False
    dates = find_dates(text)
    rest = len(text) - sum(d.end - d.start for d in dates)
    return bool(dates) and rest <= DATE_SLACK * len(dates)


def _is_label(text: str) -> bool:
    """A section name beside a byline or a date: a few words, no sentence."""
    return len(text.split()) <= MAX_LABEL_WORDS and not _SENTENCE_END.search(text)


def wire_dateline(text: str) -> WireDateline | None:
    """The wire dateline opening the line `text` ("WASHINGTON (Reuters) - The ..."),
    or None. The place must be in capitals, or the agency a known one ("Paris (AFP) -"):
    "Jean Dupont (PS) - ..." is no dateline."""
    m = _WIRE.match(text)
    if m is None:
        return None
    agency = " ".join(m["agency"].split())
    known = agency.lower() in all_words("agencies")
    if not (m["place"].isupper() or known) or len(agency.split()) > MAX_LABEL_WORDS:
        return None
    dates = tuple(find_dates(text[: m.end()]))
    return WireDateline(agency, dates)
