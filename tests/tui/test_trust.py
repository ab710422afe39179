"""Trust, through Pilot: what the database holds is shown as text and never acts on the
terminal; a save that fails (disk full, a busy database) is one notification, the
reader keeps running and shows nothing as saved that was not committed."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static, TextArea

from factmark.store.claims import AnnotatedClaim
from factmark.store.database import Store
from factmark.tui.app import FactmarkApp
from factmark.tui.article_table import ArticleTable
from factmark.tui.claim_panel import ClaimPanel
from factmark.tui.dialogs import NoteDialog
from tests.helpers import SAMPLE, collect_notifications, factmark, fill, needs_root, tiny_filesystem
from tests.tui.hostile import make_hostile

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def make_app(db_path: Path, annotator: str = "tester", **kwargs) -> FactmarkApp:
    return FactmarkApp(db_path=db_path, annotator=annotator, sample=SAMPLE, **kwargs)


def drawn(widget: Widget) -> tuple[str, list[str]]:
    """What a widget draws: its text, and the targets of any live links in it."""
    width, height = widget.outer_size
    strips = widget.render_lines(Region(0, 0, width, height))
    text = "\n".join(strip.text for strip in strips)
    links = [seg.style.link for strip in strips for seg in strip if seg.style and seg.style.link]
    return text, links


def status(app: FactmarkApp) -> str:
    return str(app.screen.query_one("#status", Static).render())


def current(app: FactmarkApp) -> AnnotatedClaim:
    return app.screen.current


def events(db: Path, claim_id: int, annotator: str = "tester") -> list[tuple]:
    """The annotator's verdict events on a claim, read with plain sqlite3 (it works
    while another program holds the write lock)."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT verdict, note, action FROM verdicts WHERE claim_id = ? AND annotator = ? "
            "ORDER BY created_at, rowid",
            (claim_id, annotator),
        ).fetchall()
    finally:
        conn.close()


def stored(db: Path, claim_id: int, annotator: str = "tester") -> str | None:
    history = events(db, claim_id, annotator)
    return history[-1][0] if history else None


async def until(pilot: Pilot, check: Callable[[], bool], what: str) -> None:
    """Let the app run until `check()` holds (a bound on tries, not a timing claim)."""
    for _ in range(600):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never happened: {what}")


# --- untrusted text is text ------------------------------------------------------


async def test_markup_in_article_metadata_is_shown_as_text_in_the_library(
    sample_db: Path,
) -> None:
    make_hostile(sample_db, "tester")
    app = make_app(sample_db)
    async with app.run_test(size=(160, 24)):
        table = app.screen.query_one(ArticleTable)
        row = [cell.plain for cell in table.get_row_at(0)]
        # "[/x]" used to crash the app at every start; the link became a live one.
        assert "[/x]" in row and "[link=http://evil.example/]2020[/link]" in row
        assert "Bluff [bold]x" in row and "AFP" in row
        text, links = drawn(table)
        assert links == []
        assert "OWNED" not in text and not CONTROL.search(text)


async def test_hostile_text_in_the_reader_is_shown_clean(sample_db: Path) -> None:
    first = make_hostile(sample_db, "tester")
    app = make_app(sample_db, stay=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "p", "m")  # the hostile claim is decided: back to it, all of it
        assert current(app).id == first
        panel_text, _ = drawn(app.screen.query_one(ClaimPanel))
        for part in ("Claim [/x] a [/", "cue", "src", "Note", "key: verified · Keynote"):
            assert part in panel_text
        header_text, _ = drawn(app.screen.query_one("HeaderTitle"))
        assert "Bluff [bold]x" in header_text
        status_text, _ = drawn(app.screen.query_one("#status"))
        for text in (panel_text, header_text, status_text):
            assert "OWNED" not in text and "b3duZWQ" not in text and not CONTROL.search(text)


