"""The claim a key decides is the claim on screen: after every action and resize, at
80x24 and 60x20, the current claim's first row is drawn in the view, marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from factmark.store import claims, verdicts
from factmark.store.database import Store
from factmark.tui.app import FactmarkApp
from factmark.tui.article_view import ArticleView
from factmark.tui.dialogs import AddClaimDialog
from factmark.tui.reader import ReaderScreen
from tests.helpers import SAMPLE, factmark

SIZES = [(80, 24), (60, 20)]
ARTICLE = 1  # the sample's first article: 17 claims over several screens at 80x24


@pytest.fixture
def half_done(sample_db: Path) -> Path:
    """The sample, with the first eleven claims of article 1 decided: opening it puts
    the current claim (12/17) far below the top of the text."""
    db_path = sample_db
    with Store.open(db_path) as store:
        for claim in claims.for_article(store, ARTICLE)[:11]:
            verdicts.record(store, claim["id"], "tester", "verified")
    return db_path


@pytest.fixture
def sample_db_path(sample_db: Path) -> Path:
    return sample_db


def on_screen(app: FactmarkApp) -> bool:
    """True when the current claim's first row is drawn in the view, with the marker."""
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    view = screen.query_one(ArticleView)
    claim = screen.model.current
    assert claim is not None
    first = view.row_of(claim.start)
    top = round(view.scroll_offset.y)
    height = view.scrollable_content_region.height
    if not top <= first < top + height:
        return False
    drawn = view.render_line(first - top).text
    return drawn.startswith(app.glyphs.current)


