"""The reader screen: one article, its claims, and one keystroke per verdict."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile

from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from factmark.corpus.sentences import clauses
from factmark.store import articles, claims, classroom, verdicts
from factmark.store.errors import StoreError

from .article_view import ArticleView, Mark
from .claim_panel import ClaimPanel, describe
from .dialogs import AddClaimDialog, NoteDialog, jump_dialog, link_dialog, search_dialog

VERDICT_KEYS = ("verified", "disputed", "unsourced")


class ReaderScreen(Screen[None]):
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
        self.sub_title = article["title"]
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
        decided = sum(1 for c in self.claims if c["verdict"] or c["dismissed"])
        mode = "stay" if self.app.stay else "advance"
        self.query_one("#status", Static).update(
            Content.assemble(
                (f" {self.app.annotator}", "bold"),
                f" · {decided}/{len(self.claims)} decided · article {self.article_id} · "
                f"after a verdict: {mode} · {self.app.db_path}",
            )
        )

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
        ids = [row["id"] for row in articles.listing(self.app.store)]
        if self.article_id in ids:
            position = ids.index(self.article_id) + step
            if 0 <= position < len(ids):
                self.open_article(ids[position])

    def action_jump(self) -> None:
        def jump(answer: str | None) -> None:
            if answer:
                if answer.isdigit():
                    self.open_article(int(answer))
                else:
                    self.notify("Give the article's number.", severity="warning", markup=False)

        self.app.push_screen(jump_dialog(), jump)

    def action_back(self) -> None:
        self.app.pop_screen()

    # --- deciding ------------------------------------------------------------

    def action_verdict(self, verdict: str | None) -> None:
        """Save the verdict (committed before it is shown), then move on unless staying."""
        claim = self.current
        if claim is None:
            return
        saved = self._change(claim["id"], verdict=verdict)
        if saved and verdict and not self.app.stay and any(self._pending(c) for c in self.claims):
            self.action_next_pending()

    def _change(self, claim_id: int, **changes) -> bool:
        """Save a change to the annotator's verdict, note or link, then show it.

        The event is committed before the screen is updated: shown means saved.
        """
        try:
            verdicts.record(self.app.store, claim_id, self.app.annotator, **changes)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return False
        self._reload_claims(keep=claim_id)
        self._show()
        return True

    def action_undo(self) -> None:
        self._replay(verdicts.undo, "Nothing to undo.")

    def action_redo(self) -> None:
        self._replay(verdicts.redo, "Nothing to redo.")

    def _replay(self, step, nothing: str) -> None:
        event = step(self.app.store, self.app.annotator)
        if event is None:
            self.notify(nothing, markup=False)
            return
        if event["claim_id"] not in [c["id"] for c in self.claims]:
            article = claims.get(self.app.store, event["claim_id"])["article_id"]
            self.open_article(article)
        self._reload_claims(keep=event["claim_id"])
        self._show()

    def _ask(self, field: str, dialog) -> None:
        """Ask for a new note or link in a dialog, and save the answer unless cancelled."""
        claim = self.current
        if claim is None:
            return

        def save(answer: str | None) -> None:
            if answer is not None:
                self._change(claim["id"], **{field: answer})

        self.app.push_screen(dialog(claim[field]), save)

    def action_note(self) -> None:
        self._ask("note", NoteDialog)

    def action_note_in_editor(self) -> None:
        """Write the note in $EDITOR (the terminal is handed over, then given back)."""
        claim = self.current
        if claim is None:
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.NamedTemporaryFile(
            "w+", suffix=".txt", encoding="utf-8", delete=False
        ) as handle:
            handle.write(claim["note"] or "")
        try:
            with self.app.suspend():
                subprocess.run([*shlex.split(editor), handle.name], check=False)
            with open(handle.name, encoding="utf-8") as edited:
                note = edited.read()
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to an editor: use e.", markup=False)
            return
        except OSError as exc:
            self.notify(f"Could not run {editor}: {exc.strerror}", severity="error", markup=False)
            return
        finally:
            os.unlink(handle.name)
        self._change(claim["id"], note=note)

    def action_evidence(self) -> None:
        self._ask("evidence_url", link_dialog)

    def action_dismiss_claim(self) -> None:
        claim = self.current
        if claim is not None:
            claims.set_dismissed(self.app.store, claim["id"], not claim["dismissed"])
            self._reload_claims(keep=claim["id"])
            self._show()

    def action_add_claim(self) -> None:
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

        def add(span: tuple[int, int] | None) -> None:
            if span is None:
                return
            try:
                new = claims.add(self.app.store, self.article_id, *span, origin="reader")
            except StoreError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self._reload_claims(keep=new)
            self._show()

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
