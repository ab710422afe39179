"""Finding and parsing dates in French and English (month names from the lexicons)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from .lexicon import entries, languages


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


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    month = "|".join(sorted(map(re.escape, _months()), key=len, reverse=True))
    day = r"(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?"
    year = r"(?P<year>(?:1[89]|20)\d\d)"
    flags = re.IGNORECASE
    return (
        # 2020-09-27, 2020-09-27T15:14:00Z
        re.compile(r"\b(?P<year>(?:1[89]|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
        # 27/09/2020, 27.09.2020 (day first, as in most of the world)
        re.compile(rf"\b{day}[./](?P<month>[01]?\d)[./]{year}\b"),
        # Sep 27, 2020 / September 27 2020 / Sep. 27
        re.compile(rf"\b(?P<mname>{month})\.?\s+{day}\b(?:,?\s+{year}\b)?", flags),
        # 27 septembre 2020 / 5 novembre / 1er mai 2021
        re.compile(rf"\b{day}\s+(?P<mname>{month})\b\.?(?:\s+{year}\b)?", flags),
    )


def find_dates(text: str) -> list[DateMatch]:
    """Every date in `text`, in order, each once (the longest reading wins)."""
    found: dict[int, DateMatch] = {}
    for pattern in _patterns():
        for m in pattern.finditer(text):
            groups = m.groupdict()
            month = (
                _months()[groups["mname"].lower()] if groups.get("mname") else int(groups["month"])
            )
            year = int(groups["year"]) if groups.get("year") else None
            match = DateMatch(m.start(), m.end(), year, month, int(groups["day"]))
            if match.iso(2000) is None:
                continue  # 31 February and the like: not a date
            previous = found.get(match.start)
            if previous is None or previous.end < match.end:
                found[match.start] = match
    ordered = sorted(found.values(), key=lambda d: d.start)
    return [
        d for i, d in enumerate(ordered) if not any(o.start < d.start < o.end for o in ordered[:i])
    ]


def parse_date(value: str) -> str | None:
    """The ISO date in a metadata string ("2020-09-27T10:00Z", "17 novembre 2020"), or None."""
    dates = [d for d in find_dates(value) if d.year]
    return dates[0].iso() if dates else None
