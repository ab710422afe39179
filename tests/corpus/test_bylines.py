"""Bylines and date lines: the author, the date, and lines that are never claims."""

from __future__ import annotations

import pytest

from factmark.corpus.article import Article
from factmark.corpus.reading import read_articles

BODY_EN = (
    "The unemployment rate fell to 3.4% in January, the lowest level since 1969, "
    "the Labor Department said on Friday."
)
BODY_FR = (
    "Le taux de chômage a reculé à 7,1 % au quatrième trimestre, a annoncé mardi l'Insee, "
    "soit 12 000 demandeurs d'emploi de moins."
)


def article(text: str) -> Article:
    (found,) = read_articles("article.txt", text.encode())
    assert isinstance(found, Article)
    return found


def kinds(found: Article) -> dict[str, list[str]]:
    regions: dict[str, list[str]] = {}
    for r in found.regions:
        regions.setdefault(r.kind, []).append(found.text[r.start : r.end])
    return regions


def claimed(found: Article) -> list[str]:
    return [found.text[c.start : c.end] for c in found.claims]


def test_an_english_byline_with_a_section_and_an_update_line() -> None:
    found = article(
        "Unemployment falls to record low\n\nBy Jane Roe and John Smith | Business\n\n"
        f"Updated Sept. 27, 2020 10:42 a.m. ET\n\n{BODY_EN}\n"
    )
    assert (found.author, found.published, found.language) == (
        "Jane Roe and John Smith",
        "2020-09-27",
        "en",
    )
    assert kinds(found)["byline"] == ["By Jane Roe and John Smith | Business"]
    assert kinds(found)["dateline"] == ["Updated Sept. 27, 2020 10:42 a.m. ET"]
    assert claimed(found) == [BODY_EN]


def test_a_french_byline_and_publication_line() -> None:
    found = article(
        "Le chômage au plus bas depuis quinze ans\n\nPar Jean Dupont\n\n"
        f"Publié le 27/09/2020 à 15h14\n\n{BODY_FR}\n"
    )
    assert (found.author, found.published, found.language) == ("Jean Dupont", "2020-09-27", "fr")
    assert kinds(found)["byline"] == ["Par Jean Dupont"]
    assert kinds(found)["dateline"] == ["Publié le 27/09/2020 à 15h14"]
    assert claimed(found) == [BODY_FR]


def test_a_byline_holding_the_date() -> None:
    head = "Par Jean Dupont, publié le 27-09-2020"
    found = article(f"Le chômage au plus bas\n\n{head}\n\n{BODY_FR}\n")
    assert (found.author, found.published) == ("Jean Dupont", "2020-09-27")
    assert kinds(found)["byline"] == [head]


def test_a_paper_with_an_agency_on_lines_without_blank_lines_between() -> None:
    found = article(
        "Le budget de la ville adopté\nPar Le Figaro avec AFP\n"
        f"Publié le 27/09/2020 à 15:14, mis à jour le 28/09/2020 à 18:02\n{BODY_FR}\n"
    )
    assert (found.author, found.published) == ("Le Figaro avec AFP", "2020-09-27")
    assert list(kinds(found)) == ["title", "byline", "dateline"]
    assert claimed(found) == [BODY_FR]


def test_a_section_line_with_the_date() -> None:
    found = article(
        f"Le chômage au plus bas\n\nÉconomie | Publié le 2020/09/27, mis à jour le 28/09/2020\n\n"
        f"{BODY_FR}\n"
    )
    assert found.published == "2020-09-27" and found.author is None
    assert kinds(found)["dateline"] == ["Économie | Publié le 2020/09/27, mis à jour le 28/09/2020"]


@pytest.mark.parametrize(
    "head, body, iso",
    [
        ("By Jane Roe | 03/04/2020", BODY_EN, "2020-03-04"),  # English: month first
        ("Par Jean Dupont | 03/04/2020", BODY_FR, "2020-04-03"),  # French: day first
        ("By Jane Roe | 09/27/2020", BODY_EN, "2020-09-27"),
        ("Par Jean Dupont | 09/27/2020", BODY_FR, "2020-09-27"),  # clear in any order
    ],
)
def test_the_article_s_language_reads_an_ambiguous_date(head: str, body: str, iso: str) -> None:
    assert article(f"A title of some length\n\n{head}\n\n{body}\n").published == iso


def test_a_byline_closing_the_article_names_its_authors() -> None:
    found = article(f"Le chômage au plus bas\n\n{BODY_FR}\n\nPar Jean Dupont et Marie Curie\n")
    assert found.author == "Jean Dupont et Marie Curie"
    assert kinds(found)["byline"] == ["Par Jean Dupont et Marie Curie"]


def test_a_list_of_authors_and_an_agency_after_them() -> None:
    listed = article(f"Jobs report\n\nBy Jane Roe, John Smith and Ann Lee\n\n{BODY_EN}\n")
    agency = article(f"Jobs report\n\nBy Jane Roe, Reuters\n\n{BODY_EN}\n")
    assert listed.author == "Jane Roe, John Smith and Ann Lee"
    assert agency.author == "Jane Roe"


@pytest.mark.parametrize(
    "sentence",
    [
        "By March 2021, the government had cut the tax on fuel by 3%.",
        "By Tuesday the council had approved a budget of 4 million dollars.",
        "Par ailleurs, le gouvernement a annoncé mardi 3 milliards d'euros.",
        "Par Jean Dupont, le maire de Lyon, a été nommé ministre mardi en 2023.",
    ],
)
def test_a_sentence_opening_with_by_or_par_is_body_text(sentence: str) -> None:
    found = article(f"A title of some length\n\n{sentence}\n\n{BODY_EN}\n")
    assert found.author is None and "byline" not in kinds(found)
    assert sentence in claimed(found)
