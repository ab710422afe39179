"""The app through Pilot, as a keyboard user drives it: library, reader, every action."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from factmark.store import articles, claims, verdicts
from factmark.store.claims import AnnotatedClaim
from factmark.store.database import Store
from factmark.tui.app import FactmarkApp
from factmark.tui.article_table import ArticleTable
from factmark.tui.article_view import ArticleView
from factmark.tui.help import HelpScreen
from factmark.tui.reader import ReaderScreen
from tests.helpers import SAMPLE, factmark


def make_app(db_path: Path, **kwargs) -> FactmarkApp:
    return FactmarkApp(db_path=db_path, annotator="tester", sample=SAMPLE, **kwargs)


def screen_text(app: FactmarkApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def current(app: FactmarkApp) -> AnnotatedClaim:
    return app.screen.current


def stored_verdict(db_path: Path, claim_id: int) -> str | None:
    with Store.open(db_path, readonly=True) as store:
        event = verdicts.current(store, claim_id, "tester")
        return event["verdict"] if event else None


async def test_library_lists_articles_and_enter_opens_one(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.query_one(ArticleTable).row_count == 5
        await pilot.press("down", "enter")
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.model.article["title"].startswith("2e anniversaire")
        await pilot.press("q")
        assert not isinstance(app.screen, ReaderScreen)
        await pilot.press("q")
    assert app.return_code == 0


async def test_empty_library_offers_the_sample_corpus(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Press s to open the sample corpus" in screen_text(app, "#empty")
        await pilot.press("s")
        assert app.screen.query_one(ArticleTable).row_count == 5


async def test_one_key_saves_shows_and_moves_to_the_next_pending(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        first = current(app).id
        await pilot.press("1")
        # Committed before shown: the database has it as soon as the key is handled.
        assert stored_verdict(sample_db, first) == "verified"
        assert current(app).id != first
        await pilot.press("d")
        second = app.screen.model.claim(1).id
        assert stored_verdict(sample_db, second) == "disputed"
        await pilot.press("p", "p", "3")
        assert stored_verdict(sample_db, first) == "unsourced"
        assert "decided" in screen_text(app, "#status")


@pytest.mark.parametrize(
    "keys, verdict",
    [
        ("1", "verified"),
        ("v", "verified"),
        ("2", "disputed"),
        ("d", "disputed"),
        ("3", "unsourced"),
        ("u", "unsourced"),
    ],
)
async def test_fixed_verdict_keys(sample_db: Path, keys: str, verdict: str) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        claim = current(app).id
        await pilot.press(keys)
        assert stored_verdict(sample_db, claim) == verdict


async def test_stay_keeps_the_cursor_and_clear_undo_redo_use_the_log(sample_db: Path) -> None:
    app = make_app(sample_db, stay=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        claim = current(app).id
        await pilot.press("1")
        assert current(app).id == claim and current(app).verdict == "verified"
        await pilot.press("c")
        assert stored_verdict(sample_db, claim) is None
        await pilot.press("z")
        assert stored_verdict(sample_db, claim) == "verified"
        await pilot.press("y")
        assert stored_verdict(sample_db, claim) is None
        await pilot.press("s", "2")  # s toggles back to advancing
        assert current(app).id != claim


async def test_navigation_between_claims_and_articles(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert app.screen.model.index == 0
        await pilot.press("n", "n")
        assert app.screen.model.index == 2
        await pilot.press("p")
        assert app.screen.model.index == 1
        await pilot.press("space")  # next pending: the one after the cursor
        assert app.screen.model.index == 2
        await pilot.press("right_square_bracket")
        assert app.screen.article_id == 2
        await pilot.press("left_square_bracket")
        assert app.screen.article_id == 1
        await pilot.press("g", "4", "enter")
        assert app.screen.article_id == 4


async def test_note_and_evidence_link_are_saved(sample_db: Path) -> None:
    app = make_app(sample_db, stay=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        claim = current(app).id
        await pilot.press("e", *"seen in", "enter", *"AFP", "ctrl+s")
        await pilot.press("l", *"not a link", "enter")
        assert "not a web link" in str(app.screen.query_one("#hint", Static).render())
        await pilot.press("escape", "l", *"https://example.org/x", "enter")
        with Store.open(sample_db, readonly=True) as store:
            event = verdicts.current(store, claim, "tester")
        assert (event["note"], event["evidence_url"]) == ("seen in\nAFP", "https://example.org/x")
        assert "https://example.org/x" in screen_text(app, "#panel")


async def test_add_dismiss_loaded_words_search_and_help(sample_db: Path) -> None:
    app = make_app(sample_db, stay=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        before = len(app.screen.model)
        await pilot.press("a", "right", "enter")
        assert len(app.screen.model) == before + 1
        added = current(app)
        assert added.origin == "reader"
        await pilot.press("x")
        assert current(app).dismissed == 1
        view = app.screen.query_one(ArticleView)
        await pilot.press("w")
        assert view.show_loaded and view.loaded
        await pilot.press("slash", *"Samarra", "enter")
        assert view.matches and all(
            app.screen.model.text[a:b] == "Samarra" for a, b in view.matches
        )
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_library_sort_filter_and_search(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.screen.query_one(ArticleTable)
        await pilot.press("o")  # by title
        first = table.get_row_at(0)[1].plain
        assert first == sorted(r["title"] for r in articles.listing(app.store))[0]
        await pilot.press("f")  # the only language: fr
        assert table.row_count == 5
        await pilot.press("f", "slash", *"Yankees", "enter")
        assert table.row_count == 1
        await pilot.press("slash", "ctrl+u", "enter", "t", "t")  # finished: none yet
        assert table.row_count == 0


async def test_markup_and_escapes_in_an_article_show_literally(
    db_path: Path, tmp_path: Path
) -> None:
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "Titre [bold]x\n\nLe ministre a annoncé mardi que 4 500 soldats [/bold] partiraient "
        "[@click=app.quit]x[/] [link=file:///etc/passwd]y[/link] a [/.\x1b]0;owned\x07\n"
    )
    factmark("import", str(hostile), "--db", str(db_path))
    app = make_app(db_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("enter")
        view = app.screen.query_one(ArticleView)
        shown = "".join(view.render_line(y).text for y in range(6))
        assert "[@click=app.quit]x[/]" in shown and "[link=file:///etc/passwd]" in shown
        assert "\x1b" not in shown and "owned" not in shown
        await pilot.click(ArticleView)
        assert app.is_running
        await pilot.press("m")  # the whole claim in the panel
        assert "[@click=app.quit]x[/]" in screen_text(app, "#panel")


async def test_every_claim_state_has_its_own_glyph(sample_db: Path) -> None:
    with Store.open(sample_db) as store:
        ids = [c["id"] for c in claims.for_article(store, 1)[:4]]
        for claim_id, verdict in zip(ids, ("verified", "disputed", "unsourced"), strict=False):
            verdicts.record(store, claim_id, "tester", verdict)
        claims.set_dismissed(store, ids[3], True)
    app = make_app(sample_db, stay=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "p", "p", "p", "p")  # back to the first claim
        view = app.screen.query_one(ArticleView)
        shown = "".join(view.render_line(y).text for y in range(40))
        for glyph in "✓✗?·○":
            assert glyph in shown
        assert "▶" in shown


async def test_ascii_glyphs_for_plain_terminals(sample_db: Path) -> None:
    app = make_app(sample_db, ascii_glyphs=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        view = app.screen.query_one(ArticleView)
        shown = "".join(view.render_line(y).text for y in range(10))
        assert "o Il a fallu" in shown and "○" not in shown


async def test_history_of_a_claim_is_shown(sample_db: Path) -> None:
    app = make_app(sample_db, stay=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "1", "2", "c")
        assert "3 changes: verified → disputed → cleared" in screen_text(app, "#panel")


async def test_editor_note_where_the_terminal_cannot_be_handed_over(sample_db: Path) -> None:
    app = make_app(sample_db, stay=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "E")
        assert app.is_running and isinstance(app.screen, ReaderScreen)


async def test_reader_is_blind_until_the_last_claim_then_shows_key_and_class(
    sample_db: Path,
) -> None:
    factmark("key", "add", "teacher", "--db", str(sample_db))
    with Store.open(sample_db) as store:
        first = claims.for_article(store, 4)[0]["id"]
        verdicts.record(store, first, "teacher", "disputed", note="no such convoy")
        verdicts.record(store, first, "bob", "unsourced")
    app = make_app(sample_db, stay=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "g", "4", "enter")
        assert app.screen.article_id == 4
        assert "no such convoy" not in screen_text(app, "#panel")
        for _ in range(len(app.screen.model)):
            await pilot.press("3", "n")
        await pilot.press("g", "4", "enter")  # back to the first claim
        panel = screen_text(app, "#panel")
        assert "teacher: disputed · no such convoy" in panel
        assert "✓0 ✗0 ?2 of 2 students" in panel  # bob and this reader


async def test_a_theme_change_redraws_the_article_in_the_new_theme(sample_db: Path) -> None:
    """Rows and claim styles are cached: a new theme must still reach the claims."""
    app = make_app(sample_db, stay=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "1")
        await pilot.pause()
        view = app.screen.query_one(ArticleView)

        def colours() -> set:
            return {
                segment.style.color
                for y in range(view.size.height)
                for segment in view.render_line(y)
                if segment.style is not None
            }

        def verified() -> object:
            return view.get_component_rich_style("article-view--verified", partial=True).color

        assert verified() in colours()
        before = verified()
        app.theme = "gruvbox"
        await pilot.pause()
        assert verified() != before
        assert verified() in colours()
