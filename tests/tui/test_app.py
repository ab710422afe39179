"""The reader app, driven through Pilot as a keyboard user would."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from factmark.tui.app import FactmarkApp
from factmark.tui.reader import ReaderScreen
from tests.helpers import SAMPLE, factmark


def make_app(db_path: Path) -> FactmarkApp:
    return FactmarkApp(db_path=db_path, annotator="tester", sample=SAMPLE)


async def test_library_lists_articles_and_enter_opens_one(db_path: Path) -> None:
    factmark("import", str(SAMPLE), "--db", str(db_path))
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(DataTable)
        assert table.row_count == 5
        await pilot.press("down", "enter")
        assert isinstance(app.screen, ReaderScreen)
        text = str(app.screen.query_one("#text", Static).render())
        assert "2e anniversaire de l'assassinat de Soleimani" in text
        await pilot.press("q")
        assert not isinstance(app.screen, ReaderScreen)
        await pilot.press("q")
    assert app.return_code == 0


async def test_empty_library_offers_the_sample_corpus(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        offer = str(app.screen.query_one("#empty", Static).render())
        assert "Press s to open the sample corpus" in offer
        await pilot.press("s")
        assert app.screen.query_one(DataTable).row_count == 5


async def test_markup_in_an_article_shows_literally_and_does_nothing(
    db_path: Path, tmp_path: Path
) -> None:
    hostile = tmp_path / "hostile.txt"
    body = (
        "Title [bold]x\n\noops [/bold] and [@click=app.quit]click[/] "
        "[link=file:///etc/passwd]y[/link] a [/"
    )
    hostile.write_text(body + "\x1b]0;owned\x07\n")
    factmark("import", str(hostile), "--db", str(db_path))
    app = make_app(db_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("enter")
        shown = str(app.screen.query_one("#text", Static).render())
        assert "[@click=app.quit]click[/]" in shown and "a [/" in shown
        assert "\x1b" not in shown and "owned" not in shown
        await pilot.click("#text")
        assert app.is_running
