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


async def test_a_long_title_is_cut_so_author_and_source_stay_in_view_at_80_columns(
    db_path: Path, tmp_path: Path
) -> None:
    title = "Senate passes a defence bill of 740 billion dollars despite the veto threat"
    story = tmp_path / "story.txt"
    story.write_text(
        f"{title}\n\nBy Jane Roe\n\nWASHINGTON (Reuters) - The U.S. Senate on Saturday voted "
        "84-13 to pass a $740 billion defense policy bill.\n",
        encoding="utf-8",
    )
    assert factmark("import", str(story), "--db", str(db_path)).returncode == 0
    app = FactmarkApp(db_path=db_path, annotator="tester", sample=SAMPLE, ascii_glyphs=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        heading = app.screen.sub_title
        assert heading.endswith("... | Jane Roe | Reuters")
        assert heading.startswith(title[:20])
        # The header draws "factmark - " and the heading between its icon's cells.
        assert len(f"{app.title} - {heading}") <= 80 - 24
        await pilot.resize_terminal(140, 24)
        await pilot.pause()
        assert app.screen.sub_title == f"{title} | Jane Roe | Reuters"
