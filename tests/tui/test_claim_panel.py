"""The claim panel at 80 columns: verdict, source, key and class first; what does not
fit is named, and shown by key; cues in words a student understands."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from factmark.store import classroom, verdicts
from factmark.store.claims import AnnotatedClaim
from factmark.store.classroom import KeyVerdict, Others
from factmark.store.database import Store
from factmark.tui.app import FactmarkApp
from factmark.tui.claim_panel import cue_words, entries, rows
from factmark.tui.glyphs import ASCII
from factmark.tui.layout import cells
from tests.helpers import SAMPLE, factmark

EXPLANATION = (
    "The ministry's own budget shows 2.1 billion, not 3; the figure quoted mixes two years "
    "of spending and a loan."
)


def a_claim(**fields) -> AnnotatedClaim:
    values = dict(
        id=1, article_id=1, start=0, end=40, text="Le ministre a annoncé 3 milliards.",
        score=0.94, origin="detector", cues=("number", "past-event", "named"),
        attributed=False, source=None, vague_source=None, dismissed=False, orphaned=False,
        verdict="disputed", note="Checked against the budget law of 2024, annex 3.",
        evidence_url="https://example.org/budget",
    )  # fmt: skip
    values.update(fields)
    return AnnotatedClaim(**values)


def text_of(laid_out) -> list[str]:
    return [row.plain for row in laid_out]


def test_revealed_key_and_class_come_before_what_is_hidden() -> None:
    claim = a_claim()
    others = Others(
        [KeyVerdict("teacher", "disputed", EXPLANATION)], {"disputed": 3, "verified": 1}
    )
    history = [
        {"verdict": "verified", "note": None, "evidence_url": None, "action": "set"},
        {"verdict": "disputed", "note": "x", "evidence_url": None, "action": "set"},
    ]
    laid_out = text_of(rows(claim, "3/18", entries(claim, history, others), 78, 7))
    assert len(laid_out) == 7
    assert all(cells(row) <= 78 for row in laid_out)
    assert laid_out[1].startswith("verdict  disputed")
    assert laid_out[2].startswith("source   no source named")
    assert laid_out[3].startswith("key      teacher: disputed")
    assert laid_out[4].startswith("         ")  # the explanation's second line
    assert laid_out[5].startswith("class    ✓1 ✗3 ?0 of 4 students")
    assert laid_out[6] == "▼ more: why, note, evidence, history (press m)"
    everything = text_of(rows(claim, "3/18", entries(claim, history, others), 78, None))
    assert any(row.startswith("evidence https://example.org/budget") for row in everything)
    assert any("2 changes: verified → disputed" in row for row in everything)


def test_cues_read_as_words_in_english_and_french() -> None:
    claim = a_claim(verdict=None, note=None, evidence_url=None)
    english = text_of(rows(claim, "1/2", entries(claim, [], None, words=cue_words("en")), 78, 9))
    assert "why      a number, a past event, a named person or body" in english
    french = text_of(rows(claim, "1/2", entries(claim, [], None, words=cue_words("fr")), 78, 9))
    assert "why      un chiffre, un fait passé, une personne ou un organisme nommé" in french
    assert not any("score" in row for row in english + french)


def test_the_ascii_panel_draws_only_ascii() -> None:
    claim = a_claim(text="Le ministre a dit")
    others = Others([KeyVerdict("teacher", "disputed", "non")], {"disputed": 1})
    history = [
        {"verdict": v, "note": None, "evidence_url": None, "action": "set"}
        for v in ("verified", "disputed", "unsourced", "verified", "disputed", "unsourced")
    ]
    laid_out = text_of(rows(claim, "1/2", entries(claim, history, others, ASCII), 60, None, ASCII))
    assert all(row.isascii() for row in laid_out), laid_out


@pytest.fixture
def revealed_db(sample_db: Path) -> Path:
    db_path = sample_db
    factmark("key", "add", "teacher", "--db", str(db_path))
    with Store.open(db_path) as store:
        first = store.conn.execute(
            "SELECT id FROM claims WHERE article_id = 1 ORDER BY start LIMIT 1"
        ).fetchone()[0]
        verdicts.record(store, first, "teacher", "disputed", note=EXPLANATION)
        for student, verdict in (("ana", "disputed"), ("ben", "verified")):
            verdicts.record(store, first, student, verdict)
        verdicts.record(store, first, "student", "verified", note="seen in the paper")
        classroom.reveal(store, 1, "teacher")
    return db_path


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_at_small_sizes_the_class_votes_stay_in_view(revealed_db: Path, size) -> None:
    app = FactmarkApp(revealed_db, "student", SAMPLE, stay=True)
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter", "p")  # back to the first claim, which this student decided
        panel = str(app.screen.query_one("#panel", Static).render())
        assert "teacher: disputed" in panel
        assert "✓2 ✗1 ?0 of 3 students" in panel
        assert "more:" in panel and "(press m)" in panel
        await pilot.press("m")
        panel = str(app.screen.query_one("#panel", Static).render())
        assert "seen in the paper" in panel and "more:" not in panel


async def test_the_reader_says_claims_are_a_guess_in_a_language_it_does_not_know(
    db_path: Path, tmp_path: Path
) -> None:
    story = tmp_path / "nieuws.txt"
    story.write_text(
        "Nieuwe woningen in Utrecht\n\nDe regering heeft gisteren 300 miljoen euro "
        "uitgetrokken voor de bouw van nieuwe woningen in Utrecht en Rotterdam.\n",
        encoding="utf-8",
    )
    assert factmark("import", str(story), "--db", str(db_path)).returncode == 0
    app = FactmarkApp(db_path=db_path, annotator="tester", sample=SAMPLE, ascii_glyphs=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "m")
        await pilot.pause()
        shown = " ".join(str(app.screen.query_one("ClaimPanel", Static).render()).split())
        assert "a guess: factmark does not know the article's language" in shown
