"""Finding and parsing dates in French and English (month names from the lexicons)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from .lexicon import entries, languages

_DIGIT = re.compile(r"\d")
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
def month_names() -> frozenset[str]:
    """Every month name and abbreviation the lexicons know, lower-cased."""
    return frozenset(_months())


_NUMERIC = (
    # 2020-09-27, 2020-09-27T15:14:00Z
    re.compile(r"\b(?P<year>(?:1[89]|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
    # 27/09/2020, 27.09.2020 (day first, as in most of the world)
    re.compile(r"\b(?P<day>[0-3]?\d)[./](?P<month>[01]?\d)[./](?P<year>(?:1[89]|20)\d\d)\b"),
)
_ORDINAL = r"(?:er|st|nd|rd|th)?"
# Around a month name: "Sep 27, 2020" after it, "27 septembre 2020" around it.
_DAY_AFTER = re.compile(
    rf"\.?\s+(?P<day>[0-3]?\d){_ORDINAL}\b(?:,?\s+(?P<year>(?:1[89]|20)\d\d)\b)?"
)
_DAY_BEFORE = re.compile(rf"\b(?P<day>[0-3]?\d){_ORDINAL}\s+$")
_YEAR_AFTER = re.compile(r"\.?\s+(?P<year>(?:1[89]|20)\d\d)\b")


def _candidates(
    text: str, words: Iterable[str] | None = None
) -> list[tuple[int, int, int | None, int, int]]:
    """(start, end, year, month, day) for every reading, numeric or with a month name."""
    found = []
    for pattern in _NUMERIC:
        for m in pattern.finditer(text):
            year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
            found.append((m.start(), m.end(), year, month, day))
    months = _months()
    present = month_names().intersection(_WORDS.findall(text.lower()) if words is None else words)
    for name in present:  # usually none or one: search only for those
        for word in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
            month = months[name]
            after = _DAY_AFTER.match(text, word.end())
            if after:
                year = int(after["year"]) if after["year"] else None
                found.append((word.start(), after.end(), year, month, int(after["day"])))
            before = _DAY_BEFORE.search(text, max(0, word.start() - 8), word.start())
            if before:
                year_match = _YEAR_AFTER.match(text, word.end())
                year = int(year_match["year"]) if year_match else None
                end = year_match.end() if year_match else word.end()
                found.append((before.start(), end, year, month, int(before["day"])))
    return found


def find_dates(text: str, words: Iterable[str] | None = None) -> list[DateMatch]:
    """Every date in `text`, in order, each once (the longest reading wins).

    `words`, the text's lower-case words when the caller has them, saves a pass.
    """
    if not _DIGIT.search(text):
        return []  # every date form has a day or a year in digits
    found: dict[int, DateMatch] = {}
    for start, end, year, month, day in _candidates(text, words):
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
