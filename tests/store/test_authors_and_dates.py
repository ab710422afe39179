"""Bylines and dates as stored by `factmark import`: the author in its own column, byline
regions, dates read in the article's language, and dates a page never states refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from factmark.store import articles
from factmark.store.database import Store
from factmark.store.schema import APPLICATION_ID, LATEST, MIGRATIONS
from tests.helpers import factmark

ENGLISH = (
    "Jobless claims fall to a pandemic low\n\nBy Jane Roe | Business\n\nPublished 03/04/2020\n\n"
    "Jobless claims fell to 200,000 last week, the Labor Department said on Thursday.\n"
)
FRENCH = (
    "Le chômage au plus bas depuis quinze ans\n\nPar Jean Dupont\n\n"
    "Publié le 03/04/2020 à 15h14\n\n"
    "Le taux de chômage a reculé à 7,1 % au quatrième trimestre, a annoncé mardi l'Insee.\n"
)
PAGE = """<!doctype html><html><head><title>Budget vote</title>
<meta property="article:published_time" content="{date}"></head>
<body><article><h1>Budget vote</h1>
<p>The city council approved a budget of 4 million dollars on Tuesday, the mayor said.</p>
<p>The previous budget was 3.2 million dollars, according to the finance office.</p>
</article></body></html>"""


def imported(db: Path, folder: Path) -> dict[str, dict]:
    """Import `folder`; each article's row and its region kinds, by file name."""
    result = factmark("import", "--db", str(db), str(folder))
    assert result.returncode == 0, result.stderr
    with Store.open(db, readonly=True) as store:
        found = {}
        for article_id in articles.ids(store):
            row = articles.get(store, article_id)
            assert row is not None
            kinds = [r["kind"] for r in articles.regions(store, article_id)]
            found[Path(row["path"]).name] = {**row, "kinds": kinds}
        return found


def test_a_byline_gives_the_author_and_the_language_reads_the_date(
    db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "en.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "fr.txt").write_text(FRENCH, encoding="utf-8")
    found = imported(db_path, folder)
    assert (found["en.txt"]["author"], found["en.txt"]["published"]) == ("Jane Roe", "2020-03-04")
    assert (found["fr.txt"]["author"], found["fr.txt"]["published"]) == (
        "Jean Dupont",
        "2020-04-03",
    )
    assert found["en.txt"]["kinds"] == ["title", "byline", "dateline"]
    assert found["fr.txt"]["kinds"] == ["title", "byline", "dateline"]


def test_an_article_without_a_byline_has_no_author(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "plain.txt").write_text(FRENCH.replace("Par Jean Dupont\n\n", ""), "utf-8")
    assert imported(db_path, folder)["plain.txt"]["author"] is None


@pytest.mark.parametrize(
    "date, published",
    [
        ("2020-13-45", None),  # impossible: trafilatura would make it 2020-01-01
        ("2020", None),  # a year alone is no day
        ("2020-09-27T10:00:00Z", "2020-09-27"),
        ("2020-01-01T10:00:00Z", "2020-01-01"),  # a first of January the page states
    ],
)
def test_an_html_page_s_date_is_kept_only_when_the_page_states_it(
    db_path: Path, tmp_path: Path, date: str, published: str | None
) -> None:
    pytest.importorskip("trafilatura")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.html").write_text(PAGE.format(date=date), encoding="utf-8")
    assert imported(db_path, folder)["page.html"]["published"] == published


def test_a_database_from_before_authors_gains_the_column(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    for script in MIGRATIONS[: LATEST - 1]:
        conn.executescript(script)
    conn.execute(f"PRAGMA user_version = {LATEST - 1}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(
        "INSERT INTO articles (path, title, text, sha256, imported_at) "
        "VALUES ('old.txt', 'Old', 'Old text', 'abc', '2020-01-01T00:00:00Z')"
    )
    conn.commit()
    conn.close()
    with Store.open(db_path) as store:
        assert store.user_version() == LATEST
        row = articles.get(store, 1)
        assert row is not None and row["author"] is None and row["title"] == "Old"


def test_merge_brings_the_author(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "fr.txt").write_text(FRENCH, encoding="utf-8")
    laptop, school = tmp_path / "laptop.db", tmp_path / "school.db"
    imported(laptop, folder)
    assert factmark("merge", "--db", str(school), str(laptop)).returncode == 0
    with Store.open(school, readonly=True) as store:
        assert [articles.get(store, i)["author"] for i in articles.ids(store)] == ["Jean Dupont"]


def test_the_author_a_json_record_or_an_html_page_names_is_kept(tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    feed.write_text(
        '[{"text": "Le chômage a baissé de 2 % en 2023, selon l\'Insee.", "title": "Chômage",'
        ' "author": "Jeanne Roux"}]',
        encoding="utf-8",
    )
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><title>Port</title><meta name="author" content="Ann Lee"></head><body>'
        "<article><h1>Port dredging</h1><p>The port authority said on Monday that it will "
        "spend 40 million dollars on dredging in 2024, the largest outlay since 1998.</p>"
        "<p>Work is due to start in March and last eight months, officials said.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    db = tmp_path / "a.db"
    for path in (feed, page):
        result = factmark("import", str(path), "--db", str(db))
        assert result.returncode == 0, result.stderr
    with Store.open(db, readonly=True) as store:
        found = {
            a["title"]: a["author"]
            for a in map(lambda i: articles.get(store, i), articles.ids(store))
        }
    assert found["Chômage"] == "Jeanne Roux"
    assert "Ann Lee" in found.values()
