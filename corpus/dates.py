"""Finding and parsing dates in French and English (month names from the lexicons)."""

from __future__ import annotations

import re
from dataclasses import dataclass
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


# One pass for both numeric forms: 2020-09-27 (and 2020-09-27T15:14:00Z); 27/09/2020
# and 27.09.2020, day first as in most of the world.
_NUMERIC = re.compile(
    r"\b(?:(?P<iso_year>(?:1[89]|20)\d\d)-(?P<iso_month>[01]\d)-(?P<iso_day>[0-3]\d)(?!\d)"
    r"|(?P<day>[0-3]?\d)[./](?P<month>[01]?\d)[./](?P<year>(?:1[89]|20)\d\d)\b)"
)
_SEPARATORS = ("-", ".", "/")
_ORDINAL = r"(?:er|st|nd|rd|th)?"
# Around a month name: "Sep 27, 2020" after it, "27 septembre 2020" around it.
_DAY_AFTER = re.compile(
    rf"\.?\s+(?P<day>[0-3]?\d){_ORDINAL}\b(?:,?\s+(?P<year>(?:1[89]|20)\d\d)\b)?"
)
_DAY_BEFORE = re.compile(rf"\b(?P<day>[0-3]?\d){_ORDINAL}\s+$")
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
) -> list[tuple[int, int, int | None, int, int]]:
    """(start, end, year, month, day) for every reading, numeric or with a month name."""
    found: list[tuple[int, int, int | None, int, int]] = []
    # A numeric date starts with digits and a separator: try the pattern only there.
    starts = [a for a, b in digits if text[b : b + 1] in _SEPARATORS]
    for m in filter(None, (_NUMERIC.match(text, a) for a in starts)):
        iso = "iso_" if m["iso_year"] else ""
        year, month, day = int(m[iso + "year"]), int(m[iso + "month"]), int(m[iso + "day"])
        found.append((m.start(), m.end(), year, month, day))
    months = _months()
    for start, end, name in months_at:
        month = months[name]
        after = _DAY_AFTER.match(text, end)
        if after:
            found.append((start, after.end(), _year(after), month, int(after["day"])))
        before = _DAY_BEFORE.search(text, max(0, start - 8), start)
        if before:
            after_year = _YEAR_AFTER.match(text, end)
            stop = after_year.end() if after_year else end
            found.append((before.start(), stop, _year(after_year), month, int(before["day"])))
    return found


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
    for start, end, year, month, day in _candidates(text, months_at, digits):
        match = DateMatch(start, end, year, month, day)
        if match.iso(2000) is None:
            continue  # 31 February and the like: not a date
        previous = found.get(start)
        if previous is None or previous.end < end:
            found[start] = match
    ordered = sorted(found.values(), key=lambda d: d.start)
    return [
        d for i, d in enumerate(ordered) if not any(o.start < d.start < o.end for o in ordered[:i])
    ]


def parse_date(value: str) -> str | None:
    """The ISO date in a metadata string ("2020-09-27T10:00Z", "17 novembre 2020"), or None."""
    dates = [d for d in find_dates(value) if d.year]
    return dates[0].iso() if dates else None
