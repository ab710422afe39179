"""A PDF's text copy, page by page: page numbers and running heads go, and a sentence
that runs over a page break is one sentence again."""

from __future__ import annotations

from factmark.corpus.pages import join_pages
from factmark.corpus.reading import read_articles

PAGE_ONE = (
    "Annual Water Report 2021\n"
    "\n"
    "The utility replaced 42 kilometres of lead pipes in 2021, twice as many as in\n"
    "2020, and its inspectors tested the water of 3,100 homes across the whole dis-\n"
    "trict during the summer months. The share of samples above the legal limit in\n"
    "the homes it tested fell to 2.1 percent, the inspectors found, compared with\n"
    "\n"
    "                                                                   Page 1 of 2\n"
)
PAGE_TWO = (
    "ANNUAL WATER REPORT 2021\n"
    "\n"
    "4.8 percent a year earlier, the lowest share the utility has ever recorded in\n"
    "its reports.\n"
    "\n"
    "                                                                   Page 2 of 2\n"
)


def test_page_furniture_goes_and_the_sentence_over_the_break_is_whole() -> None:
    text = join_pages(PAGE_ONE + "\f" + PAGE_TWO)
    assert "Page 1 of 2" not in text and "Page 2 of 2" not in text and "\f" not in text
    assert "ANNUAL WATER REPORT" not in text  # the running head of page two
    assert text.startswith("Annual Water Report 2021\n")  # page one's title stays
    article = read_articles("report.txt", (PAGE_ONE + "\f" + PAGE_TWO).encode())[0]
    sentence = (
        "The share of samples above the legal limit in the homes it tested fell to 2.1 "
        "percent, the inspectors found, compared with 4.8 percent a year earlier, the lowest "
        "share the utility has ever recorded in its reports."
    )
    assert sentence in article.text
    assert "the whole district during" in article.text  # hyphenation undone
    claims = [article.text[c.start : c.end] for c in article.claims]
    assert sentence in claims
    assert article.title == "Annual Water Report 2021"


def test_a_page_ending_a_sentence_ends_a_paragraph() -> None:
    first = "Title of the report\n\nThe first page ends with a full sentence.\n\n3\n"
    assert join_pages(first + "\f" + "The second page starts a paragraph.\n\n4\n") == (
        "Title of the report\n\nThe first page ends with a full sentence.\n\n"
        "The second page starts a paragraph.\n"
    )


def test_text_without_form_feeds_is_left_as_it_is() -> None:
    text = "Page 1 of 2\n\nA line that only looks like furniture.\n"
    assert join_pages(text) == text


def test_sentences_that_repeat_at_page_edges_are_text_not_running_heads() -> None:
    pages = ["Sales rose 3 percent in 2021.\n", "Sales rose 5 percent in 2022.\n"]
    assert (
        join_pages("\f".join(pages))
        == "Sales rose 3 percent in 2021.\n\nSales rose 5 percent in 2022.\n"
    )
    slides = [
        f"Results {year}\n\nThe plant made {n} cars in {year}.\n"
        for n, year in ((9, 2021), (7, 2022))
    ]
    assert "The plant made 7 cars in 2022." in join_pages("\f".join(slides))
    assert "Results 2022" in join_pages("\f".join(slides))
