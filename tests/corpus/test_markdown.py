"""Markdown articles: blocks, headings as regions, inline markers gone, YAML front matter."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from factmark.corpus.article import Article
from factmark.corpus.markdown import front_matter_fields, read_markdown, render
from factmark.corpus.reading import read_articles
from factmark.store import articles
from factmark.store.database import Store
from tests.helpers import factmark

BODY = """# Debt rose 12 percent in 2023

The city's debt rose by 12 percent last year, reaching $210 million, the
audit office said on Tuesday.

## Spending on the pool

The mayor spent $4.5 million on the pool in 2022, twice what voters approved.
"""


def article(source: str, name: str = "notes.md") -> Article:
    (found,) = read_articles(name, source.encode())
    assert isinstance(found, Article), found
    return found


def spans(found: Article, kind: str) -> list[str]:
    return [found.text[r.start : r.end] for r in found.regions if r.kind == kind]


def test_headings_are_paragraphs_of_their_own_and_never_claims() -> None:
    found = article(BODY)
    assert found.text == (
        "Debt rose 12 percent in 2023\n\n"
        "The city's debt rose by 12 percent last year, reaching $210 million, the audit "
        "office said on Tuesday.\n\n"
        "Spending on the pool\n\n"
        "The mayor spent $4.5 million on the pool in 2022, twice what voters approved."
    )
    # No front matter: the first heading is the title; the other is a heading region.
    assert found.title == "Debt rose 12 percent in 2023"
    assert spans(found, "title") == ["Debt rose 12 percent in 2023"]
    assert spans(found, "heading") == ["Spending on the pool"]
    claimed = [found.text[c.start : c.end] for c in found.claims]
    assert claimed == [
        "The city's debt rose by 12 percent last year, reaching $210 million, the audit "
        "office said on Tuesday.",
        "The mayor spent $4.5 million on the pool in 2022, twice what voters approved.",
    ]


def test_every_heading_is_a_region_when_the_front_matter_names_the_title() -> None:
    found = article("---\ntitle: City finances\n---\n" + BODY)
    assert found.title == "City finances"
    assert spans(found, "heading") == ["Debt rose 12 percent in 2023", "Spending on the pool"]
    assert all(found.text[c.start : c.end] != "Debt rose 12 percent in 2023" for c in found.claims)


def test_lists_quotes_links_emphasis_and_code() -> None:
    text, headings = render(
        "Setext heading\n==============\n\n"
        'Some *emphasis*, __strong__, ~~struck~~, a [link](https://example.org/x "t"),\n'
        "an image ![chart](chart.png), `inline code` and a hard  \nbreak.\n\n"
        "- one\n- two\n  - nested\n\n"
        "3. third\n4. fourth\n\n"
        "> Quoted words\n> on two lines.\n\n"
        "```python\nx = 1\n\ny = 2\n```\n\n"
        "| city | debt |\n|---|---|\n| Springfield | 12% |\n\n"
        "<div>Some <b>HTML</b> words</div><!-- a comment -->\n\n"
        "Entities &amp; &#8238;clean&#8236; text.\n"
    )
    assert text.split("\n\n") == [
        "Setext heading",
        "Some emphasis, strong, struck, a link, an image , inline code and a hard\nbreak.",
        "• one\n• two\n  • nested",
        "3. third\n4. fourth",
        "Quoted words on two lines.",
        "x = 1",
        "y = 2",
        "city | debt\nSpringfield | 12%",
        "Some HTML words",
        "Entities & clean text.",  # an entity brings back no control or bidi character
    ]
    assert headings == ((0, len("Setext heading")),)
    assert "https://" not in text and "*" not in text and "`" not in text


def test_soft_breaks_are_spaces_and_a_cut_word_follows_the_text() -> None:
    text, _ = render("An international treaty, and the inter-\nnational press.\n")
    assert text == "An international treaty, and the international press."
    text, _ = render("A well-\nknown writer.\n")
    assert text == "A well-known writer."


def test_front_matter_scalars_are_read_as_yaml() -> None:
    front = (
        "title: '\"Quoted\" words, kept'\n"
        'published: "Caf\\u00e9 2021-03-04"\n'
        "date: 2020-01-02\n"
        "author:\n  - Ann Lee\n  - Bo Chen\n"
        "publisher: Town Notes  # a comment\n"
        "url: https://example.org/a\n"
        "lang: en\n"
        "tags: [a, b]\n"
    )
    fields, problem = front_matter_fields(front)
    assert problem is None
    assert fields == {
        "title": '"Quoted" words, kept',
        "published": "Café 2021-03-04",  # the first of date/published wins
        "author": "Ann Lee, Bo Chen",
        "source": "Town Notes",
        "url": "https://example.org/a",
        "language": "en",
    }
    assert front_matter_fields("title: >-\n  A folded\n  title\n")[0] == {"title": "A folded title"}
    assert front_matter_fields("title: |\n  A block\n  title\n")[0] == {"title": "A block title"}
    assert front_matter_fields('title: "Budget vote"\n')[0] == {"title": "Budget vote"}
    assert front_matter_fields("title: yes\ndate: 2021-03-04 10:30:00\n")[0] == {
        "published": "2021-03-04T10:30:00"
    }
    assert front_matter_fields("") == ({}, None)


def test_front_matter_metadata_reaches_the_article() -> None:
    source = (
        "---\ntitle: >-\n  Budget vote,\n  explained\ndate: 2021-03-04\nauthor: Ann Lee\n"
        "source: Town Notes\nlanguage: en\nurl: https://example.org/b\n---\n" + BODY
    )
    found = article(source)
    assert (found.title, found.published, found.source, found.language, found.url) == (
        "Budget vote, explained",
        "2021-03-04",
        "Town Notes",
        "en",
        "https://example.org/b",
    )
    assert found.author == "Ann Lee"
    assert found.notes == ()
    assert found.text.startswith("Debt rose 12 percent in 2023\n\n")


def test_broken_front_matter_is_one_note_and_the_body_still_reads() -> None:
    found = article("---\ntitle: [unclosed\ndate: 2021-03-04\n---\n" + BODY, "dossier/bad.md")
    assert found.notes == (
        "dossier/bad.md: front matter ignored, not valid YAML on line 3 "
        "(expected ',' or ']', but got ':')",
    )
    assert found.title == "Debt rose 12 percent in 2023" and found.published is None
    assert len(found.claims) == 2
    listed = read_markdown("x.md", "---\n- a\n- b\n---\nText.\n")
    assert listed.notes == ("x.md: front matter ignored, not a list of fields (key: value)",)
    assert listed.text == "Text."


def test_a_rule_without_a_closing_one_is_markdown_not_front_matter() -> None:
    found = read_markdown("x.md", "---\n\nThe council met on Tuesday.\n")
    assert (found.text, found.meta, found.notes) == ("The council met on Tuesday.", {}, ())


def test_import_reports_broken_front_matter_and_imports_the_body(
    tmp_path: Path, db_path: Path
) -> None:
    (tmp_path / "bad.md").write_text("---\ntitle: 'unclosed\n---\n" + BODY, encoding="utf-8")
    (tmp_path / "good.md").write_text("---\ntitle: Good\n---\n" + BODY, encoding="utf-8")
    result = factmark("import", "--db", str(db_path), str(tmp_path))
    assert result.returncode == 0, result.stderr
    err = result.stderr.decode().splitlines()
    problems = [line for line in err if "front matter" in line]
    assert len(problems) == 1 and "bad.md: front matter ignored, not valid YAML" in problems[0]
    assert "2 imported" in err[-1]
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT title, text, extra FROM articles ORDER BY title").fetchall()
    kinds = conn.execute("SELECT kind, count(*) FROM regions GROUP BY kind").fetchall()
    conn.close()
    assert [r[0] for r in rows] == ["Debt rose 12 percent in 2023", "Good"]
    assert all("\n\nSpending on the pool\n\n" in r[1] for r in rows)
    assert json.loads(rows[0][2]) == {"encoding": "utf-8"}
    assert ("heading", 3) in kinds  # the bad file's title is its first heading


def test_detect_prints_the_note_and_the_claims(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("---\n: : :\n---\n" + BODY, encoding="utf-8")
    result = factmark("detect", "--format", "jsonl", str(tmp_path / "bad.md"))
    assert result.returncode == 0, result.stderr
    assert "bad.md: front matter ignored" in result.stderr.decode()
    assert len(result.stdout.decode().splitlines()) == 2


def test_redetect_keeps_the_headings_markdown_marked(tmp_path: Path, db_path: Path) -> None:
    # Headings that the text alone does not show: one word, and a question.
    body = BODY.replace("Debt rose 12 percent in 2023", "Debt").replace(
        "Spending on the pool", "What did the pool cost?"
    )
    (tmp_path / "a.md").write_text("---\ntitle: City finances\n---\n" + body, encoding="utf-8")
    assert factmark("import", "--db", str(db_path), str(tmp_path)).returncode == 0

    def regions() -> list[tuple]:
        conn = sqlite3.connect(db_path)
        try:
            return conn.execute('SELECT start, "end", kind FROM regions ORDER BY start').fetchall()
        finally:
            conn.close()

    before = regions()
    assert [kind for *_, kind in before].count("heading") == 2
    assert factmark("redetect", "--db", str(db_path)).returncode == 0
    assert regions() == before


def test_front_matter_values_yaml_cannot_build_are_problems_not_crashes() -> None:
    for front in (
        "title: !!python/object:os.system {}\n",
        "title: !!float 'abc'\n",
        "title: !!timestamp 'nope'\n",
    ):
        fields, problem = front_matter_fields(front)
        assert fields == {} and problem and problem.startswith("not valid YAML"), front
    # An alias loop or a list of lists gives no field, and no endless walk.
    assert front_matter_fields("author: &x [*x]\ntitle: T\n") == ({"title": "T"}, None)


def test_an_impossible_date_costs_only_itself_not_the_front_matter(tmp_path: Path) -> None:
    """YAML's own timestamps would refuse "2021-02-30" and with it every field."""
    assert front_matter_fields("title: T\ndate: 2021-02-30\nauthor: Ann Lee\n") == (
        {"title": "T", "published": "2021-02-30", "author": "Ann Lee"},
        None,
    )
    page = tmp_path / "post.md"
    page.write_text(
        '---\ntitle: "Budget: le vote"\ndate: 2021-02-30\nauthor: Ann Lee\n---\n\n'
        "Le conseil a voté un budget de 4 millions d'euros en 2021, a annoncé le maire.\n",
        encoding="utf-8",
    )
    db = tmp_path / "p.db"
    assert factmark("import", str(page), "--db", str(db)).returncode == 0
    with Store.open(db, readonly=True) as store:
        stored = articles.get(store, articles.ids(store)[0])
    assert (stored["title"], stored["published"], stored["author"]) == (
        "Budget: le vote",
        None,
        "Ann Lee",
    )
