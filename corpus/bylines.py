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
from itertools import pairwise

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
# A press release's wire writes itself between slashes: "GREENVALE, Ore., Nov. 2, 2020
# /CivicWire/ --".
_WIRE = re.compile(
    r"(?P<place>[^\W\d_][\w'’.\-]*(?:\s+[\w'’.\-]+){0,4}?)"
    r"(?:\s*,\s*(?P<when>[^()\n]{1,30}?))?"
    r"\s*(?:\((?P<agency>[^\W\d_][^()\n\d]{0,30})\)|/(?P<wire>[^\W\d_][^/\n\d]{0,30})/)"
    r"\s*(?P<dash>--|[-–—])\s+(?=\S)"
)


# PLACE, DATE - : a press release's or a local paper's dateline, without an agency.
_PLACE_DATE = re.compile(
    r"(?P<place>[^\W\d_][\w'’.\-]*(?:\s+[\w'’.\-]+){0,3}?)\s*,\s*"
    r"(?P<when>[^()\n]{4,40}?)\s*(?P<dash>--|[-–—])\s+(?=\S)"
)


@dataclass(frozen=True)
class HeadLine:
    """A line around the title that says who and when: `kind` "byline" (with the
    `author`) or "dateline"; `dates` are the dates it holds, offsets into the line;
    `source`, the channel or publication a date line names ("Broadcast on WRVS
    Channel 7, October 8, 2020")."""

    kind: str
    author: str | None
    dates: tuple[DateMatch, ...]
    source: str | None = None


@dataclass(frozen=True)
class WireDateline:
    """The "PLACE (Agency) -" opening a wire story's first paragraph: the `agency` as
    written (None in a "PLACE, DATE -" dateline), the `dates` in it ("PARIS, 3 mars
    (AFP) -"), offsets into the line, and `end`, the offset just after its dash, where
    the body's first sentence begins."""

    agency: str | None
    dates: tuple[DateMatch, ...]
    end: int


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

    `text` is one stripped line, in parentheses or not (a wire story's closing
    "(Reporting by Jane Roe; Editing by John Smith)"). Each of its pieces (split at
    " | ", " • ") must be a byline ("By Jane Roe"), a date phrase ("Publié le
    27/09/2020 à 15h14", "Broadcast on WRVS Channel 7, October 8, 2020") or a short
    label ("Business"); one at least must be a byline or a date. None for anything
    else (a title, a sentence).
    """
    if len(text) > MAX_HEAD_LINE:
        return None
    inner = text[1:-1].strip() if text[:1] == "(" and text[-1:] == ")" else text
    author = source = None
    dated = False
    for piece in _PIECES.split(inner):
        name = byline_author(piece)
        if name is not None:
            author = author or name
        elif (named := _named_source(piece)) is not None:
            source, dated = source or named, True
        elif _is_date_phrase(piece):
            dated = True
        elif not _is_label(piece):
            return None
    if author is None and not dated:
        return None
    kind = "byline" if author else "dateline"
    return HeadLine(kind, author, tuple(find_dates(text)), source)


@cache
def _source_cue() -> re.Pattern[str]:
    """A `source_cues` phrase after at most two words ("Entretien diffusé sur ")."""
    cues = sorted(all_entries("source_cues"), key=len, reverse=True)
    return re.compile(
        r"(?:[^\W\d_]+\s+){0,2}?(?:" + "|".join(map(re.escape, cues)) + r")\s+", re.IGNORECASE
    )


# What joins a name to the date after it: a comma, or a short word ("le", "on", "am").
_BEFORE_DATE = re.compile(r"(?:,|\s+[^\W\d_]{1,3})?\s*\Z")


def _named_source(piece: str) -> str | None:
    """The channel or publication a date phrase names ("Broadcast on WRVS Channel 7,
    October 8, 2020" gives "WRVS Channel 7"), or None: a `source_cues` phrase, a
    capitalised name of a few words, then a date."""
    if len(piece) > MAX_DATE_PIECE or _SENTENCE_END.search(piece):
        return None
    cue = _source_cue().match(piece)
    if cue is None:
        return None
    dates = find_dates(piece)
    if not dates or dates[0].start <= cue.end():
        return None
    name = piece[cue.end() : dates[0].start]
    name = _BEFORE_DATE.sub("", name, count=1)
    if not name[:1].isupper() or len(name.split()) > MAX_LABEL_WORDS + 1:
        return None
    return name


def byline_author(text: str) -> str | None:
    """The author's name(s) in a byline ("By Jane Roe and John Smith, Reuters Staff"
    gives "Jane Roe and John Smith"), or None when `text` is not a byline: it must
    open with a byline word, then capitalised names, then at most a date or a few
    words after a separator ("| Business", ", publié le 27/09/2020")."""
    cue = _byline_cue().match(text)
    if cue is None:
        return None
    rest = text[cue.end() :]
    end = _without_agency(rest, _names_end(rest))
    if end == 0 or not (_is_tail(rest[end:]) or _is_agency(rest[end:])):
        return None
    return rest[:end].rstrip(".")


def _without_agency(text: str, end: int) -> int:
    """Where the names in `text[:end]` end when an agency closes them ("ELENA TORRES
    Associated Press" ends before "Associated"; "Le Figaro avec AFP" keeps its
    partner, joined by a word)."""
    words = list(re.finditer(r"\S+", text[:end]))
    for before, word in pairwise(words):
        if _is_agency(text[word.start() : end]) and before.group()[0].isupper():
            return before.end()
    return end


def _is_agency(text: str) -> bool:
    return " ".join(text.split()).lower() in all_words("agencies")


@cache
def _contribution() -> re.Pattern[str]:
    endings = sorted(all_entries("contributions"), key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(map(re.escape, endings)) + r")\W*\Z", re.IGNORECASE)


def is_contribution(text: str) -> bool:
    """True for the line at a story's foot that credits other reporters ("Associated
    Press writer Ken Ambler in Sacramento contributed to this report.")."""
    return len(text) <= MAX_HEAD_LINE and bool(_contribution().search(text))


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
    """The wire dateline opening the line `text` ("WASHINGTON (Reuters) - The ...",
    "Roma, 28 febbraio 2024 – Il ..."), or None. With an agency, the place must be in
    capitals or the agency a known one ("Paris (AFP) -"): "Jean Dupont (PS) - ..." is
    no dateline. Without one, a capitalised place, a comma and a date come before the
    dash."""
    m = _WIRE.match(text)
    if m is None:
        return _place_date(text)
    agency = " ".join((m["agency"] or m["wire"]).split())
    known = agency.lower() in all_words("agencies")
    if not (m["place"].isupper() or known) or len(agency.split()) > MAX_LABEL_WORDS:
        return None
    dates = tuple(find_dates(text[: m.end()]))
    return WireDateline(agency, dates, m.end("dash"))


def _place_date(text: str) -> WireDateline | None:
    """A "PLACE, DATE -" dateline without an agency, or None."""
    m = _PLACE_DATE.match(text)
    if m is None or not m["place"][0].isupper():
        return None
    dates = tuple(find_dates(text[: m.end("when")]))
    return WireDateline(None, dates, m.end("dash")) if dates else None
