"""The Textual app: a library of articles and a reader for each."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen

from factmark.store import gate
from factmark.store.database import Store
from factmark.store.errors import StoreError

from .article_view import ArticleView
from .dialogs import AddClaimDialog, Dialog, NoteDialog
from .glyphs import glyphs_for
from .help import HelpScreen
from .library import LibraryScreen
from .reader import ReaderScreen
from .render import line, markup_literal, safe
from .saving import DEFAULT_PATIENCE_S

# Where bindings live, by context: a key may be bound once per context.
CONTEXTS: dict[str, tuple[type, ...]] = {
    "library": (LibraryScreen,),
    "reader": (ReaderScreen, ArticleView),
    "note": (Dialog, NoteDialog),
    "add claim": (Dialog, AddClaimDialog),
}


class FactmarkApp(App[int]):
    """factmark's terminal reader."""

    TITLE = "factmark"
    CSS_PATH = "factmark.tcss"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
    ]

    # How long a save waits for a busy database (another program writing) before it
    # gives up with a notification; the reader says it is waiting meanwhile.
    busy_patience_s = DEFAULT_PATIENCE_S

    def __init__(
        self,
        db_path: Path,
        annotator: str,
        sample: Path,
        keymap: dict[str, str] | None = None,
        *,
        stay: bool = False,
        ascii_glyphs: bool = False,
        theme: str | None = None,
    ) -> None:
        """Raises ValueError (one line) for an annotator name that is empty once cleaned,
        and StoreError for a database that cannot be opened."""
        super().__init__()
        # The name the store writes verdicts under is the name the screens read them by.
        try:
            self.annotator = gate.annotator(annotator)
        except StoreError as exc:
            raise ValueError(str(exc)) from None
        self.db_path = db_path
        self.sample = sample
        self.stay = stay
        self.ascii_glyphs = ascii_glyphs
        self.glyphs = glyphs_for(ascii_glyphs)  # every symbol the screens draw
        self.keymap = keymap or {}
        # Impatient: a write meeting another program's lock raises StoreBusy at once, and
        # the reader waits for it without freezing (saving.Saving).
        self.store = Store.open(db_path, patient=False)
        self.animation_level = "none"  # no animation over a slow link
        if keymap:
            self.set_keymap(keymap)
        if theme:
            if theme not in self.available_themes:
                self.store.close()
                raise ValueError(
                    f"unknown theme {theme!r} (try: {', '.join(sorted(self.available_themes))})"
                )
            self.theme = theme

    def on_mount(self) -> None:
        self.sub_title = line(f"{self.annotator} · {self.db_path}")
        # A dropped SSH connection (SIGHUP) or a kill (SIGTERM) ends the app cleanly;
        # every verdict was committed when it was shown as saved.
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            loop.add_signal_handler(sig, self.exit)
        self.push_screen(LibraryScreen())

    def on_unmount(self) -> None:
        self.store.close()

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header's title: whatever a screen set, through the render guard."""
        return super().format_title(line(title), line(sub_title))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification through the render guard, and never parsed as markup:
        messages quote titles, paths, names and errors that came from outside."""
        super().notify(
            safe(message), title=line(title), severity=severity, timeout=timeout, markup=False
        )

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.binding_table()))

    def binding_table(self) -> list[tuple[str, str, str]]:
        """(context, keys, what it does) for every action, with the active keys."""
        rows = []
        for context, owners in {"anywhere": (FactmarkApp,), **CONTEXTS}.items():
            for binding in bindings_of(owners):
                keys = self.keymap.get(binding.id or "", binding.key)
                rows.append((context, keys, binding.description))
        return rows

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in bindings_of((type(screen),)):
            if binding.id and binding.description:
                action = binding.action

                def run(action: str = action, screen: Screen = screen) -> None:
                    self.call_later(screen.run_action, action)

                keys = self.keymap.get(binding.id, binding.key)
                # The palette reads its help as markup: give it markup that reads literally.
                help_text = markup_literal(f"{binding.id} ({keys})")
                yield SystemCommand(markup_literal(binding.description), help_text, run)


def bindings_of(owners: Iterable[type]) -> list[Binding]:
    found = []
    for owner in owners:
        found.extend(b for b in owner.BINDINGS if isinstance(b, Binding) and b.id)
    return found


def binding_contexts() -> dict[str, dict[str, str]]:
    """For keymap validation: per context, binding id -> default keys (app-wide
    bindings count in every context)."""
    everywhere = {b.id: b.key for b in bindings_of((FactmarkApp,))}
    return {
        context: {**everywhere, **{b.id: b.key for b in bindings_of(owners)}}
        for context, owners in CONTEXTS.items()
    }
