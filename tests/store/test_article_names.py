"""Commands name an article by the library's number or by part of its title; reveal
and unreveal say which article they acted on."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from factmark.store import article_names
from factmark.store.database import Store
from factmark.store.errors import StoreError
from factmark.tui.layout import cells
from tests.helpers import SAMPLE, factmark

# The sample corpus, as the library lists it.
TITLES = {
    1: "Coup de bluff US fait pschiit!",
    4: "Le groupe de la Résistance irakienne Kataeb Hezbollah",
    5: "Fin de la trêve de la Résistance avec les Yankees",
}


@pytest.fixture
def db(db_path: Path) -> Path:
    assert factmark("import", "--db", str(db_path), str(SAMPLE)).returncode == 0
    return db_path


def run(db: Path, *args: str, env: dict | None = None):
    return factmark(*args, "--db", str(db), env=env)


def revealed(db: Path) -> list[int]:
    with Store.open(db, readonly=True) as store:
        return [r[0] for r in store.conn.execute("SELECT article_id FROM reveals ORDER BY 1")]


def test_the_titles_are_those_of_the_sample(db: Path) -> None:
    with Store.open(db, readonly=True) as store:
        for number, start in TITLES.items():
            assert article_names.find(store, str(number)).title.startswith(start)


def test_one_matching_title_names_the_article_and_the_output_says_which(db: Path) -> None:
    result = run(db, "reveal", "TRÊVE")  # case-insensitive, accents as typed
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().startswith('revealed 5 "Fin de la trêve de la Résistance')
    assert revealed(db) == [5]
    again = run(db, "reveal", "trêve")
    assert again.stdout.decode().startswith('5 "Fin de la trêve')
    assert again.stdout.decode().rstrip().endswith("was revealed already")
    assert run(db, "reveal", "treve").returncode == 1  # no accent, no match
    figures = json.loads(run(db, "compare", "--article", "bluff", "--format", "json").stdout)
    assert figures["article"] == {"id": 1, "title": TITLES[1]}
    table = run(db, "compare", "--article", "bluff").stdout.decode()
    assert table.splitlines()[0] == f'article: 1 "{TITLES[1]}"'


def test_several_matching_titles_are_listed_in_one_line_and_nothing_is_done(db: Path) -> None:
    result = run(db, "reveal", "la résistance")
    err = result.stderr.decode()
    assert result.returncode == 1 and len(err.splitlines()) == 1
    assert err.startswith('factmark: "la résistance" matches 2 articles: 4 "Le groupe')
    assert ', 5 "Fin de la' in err
    # Every article has an "e": five are named, and the rest counted.
    extra = db.with_name("extra.txt")
    extra.write_text("Une sixième\n\nLe ministre a annoncé mardi 3 milliards.\n")
    assert run(db, "import", str(extra)).returncode == 0
    result = run(db, "compare", "--article", "E")
    err = result.stderr.decode()
    assert result.returncode == 1 and len(err.splitlines()) == 1
    assert [f' {n} "' in err for n in range(1, 7)] == [True] * 5 + [False]
    assert err.rstrip().endswith("and 1 more")
    assert revealed(db) == []
    with (
        Store.open(db, readonly=True) as store,
        pytest.raises(article_names.SeveralArticles) as several,
    ):
        article_names.find(store, "e")
    assert [m.id for m in several.value.matches] == [1, 2, 3, 4, 5, 6]


def test_no_matching_title_is_a_clear_error(db: Path) -> None:
    result = run(db, "reveal", "Brexit")
    assert result.returncode == 1
    assert result.stderr.decode() == 'factmark: no article has "Brexit" in its title\n'
    assert run(db, "unreveal", "Brexit").returncode == 1
    with Store.open(db, readonly=True) as store, pytest.raises(StoreError):
        article_names.find(store, "Brexit")


def test_a_number_with_leading_zeros_is_that_article_and_the_output_says_so(db: Path) -> None:
    result = run(db, "reveal", "004")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().startswith(f'revealed 4 "{TITLES[4]}')
    assert revealed(db) == [4]
    with Store.open(db, readonly=True) as store:
        assert article_names.find(store, " 004 ").id == 4
    for bad in ("0", "000", "99999999999999999999999"):
        assert run(db, "reveal", bad).returncode == 2


def test_unreveal_takes_a_reveal_back_and_says_when_there_was_none(db: Path) -> None:
    assert run(db, "reveal", "4").returncode == 0
    assert run(db, "reveal", "5").returncode == 0
    result = run(db, "unreveal", "Kataeb")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().startswith('unrevealed 4 "Le groupe de la Résistance')
    assert revealed(db) == [5]
    again = run(db, "unreveal", "4")
    assert again.returncode == 0
    assert again.stdout.decode().rstrip().endswith("was not revealed")
    assert run(db, "unreveal", "--all").stdout.decode() == "unrevealed 1 article\n"
    assert run(db, "unreveal", "--all").stdout.decode() == "no article was revealed\n"
    assert revealed(db) == []


def test_a_long_or_hostile_title_is_cut_to_one_clean_line(db: Path) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "UPDATE articles SET title = ? WHERE id = 3",
            ["Très \x1b]0;PWNED\x07long\u202e titre\n" + "mot " * 40],
        )
    conn.close()
    result = run(db, "reveal", "très long", env={"COLUMNS": "50"})
    assert result.returncode == 0, result.stderr
    line = result.stdout.decode().rstrip("\n")
    assert line.startswith('revealed 3 "Très long titre mot') and line.endswith('…"')
    assert "\x1b" not in line and "\u202e" not in line and cells(line) <= 50
