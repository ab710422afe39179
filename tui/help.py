"""The help screen: every action, where it works, and the keys it has now."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from .render import cell, plain

GLYPH_LEGEND = (
    "Claims start with their state: ○ pending  ✓ verified  ✗ disputed  ? unsourced  "
    "· dismissed (o + x ? - on plain terminals). ▶ marks the current claim."
)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 95%; height: 90%; border: round $accent; background: $panel; padding: 0 1;
    }
    HelpScreen DataTable { height: 1fr; }
    """
    BINDINGS = [Binding("escape,q,question_mark", "app.pop_screen", "Close", id="help.close")]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(plain("Keys (change them with --keymap; see the README)"))
            yield Label(plain(GLYPH_LEGEND))
            yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Where", "Keys", "Action")
        for context, keys, description in self.rows:
            table.add_row(cell(context), cell(keys.replace(",", "  ")), cell(description))
        table.focus()