@pytest.mark.parametrize(
    "url, live",
    [
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("https://example.org/report", True),
    ],
)
async def test_only_web_links_are_live_links(sample_db: Path, url: str, live: bool) -> None:
    first = make_hostile(sample_db, "tester", evidence_url=url, reveal=False, markup=False)
    app = make_app(sample_db, stay=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "p", "m")
        assert current(app).id == first
        panel_text, links = drawn(app.screen.query_one(ClaimPanel))
        assert f"evidence {url}" in panel_text
        assert set(links) == ({url} if live else set())


async def test_a_hostile_name_and_path_in_the_header_and_status_are_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a short relative path: the status line shows it whole
    folder = Path("db[bold]\x1b]0;OWNED-PATH\x07")
    folder.mkdir()
    db = folder / "f.db"
    factmark("import", str(SAMPLE), "--db", str(db))
    app = make_app(db, annotator="\x1b]0;OWNED-NAME\x1b\\bob [b]")
    async with app.run_test(size=(120, 30)) as pilot:
        library_header, _ = drawn(app.screen.query_one("HeaderTitle"))
        await pilot.press("enter")
        reader_status, _ = drawn(app.screen.query_one("#status"))
        assert "bob [b]" in reader_status and "db[bold]" in reader_status
        for text in (library_header, reader_status):
            assert "OWNED" not in text and not CONTROL.search(text)


# --- the annotator's name ----------------------------------------------------------


async def test_the_reader_reads_verdicts_under_the_name_it_saves_them(sample_db: Path) -> None:
    seen, hook = collect_notifications()
    app = make_app(sample_db, annotator="bob ", stay=True)
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await pilot.press("enter")
        claim = current(app).id
        await pilot.press("1")
        assert stored(sample_db, claim, "bob") == "verified"
        assert current(app).verdict == "verified"
        assert re.search(r"\b1/\d+ decided", status(app))
        await pilot.press("z")
        assert stored(sample_db, claim, "bob") is None
        assert "Nothing to undo." not in seen


def test_a_name_that_is_nothing_once_cleaned_is_refused_in_one_line(sample_db: Path) -> None:
    with pytest.raises(ValueError, match="needs a name"):
        make_app(sample_db, annotator=" \x1b[2J\t ")


# --- notes -------------------------------------------------------------------------


async def test_an_unchanged_note_adds_nothing_to_the_log(sample_db: Path) -> None:
    seen, hook = collect_notifications()
    app = make_app(sample_db, stay=True)
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await pilot.press("enter")
        claim = current(app).id
        await pilot.press("e", "ctrl+s")
        assert events(sample_db, claim) == []
        assert "The note is unchanged." in seen


# --- a full disk ------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB filesystem of our own (a tmpfs: root only, as in CI), unmounted afterwards."""
    with tiny_filesystem(tmp_path / "small", "2m") as mount:
        yield mount


def reader_on(folder: Path) -> tuple[Path, FactmarkApp, list[str], Callable]:
    """The sample imported into a database in `folder`, and an app on it (staying
    after a verdict) with its notifications collected."""
    db = folder / "factmark.db"
    factmark("import", str(SAMPLE), "--db", str(db))
    seen, hook = collect_notifications()
    return db, make_app(db, stay=True), seen, hook


@needs_root
async def test_a_full_disk_is_one_notification_and_nothing_unsaved_is_shown(
    small_disk: Path,
) -> None:
    db, app, seen, hook = reader_on(small_disk)
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await pilot.press("enter")
        claim = current(app).id
        await pilot.press("1")
        assert stored(db, claim) == "verified"
        filler = fill(small_disk)
        for key in ("2", "c", "x", "z"):  # a verdict, clear, dismiss, undo
            errors = len(seen)
            await pilot.press(key)
            assert app.is_running
            assert len(seen) == errors + 1 and "full" in seen[-1]
            assert current(app).id == claim
            assert current(app).verdict == "verified" and not current(app).dismissed
        assert [e[0] for e in events(db, claim)] == ["verified"]
        filler.unlink()
        await pilot.press("2")
        assert stored(db, claim) == "disputed" and current(app).verdict == "disputed"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@needs_root