async def open_reader(pilot, app: FactmarkApp) -> None:
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ReaderScreen)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_opening_shows_the_first_pending_claim(half_done: Path, size) -> None:
    app = FactmarkApp(half_done, "tester", SAMPLE)
    async with app.run_test(size=size) as pilot:
        await open_reader(pilot, app)
        assert app.screen.model.position == "12/17"
        assert on_screen(app)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_action_keeps_the_current_claim_on_screen(half_done: Path, size) -> None:
    app = FactmarkApp(half_done, "tester", SAMPLE)
    async with app.run_test(size=size) as pilot:
        await open_reader(pilot, app)
        steps = [
            ("move on", ["n", "n", "n"]),
            ("move back", ["p"] * 9),
            ("decide", ["1"]),
            ("decide and advance", ["2", "3"]),
            ("undo", ["z", "z"]),
            ("search", ["slash", *"Washington", "enter"]),
            ("dismiss", ["x"]),
            ("jump to the top", ["g", "1", "enter"]),
            ("add a claim", ["a", "enter"]),
            ("next pending", ["space"]),
        ]
        for what, keys in steps:
            await pilot.press(*keys)
            await pilot.pause()
            assert on_screen(app), what


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_resizing_keeps_the_current_claim_on_screen(half_done: Path, size) -> None:
    app = FactmarkApp(half_done, "tester", SAMPLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_reader(pilot, app)
        await pilot.press("n", "n")
        await pilot.resize_terminal(*size)
        await pilot.pause()
        await pilot.pause()
        assert on_screen(app)
        await pilot.resize_terminal(size[0] + 30, size[1] + 10)
        await pilot.pause()
        await pilot.pause()
        assert on_screen(app)


async def test_scrolling_the_claim_away_makes_the_claim_in_view_current(half_done: Path) -> None:
    app = FactmarkApp(half_done, "tester", SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reader(pilot, app)
        before = app.screen.model.current.id
        await pilot.press("home")
        await pilot.pause()
        assert app.screen.model.current.id != before
        assert on_screen(app)
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert on_screen(app)


async def test_a_verdict_key_never_decides_a_claim_out_of_view(
    db_path: Path, tmp_path: Path
) -> None:
    """The reader scrolled to text that holds no claim: a verdict key brings the
    current claim back into view instead of deciding it unseen."""
    article = tmp_path / "one-claim.txt"
    questions = "\n\n".join("Pourquoi pas ? Et alors ? Qui sait ?" for _ in range(60))
    article.write_text(
        "Titre\n\nLe ministre a annoncé mardi 3 milliards d'euros pour la santé.\n\n"
        + questions
        + "\n",
        encoding="utf-8",
    )
    factmark("import", str(article), "--db", str(db_path))
    app = FactmarkApp(db_path, "tester", SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reader(pilot, app)
        assert len(app.screen.model) == 1
        claim = app.screen.model.current
        await pilot.press("end")
        await pilot.pause()
        assert not on_screen(app)
        await pilot.press("1")
        await pilot.pause()
        assert claim.verdict is None and on_screen(app)
        await pilot.press("1")
        assert claim.verdict == "verified"


def visible_text(app: FactmarkApp) -> str:
    view = app.screen.query_one(ArticleView)
    rows = view.scrollable_content_region.height
    return " ".join(view.render_line(y).text[2:] for y in range(rows))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("article", ["2", "3", "5"])
async def test_paging_down_shows_every_line(sample_db_path: Path, size, article: str) -> None:
    """Page by page from the top, every row of the article is drawn at some point:
    the claim that becomes current as the text scrolls does not scroll it again."""
    app = FactmarkApp(sample_db_path, "tester", SAMPLE)
    async with app.run_test(size=size) as pilot:
        await pilot.press("g", article, "enter", "home")
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        seen: set[int] = set()
        while True:
            top = round(view.scroll_offset.y)
            seen |= set(range(top, top + view.scrollable_content_region.height))
            await pilot.press("pagedown")
            await pilot.pause()
            if round(view.scroll_offset.y) == top:
                break
        assert set(range(view.virtual_size.height)) <= seen


async def test_searching_again_goes_to_the_next_match_and_shows_it(
    db_path: Path, tmp_path: Path
) -> None:
    filler = "\n\n".join("Pourquoi pas ? Et alors ? Qui sait ?" for _ in range(20))
    article = tmp_path / "search.txt"
    article.write_text(
        "Titre\n\nLe ministre a annoncé mardi 3 milliards d'euros pour la santé.\n\n"
        f"{filler}\n\nIci se trouve le mot MAGIQUE, loin de tout.\n\n{filler}\n\n"
        "Et encore magique ici, à la fin.\n",
        encoding="utf-8",
    )
    factmark("import", str(article), "--db", str(db_path))
    app = FactmarkApp(db_path, "tester", SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.press("slash", *"magique", "enter")
        await pilot.pause()
        assert "MAGIQUE," in visible_text(app)
        await pilot.press("slash", "enter")  # the same search again: the next match
        await pilot.pause()
        assert "magique ici" in visible_text(app)
        await pilot.press("slash", "enter")  # and round again
        await pilot.pause()
        assert "MAGIQUE," in visible_text(app)


async def test_a_huge_article_number_is_a_message_not_a_crash(sample_db_path: Path) -> None:
    app = FactmarkApp(sample_db_path, "tester", SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "g", *"99999999999999999999", "enter")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ReaderScreen)


async def test_cancelling_add_claim_comes_back_to_the_current_claim(half_done: Path) -> None:
    app = FactmarkApp(half_done, "tester", SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reader(pilot, app)
        await pilot.press("g", "1", "enter", "a")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert on_screen(app)


def _found_once(claim: str, folded: str) -> str | None:
    """The shortest piece (4 letters or more) of a word of `claim` that occurs once in
    the case-folded article text `folded`, so inside the claim; None when there is none.
    Short, because each letter is a key pressed."""
    pieces = (
        word[start : start + size]
        for word in claim.split()
        if word.isalpha()
        for size in range(4, len(word) + 1)
        for start in range(len(word) - size + 1)
    )
    return min((p for p in pieces if folded.count(p.casefold()) == 1), key=len, default=None)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_search_makes_the_claim_it_found_current(sample_db_path: Path, size) -> None:
    # From the top of each article, searching a word found once in it, inside a claim,
    # makes that claim current (the one a verdict key then decides), however far the
    # view scrolls to show it and whichever claim the view showed before.
    with Store.open(sample_db_path, readonly=True) as store:
        found = {article: claims.for_article(store, article) for article in range(1, 6)}
    app = FactmarkApp(sample_db_path, "tester", SAMPLE)
    async with app.run_test(size=size) as pilot:
        await open_reader(pilot, app)
        searched = 0
        for article, its_claims in found.items():
            await pilot.press("g", *str(article), "enter")
            await pilot.pause()
            folded = app.screen.model.text.casefold()  # a search ignores case
            for claim in its_claims[:8]:  # the first screens: the view scrolls down
                word = _found_once(claim["text"], folded)
                if word is None:
                    continue
                await pilot.press("home", "slash", *word, "enter")
                await pilot.pause()
                current = app.screen.model.current
                assert (current.start, current.end) == (claim["start"], claim["end"]), word
                assert on_screen(app)
                searched += 1
        assert searched >= 8


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_add_claim_offers_the_current_paragraph_first_and_cancels_in_place(
    sample_db_path: Path, size
) -> None:
    app = FactmarkApp(sample_db_path, "tester", SAMPLE)
    async with app.run_test(size=size) as pilot:
        await open_reader(pilot, app)
        offered = 0
        for article in (1, 5):
            await pilot.press("g", *str(article), "enter", "home")
            await pilot.pause()
            model = app.screen.model
            for _ in range(len(model)):
                claim = model.current
                text = model.text
                paragraph = (text.rfind("\n", 0, claim.start) + 1, text.find("\n", claim.start))
                here = [
                    c
                    for c in model.candidates(claim.start)
                    if paragraph[0] <= c.start and c.end <= paragraph[1]
                ]
                await pilot.press("a")
                await pilot.pause()
                dialog = app.screen
                assert isinstance(dialog, AddClaimDialog) == bool(model.candidates(claim.start))
                if here:
                    assert dialog.span() in [(c.start, c.end) for c in here]
                    offered += 1
                if isinstance(dialog, AddClaimDialog):
                    await pilot.press("escape")
                    await pilot.pause()
                assert isinstance(app.screen, ReaderScreen)
                assert app.screen.model.current.id == claim.id  # cancelled: in place
                assert on_screen(app)
                await pilot.press("n")
        assert offered >= 5
