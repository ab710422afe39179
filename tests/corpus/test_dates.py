"""Dates as news sites write them, in French and English."""

from __future__ import annotations

import pytest

from factmark.corpus.dates import find_dates, parse_date


@pytest.mark.parametrize(
    "text, iso",
    [
        ("Sep 27, 2020 15:14 UTC", "2020-09-27"),
        ("September 27, 2020", "2020-09-27"),
        ("27 September 2020", "2020-09-27"),
        ("17 novembre 2020", "2020-11-17"),
        ("le 1er mai 2021", "2021-05-01"),
        ("Publié le 17.11.2020 à 10h", "2020-11-17"),
        ("2020-09-27T15:14:00Z", "2020-09-27"),
        ("17/11/2020", "2020-11-17"),
    ],
)
def test_full_dates_parse_to_iso(text: str, iso: str) -> None:
    assert parse_date(text) == iso


def test_a_date_without_a_year_keeps_its_day_and_month_only() -> None:
    (found,) = find_dates("le mercredi 5 novembre, une source a révélé")
    assert (found.year, found.month, found.day) == (None, 11, 5)
    assert found.iso() is None and found.iso(2020) == "2020-11-05"


@pytest.mark.parametrize("text", ["31 février 2020", "45.6 secondes", "4 500 soldats", ""])
def test_impossible_dates_and_numbers_are_not_dates(text: str) -> None:
    assert parse_date(text) is None
