"""The reader model and what one key costs: SQL statements per verdict, the library's
order for next and previous article, claims that never overlap, and keys whose cost
does not grow with the article (measured against a short article in the same run)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest

from factmark.corpus.article import Article, Claim, sha256_of
from factmark.store import article_saving, articles, claims, classroom, verdicts
from factmark.store.database import Store
from factmark.store.errors import StoreError
from factmark.tui.app import FactmarkApp
from factmark.tui.article_view import ArticleView
from factmark.tui.dialogs import AddClaimDialog
from factmark.tui.model import ReaderModel
from factmark.tui.reader import ReaderScreen
from tests.helpers import SAMPLE, collect_notifications

SENTENCE = "Le ministre a annoncé mardi 3 milliards d'euros pour la santé, selon le journal. "


async def statements_per_key(app: FactmarkApp, pilot, key: str) -> list[str]:
    traced: list[str] = []
    app.store.conn.set_trace_callback(traced.append)
    try:
        await pilot.press(key)
        await pilot.pause()
    finally:
        app.store.conn.set_trace_callback(None)
    return traced


@pytest.mark.parametrize("revealed", [False, True], ids=["blind", "revealed"])
async def test_a_verdict_key_costs_at_most_six_sql_statements(
    sample_db: Path, revealed: bool
) -> None:
    if revealed:
        with Store.open(sample_db) as store:
            classroom.reveal(store, 1, "teacher")
    app = FactmarkApp(sample_db, "student", SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        first = app.screen.model.current
        for key in ("1", "2", "3"):
            traced = await statements_per_key(app, pilot, key)
            assert len(traced) <= 6, traced
        assert first.verdict == "verified"
        assert not any("sqlite_master" in sql for sql in traced)


async def test_next_and_previous_article_follow_the_library_order(sample_db: Path) -> None:
    with Store.open(sample_db, readonly=True) as store:
        by_title = [a["id"] for a in sorted(articles.listing(store), key=lambda a: a["title"])]
    app = FactmarkApp(sample_db, "tester", SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")  # sorted by title
        await pilot.press("enter")
        assert app.screen.article_id == by_title[0]
        await pilot.press("right_square_bracket")
        assert app.screen.article_id == by_title[1]
        await pilot.press("right_square_bracket", "left_square_bracket")
        assert app.screen.article_id == by_title[1]


def test_claims_never_overlap_nor_cross_a_paragraph(sample_db: Path) -> None:
    with Store.open(sample_db) as store:
        first = claims.for_article(store, 1)[0]
        text = articles.get(store, 1)["text"]
        with pytest.raises(StoreError, match="overlaps claim"):
            claims.add(store, 1, first["start"] + 2, first["end"] + 2, origin="reader")
        newline = text.index("\n", first["end"])
        with pytest.raises(StoreError, match="crosses a paragraph"):
            claims.add(store, 1, newline - 3, newline + 3, origin="reader")
        model = ReaderModel(store, "tester")
        model.open(1)
        for candidate in model.candidates(first["start"]):
            assert model.is_free(candidate.start, candidate.end)
            assert "\n" not in text[candidate.start : candidate.end]


def long_article(store: Store, sentences: int, *, paragraphs: bool, name: str) -> int:
    """An article of `sentences` claims, on one line or one per paragraph."""
    joiner = "\n" if paragraphs else ""
    text = joiner.join([SENTENCE.strip() + " "] * sentences).rstrip()
    found, at = [], 0
    while (at := text.find("Le ministre", at)) != -1:
        end = text.index(".", at) + 1
        found.append(Claim(at, end, 0.9, ("number", "named")))
        at = end
    article = Article(
        path=name, title=name, text=text, sha256=sha256_of(text.encode()), claims=tuple(found)
    )
    with store.write():
        return article_saving.save(store, article).article_id


ACTIONS = {
    "1": ("action_verdict", "verified"),
    "2": ("action_verdict", "disputed"),
    "3": ("action_verdict", "unsourced"),
    "n": ("action_next_claim",),
    "p": ("action_previous_claim",),
    "z": ("action_undo",),
    " ": ("action_next_pending",),
}


async def key_times(db: Path, article_id: int, keys: str, repeat: int) -> list[float]:
    """The app's own time per key: the key's action, then drawing every row of the
    view (what the next repaint asks for), without Pilot's fixed pauses."""
    app = FactmarkApp(db, "tester", SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", *str(article_id), "enter")
        await pilot.pause()
        screen = app.screen
        view = screen.query_one(ArticleView)
        times = []
        for _ in range(repeat):
            for key in keys:
                name, *args = ACTIONS[key]
                start = time.perf_counter()
                getattr(screen, name)(*args)
                for y in range(view.scrollable_content_region.height):
                    view.render_line(y)
                times.append(time.perf_counter() - start)
                await pilot.pause()
    return times


@pytest.mark.parametrize("paragraphs", [False, True], ids=["one-line", "paragraphs"])
async def test_a_key_costs_the_same_on_a_long_article(db_path: Path, paragraphs: bool) -> None:
    """A 2.5 MB article (30,000 claims) against a short one (100), in the same run."""
    with Store.open(db_path) as store:
        short = long_article(store, 100, paragraphs=paragraphs, name="short")
        long = long_article(store, 30_000, paragraphs=paragraphs, name="long")
    keys = "1np2z3 "
    baseline = statistics.median(await key_times(db_path, short, keys, 6))
    measured = statistics.median(await key_times(db_path, long, keys, 6))
    assert measured < 3 * baseline, (measured, baseline)


async def add_claim_time(db: Path, article_id: int) -> float:
    app = FactmarkApp(db, "tester", SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", *str(article_id), "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            await pilot.press("a")
            await pilot.pause()
            times.append(time.perf_counter() - start)
            assert isinstance(app.screen, AddClaimDialog)
            await pilot.press("escape")
        return min(times)


async def test_the_add_claim_dialog_opens_as_fast_on_a_long_paragraph(db_path: Path) -> None:
    """A 560 KB paragraph where every other clause is a claim, against a short one."""
    half = "Il pleut, dit-on, sur la ville. "  # a sentence the reader may add
    with Store.open(db_path) as store:
        ids = []
        for count in (50, 7_000):
            text = (SENTENCE + half) * count
            found, at = [], 0
            while (at := text.find("Le ministre", at)) != -1:
                end = text.index(".", at) + 1
                found.append(Claim(at, end, 0.9, ("number",)))
                at = end
            article = Article(
                path=f"p{count}", title=f"p{count}", text=text.strip(),
                sha256=sha256_of(text.encode()), claims=tuple(found),
            )  # fmt: skip
            with store.write():
                ids.append(article_saving.save(store, article).article_id)
    baseline = await add_claim_time(db_path, ids[0])
    measured = await add_claim_time(db_path, ids[1])
    assert measured < 3 * baseline, (measured, baseline)


def test_undo_takes_back_the_newest_change_a_dismissal_too(sample_db: Path) -> None:
    # A verdict in one article, then a dismissal in another: undo takes back the
    # dismissal first (the verdict log does not hold it), then the verdict; redo
    # makes them again in the same order.
    with Store.open(sample_db) as store:
        model = ReaderModel(store, "reader")
        assert model.open(5)
        decided = model.current.id
        model.record(decided, verdict="disputed")
        assert model.open(1)
        dismissed = model.current.id
        model.set_dismissed(dismissed, True)

        def state() -> tuple[str | None, bool]:
            event = verdicts.current(store, decided, "reader")
            return (event or {}).get("verdict"), bool(claims.get(store, dismissed)["dismissed"])

        assert state() == ("disputed", True)
        assert model.undo() == dismissed and state() == ("disputed", False)
        assert model.current.state == "pending" and model.decided == 0
        assert model.undo() == decided and state() == (None, False)
        assert model.undo() is None
        assert model.redo() == decided and state() == ("disputed", False)
        assert model.redo() == dismissed and state() == ("disputed", True)
        assert model.redo() is None


async def test_undo_in_another_article_opens_it_and_says_so(sample_db: Path) -> None:
    with Store.open(sample_db) as store:
        decided = claims.for_article(store, 5)[0]["id"]
        verdicts.record(store, decided, "reader", "verified")
    seen, hook = collect_notifications()
    app = FactmarkApp(sample_db, "reader", SAMPLE)
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await pilot.press("enter", "x", "z")  # article 1: dismiss, then undo that
        await pilot.pause()
        assert app.screen.article_id == 1 and not app.screen.model.current.dismissed
        await pilot.press("z")  # then the verdict made in article 5 before
        await pilot.pause()
        assert app.screen.article_id == 5 and app.screen.model.current.id == decided
        assert any(m.startswith("Undone in another article: ") for m in seen), seen
