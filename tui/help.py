"""The help screen: every action, where it works, and the keys it has now.

Keys are shown as a person types them (`?`, `/`, `]`, `space`, `ctrl+q`), and every
symbol drawn comes from the app's glyphs, so `--ascii` draws ASCII only. At 80x24 it
takes the whole terminal; nothing is cut: the glyph legend wraps, the Action column
gets the width the others leave (and wraps if even that is short), and when rows are
below or above the fold the hint line under the table says so.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from factmark.corpus.vocabulary import STATES

from . import bindings
from .glyphs import ASCII, Glyphs
from .key_legend import is_ascii, key_display, keys_display
from .render import cell, plain

HEADERS = ("Where", "Keys", "Action")
MAX_WIDTH = 100  # the box's width on a wide terminal; the whole width below that
FRAME = 4  # the box's border and padding, left and right
PADDING = 2  # a DataTable column's cell padding, both sides
KEYS_SHARE = 3  # the Keys column takes at most a third of the table
ACTION_MIN = 12


def glyph_legend(glyphs: Glyphs) -> list[str]:
    """What the reader's symbols mean, drawn with `glyphs`, as pieces that a line never
    breaks inside (a glyph stays with its name). The ASCII set is named as the
    plain-terminal fallback only when `glyphs` are not already ASCII."""
    names = STATES
    states = [f"{glyphs.state(name)} {name}," for name in names]
    states[-1] = states[-1].rstrip(",")
    if not is_ascii(glyphs):
        states.append(f"({' '.join(ASCII.states[name] for name in names)} on plain terminals)")
    states[-1] += "."
    return [
        *["Claims", "start", "with", "their", "state:"],
        *states,
        f"{glyphs.current} marks",
        *["the", "current", "claim."],
    ]


def wrap_pieces(pieces: Sequence[str], width: int) -> list[str]:
    """Lines of at most `width` cells, breaking only between pieces (one space apart);
    a piece wider than `width` gets a line of its own.

    >>> wrap_pieces(["o pending,", "+ verified,", "x disputed."], 22)
    ['o pending, + verified,', 'x disputed.']
    """
    lines: list[str] = []
    for piece in pieces:
        if lines and cell_len(f"{lines[-1]} {piece}") <= width:
            lines[-1] += f" {piece}"
        else:
            lines.append(piece)
    return lines


def keys_text(keys: str, ascii_only: bool = False) -> str:
    """A binding's key string as typed, keys two spaces apart: "question_mark,f1" ->
    "?  f1"."""
    return "  ".join(keys_display(keys, ascii_only))


def column_widths(rows: Sequence[tuple[str, str, str]], width: int) -> tuple[int, int, int]:
    """(Where, Keys, Action) content widths for rows of (context, keys as shown,
    description) in a table `width` cells wide (cell padding included in `width`).

    Where and Keys are as wide as their widest cell (Keys at most a third of the
    table, its keys then wrap); Action takes the rest, at least `ACTION_MIN`, and its
    rows wrap where that is less than they need.

    >>> column_widths([("reader", "?  f1", "Help")], 40)
    (6, 5, 23)
    """

    def widest(column: int) -> int:
        return max([cell_len(HEADERS[column]), *(cell_len(row[column]) for row in rows)])

    where = widest(0)
    keys = min(widest(1), max(cell_len(HEADERS[1]), width // KEYS_SHARE))
    action = max(ACTION_MIN, width - where - keys - PADDING * len(HEADERS))
    return where, keys, action


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = f"""
    HelpScreen {{ align: center middle; }}
    HelpScreen > Vertical {{
        width: 100%; max-width: {MAX_WIDTH}; height: 100%; max-height: 48;
        border: round $accent; background: $panel; padding: 0 1;
    }}
    HelpScreen DataTable {{ height: 1fr; scrollbar-gutter: stable; }}
    HelpScreen #hint {{ color: $text-muted; }}
    """
    BINDINGS = bindings.HELP

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        """`rows`: (context, raw binding keys like "question_mark,f1", description)."""
        super().__init__()
        self.rows = rows

    @property
    def ascii_only(self) -> bool:
        return is_ascii(self.app.glyphs)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                plain("Every key, as mapped now (change them with --keymap; see the README)")
            )
            yield Static(id="legend")
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Static(id="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self.lay_out()
        self.watch(table, "scroll_y", self.show_hint, init=False)
        table.focus()

    def on_resize(self) -> None:
        self.lay_out()

    @property
    def box_width(self) -> int:
        """The cells inside the box, for the current terminal width."""
        return min(self.size.width, MAX_WIDTH) - FRAME

    def shown_rows(self) -> list[tuple[str, str, str]]:
        """(context, keys as typed, description) for every row of the table."""
        palette = (
            [("anywhere", self.app.COMMAND_PALETTE_BINDING, "Every action by name")]
            if self.app.ENABLE_COMMAND_PALETTE
            else []
        )
        return [
            (context, keys_text(keys, self.ascii_only), description)
            for context, keys, description in [*self.rows, *palette]
        ]

    def lay_out(self) -> None:
        """(Re)lay out the legend and the table for the current width: nothing cut, the
        legend and long rows wrap."""
        legend = wrap_pieces(glyph_legend(self.app.glyphs), self.box_width)
        self.query_one("#legend", Static).update(plain("\n".join(legend)))
        table = self.query_one(DataTable)
        rows = self.shown_rows()
        width = self.box_width - table.styles.scrollbar_size_vertical
        widths = column_widths(rows, width)
        table.clear(columns=True)
        for header, column_width in zip(HEADERS, widths, strict=True):
            table.add_column(header, width=column_width, key=header)
        for row in rows:
            table.add_row(*(cell(value) for value in row), height=None)
        self.call_after_refresh(self.show_hint)

    def show_hint(self) -> None:
        """Under the table: where more rows are, how to scroll, how to close."""
        table = self.query_one(DataTable)
        dot = self.app.glyphs.dot
        close = keys_display(self.BINDINGS[0].key, self.ascii_only)[0]
        parts = []
        if table.max_scroll_y > 0:
            up, down = key_display("up", self.ascii_only), key_display("down", self.ascii_only)
            arrows = f"{up}{down}" if len(up + down) == 2 else f"{up}/{down}"
            above, below = table.scroll_y > 0, table.scroll_y < table.max_scroll_y
            where = {
                (True, True): "more rows above and below",
                (True, False): "more rows above",
                (False, True): "more rows below",
            }.get((above, below), "")
            parts += [where, f"{arrows} pgup pgdn scroll"]
        parts.append(f"{close} close")
        self.query_one("#hint", Static).update(plain(f" {dot} ".join(p for p in parts if p)))
