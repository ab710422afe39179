"""The Textual app: a library of articles and a reader for each."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from factmark.store.database import Store

from .library import LibraryScreen
from .reader import ReaderScreen

SCREENS_WITH_BINDINGS = (LibraryScreen, ReaderScreen)


def binding_ids() -> set[str]:
    """Every remappable action: what a keymap file may name."""
    return {
        b.id
        for owner in (FactmarkApp, *SCREENS_WITH_BINDINGS)
        for b in owner.BINDINGS
        if isinstance(b, Binding) and b.id
    }


class FactmarkApp(App[int]):
    """factmark's terminal reader."""

    TITLE = "factmark"
    CSS_PATH = "factmark.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False)]

    def __init__(
        self, db_path: Path, annotator: str, sample: Path, keymap: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        if keymap:
            self.set_keymap(keymap)
        self.db_path = db_path
        self.annotator = annotator
        self.sample = sample
        self.store = Store.open(db_path)
        self.animation_level = "none"

    def on_mount(self) -> None:
        self.sub_title = f"{self.annotator} · {self.db_path}"
        self.push_screen(LibraryScreen())

    def on_unmount(self) -> None:
        self.store.close()
