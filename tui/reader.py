"""The reader screen: one article, its claims, and one keystroke per verdict.

Every action that writes to the database (a verdict, clear, undo, redo, dismiss, a
note, a link, a note in $EDITOR, an added claim, and the library's sample corpus) goes
through one helper, `Saving.save`: the write is committed first and the screen is then
updated from the database, so nothing is shown as saved that was not committed. A store
or disk error (disk full, read-only, a damaged file) is one notification and the reader
keeps running.

A busy database (another program holds the write lock) does not freeze the reader: the
app's store is impatient (it raises StoreBusy at once), and the save is tried again in
the background with growing pauses for up to `FactmarkApp.busy_patience_s`, while the
status line says the reader is waiting. Meanwhile the reader stays on the claim it saw:
moving between claims works, but any key that would write, or leave the article, is
ignored with a notification, so no key pressed while waiting can decide another claim
than the one the reader saw when pressing the first. The save then either lands (and a
notification says so) or gives up with an error notification; nothing is queued.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from factmark.corpus.sentences import clauses
from factmark.store import articles, claims, classroom, gate, verdicts
from factmark.store.errors import StoreBusy, StoreError

from .article_view import ArticleView, Mark
from .claim_panel import ClaimPanel, describe
from .dialogs import AddClaimDialog, NoteDialog, jump_dialog, link_dialog, search_dialog
from .render import line, plain, safe

VERDICT_KEYS = ("verified", "disputed", "unsourced")
# What a save can meet: the store's own errors (StoreBusy, DiskFull, ReadOnly...), and,
# as a safety net, SQLite or the operating system speaking directly.
STORE_ERRORS = (StoreError, sqlite3.Error, OSError)
WAITING = "Waiting for the database (another program is writing)…"
FIRST_PAUSE_S = 0.05  # between tries while the database is busy, doubling up to
LONGEST_PAUSE_S = 0.5
DEFAULT_PATIENCE_S = 30.0

T = TypeVar("T")


class _GaveUp(Exception):
    """The database stayed busy for longer than the app's patience."""


def problem(exc: BaseException) -> str:
    """A store, SQLite or disk error in one line."""
    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, sqlite3.Error):
        return f"database error: {exc}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__


class Saving:
    """The one way a screen's actions write to the database: `save(write, show, what)`.

    `write()` makes the change (each store function commits before it returns);
    `show(result)` then updates the screen from the database; `what` names the change
    in messages ("the verdict"). While a save waits for a busy database,
    `waiting_message` says so and the screen's `show_waiting()` puts it on screen.
    """

    _waiting_for: str | None = None  # what a save in the background waits to save
    waiting_message: str | None = None  # shown in the screen's status line meanwhile

    def save(self, write: Callable[[], T], show: Callable[[T], Any], what: str) -> None:
        if self.refuse_while_waiting():
            return
        try:
            result = write()
        except StoreBusy:
            self._waiting_for = what
            self.run_worker(self._save_when_free(write, show, what), name="save", group="save")
            return
        except STORE_ERRORS as exc:
            self.notify(f"Not saved ({what}): {problem(exc)}", severity="error", markup=False)
            return
        self._show_saved(show, result)

    @property
    def waiting(self) -> bool:
        return self._waiting_for is not None

    def refuse_while_waiting(self) -> bool:
        """True (and a notification) while a save waits for the database."""
        if self._waiting_for is None:
            return False
        self.notify(
            f"Still waiting for the database to save {self._waiting_for}: that key was ignored.",
            severity="warning",
            markup=False,
        )
        return True

    def show_waiting(self) -> None:
        """Show `waiting_message`, or stop showing it when it is None (screens override
        this to use their status line; by default a notification)."""
        if self.waiting_message is not None:
            self.notify(self.waiting_message, markup=False)

    def _show_saved(self, show: Callable[[T], Any], result: T) -> bool:
        try:
            show(result)
        except STORE_ERRORS as exc:  # committed, but reading it back failed
            self.notify(f"Saved, but cannot show it: {problem(exc)}", severity="error")
            return False
        return True

    def _done_waiting(self) -> None:
        self._waiting_for = None
        if self.waiting_message is not None:
            self.waiting_message = None
            self.show_waiting()

    async def _save_when_free(self, write: Callable[[], T], show: Callable[[T], Any], what: str):
        try:
            result = await self._write_when_free(write)
        except _GaveUp as waited:
            self._done_waiting()
            self.notify(
                f"Not saved ({what}): the database stayed busy for {waited} s "
                "(another program is writing). Try again.",
                severity="error",
                markup=False,
            )
            return
        except STORE_ERRORS as exc:
            self._done_waiting()
            self.notify(f"Not saved ({what}): {problem(exc)}", severity="error", markup=False)
            return
        except BaseException:  # cancelled (the app is closing): nothing was saved or shown
            self._waiting_for = self.waiting_message = None
            raise
        self._done_waiting()
        if self._show_saved(show, result):
            self.notify(f"Saved {what} once the database was free.", markup=False)

    async def _write_when_free(self, write: Callable[[], T]) -> T:
        started, pause = time.monotonic(), FIRST_PAUSE_S
        while True:
            await asyncio.sleep(pause)
            try:
                return write()
            except StoreBusy:
                if self.waiting_message is None:  # busy for more than a moment: say so
                    self.waiting_message = WAITING
                    self.show_waiting()
                waited = time.monotonic() - started
                if waited >= getattr(self.app, "busy_patience_s", DEFAULT_PATIENCE_S):
                    raise _GaveUp(f"{waited:.0f}") from None
                pause = min(pause * 2, LONGEST_PAUSE_S)


