"""The Textual app: a library of articles and a reader for each."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandInput, SearchIcon
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.widgets import Header

from factmark.store import gate
from factmark.store.database import Store
from factmark.store.errors import StoreError

from . import bindings
from .glyphs import UNICODE, glyphs_for
from .hangup import end_on_signals
from .library import LibraryScreen
from .render import line, markup_literal, safe
from .saving import DEFAULT_PATIENCE_S


class PlainScrollBarRender(ScrollBarRender):
    """Scroll bars without block characters: the thumb in whole reversed cells."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "]
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "]


class FactmarkApp(App[int]):
    """factmark's terminal reader."""

    TITLE = "factmark"
    CSS_PATH = "factmark.tcss"
    BINDINGS = bindings.APP

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
        store: Store | None = None,
    ) -> None:
        """Raises ValueError (one line) for an annotator name that is empty once cleaned
        or an unknown theme, and StoreError for a database that cannot be opened.
        `store`: the database at `db_path` already open (the app closes it), so that a
        process opens it once."""
        try:
            self.set_up(sample, keymap, stay=stay, ascii_glyphs=ascii_glyphs, theme=theme)
        except ValueError:
            if store is not None:
                store.close()
            raise
        self.open_reader(db_path, annotator, store)

    def set_up(
        self,
        sample: Path,
        keymap: dict[str, str] | None,
        *,
        stay: bool,
        ascii_glyphs: bool,
        theme: str | None,
    ) -> None:
        """Everything but whose verdicts and which database (`open_reader`): an app
        whose reader signs in first (tui/sign_in.py) sets these up, then opens the
        reader once it knows who reads. Raises ValueError for an unknown theme."""
        App.__init__(self)
        self.reading = False  # whether open_reader has run: the store is open
        self.sample = sample
        self.stay = stay
        self.ascii_glyphs = ascii_glyphs
        self.glyphs = glyphs_for(ascii_glyphs)  # every symbol the screens draw
        # ASCII mode reaches Textual's own furniture too: `App.-ascii` rules in
        # factmark.tcss draw every border in ASCII.
        self.set_class(ascii_glyphs, "-ascii", update=False)
        self._scrollbar_renderer = ScrollBar.renderer
        self.keymap = keymap or {}
        self.animation_level = "none"  # no animation over a slow link
        if keymap:
            self.set_keymap(keymap)
        if theme:
            if theme not in self.available_themes:
                raise ValueError(
                    f"unknown theme {theme!r} (try: {', '.join(sorted(self.available_themes))})"
                )
            self.theme = theme

    def open_reader(self, db_path: Path, annotator: str, store: Store | None = None) -> None:
        """Read as `annotator` in the database at `db_path` (`store`: it, open already;
        the app closes it). Raises ValueError for an annotator name empty once cleaned
        (closing `store`), StoreError for a database that cannot be opened."""
        # The name the store writes verdicts under is the name the screens read them by.
        try:
            self.annotator = gate.annotator(annotator)
        except StoreError as exc:
            if store is not None:
                store.close()
            raise ValueError(str(exc)) from None
        self.db_path = db_path
        # Impatient: a write meeting another program's lock raises StoreBusy at once, and
        # the reader waits for it without freezing (saving.Saving).
        self.store = store or Store.open(db_path, patient=False)
        self.store.be_impatient()
        self.reading = True
        if self.is_running:
            self.sub_title = self.reading_as()

    def reading_as(self) -> str:
        """The header's line while reading: who reads, and in which database."""
        return line(f"{self.annotator} {self.glyphs.dot} {self.reading_in()}")

    def reading_in(self) -> str:
        """Where the verdicts go, in one line, for the reader's status line: the
        database's path."""
        return line(self.db_path)

    def on_mount(self) -> None:
        if self.reading:
            self.sub_title = self.reading_as()
        if self.ascii_glyphs:
            # Scroll bars are drawn by one renderer for the whole process: ours while
            # this app runs, Textual's again once it has stopped (on_unmount).
            ScrollBar.renderer = PlainScrollBarRender
            self.screen_change_signal.subscribe(self, self._on_screen_change, immediate=True)
        # A dropped SSH connection (SIGHUP) or a kill (SIGTERM) ends the app within a
        # second, whatever it is doing; every verdict was committed when shown saved.
        end_on_signals(self.exit, asyncio.get_running_loop())

    def get_default_screen(self) -> Screen:
        """The library is the app's first screen: composed and drawn once at start, with
        no blank screen under it."""
        return LibraryScreen()

    def on_unmount(self) -> None:
        ScrollBar.renderer = self._scrollbar_renderer
        if self.reading:
            self.store.close()

    def _on_screen_change(self, screen: Screen) -> None:
        """ASCII mode: called as a screen is pushed, so that `plain_symbols` runs right
        after the screen's compose, before it is first drawn."""
        screen.call_next(self.plain_symbols, screen)

    def plain_symbols(self, screen: Screen) -> None:
        """The app's symbols on the Textual widgets of `screen` that bring their own:
        the header's icon, and the command palette's icon and prompt."""
        for header in screen.query(Header):
            header.icon = self.glyphs.icon
        for icon in screen.query(SearchIcon):
            icon.icon = self.glyphs.icon
        for prompt in screen.query(CommandInput):
            prompt.placeholder = prompt.placeholder.replace(UNICODE.ellipsis, self.glyphs.ellipsis)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header's title: whatever a screen set, through the render guard (with
        an ASCII separator in ASCII mode)."""
        title, sub_title = line(title), line(sub_title)
        if not (self.ascii_glyphs and sub_title):
            return super().format_title(title, sub_title)
        return Content.assemble(Content(title), (" - ", "dim"), Content(sub_title).stylize("dim"))

    def get_key_display(self, binding: Binding) -> str:
        """A key as the footer and help show it; in ASCII mode by its name where Textual
        would draw a symbol (`up`, not an arrow)."""
        shown = super().get_key_display(binding)
        if not self.ascii_glyphs or shown.isascii():
            return shown
        modifiers, key = binding.parse_key()
        if "ctrl" in modifiers:
            modifiers.remove("ctrl")
            key = f"^{key}"
        shown = "+".join([*modifiers, key])
        return shown if shown.isascii() else shown.encode("ascii", "backslashreplace").decode()

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
        from .help import HelpScreen  # loaded when first asked for: a lighter start

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.binding_table()))

    def binding_table(self) -> list[tuple[str, str, str]]:
        """(context, keys, what it does) for every action, with the active keys."""
        rows = []
        for context, lists in {"anywhere": (bindings.APP,), **bindings.CONTEXTS}.items():
            for binding in bindings.with_ids(lists):
                keys = self.keymap.get(binding.id or "", binding.key)
                rows.append((context, keys, binding.description))
        return rows

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in bindings.with_ids([type(screen).BINDINGS]):
            if binding.id and binding.description:
                action = binding.action

                def run(action: str = action, screen: Screen = screen) -> None:
                    self.call_later(screen.run_action, action)

                keys = self.keymap.get(binding.id, binding.key)
                # The palette reads its help as markup: give it markup that reads literally.
                help_text = markup_literal(f"{binding.id} ({keys})")
                yield SystemCommand(markup_literal(binding.description), help_text, run)
