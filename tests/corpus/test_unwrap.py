"""Hard-wrapped plain text becomes paragraphs; structure and unwrapped text keep their lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factmark.corpus.article import Article
from factmark.corpus.reading import read_articles
from factmark.corpus.unwrap import join_lines, unwrap, word_counts, wrap_width
from factmark.store.database import Store
from tests.helpers import SAMPLE, factmark

# An e-mail newsletter wrapped at 70 columns: one line per sentence fragment before.
WRAPPED = """Budget: city overspent on pool

The mayor told the council on Tuesday that the city spent $4.5 million
on the new swimming pool in 2022, twice the amount approved by voters
in the 2019 referendum.

According to the regional audit office, the city's debt rose by 12
percent last year, reaching $210 million, the highest level since
2008.
"""
FIRST = (
    "The mayor told the council on Tuesday that the city spent $4.5 million on the new "
    "swimming pool in 2022, twice the amount approved by voters in the 2019 referendum."
)
SECOND = (
    "According to the regional audit office, the city's debt rose by 12 percent last year, "
    "reaching $210 million, the highest level since 2008."
)
# Prose wrapped at 72 columns, around the structures whose line breaks must stay.
PROSE = (
    "The council met on Tuesday evening to discuss the budget for the coming\n"
    "year, and the members agreed that the new swimming pool had cost far more\n"
    "than the voters were told when they approved it in the referendum.\n"
)


def joined(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines())


def test_a_hard_wrapped_article_gives_one_claim_per_sentence(tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text(WRAPPED, encoding="utf-8")
    result = factmark("detect", "--format", "jsonl", str(tmp_path / "article.txt"))
    assert result.returncode == 0, result.stderr
    claims = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [c["text"] for c in claims] == [FIRST, SECOND]


def test_stored_text_is_the_unwrapped_text_and_claim_offsets_index_it(
    tmp_path: Path, db_path: Path
) -> None:
    (tmp_path / "article.txt").write_text(WRAPPED, encoding="utf-8")
    assert factmark("import", "--db", str(db_path), str(tmp_path)).returncode == 0
    with Store.open(db_path, readonly=True) as store:
        (article,) = store.conn.execute("SELECT id, text, title FROM articles").fetchall()
        rows = store.conn.execute("SELECT start, end, text FROM claims").fetchall()
    assert article["text"] == f"Budget: city overspent on pool\n\n{FIRST}\n\n{SECOND}\n"
    assert article["title"] == "Budget: city overspent on pool"
    assert {r["text"] for r in rows} == {FIRST, SECOND}
    assert all(article["text"][r["start"] : r["end"]] == r["text"] for r in rows)


def test_crlf_line_ends_unwrap_the_same() -> None:
    (article,) = read_articles("mail.txt", WRAPPED.replace("\n", "\r\n").encode())
    assert isinstance(article, Article)
    assert article.text == f"Budget: city overspent on pool\n\n{FIRST}\n\n{SECOND}\n"
    assert [article.text[c.start : c.end] for c in article.claims] == [FIRST, SECOND]


def test_the_width_is_read_from_the_file() -> None:
    assert wrap_width(WRAPPED.split("\n")) == 70
    assert wrap_width(PROSE.split("\n")) == 73
    # One long line (an address) is not the width: the longest lines' cluster is.
    url = "https://example.org/reports/2023/municipal-finances/swimming-pool-audit-final.pdf"
    assert wrap_width((PROSE + url + "\n" + PROSE).split("\n")) == 73
    narrow = "The city spent four million\non the pool, twice what\nthe voters approved in\n"
    assert wrap_width(narrow.split("\n")) is None  # under 40 columns: a column, not prose
    # One sentence per line: each line ends a sentence and the next starts a new one.
    sentences = (
        "The council met on Tuesday evening to discuss the budget for next year.\n"
        "The members agreed that the new swimming pool had cost far too much.\n"
        "The voters were told a different figure when they approved it in 2019.\n"
    )
    assert wrap_width(sentences.split("\n")) is None
    assert unwrap(sentences) == sentences


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLE.glob("*.txt")))
def test_text_that_is_not_wrapped_is_left_exactly_as_it_is(name: str) -> None:
    """The sample articles hold one paragraph per line, some hundreds of characters long."""
    text = (SAMPLE / name).read_text(encoding="utf-8")
    assert unwrap(text) == text


def test_list_items_keep_their_lines_and_wrapped_items_are_joined() -> None:
    text = (
        PROSE + "\n- The first item of the list is long enough that the writer wrapped\n"
        "  it onto a second line.\n"
        "- A short item.\n"
        "* Another short item.\n"
        "1. A numbered one.\n"
        "b) A lettered one.\n"
    )
    assert unwrap(text).split("\n") == [
        joined(PROSE),
        "",
        "- The first item of the list is long enough that the writer wrapped it onto a "
        "second line.",
        "- A short item.",
        "* Another short item.",
        "1. A numbered one.",
        "b) A lettered one.",
        "",
    ]


def test_headings_rules_and_a_signature_keep_their_lines() -> None:
    text = (
        "# The budget of the city and of its swimming pool, as the council saw it\n"
        + PROSE
        + "==========================================================================\n"
        "The second part of the text, which is not wrapped onto the rule above it\n"
        "-- \n"
        "Ann Lee, who signs her mail\n"
    )
    lines = unwrap(text).split("\n")
    assert lines[0].startswith("# The budget")
    assert lines[1] == joined(PROSE)
    assert lines[2].startswith("=====")
    assert lines[3:] == [
        "The second part of the text, which is not wrapped onto the rule above it",
        "-- ",
        "Ann Lee, who signs her mail",
        "",
    ]


def test_short_lines_of_verse_stay_and_so_does_a_poem_on_its_own() -> None:
    poem = (
        "Shall I compare thee to a summer's day?\n"
        "Thou art more lovely and more temperate:\n"
        "Rough winds do shake the darling buds of May,\n"
        "And summer's lease hath all too short a date;\n"
    )
    assert unwrap(poem) == poem  # every line starts with a capital: verse, not wrapping
    text = PROSE + "\n" + poem.replace("Thou", "thou").replace("Rough", "rough")
    # Within wrapped prose, verse lines far shorter than the width are kept.
    assert unwrap(text) == joined(PROSE) + "\n\n" + text.split("\n\n", 1)[1]


def test_quoted_mail_is_unwrapped_within_its_quote_under_one_marker() -> None:
    quoted = (
        "> On Monday the mayor wrote that the pool would cost no more than four\n"
        "> million dollars, which the auditors later found to be quite wrong.\n"
    )
    text = PROSE + quoted + PROSE
    assert unwrap(text).split("\n") == [
        joined(PROSE),
        "> On Monday the mayor wrote that the pool would cost no more than four million "
        "dollars, which the auditors later found to be quite wrong.",
        joined(PROSE),
        "",
    ]
    # A deeper quote is another paragraph: its lines join among themselves only.
    nested = quoted + quoted.replace("> ", ">> ")
    assert len(unwrap(PROSE + nested).split("\n")) == 4


def test_a_dateline_and_an_indented_paragraph_start_keep_their_breaks() -> None:
    text = (
        "Published 12 March 2024, updated 13 March 2024 at 09:15, Springfield\n"
        + PROSE
        + "    The indented first line of the next paragraph, wrapped at the same\n"
        "width as the paragraph before it, which the council did not read.\n"
    )
    assert unwrap(text).split("\n") == [
        "Published 12 March 2024, updated 13 March 2024 at 09:15, Springfield",
        joined(PROSE),
        "    The indented first line of the next paragraph, wrapped at the same width as "
        "the paragraph before it, which the council did not read.",
        "",
    ]


def test_a_cut_word_loses_its_hyphen_only_when_the_text_has_the_whole_word() -> None:
    known = word_counts("an international treaty; a well-known writer")
    assert join_lines(["an inter-", "national treaty"], known) == "an international treaty"
    assert join_lines(["a well-", "known writer"], known) == "a well-known writer"
    # No evidence either way: the hyphen stays rather than making up a word.
    assert join_lines(["a counter-", "weight"], known) == "a counter-weight"
    # Before a capital it is a compound's own hyphen.
    assert join_lines(["the Franco-", "German border"], known) == "the Franco-German border"
    assert join_lines(["ends with a dash -", "then more"], known) == "ends with a dash - then more"


def test_a_typeset_text_hyphenates_words_unless_both_halves_are_its_words() -> None:
    text = "Elle a émis un avis. Le débat est bien connu. Il faut une réforme du code.\n"
    known = word_counts(text + "l'année précé-\ndente ; émis-\nsions ; bien-\nconnu")
    assert join_lines(["l'année précé-", "dente"], known, typeset=True) == "l'année précédente"
    assert join_lines(["des émis-", "sions"], known, typeset=True) == "des émissions"
    # "bien" and "connu" stand elsewhere in the text: a compound, as in plain text.
    assert join_lines(["un avis bien-", "connu"], known, typeset=True) == "un avis bien-connu"
    assert join_lines(["À Clermont-", "Ferrand"], known, typeset=True) == "À Clermont-Ferrand"
    assert join_lines(["l'année précé-", "dente"], known) == "l'année précé-dente"


def test_hyphenated_line_ends_in_a_wrapped_text() -> None:
    text = (
        "The international observers said that the vote was free, and the inter-\n"
        "national press agreed with them that the count had been a fair and well-\n"
        "known example of an election held under the supervision of them all.\n"
    )
    assert unwrap(text) == (
        "The international observers said that the vote was free, and the international "
        "press agreed with them that the count had been a fair and well-known example of an "
        "election held under the supervision of them all.\n"
    )
