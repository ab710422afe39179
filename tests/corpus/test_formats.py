"""Markdown, JSON Lines and HTML become articles; bad lines cost only themselves."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from factmark.corpus.article import Article, ArticleError
from factmark.corpus.decoding import MAX_BYTES
from factmark.corpus.reading import analyse, read_articles

MARKDOWN = """---
title: "Budget vote"
date: 2021-03-04
source: Notes
---
# Budget vote

The **assembly** adopted the [budget](https://example.org/b) by 301 votes to 245.

![chart](chart.png)

> The deficit will reach 4.5% of GDP, the minister said.
"""


def test_markdown_becomes_plain_text_with_front_matter_metadata() -> None:
    (article,) = read_articles("notes.md", MARKDOWN.encode())
    assert isinstance(article, Article)
    assert (article.title, article.published, article.source) == (
        "Budget vote",
        "2021-03-04",
        "Notes",
    )
    assert "The assembly adopted the budget by 301 votes to 245." in article.text
    assert "**" not in article.text and "](" not in article.text and "chart" not in article.text
    assert "The deficit will reach 4.5% of GDP" in article.text


def test_jsonl_reads_good_lines_and_reports_bad_ones_by_number() -> None:
    lines = [
        json.dumps(
            {
                "id": "a1",
                "title": "First",
                "text": "First article text.",
                "url": "https://example.org/1",
                "published": "2020-11-17",
                "source": "Wire",
                "language": "en",
            }
        ),
        '{"text": "unterminated',
        json.dumps({"title": "no text here"}),
        "",
        json.dumps(["not", "an", "object"]),
        json.dumps(
            {"id": 7, "text": "Deuxième article, en français, assez long pour être détecté."}
        ),
        json.dumps({"text": "x", "title": {"nested": True}}),
    ]
    results = read_articles("batch.jsonl", "\n".join(lines).encode())
    good = [r for r in results if isinstance(r, Article)]
    bad = [str(r) for r in results if isinstance(r, ArticleError)]
    assert [a.external_id for a in good] == ["a1", "7"]
    first = good[0]
    assert (first.title, first.url, first.published, first.source, first.language) == (
        "First",
        "https://example.org/1",
        "2020-11-17",
        "Wire",
        "en",
    )
    assert good[1].language == "fr"
    assert bad == [
        "batch.jsonl:2: not valid JSON (Unterminated string starting at)",
        'batch.jsonl:3: no "text" field, or it is empty',
        'batch.jsonl:5: expected a JSON object with a "text" field',
        'batch.jsonl:7: "title" should be a string',
    ]


def test_jsonl_text_is_cleaned_of_escapes_hidden_in_json_escapes() -> None:
    line = json.dumps({"text": "Title\n\nBody \u001b]0;owned\u0007 text."})
    (article,) = read_articles("x.jsonl", line.encode())
    assert "\x1b" not in article.text and "owned" not in article.text


HTML = """<!doctype html><html><head><meta charset="utf-8"><title>Site | Titre</title>
<meta property="article:published_time" content="2020-11-17T10:00:00Z">
<link rel="canonical" href="https://example.org/article"></head>
<body><nav><a href="/">Accueil</a> <a href="/monde">Monde</a></nav>
<article><h1>Le grand titre</h1>
<p>Le ministre a annoncé mardi que 4 500 soldats quitteraient le pays d'ici janvier,
selon un communiqué officiel publié à Bagdad.</p>
<p>Le porte-parole a précisé que le retrait commencerait la semaine prochaine,
après un accord signé lundi entre les deux gouvernements.</p>
</article><footer>Partager cet article</footer></body></html>"""


def test_html_main_text_and_metadata_come_from_trafilatura() -> None:
    (article,) = read_articles("page.html", HTML.encode())
    assert isinstance(article, Article), article
    assert article.title == "Le grand titre"
    assert article.published == "2020-11-17"
    assert article.url == "https://example.org/article"
    assert "4 500 soldats" in article.text and "Accueil" not in article.text
    assert article.language == "fr"


WITHOUT_TRAFILATURA = """
import sys
sys.modules["trafilatura"] = None  # as if the html extra were not installed
from factmark.corpus.reading import read_articles
(result,) = read_articles("page.html", b"<html><body><p>x</p></body></html>")
print(result)
"""


def test_html_without_trafilatura_says_how_to_install_it() -> None:
    out = subprocess.run(
        [sys.executable, "-c", WITHOUT_TRAFILATURA], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == (
        "page.html: reading HTML needs the html extra (trafilatura): install it as "
        "factmark was installed: pip install 'factmark[html]', pipx install --force "
        "'factmark[html]' or uv tool install 'factmark[html]' (from a clone: pip install "
        "'.[html]')"
    )


GOOD_LINE = json.dumps({"id": "ok", "text": "Le ministre a annoncé mardi 3 milliards d'euros."})


def test_a_jsonl_line_json_cannot_read_costs_only_itself() -> None:
    lines = [
        GOOD_LINE,
        '{"text": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"text": "Le ministre a parlé.", "id": ' + "9" * 5000 + "}",
        GOOD_LINE.replace('"ok"', '"ok2"'),
    ]
    results = read_articles("feed.jsonl", "\n".join(lines).encode())
    assert [r.external_id for r in results if isinstance(r, Article)] == ["ok", "ok2"]
    assert [str(r) for r in results if isinstance(r, ArticleError)] == [
        "feed.jsonl:2: not valid JSON (nested too deeply)",
        "feed.jsonl:3: not valid JSON (Exceeds the limit (4300 digits) for integer string "
        "conversion)",
    ]


def test_a_jsonl_line_over_the_article_limit_is_refused_like_a_file() -> None:
    big = json.dumps({"text": "Le ministre a parlé. " * (MAX_BYTES // 20)})
    other = GOOD_LINE.replace('"ok"', '"ok2"')
    results = read_articles("feed.jsonl", "\n".join([GOOD_LINE, big, other]).encode())
    assert isinstance(results[0], Article) and isinstance(results[2], Article)
    assert str(results[1]).startswith("feed.jsonl:2: too large for an article (")
    assert len(results) == 3


def test_an_id_used_twice_in_one_feed_is_refused_on_its_second_line() -> None:
    results = read_articles("feed.jsonl", "\n".join([GOOD_LINE, GOOD_LINE + " "]).encode())
    assert isinstance(results[0], Article)
    assert str(results[1]) == "feed.jsonl:2: id 'ok' is already used on line 1; not imported"


def test_only_a_one_article_file_identifies_its_article_by_path() -> None:
    lines = [json.dumps({"text": f"Article {n}. Le ministre a parlé."}) for n in range(2)]
    lines.append(json.dumps({"id": "w-1", "text": "Le ministre a parlé."}))
    feed = read_articles("feed.jsonl", "\n".join(lines).encode())
    assert [a.path_identifies for a in feed] == [False, False, False]
    assert [a.external_id for a in feed] == [None, None, "w-1"]
    (text,) = read_articles("a.txt", b"Titre\n\nLe ministre a parle.\n")
    assert text.path_identifies
    (piped,) = read_articles("<stdin>", b"Titre\n\nLe ministre a parle.\n", named=False)
    assert not piped.path_identifies


def test_a_file_name_that_is_not_utf8_is_carried_printable() -> None:
    name = os.fsdecode(b"dossier/caf\xe9 \xff.md")  # a Latin-1 name: lone surrogates
    (article,) = read_articles(name, MARKDOWN.encode())
    assert article.path == "dossier/caf\\xe9 \\xff.md"  # its bytes, shown, never lost
    article.path.encode("utf-8")  # printable and storable
    (error,) = read_articles(name, b"")
    assert str(error).startswith("dossier/caf\\xe9 \\xff.md: ")


def test_analysing_the_text_again_gives_what_reading_the_file_gave() -> None:
    (article,) = read_articles("notes.md", MARKDOWN.encode())
    again = analyse(
        article.path,
        article.text,
        sha256=article.sha256,
        title=article.title,
        published=article.published,
        source=article.source,
        language=article.language,
    )
    assert again.text == article.text
    assert (again.title, again.published, again.source, again.language) == (
        article.title,
        article.published,
        article.source,
        article.language,
    )
    assert again.claims == article.claims and again.regions == article.regions
