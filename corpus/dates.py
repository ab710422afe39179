"""Finding and parsing dates (month names from the lexicons: French, English, German...).

Numeric dates come year first (2020-09-27, 2020/09/27) or year last (27/09/2020,
27-09-2020, 27.09.2020, 09/27/2020). A year-last date whose day and month could be
swapped (03/04/2020) is read day first, as most of the world writes it, and marked
`ambiguous`: `DateMatch.read` gives the reading of a language that writes the month
first (its `date_order` list says so: English). Impossible dates (2020-13-45, 31
February) are no dates at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from .lexicon import entries, languages

_DIGITS = re.compile(r"\d+")
_WORDS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    year: int | None
    month: int
    day: int
    ambiguous: bool = False  # numeric, day and month could be swapped: read day first

    def read(self, month_first: bool) -> DateMatch:
        """This date as a language that writes `month_first` reads it: an ambiguous one
        has its day and month swapped; any other is itself."""
        if not (month_first and self.ambiguous):
            return self
        return replace(self, month=self.day, day=self.month, ambiguous=False)

    def iso(self, year: int | None = None) -> str | None:
        """ISO date, with `year` standing in for a missing one; None if impossible."""
        try:
            return date(self.year or year or 0, self.month, self.day).isoformat()
        except ValueError:
            return None


@cache
def _months() -> dict[str, int]:
    names: dict[str, int] = {}
    for language in languages():
        for entry in entries(language, "months"):
            number, *forms = entry.split()
            names.update(dict.fromkeys(forms, int(number)))
    return names


@cache
def full_month_names() -> frozenset[str]:
    """Month names written out ("février", "march"), without the abbreviations."""
    return frozenset(
        entry.split()[1] for language in languages() for entry in entries(language, "months")
    )


@cache
def month_names() -> frozenset[str]:
    """Every month name and abbreviation the lexicons know, lower-cased."""
    return frozenset(_months())


# One pass for both numeric forms, each with one separator throughout: year first
# (2020-09-27, 2020-09-27T15:14:00Z, 2020/09/27), and year last (27/09/2020,
# 27-09-2020, 27.09.2020, 09/27/2020), whose first two numbers are sorted out later.
_NUMERIC = re.compile(
    r"\b(?:(?P<iso_year>(?:1[89]|20)\d\d)(?P<iso_sep>[-/.])(?P<iso_month>[01]?\d)(?P=iso_sep)"
    r"(?P<iso_day>[0-3]?\d)(?!\d)"
    r"|(?P<first>[0-3]?\d)(?P<sep>[-/.])(?P<second>[0-3]?\d)(?P=sep)(?P<year>(?:1[89]|20)\d\d)\b)"
)
_SEPARATORS = ("-", ".", "/")
_SUFFIXES = r"er|st|nd|rd|th"  # 1er, 1st, 2nd, 3rd, 27th
_ORDINAL = rf"(?:{_SUFFIXES})?"
# Around a month name: "Sep 27, 2020" after it, "27 septembre 2020" around it.
_DAY_AFTER = re.compile(
    rf"\.?\s+(?P<day>[0-3]?\d){_ORDINAL}\b(?:,?\s+(?P<year>(?:1[89]|20)\d\d)\b)?"
)
# "27 septembre", "1er mars", and German's "27. September".
_DAY_BEFORE = re.compile(rf"\b(?P<day>[0-3]?\d)(?:{_SUFFIXES}|\.)?\s+$")
_YEAR_AFTER = re.compile(r"\.?\s+(?P<year>(?:1[89]|20)\d\d)\b")


MonthWord = tuple[int, int, str]  # start, end, lower-case month name


def month_words(text: str) -> list[MonthWord]:
    """Where month names stand in `text`."""
    present = month_names().intersection(_WORDS.findall(text.lower()))
    return [
        (m.start(), m.end(), name)
        for name in present  # usually none or one: search only for those
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE)
    ]


def _candidates(
    text: str, months_at: list[MonthWord], digits: list[tuple[int, int]]
) -> list[DateMatch]:
    """Every reading, numeric or with a month name, possible or not."""
    found: list[DateMatch] = []
    # A numeric date starts with digits and a separator: try the pattern only there.
    starts = [a for a, b in digits if text[b : b + 1] in _SEPARATORS]
    for m in filter(None, (_NUMERIC.match(text, a) for a in starts)):
        if m["iso_year"]:
            year, month, day = int(m["iso_year"]), int(m["iso_month"]), int(m["iso_day"])
            found.append(DateMatch(m.start(), m.end(), year, month, day))
        else:
            found.append(_year_last(m.start(), m.end(), int(m["year"]), m["first"], m["second"]))
    months = _months()
    for start, end, name in months_at:
        month = months[name]
        after = _DAY_AFTER.match(text, end)
        if after:
            found.append(DateMatch(start, after.end(), _year(after), month, int(after["day"])))
        before = _DAY_BEFORE.search(text, max(0, start - 8), start)
        if before:
            after_year = _YEAR_AFTER.match(text, end)
            stop = after_year.end() if after_year else end
            found.append(
                DateMatch(before.start(), stop, _year(after_year), month, int(before["day"]))
            )
    return found


def _year_last(start: int, end: int, year: int, first: str, second: str) -> DateMatch:
    """27/09/2020 and 09/27/2020 alike: a number above 12 is the day, whichever comes
    first; when both could be the month, day first, marked ambiguous."""
    a, b = int(first), int(second)
    if b > 12 >= a:
        return DateMatch(start, end, year, a, b)
    return DateMatch(start, end, year, b, a, ambiguous=a != b and a <= 12 and b <= 12)


def _year(match: re.Match[str] | None) -> int | None:
    return int(match["year"]) if match and match["year"] else None


def find_dates(
    text: str,
    months_at: list[MonthWord] | None = None,
    digits: list[tuple[int, int]] | None = None,
) -> list[DateMatch]:
    """Every date in `text`, in order, each once (the longest reading wins).

    `months_at`, where month names are, and `digits`, the (start, end) of every run of
    digits, save a pass each when the caller has found them.
    """
    digits = [m.span() for m in _DIGITS.finditer(text)] if digits is None else digits
    if not digits:
        return []  # every date form has a day or a year in digits
    found: dict[int, DateMatch] = {}
    months_at = month_words(text) if months_at is None else months_at
    for match in _candidates(text, months_at, digits):
        if match.iso(2000) is None:
            continue  # 31 February, 2020-13-45 and the like: not a date
        previous = found.get(match.start)
        if previous is None or previous.end < match.end:
            found[match.start] = match
    ordered = sorted(found.values(), key=lambda d: d.start)
    return [
        d for i, d in enumerate(ordered) if not any(o.start < d.start < o.end for o in ordered[:i])
    ]


@cache
def month_first(language: str | None) -> bool:
    """Whether `language` (a code: "en", "fr"...) writes an ambiguous numeric date month
    first (09/10/2020 is September 10 in English): its `date_order` list says
    "month day year". Day first for every other language, and for None."""
    code = (language or "").split("-")[0].lower()
    return bool(code) and entries(code, "date_order")[:1] == ("month day year",)


def parse_date(value: str, language: str | None = None) -> str | None:
    """The ISO date in a metadata string ("2020-09-27T10:00Z", "17 novembre 2020",
    "09/27/2020"), or None when it holds no possible date with a year ("2020-13-45").
    An ambiguous numeric date ("03/04/2020") is read in `language`'s order (`month_first`)."""
    dates = [d for d in find_dates(value) if d.year]
    return dates[0].read(month_first(language)).iso() if dates else None


def states(text: str, iso: str) -> bool:
    """Whether `text` writes the date `iso` (YYYY-MM-DD): as it is, or in any form
    `find_dates` reads, an ambiguous numeric one in either order."""
    if iso in text:
        return True
    return any(
        d.year and iso in (d.iso(), d.read(month_first=True).iso()) for d in find_dates(text)
    )