def _note_value(note: str | None) -> str | None:
    """A note as the store keeps it (cleaned, stripped, empty is None)."""
    return (gate.text(note) or "").strip() or None


def _link_value(url: str | None) -> str | None:
    return (url or "").strip() or None


def _run_editor(command: list[str], path: str) -> str | None:
    """Run the editor on `path`; None if it succeeded, else why not, in one line.

    Raises nothing: it runs while the app is suspended, and an exception there would
    leave the terminal in the editor's hands and the app never resumed.
    """
    try:
        done = subprocess.run([*command, path], check=False)
    except KeyboardInterrupt:
        return "The editor was interrupted: the note is unchanged."
    except OSError as exc:
        return f"Could not run the editor {command[0]}: {exc.strerror or exc}"
    except Exception as exc:  # anything else, reported after the app is back
        return f"Could not run the editor {command[0]}: {exc}"
    if done.returncode != 0:
        return f"The editor exited with status {done.returncode}: the note is unchanged."
    return None


class ReaderScreen(Saving, Screen[None]):
    BINDINGS = [
        Binding("n", "next_claim", "Next", id="reader.next"),
        Binding("p", "previous_claim", "Prev", id="reader.previous"),
        Binding("space", "next_pending", "Next pending", id="reader.next_pending"),
        Binding("1,v", "verdict('verified')", "Verified", id="reader.verified"),
        Binding("2,d", "verdict('disputed')", "Disputed", id="reader.disputed"),
        Binding("3,u", "verdict('unsourced')", "Unsourced", id="reader.unsourced"),
        Binding("0,c", "verdict(None)", "Clear", id="reader.clear", show=False),
        Binding("z", "undo", "Undo", id="reader.undo"),
        Binding("y", "redo", "Redo", id="reader.redo", show=False),
        Binding("e", "note", "Note", id="reader.note"),
        Binding("E", "note_in_editor", "Note in $EDITOR", id="reader.note_editor", show=False),
        Binding("l", "evidence", "Link", id="reader.evidence"),
        Binding("a", "add_claim", "Add claim", id="reader.add_claim", show=False),
        Binding("x", "dismiss_claim", "Dismiss", id="reader.dismiss", show=False),
        Binding("w", "loaded_words", "Loaded words", id="reader.loaded", show=False),
        Binding("slash", "search", "Search", id="reader.search", show=False),
        Binding(
            "right_square_bracket",
            "other_article(1)",
            "Next article",
            id="reader.next_article",
            show=False,
        ),
        Binding(
            "left_square_bracket",
            "other_article(-1)",
            "Prev article",
            id="reader.previous_article",
            show=False,
        ),
        Binding("g", "jump", "Go to article", id="reader.jump", show=False),
        Binding("s", "toggle_stay", "Stay/advance", id="reader.stay", show=False),
        Binding("q,escape", "back", "Back", id="reader.back"),
    ]

    def __init__(self, article_id: int) -> None:
        super().__init__()
        self.article_id = article_id
        self.claims: list[dict] = []
        self.index = 0
        self.query_text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield ArticleView(ascii_glyphs=self.app.ascii_glyphs, id="article")
        yield ClaimPanel(id="panel")
        yield Static(id="status")
        yield Footer()

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def on_mount(self) -> None:
        self.open_article(self.article_id)
        self.view.focus()

    # --- loading -------------------------------------------------------------

    def open_article(self, article_id: int) -> None:
        store = self.app.store
        article = articles.get(store, article_id)
        if article is None:
            self.notify(f"No article {article_id}.", severity="warning", markup=False)
            return
        self.article_id = article_id
        self.article = article
        self.revealed = classroom.is_revealed(store, article_id, self.app.annotator)
        self.sub_title = line(article["title"])
        self.claims = claims.with_verdicts(store, article_id, self.app.annotator)
        self.view.load(article["text"], self._marks(), articles.regions(store, article_id))
        self.index = self._first_pending()
        self._show()

    def _marks(self) -> list[Mark]:
        return [
            Mark(c["id"], c["start"], c["end"], self._state(c))
            for c in self.claims
            if not c["orphaned"]
        ]

    @staticmethod
    def _state(claim: dict) -> str:
        return "dismissed" if claim["dismissed"] else claim["verdict"] or "pending"

    def _reload_claims(self, keep: int | None = None) -> None:
        """Re-read claims after a change, keeping the cursor on claim id `keep`.

        Deciding the last claim reveals the key's and the class's verdicts.
        """
        if not self.revealed and classroom.is_revealed(
            self.app.store, self.article_id, self.app.annotator
        ):
            self.revealed = True
            self.notify(
                "Every claim decided: the key's verdicts and the class's votes now show.",
                markup=False,
            )
        self.claims = claims.with_verdicts(self.app.store, self.article_id, self.app.annotator)
        self.view.update_marks(self._marks())
        ids = [c["id"] for c in self.claims]
        if keep in ids:
            self.index = ids.index(keep)
        self.index = min(self.index, max(0, len(self.claims) - 1))

    def _first_pending(self) -> int:
        return next((i for i, c in enumerate(self.claims) if self._pending(c)), 0)

    @staticmethod
    def _pending(claim: dict) -> bool:
        return claim["verdict"] is None and not claim["dismissed"] and not claim["orphaned"]

    @property
    def current(self) -> dict | None:
        return self.claims[self.index] if self.claims else None

    def _show(self) -> None:
        claim = self.current
        self.view.set_current(claim["id"] if claim else None)
        history = verdicts.history(self.app.store, claim["id"], self.app.annotator) if claim else []
        glyph = self.view.glyphs.get(self._state(claim), "") if claim else ""
        position = f"{self.index + 1}/{len(self.claims)}"
        revealed = claim is not None and classroom.is_revealed(
            self.app.store, self.article_id, self.app.annotator
        )
        if revealed and not self.revealed:
            self.notify(
                "Revealed: the key's verdicts and the class's votes now show.", markup=False
            )
        self.revealed = revealed
        others = classroom.others_on(self.app.store, claim["id"]) if revealed else None
        self.query_one(ClaimPanel).update(describe(claim, position, glyph, history, others))
        self._show_status()

    def _show_status(self) -> None:
        """Who, how far, what happens after a verdict, which database; or, while a save
        waits for the database, that the reader is waiting."""
        status = self.query_one("#status", Static)
        if self.waiting_message is not None:
            status.update(plain(f" {self.waiting_message}", "bold"))
            return
        decided = sum(1 for c in self.claims if c["verdict"] or c["dismissed"])
        mode = "stay" if self.app.stay else "advance"
        status.update(
            Content.assemble(
                plain(f" {line(self.app.annotator)}", "bold"),
                plain(
                    f" · {decided}/{len(self.claims)} decided · article {self.article_id} · "
                    f"after a verdict: {mode} · {line(self.app.db_path)}"
                ),
            )
        )

    def show_waiting(self) -> None:
        self._show_status()

    # --- moving --------------------------------------------------------------

    def action_next_claim(self) -> None:
        if self.claims:
            self.index = min(self.index + 1, len(self.claims) - 1)
            self._show()

    def action_previous_claim(self) -> None:
        if self.claims:
            self.index = max(self.index - 1, 0)
            self._show()

    def action_next_pending(self) -> None:
        """The next undecided claim after this one, wrapping round to the start."""
        count = len(self.claims)
        for step in range(1, count + 1):
            candidate = (self.index + step) % count
            if self._pending(self.claims[candidate]):
                self.index = candidate
                self._show()
                return
        self.notify("Every claim in this article is decided.", markup=False)

    def action_other_article(self, step: int) -> None:
        if self.refuse_while_waiting():
            return
        ids = [row["id"] for row in articles.listing(self.app.store)]
        if self.article_id in ids:
            position = ids.index(self.article_id) + step
            if 0 <= position < len(ids):
                self.open_article(ids[position])

    def action_jump(self) -> None:
        if self.refuse_while_waiting():
            return

        def jump(answer: str | None) -> None:
            if answer and not self.refuse_while_waiting():
                if answer.isdigit():
                    self.open_article(int(answer))
                else:
                    self.notify("Give the article's number.", severity="warning", markup=False)

        self.app.push_screen(jump_dialog(), jump)

    def action_back(self) -> None:
        if not self.refuse_while_waiting():
            self.app.pop_screen()

    # --- deciding ------------------------------------------------------------
    # Every change goes through `save`: committed, then shown from the database.

    def action_verdict(self, verdict: str | None) -> None:
        """Save the verdict (committed before it is shown), then move on unless staying."""
        claim = self.current
        if claim is None:
            return
        claim_id = claim["id"]

        def show(_event: dict) -> None:
            stayed = self._show_change(claim_id)
            if stayed and verdict and not self.app.stay and any(map(self._pending, self.claims)):
                self.action_next_pending()

        self.save(
            lambda: verdicts.record(self.app.store, claim_id, self.app.annotator, verdict=verdict),
            show,
            "the verdict" if verdict else "clearing the verdict",
        )

    def _change(self, claim_id: int, what: str, **changes) -> None:
        """Save a change to the annotator's note or link, then show it."""
        self.save(
            lambda: verdicts.record(self.app.store, claim_id, self.app.annotator, **changes),
            lambda _event: self._show_change(claim_id),
            what,
        )

    def _show_change(self, claim_id: int) -> bool:
        """Show the database's state after a change to `claim_id`. The cursor stays
        where the reader has it (on that claim, unless they moved while the save
        waited for the database); True if it is still on that claim."""
        here = self.current["id"] if self.current else None
        self._reload_claims(keep=here)
        self._show()
        return here == claim_id

    def action_undo(self) -> None:
        self._replay(verdicts.undo, "Nothing to undo.", "the undo")

    def action_redo(self) -> None:
        self._replay(verdicts.redo, "Nothing to redo.", "the redo")

    def _replay(self, step, nothing: str, what: str) -> None:
        def show(event: dict | None) -> None:
            if event is None:
                self.notify(nothing, markup=False)
                return
            if event["claim_id"] not in [c["id"] for c in self.claims]:
                article = claims.get(self.app.store, event["claim_id"])["article_id"]
                self.open_article(article)
            self._reload_claims(keep=event["claim_id"])
            self._show()

        self.save(lambda: step(self.app.store, self.app.annotator), show, what)

    def _ask(self, field: str, dialog, what: str, value: Callable[[str | None], str | None]):
        """Ask for a new note or link in a dialog, and save the answer unless cancelled
        or unchanged."""
        claim = self.current
        if claim is None or self.refuse_while_waiting():
            return

        def save(answer: str | None) -> None:
            if answer is None:
                return
            if value(answer) == value(claim[field]):
                self.notify(f"{what.capitalize()} is unchanged.", markup=False)
                return
            self._change(claim["id"], what, **{field: answer})

        self.app.push_screen(dialog(claim[field]), save)

    def action_note(self) -> None:
        self._ask("note", NoteDialog, "the note", _note_value)

    def action_evidence(self) -> None:
        self._ask("evidence_url", link_dialog, "the evidence link", _link_value)

    def action_note_in_editor(self) -> None:
        """Write the note in $VISUAL or $EDITOR (the terminal is handed over, then given
        back). A command that cannot run, an editor that fails, a file that is not UTF-8
        or an unchanged note is one notification and saves nothing."""
        claim = self.current
        if claim is None or self.refuse_while_waiting():
            return
        command = self._editor_command()
        if command is None:
            return
        note = self._edit(command, safe(claim["note"]))
        if note is None:
            return
        if _note_value(note) == _note_value(claim["note"]):
            self.notify("The note is unchanged.", markup=False)
            return
        self._change(claim["id"], "the note", note=note)

    def _editor_command(self) -> list[str] | None:
        """The editor's command line, with its program found on PATH, or None (said)."""
        name = next((n for n in ("VISUAL", "EDITOR") if os.environ.get(n, "").strip()), None)
        value = os.environ[name] if name else "vi"
        what = f"${name}" if name else "the default editor"
        try:
            words = shlex.split(value)
        except ValueError as exc:
            self.notify(f"Cannot read {what} ({value!r}): {exc}.", severity="error", markup=False)
            return None
        program = shutil.which(words[0]) if words else None
        if program is None:
            self.notify(
                f"Could not run the editor {words[0] if words else value!r}: not found "
                "(set $VISUAL or $EDITOR).",
                severity="error",
                markup=False,
            )
            return None
        return [program, *words[1:]]

    def _edit(self, command: list[str], text: str) -> str | None:
        """The text after the editor ran on it, or None (and a notification)."""
        try:
            # O_EXCL and mode 0600 in the user's temporary folder.
            handle, path = tempfile.mkstemp(prefix="factmark-note-", suffix=".txt")
        except OSError as exc:
            self.notify(f"No temporary file for the note: {problem(exc)}", severity="error")
            return None
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(text.encode("utf-8"))
            try:
                with self.app.suspend():
                    failure = _run_editor(command, path)
            except SuspendNotSupported:
                self.notify("This terminal cannot hand over to an editor: use e.", markup=False)
                return None
            if failure is None:
                with open(path, "rb") as edited:
                    raw = edited.read()
        except OSError as exc:
            failure = f"Could not read the note back: {problem(exc)}"
        finally:
            with contextlib.suppress(OSError):
                os.unlink(path)
        if failure is not None:
            self.notify(failure, severity="error", markup=False)
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.notify(
                "The edited note is not UTF-8 text: it was not saved.",
                severity="error",
                markup=False,
            )
            return None

    def action_dismiss_claim(self) -> None:
        claim = self.current
        if claim is None:
            return
        claim_id, dismissed = claim["id"], not claim["dismissed"]
        self.save(
            lambda: claims.set_dismissed(self.app.store, claim_id, dismissed),
            lambda _: self._show_change(claim_id),
            "the dismissal" if dismissed else "undismissing the claim",
        )

    def action_add_claim(self) -> None:
        if self.refuse_while_waiting():
            return
        text = self.article["text"]
        units = [
            u
            for u in clauses(text)
            if not any(c["start"] < u[1] and u[0] < c["end"] for c in self.claims)
        ]
        if not units:
            self.notify("Every sentence is already a claim.", markup=False)
            return
        at = self.current["end"] if self.current else 0
        article_id = self.article_id

        def show(new: int) -> None:
            self._reload_claims(keep=new)
            self._show()

        def add(span: tuple[int, int] | None) -> None:
            if span is not None:
                self.save(
                    lambda: claims.add(self.app.store, article_id, *span, origin="reader"),
                    show,
                    "the new claim",
                )

        self.app.push_screen(AddClaimDialog(text, units, at, self.view), add)

    # --- reading aids ----------------------------------------------------------

    def action_loaded_words(self) -> None:
        showing = not self.view.show_loaded
        self.view.set_overlay(show_loaded=showing)
        count = len(self.view.loaded)
        self.notify(
            f"Loaded words {'shown' if showing else 'hidden'} ({count} in this article).",
            markup=False,
        )

    def action_search(self) -> None:
        def find(query: str | None) -> None:
            if not query:
                self.view.set_overlay(matches=[])
                return
            self.query_text = query
            text = self.article["text"].casefold()
            needle = query.casefold()
            matches, at = [], text.find(needle)
            while at != -1:
                matches.append((at, at + len(needle)))
                at = text.find(needle, at + 1)
            self.view.set_overlay(matches=matches)
            if not matches:
                self.notify(f"Not found: {query}", severity="warning", markup=False)
                return
            here = self.view.scroll_offset.y
            after = [m for m in matches if self.view.row_of(m[0]) > here] or matches
            self.view.scroll_to_offset(after[0][0])
            self.notify(f"{len(matches)} matches", markup=False)

        self.app.push_screen(search_dialog(self.query_text), find)

    def action_toggle_stay(self) -> None:
        self.app.stay = not self.app.stay
        self._show()
