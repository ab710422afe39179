"""The reader's header names the article's author, when a byline gave one."""

from __future__ import annotations

from pathlib import Path

from factmark.tui.app import FactmarkApp
from factmark.tui.reader import ReaderScreen
from tests.helpers import SAMPLE, factmark


async def test_the_sub_title_holds_the_title_and_the_author(db_path: Path, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(
        "Jobless claims fall to a pandemic low\n\nBy Jane Roe | Business\n\n"
        "Jobless claims fell to 200,000 last week, the Labor Department said on Thursday.\n",
        encoding="utf-8",
    )
    assert factmark("import", str(story), "--db", str(db_path)).returncode == 0
    app = FactmarkApp(db_path=db_path, annotator="tester", sample=SAMPLE, ascii_glyphs=True)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.sub_title == "Jobless claims fall to a pandemic low | Jane Roe"
