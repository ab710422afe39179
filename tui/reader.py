"""The reader screen: one article, its claims, and one keystroke per verdict.

Every action that writes (a verdict, clear, undo, redo, dismiss, a note, a link, a note
in $EDITOR, an added claim) goes through `Saving.save` (tui/saving.py): committed
first, then shown; an error is one notification; a busy database is waited for
visibly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from factmark.corpus.sentences import clauses
from factmark.store import articles, claims, classroom, gate, verdicts

from .article_view import ArticleView, Mark
from .claim_panel import ClaimPanel, describe
from .dialogs import AddClaimDialog, NoteDialog, jump_dialog, link_dialog, search_dialog
from .editor import EditorError, edit
from .render import line, plain, safe
from .saving import Saving

VERDICT_KEYS = ("verified", "disputed", "unsourced")


def _note_value(note: str | None) -> str | None:
    """A note as the store keeps it (cleaned, stripped, empty is None)."""
    return (gate.text(note) or "").strip() or None


def _link_value(url: str | None) -> str | None:
    return (url or "").strip() or None


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

    def _change(
        self, claim_id: int, what: str, unsaved: Callable[[], Any] | None = None, **changes
    ) -> None:
        """Save a change to the annotator's note or link, then show it."""
        self.save(
            lambda: verdicts.record(self.app.store, claim_id, self.app.annotator, **changes),
            lambda _event: self._show_change(claim_id),
            what,
            unsaved,
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
            # Not saved (a full disk...): the dialog comes back with what was typed.
            again = lambda: self.app.push_screen(dialog(answer), save)  # noqa: E731
            self._change(claim["id"], what, again, **{field: answer})

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
        try:
            note = edit(self.app, safe(claim["note"]))
        except EditorError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if _note_value(note) == _note_value(claim["note"]):
            self.notify("The note is unchanged.", markup=False)
            return
        self._change(claim["id"], "the note", note=note)

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
