"""JSON documents and annotation exports read into articles and labelled spans."""

from __future__ import annotations

import json

import pytest

from factmark.corpus.article import Article, ArticleError, Label
from factmark.corpus.reading import read_articles


def one(name: str, obj: object) -> Article:
    (article,) = read_articles(name, json.dumps(obj, ensure_ascii=False).encode())
    assert isinstance(article, Article), article
    return article


def spans(article: Article) -> list[tuple[str, tuple[str, ...]]]:
    return [(article.text[label.start : label.end], label.names) for label in article.labels]


def test_offsets_follow_the_text_as_stored_past_crlf_and_control_characters() -> None:
    text = "Titre\r\n\r\nLe \x1b[1mdéficit\x1b[0m a atteint 5 %.\r\nLa dette a doublé."
    claims = ["Le \x1b[1mdéficit\x1b[0m a atteint 5 %.", "La dette a doublé."]
    label = [[text.index(c), text.index(c) + len(c), "CLAIM"] for c in claims]
    article = one("a.jsonl", {"text": text, "label": label})
    assert article.text == "Titre\n\nLe déficit a atteint 5 %.\nLa dette a doublé."
    assert spans(article) == [
        ("Le déficit a atteint 5 %.", ("CLAIM",)),
        ("La dette a doublé.", ("CLAIM",)),
    ]


def test_label_studio_min_and_doccano_entities_are_read() -> None:
    text = "Le maire a dépensé 4 millions d'euros."
    minimal = one(
        "min.json",
        {"text": text, "label": [{"start": 0, "end": 8, "text": "Le maire", "labels": ["ORG"]}]},
    )
    assert spans(minimal) == [("Le maire", ("ORG",))]
    assert minimal.labels[0].tool == "label-studio"
    entities = one(
        "e.jsonl",
        {
            "text": text,
            "entities": [{"id": 3, "label": "MONEY", "start_offset": 19, "end_offset": 37}],
        },
    )
    assert entities.labels == (Label(19, 37, ("MONEY",), "doccano"),)


@pytest.mark.parametrize(
    "label, reason",
    [
        ([[5, 500, "X"]], "1 outside the text"),
        ([["a", 3, "X"]], "1 without numeric offsets"),
        ([[0, 9, "X"], [4, 15, "Y"]], "1 overlapping another span"),
        (
            [{"start": 0, "end": 3, "text": "autre", "labels": ["X"]}],
            "1 not matching their own text",
        ),
        ([[2, 3, "X"]], "1 holding only blank space"),
        ([[0, 5, "X"]], "1 cutting through a word"),
    ],
)
def test_spans_that_cannot_be_claims_are_noted(label: list, reason: str) -> None:
    article = one("n.jsonl", {"text": "Un  texte assez long pour les essais.", "label": label})
    (note,) = article.notes
    assert note.startswith(f"n.jsonl:1: 1 labelled span not brought as claims: {reason}")


def test_document_categories_are_not_spans() -> None:
    article = one("c.jsonl", {"text": "Le ministre a menti.", "label": ["opinion"]})
    assert article.labels == () and article.notes == ()


def test_a_json_file_holding_json_lines_is_read_by_line() -> None:
    data = b'{"text": "Premier article."}\n{"text": "Second article."}\n{"text": 3}\n'
    first, second, bad = read_articles("lines.json", data)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert str(bad) == 'lines.json:3: no "text" field, or it is empty'


@pytest.mark.parametrize(
    "data, message",
    [
        (b"[]", "lines.json: an empty JSON array, no article in it"),
        (b'"just a string"', "lines.json: a JSON string; expected an article object"),
        (b'{"text": "a",\n  oops}', "lines.json: not valid JSON (Expecting property name"),
    ],
)
def test_a_json_document_that_holds_no_article_is_one_line(data: bytes, message: str) -> None:
    (error,) = read_articles("lines.json", data)
    assert isinstance(error, ArticleError) and str(error).startswith(message)


def test_spans_labelled_as_no_claim_stay_out_whatever_the_spelling() -> None:
    text = "Taxes rose 4% in 2020. It is a disgrace. Rents fell 2%. A fine plan."
    sentences = ["Taxes rose 4% in 2020.", "It is a disgrace.", "Rents fell 2%.", "A fine plan."]
    spans = [(text.index(s), text.index(s) + len(s)) for s in sentences]
    names = ["CLAIM", "Opinion", "STATISTIC", "not_a-claim"]
    label = [[start, end, name] for (start, end), name in zip(spans, names, strict=True)]
    article = one("n.jsonl", {"text": text, "label": label})
    assert [text[x.start : x.end] for x in article.labels] == [sentences[0], sentences[2]]
    assert article.notes == (
        "n.jsonl:1: 2 labelled spans not brought as claims: 1 labelled Opinion, "
        "1 labelled not_a-claim",
    )
