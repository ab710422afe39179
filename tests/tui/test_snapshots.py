"""What the library, the reader and the help look like, at 80x24 and 120x40, in
colour and with NO_COLOR. Update after a deliberate change with --snapshot-update."""

from __future__ import annotations

from pathlib import Path

import pytest

from factmark.store import claims, classroom, verdicts
from factmark.store.database import Store
from factmark.tui.app import FactmarkApp
from tests.helpers import SAMPLE, factmark

SIZES = [(80, 24), (120, 40)]
SCREENS = {
    "library": [],
    "reader": ["enter"],
    "help": ["enter", "question_mark"],
}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # A relative database path, so the path shown on screen is the same in every run.
    monkeypatch.chdir(tmp_path)
    db = Path("snapshot.db")
    factmark("import", str(SAMPLE), "--db", str(db))
    with Store.open(db) as store:
        first = claims.for_article(store, 1)
        verdicts.record(store, first[0]["id"], "reader", "verified")
        verdicts.record(store, first[1]["id"], "reader", "disputed", note="contradicted")
        verdicts.record(store, first[2]["id"], "reader", "unsourced")
    return db


def make_app(db: Path) -> FactmarkApp:
    return FactmarkApp(db, "reader", SAMPLE, stay=True)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", SCREENS)
def test_screens(snap_compare, db: Path, screen: str, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(db), press=SCREENS[screen], terminal_size=size)


@pytest.mark.parametrize("screen", SCREENS)
def test_screens_without_colour(
    snap_compare, db: Path, screen: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")  # read when the app is made
    assert snap_compare(make_app(db), press=SCREENS[screen], terminal_size=(80, 24))


@pytest.fixture
def revealed(db: Path) -> Path:
    """The first claim revealed: the key's verdict with a two-line explanation, and
    the class's votes."""
    factmark("key", "add", "teacher", "--db", str(db))
    with Store.open(db) as store:
        first = claims.for_article(store, 1)[0]["id"]
        verdicts.record(
            store,
            first,
            "teacher",
            "disputed",
            note="The ministry's own budget shows 2.1 billion, not 3; the figure quoted "
            "mixes two years of spending and a loan.",
        )
        verdicts.record(store, first, "ana", "disputed")
        classroom.reveal(store, 1, "teacher")
    return db


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_reader_with_a_revealed_claim(snap_compare, revealed: Path, size) -> None:
    assert snap_compare(make_app(revealed), press=["enter", "p", "p", "p"], terminal_size=size)
