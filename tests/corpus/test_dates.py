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


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "text", ["2020/09/27", "27-09-2020", "27/09/2020", "09/27/2020", "27.09.2020", "2020.09.27"]
)
def test_every_numeric_form_reads_the_same_in_any_language(text: str, language: str) -> None:
    assert parse_date(text, language) == "2020-09-27"


@pytest.mark.parametrize(
    "language, iso",
    [("fr", "2020-04-03"), ("de", "2020-04-03"), ("en", "2020-03-04"), (None, "2020-04-03")],
)
def test_an_ambiguous_date_is_read_in_the_language_s_order(language: str | None, iso: str) -> None:
    assert parse_date("03/04/2020", language) == iso
    assert parse_date("03-04-2020", language) == iso


def test_an_ambiguous_date_is_marked_and_a_clear_one_is_not() -> None:
    ambiguous, clear, same = find_dates("03/04/2020, 09/27/2020, 05/05/2020")
    assert ambiguous.ambiguous and not clear.ambiguous and not same.ambiguous
    assert ambiguous.read(month_first=True).iso() == "2020-03-04"
    assert clear.read(month_first=True).iso() == clear.iso() == "2020-09-27"


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "text", ["2020-13-45", "2020-02-30", "2020/13/01", "13/13/2020", "31-02-2020", "45/09/2020"]
)
def test_an_impossible_numeric_date_is_no_date(text: str, language: str) -> None:
    assert parse_date(text, language) is None
    assert find_dates(text) == []
