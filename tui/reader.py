"""The reader screen: one article, its claims, and one keystroke per verdict.

The screen holds no state of its own: the reader model (model.py) holds the article,
its claims, the current one and the reveal state, and every action goes through it.
Every action that writes goes through `Saving.save` (tui/saving.py): committed first,
then shown; an error is one notification; a busy database is waited for visibly.
The screen then renders from the model in one place, `_show`.

The claim a key decides is the claim on screen: the view keeps the current claim in
view after every action and resize, and a key that would change a claim the reader
scrolled away from brings it back into view instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from factmark.store import claims, gate
from factmark.store.claims import AnnotatedClaim
from factmark.store.errors import StoreError

from . import bindings
from .article_view import ArticleView, Mark
from .claim_panel import ClaimPanel, entries, rows
from .dialogs import AddClaimDialog, NoteDialog, jump_dialog, link_dialog, search_dialog
from .editor import EditorError, edit
from .key_legend import KeyLegend, keys_display
from .layout import cells, shorten
from .model import ReaderModel
from .render import line, plain, safe
from .saving import Saving

PANEL_ROWS = 7  # the claim panel's rows at most, unless the reader asks for all
HEADER_SPARE = 24  # cells of the header its icon takes, on the left and, kept even, the right
MIN_TITLE = 16  # cells of the title the header keeps, however long the byline
FOLDED_AWAY = "The current claim was out of view: it is shown now. Press the key again to act."


def _note_value(note: str | None) -> str | None:
    """A note as the store keeps it (cleaned, stripped, empty is None)."""
    return (gate.text(note) or "").strip() or None


def _link_value(url: str | None) -> str | None:
    return (url or "").strip() or None


class ReaderScreen(Saving, Screen[None]):
    BINDINGS = bindings.READER
    # The one-line key legend, most important first.
    LEGEND = (
        "reader.verified",
        "reader.disputed",
        "reader.unsourced",
        "reader.undo",
        "reader.next",
        "reader.previous",
        "reader.note",
        "reader.evidence",
        "reader.back",
    )

    def __init__(self, article_id: int, order: list[int] | None = None) -> None:
        """`order`: the article ids as the library shows them (its sort and filter),
        which `]` and `[` follow."""
        super().__init__()
        self.article_id = article_id
        self.order = order
        self.details = False  # the panel shows everything about the claim
        self.visited: set[int] = set()  # the articles opened here, whose counts may change

    def compose(self) -> ComposeResult:
        yield Header(icon=self.app.glyphs.icon)
        yield ArticleView(glyphs=self.app.glyphs, id="article")
        yield ClaimPanel(id="panel")
        yield Static(id="status")
        yield KeyLegend()

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def on_mount(self) -> None:
        self.model = ReaderModel(self.app.store, self.app.annotator, self.order)
        self.open_article(self.article_id)
        self.view.focus()

    @property
    def current(self) -> AnnotatedClaim | None:
        return self.model.current

    # --- loading -------------------------------------------------------------

    def open_article(self, article_id: int) -> None:
        if not self.model.open(article_id):
            self.notify(f"No article {article_id}.", severity="warning", markup=False)
            return
        self.article_id = article_id
        self.visited.add(article_id)
        self._show_heading()
        model = self.model
        self.view.load(
            model.text, (model.ids, model.starts, model.ends, model.states()), model.regions
        )
        self._show()

    def _show(self, *, scroll: bool = True) -> None:
        """Render the screen from the model: current claim (brought into view unless
        `scroll` is False), panel, status line."""
        model = self.model
        claim = model.current
        self.view.set_current(claim.id if claim else None, scroll=scroll)
        self._show_panel()
        self._show_status()
        if model.just_revealed:
            model.just_revealed = False
            self.notify(
                "Every claim decided: the key's verdicts and the class's votes now show.",
                markup=False,
            )

    def _show_panel(self) -> None:
        panel = self.query_one(ClaimPanel)
        claim = self.model.current
        width = panel.content_region.width or max(20, self.size.width - 2)
        # Everything: as many rows as leave four of text (header, status and key
        # legend take three rows, the panel's border one).
        height = max(PANEL_ROWS, self.size.height - 8) if self.details else PANEL_ROWS
        items = (
            entries(
                claim,
                self.model.history(claim),
                self.model.others(claim),
                self.app.glyphs,
                guessed=self.model.language_unknown,
            )
            if claim
            else []
        )
        key = keys_display(self.app.keymap.get("reader.details", "m"), self.app.ascii_glyphs)[0]
        panel.show(
            rows(
                claim,
                self.model.position,
                items,
                width,
                height,
                self.app.glyphs,
                key,
                everything=self.details,
            )
        )

    def _show_status(self) -> None:
        """Who, how far, what happens after a verdict, which database; or, while a save
        waits for the database, that the reader is waiting."""
        status = self.query_one("#status", Static)
        if self.waiting_message is not None:
            status.update(plain(f" {self.waiting_message}", "bold"), layout=False)
            return
        dot = self.app.glyphs.dot
        mode = "stay" if self.app.stay else "advance"
        name = f" {line(self.app.annotator)}"
        parts = [
            f"{self.model.decided}/{len(self.model)} decided",
            f"article {self.article_id}",
            f"after a verdict: {mode}",
            self.app.reading_in(),
        ]
        while len(parts) > 1 and cells(name + f" {dot} ".join(["", *parts])) > self.size.width:
            parts.pop()  # what does not fit is left out whole, the least useful first
        status.update(
            Content.assemble(plain(name, "bold"), plain(f" {dot} ".join(["", *parts]))),
            layout=False,  # one line, always
        )

    def show_waiting(self) -> None:
        self._show_status()

    def on_resize(self) -> None:
        if hasattr(self, "model"):
            self._show_heading()
            self._show_panel()

    def _show_heading(self) -> None:
        """The header's second part: the title, cut short so that the author and the
        source after it stay in view at any width."""
        article = self.model.article
        if article is None:
            self.sub_title = ""
            return
        glyphs = self.app.glyphs
        width = self.app.size.width
        found = (article.get("author"), article.get("source"))
        named = f" {glyphs.dot} ".join(dict.fromkeys(filter(None, found)))
        if not named:
            self.sub_title = line(article["title"])
            return
        byline = shorten(named, width // 3, glyphs.ellipsis)
        # The header draws "factmark — title · byline" between its icon's cells.
        room = width - HEADER_SPARE - cells(f"{self.app.title} — {glyphs.dot} {byline}") - 1
        title = shorten(article["title"], max(room, MIN_TITLE), glyphs.ellipsis)
        self.sub_title = line(f"{title} {glyphs.dot} {byline}")

    def on_article_view_claim_in_view(self, message: ArticleView.ClaimInView) -> None:
        """The reader scrolled: the first claim in view becomes current, and the
        text stays where the reader put it. An offer made before another claim became
        current (a search, a key, scrolling the view to it) is stale, and dropped."""
        current = self.model.current
        if current is not None and current.id != message.instead_of:
            return
        if self.model.go_to(message.claim_id):
            self._show(scroll=False)

    def _on_screen(self) -> AnnotatedClaim | None:
        """The current claim, if it is on screen; else it is brought on screen and
        the key that asked is not acted on."""
        claim = self.model.current
        if claim is None or claim.orphaned or self.view.is_visible(claim.id):
            return claim
        self.view.show_current()
        self.notify(FOLDED_AWAY, severity="warning", markup=False)
        return None

    # --- moving --------------------------------------------------------------

    def action_next_claim(self) -> None:
        self.model.move(1)
        self._show()

    def action_previous_claim(self) -> None:
        self.model.move(-1)
        self._show()

    def action_next_pending(self) -> None:
        """The next undecided claim after this one, wrapping round to the start."""
        if self.model.next_pending():
            self._show()
        else:
            self.notify("Every claim in this article is decided.", markup=False)

    def action_other_article(self, step: int) -> None:
        if self.refuse_while_waiting():
            return
        following = self.model.neighbour(step)
        if following is None:
            where = "last" if step > 0 else "first"
            self.notify(f"This is the {where} article in the library's list.", markup=False)
            return
        self.open_article(following)

    def action_jump(self) -> None:
        if self.refuse_while_waiting():
            return

        def jump(answer: str | None) -> None:
            if answer and not self.refuse_while_waiting():
                if answer.isdigit() and len(answer) <= 18:  # SQLite's integers are 64-bit
                    self.open_article(int(answer))
                else:
                    self.notify("Give the article's number.", severity="warning", markup=False)

        self.app.push_screen(jump_dialog(), jump)

    def action_back(self) -> None:
        if not self.refuse_while_waiting():
            self.app.pop_screen()

    def action_details(self) -> None:
        """Show everything about the claim in the panel (note, link, history), or fold
        it back to the first rows."""
        self.details = not self.details
        self._show_panel()
        self.call_after_refresh(self.view.show_current)

    # --- deciding ------------------------------------------------------------
    # Every change goes through `save`: committed, then shown from the model.

    def action_verdict(self, verdict: str | None) -> None:
        """Save the verdict (committed before it is shown), then move on unless staying."""
        claim = self._on_screen()
        if claim is None:
            return
        claim_id = claim.id

        def show(_event: object) -> None:
            self.view.set_state(claim_id, claim.state)
            current = self.model.current
            if verdict and not self.app.stay and current is not None and current.id == claim_id:
                self.model.next_pending()
            self._show()

        self.save(
            lambda: self.model.record(claim_id, verdict=verdict),
            show,
            "the verdict" if verdict else "clearing the verdict",
        )

    def _change(
        self, claim: AnnotatedClaim, what: str, unsaved: Callable[[], Any] | None = None, **changes
    ) -> None:
        """Save a change to the annotator's note or link, then show it."""
        self.save(
            lambda: self.model.record(claim.id, **changes), lambda _: self._show(), what, unsaved
        )

    def action_undo(self) -> None:
        self._replay(self.model.undo, "Nothing to undo.", "the undo", "Undone")

    def action_redo(self) -> None:
        self._replay(self.model.redo, "Nothing to redo.", "the redo", "Redone")

    def _replay(self, step, nothing: str, what: str, done: str) -> None:
        """Undo or redo, then show the claim it changed, opening its article (and
        saying so) when that is another one."""

        def show(claim_id: int | None) -> None:
            if claim_id is None:
                self.notify(nothing, markup=False)
                return
            if not self.model.go_to(claim_id):  # a change in another article
                article = claims.article_of(self.app.store, claim_id)
                if article is None:
                    return
                self.open_article(article)
                self.model.go_to(claim_id)
                title = self.model.article["title"] if self.model.article else ""
                self.notify(f"{done} in another article: {title}", markup=False)
            claim = self.model.current
            if claim is not None:
                self.view.set_state(claim.id, claim.state)
            self._show()

        self.save(step, show, what)

    def _ask(self, field: str, dialog, what: str, value: Callable[[str | None], str | None]):
        """Ask for a new note or link in a dialog, and save the answer unless cancelled
        or unchanged."""
        claim = self._on_screen()
        if claim is None or self.refuse_while_waiting():
            return

        def save(answer: str | None) -> None:
            if answer is None:
                return
            if value(answer) == value(getattr(claim, field)):
                self.notify(f"{what.capitalize()} is unchanged.", markup=False)
                return
            # Not saved (a full disk...): the dialog comes back with what was typed.
            again = lambda: self.app.push_screen(dialog(answer), save)  # noqa: E731
            self._change(claim, what, again, **{field: answer})

        self.app.push_screen(dialog(getattr(claim, field)), save)

    def action_note(self) -> None:
        self._ask("note", NoteDialog, "the note", _note_value)

    def action_evidence(self) -> None:
        self._ask("evidence_url", link_dialog, "the evidence link", _link_value)

    def action_note_in_editor(self) -> None:
        """Write the note in $VISUAL or $EDITOR (the terminal is handed over, then given
        back). A command that cannot run, an editor that fails, a file that is not UTF-8
        or an unchanged note is one notification and saves nothing."""
        claim = self._on_screen()
        if claim is None or self.refuse_while_waiting():
            return
        try:
            note = edit(self.app, safe(claim.note))
        except EditorError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if _note_value(note) == _note_value(claim.note):
            self.notify("The note is unchanged.", markup=False)
            return
        self._change(claim, "the note", note=note)

    def action_dismiss_claim(self) -> None:
        claim = self._on_screen()
        if claim is None:
            return
        dismissed = not claim.dismissed

        def show(_result: object) -> None:
            self.view.set_state(claim.id, claim.state)
            self._show()

        self.save(
            lambda: self.model.set_dismissed(claim.id, dismissed),
            show,
            "the dismissal" if dismissed else "undismissing the claim",
        )

    def action_add_claim(self) -> None:
        if self.refuse_while_waiting():
            return
        try:
            self.model.may_add_claims()
        except StoreError as exc:  # said before the dialog, not after the choice
            self.notify(str(exc), severity="warning", markup=False)
            return
        claim = self.model.current
        near = claim.start if claim and self.view.is_visible(claim.id) else self.view.top_offset()
        candidates = self.model.candidates(near)
        if not candidates:
            self.notify(
                "Every sentence of this paragraph is already a claim, or part of one.",
                markup=False,
            )
            return

        def show(claim_id: int) -> None:
            new = self.model.current
            if new is not None:
                self.view.add_mark(Mark(claim_id, new.start, new.end, new.state))
            self._show()

        def add(span: tuple[int, int] | None) -> None:
            if span is None:  # cancelled: back to the claim the reader was on
                self.view.show_current()
                return
            self.save(lambda: self.model.add_claim(*span), show, "the new claim")

        dialog = AddClaimDialog(self.model.text, candidates, near, self.view, self.model.is_free)
        self.app.push_screen(dialog, add)

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
        """Search the text: each Enter goes to the next match (wrapping round) and
        shows it; the claim holding it, or the claim in view nearest to it, becomes
        current (if no claim is in view, the current one stays, and a verdict key
        brings it back before acting)."""

        def find(query: str | None) -> None:
            if query is None:
                return
            match = self.model.search(query)
            self.view.set_overlay(matches=self.model.matches)
            if not query:
                return
            if match is None:
                self.notify(f"Not found: {query}", severity="warning", markup=False)
                return
            claim = self.model.current
            # The claim holding the match from its first row, if both fit; else the
            # match, and the claim in view nearest it becomes current.
            shown = match
            holds = claim is not None and claim.start <= match[0] < claim.end
            if holds and self.view.fits(claim.start, match[1]):
                shown = (claim.start, match[1])
            self.view.scroll_to_offset(*shown)
            if claim is not None and not self.view.is_visible(claim.id):
                nearest = self.view.first_claim_in_view()
                if nearest is not None:
                    self.model.go_to(nearest)
            self._show(scroll=False)
            count = len(self.model.matches)
            number = self.model.matches.index(match) + 1
            self.notify(f"Match {number} of {count}.", markup=False)

        self.app.push_screen(search_dialog(self.model.query), find)

    def action_toggle_stay(self) -> None:
        self.app.stay = not self.app.stay
        self._show_status()