async def test_a_note_that_cannot_be_saved_comes_back_to_its_writer(small_disk: Path) -> None:
    # A full disk must not throw away what the reader typed: the dialog reopens with it.
    db, app, seen, hook = reader_on(small_disk)
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await pilot.press("enter")
        claim = current(app).id
        filler = fill(small_disk)
        await pilot.press("e", *"checked with Insee", "ctrl+s")
        await pilot.pause()
        assert "full" in seen[-1]
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.query_one(TextArea).text == "checked with Insee"
        filler.unlink()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, NoteDialog)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT note FROM verdicts WHERE claim_id = ?", [claim])
        notes = [r[0] for r in rows]
    assert notes == ["checked with Insee"]


@needs_root
async def test_loading_the_sample_on_a_full_disk_is_one_notification(small_disk: Path) -> None:
    db = small_disk / "factmark.db"
    Store.open(db).close()
    seen, hook = collect_notifications()
    app = make_app(db)
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        filler = fill(small_disk)
        await pilot.press("s")
        assert app.is_running and "full" in seen[-1]
        assert not app.screen.query_one(ArticleTable).display
        filler.unlink()
        await pilot.press("s")
        assert app.screen.query_one(ArticleTable).row_count == 5


# --- a busy database -------------------------------------------------------------

# Another program holding the database's write lock until told to let go.
LOCK_HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


@contextmanager
def write_lock(db: Path) -> Iterator[Callable[[], None]]:
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def release() -> None:
        if holder.poll() is None:
            holder.stdin.write("\n")
            holder.stdin.flush()
            holder.wait(timeout=30)

    try:
        assert holder.stdout.readline().strip() == "locked"
        yield release
    finally:
        release()


async def test_a_busy_database_makes_the_reader_wait_then_save_the_claim_it_saw(
    sample_db: Path,
) -> None:
    seen, hook = collect_notifications()
    app = make_app(sample_db)  # advancing after a verdict
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await pilot.press("enter")
        claim, second = app.screen.model.ids[:2]
        with write_lock(sample_db) as release:
            await pilot.press("1")
            await until(pilot, lambda: "Waiting for the database" in status(app), "waiting shown")
            assert stored(sample_db, claim) is None
            assert current(app).verdict is None  # not shown as saved
            await pilot.press("n")  # moving works, and the reader still says it waits
            assert current(app).id == second and "Waiting" in status(app)
            await pilot.press("2", "x")  # keys that would decide another claim
            assert sum("ignored" in message for message in seen) == 2
            release()
            await until(pilot, lambda: stored(sample_db, claim) == "verified", "saved")
        await until(pilot, lambda: "Waiting" not in status(app), "waiting no longer shown")
        assert events(sample_db, claim) == [("verified", None, "set")]
        assert events(sample_db, second) == []
        model = app.screen.model
        shown = {model.ids[i]: model.claim(i) for i in range(len(model))}
        assert shown[claim].verdict == "verified" and not shown[claim].dismissed
        assert shown[second].verdict is None and not shown[second].dismissed
        assert current(app).id == second  # where the reader moved to
        # Said once the status line has cleared: wait for the message, not a moment.
        await until(
            pilot,
            lambda: any(message.startswith("Saved the verdict") for message in seen),
            "saved said",
        )


async def test_a_database_busy_for_too_long_gives_up_and_says_so(sample_db: Path) -> None:
    seen, hook = collect_notifications()
    app = make_app(sample_db, stay=True)
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await pilot.press("enter")
        claim = current(app).id
        with write_lock(sample_db):
            await pilot.press("1")
            await until(pilot, lambda: "Waiting for the database" in status(app), "waiting shown")
            app.busy_patience_s = 0  # out of patience at the next try
            await until(pilot, lambda: any("stayed busy" in m for m in seen), "gave up")
            assert "Waiting" not in status(app)
            assert current(app).verdict is None and stored(sample_db, claim) is None
        await pilot.press("1")  # usable again
        assert stored(sample_db, claim) == "verified" and current(app).verdict == "verified"
