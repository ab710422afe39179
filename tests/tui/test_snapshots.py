"""What the library, the reader and the help look like, at 80x24 and 120x40, in
colour and with NO_COLOR. Update after a deliberate change with --snapshot-update."""

from __future__ import annotations

from pathlib import Path

import pytest

from factmark.store import claims, verdicts
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
