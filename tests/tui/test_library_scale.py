"""The library scales: its rows are built once, sorting, filtering, searching and
resizing only reorder them, and coming back from the reader counts again only the
articles the reader opened."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from factmark.store import articles
from factmark.tui import library
from factmark.tui.app import FactmarkApp
from factmark.tui.article_table import ArticleTable
from factmark.tui.library import LibraryScreen
from factmark.tui.reader import ReaderScreen
from tests.helpers import SAMPLE, article_feed, factmark

ARTICLES = 600


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("library")
    feed = article_feed(
        folder / "feed.jsonl",
        ARTICLES,
        title=lambda n: f"Roads budget {n:03d}" if n % 3 else f"School meals {n:03d}",
        language=lambda n: "en" if n % 2 else "fr",
    )
    db = folder / "big.db"
    assert factmark("import", "--db", str(db), str(feed)).returncode == 0
    return db


class Counting:
    """Counts the calls of `articles.listing` and of the library's cell building."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.listed: list[list[int] | None] = []
        self.cells = 0
        listing, cells = articles.listing, LibraryScreen._cells

        def counted_listing(store, annotator=None, ids=None):
            self.listed.append(None if ids is None else list(ids))
            return listing(store, annotator, ids)

        def counted_cells(screen, row):
            self.cells += 1
            return cells(screen, row)

        monkeypatch.setattr(library.articles, "listing", counted_listing)
        monkeypatch.setattr(LibraryScreen, "_cells", counted_cells)

    def reset(self) -> None:
        self.listed, self.cells = [], 0


async def test_sort_filter_search_and_resize_reuse_the_rows(
    big_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = Counting(monkeypatch)
    app = FactmarkApp(big_db, "tester", SAMPLE)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        assert counting.listed == [None] and counting.cells == ARTICLES  # built once
        table = app.screen.query_one(ArticleTable)
        counting.reset()
        await pilot.press("o")  # sorted by title
        assert table.get_row_at(0)[1].plain == "Roads budget 001"
        await pilot.press("f")  # one language
        assert table.row_count == ARTICLES // 2
        await pilot.press("slash", *"meals", "enter")
        assert all("School meals" in table.get_row_at(i)[1].plain for i in range(3))
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert counting.listed == [] and counting.cells == 0


async def test_back_from_the_reader_counts_only_the_article_read(
    big_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = Counting(monkeypatch)
    app = FactmarkApp(big_db, "tester", SAMPLE)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        counting.reset()
        await pilot.press("down", "enter")
        assert isinstance(app.screen, ReaderScreen)
        read = app.screen.article_id
        await pilot.press("1", "escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert counting.listed == [[read]] and counting.cells == 1
        row = app.screen.query_one(ArticleTable).get_row_at(1)
        assert row[-1].plain.startswith("1/1")  # the verdict is counted


LOADED = """
import asyncio, sys
import subprocess
import sys
from pathlib import Path
from factmark.keymaps import load
from factmark.tui.app import FactmarkApp
from factmark.tui.bindings import binding_contexts

HEAVY = ("factmark.tui.reader", "factmark.tui.dialogs", "factmark.tui.help",
         "factmark.store.ingest", "factmark.corpus.claims")

async def main():
    keymap = load("default", binding_contexts())  # as `factmark` checks it before starting
    app = FactmarkApp(Path(sys.argv[1]), "reader", Path(sys.argv[2]), keymap=keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        print("shown:", [m for m in HEAVY if m in sys.modules])
        await pilot.press("enter")
        await pilot.pause()
        print("read:", [m for m in HEAVY if m in sys.modules])

asyncio.run(main())
"""


def test_the_library_starts_without_loading_the_reader_or_the_analysis(big_db: Path) -> None:
    # What the start imports is most of its time (docs/benchmarks.md, Startup): the
    # reader, its dialogs, the help and the claim analysis load when first used.
    result = subprocess.run(
        [sys.executable, "-c", LOADED, str(big_db), str(SAMPLE)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "shown: []" in result.stdout
    assert "'factmark.tui.reader'" in result.stdout.split("read:")[1]
