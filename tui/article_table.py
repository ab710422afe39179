"""The library's table: a virtual table that draws only the rows in view.

A library holds thousands of articles. Textual's DataTable measures and stores every
cell it is given, so a sort, a filter or a search that rebuilt it cost seconds on
10,000 articles. Here the rows are plain strings built once per article; sorting,
filtering and searching only reorder a list of article ids, a resize only changes the
column widths, and each frame draws the header and the rows on screen
(`render_line`), whatever the library's size.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from . import bindings
from .render import cell

PADDING = 1  # cells of padding on each side of a cell


def fitted(text: str, width: int, ellipsis: str) -> str:
    """`text` drawn in exactly `width` cells: padded, or cut with `ellipsis` at the end."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(set_cell_size(text, max(0, width - cell_len(ellipsis))) + ellipsis, width)


class ArticleTable(ScrollView, can_focus=True):
    """Rows of cells under a header row, one row per article, with a row cursor.

    `show(columns, order, cells)` sets what is drawn: the columns as (name, width in
    cells), the article ids in the order shown, and each article's cells by column name
    (plain text, through the render guard here). Enter (or a click) posts `Selected`.
    """

    COMPONENT_CLASSES = {
        "article-table--header",
        "article-table--cursor",
        "article-table--even",
    }
    # The look of Textual's DataTable, which the library used before.
    DEFAULT_CSS = """
    ArticleTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .article-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .article-table--header { background-tint: $foreground 5%; }
        }
        &:dark > .article-table--even { background: $surface-darken-1 40%; }
        & > .article-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .article-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .article-table--even { background: $surface-lighten-1 50%; }
        & > .article-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    BINDINGS = bindings.TABLE

    class Selected(Message):
        """A row was chosen: `article_id` is its article's."""

        def __init__(self, article_id: int) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, ellipsis: str = "…", id: str | None = None) -> None:
        super().__init__(id=id)
        self.ellipsis = ellipsis
        self.columns: list[tuple[str, int]] = []
        self.order: list[int] = []
        self.cells: dict[int, dict[str, str]] = {}
        self.cursor_row = 0
        self._lines: dict[int, str] = {}  # drawn row texts, by article id

    # --- what is shown ---------------------------------------------------------

    def show(
        self,
        columns: Sequence[tuple[str, int]],
        order: Sequence[int],
        cells: dict[int, dict[str, str]],
    ) -> None:
        """Draw `order` (article ids) with `cells` in `columns`; the cursor keeps its row
        number, within the rows shown."""
        columns = list(columns)
        if columns != self.columns or cells is not self.cells:
            self._lines.clear()
        self.columns, self.order, self.cells = columns, list(order), cells
        self.cursor_row = min(self.cursor_row, max(0, len(self.order) - 1))
        width = sum(w + 2 * PADDING for _, w in self.columns)
        self.virtual_size = Size(width, len(self.order) + 1)
        self._scroll_to_cursor()
        self.refresh()

    def update_row(self, article_id: int) -> None:
        """Draw one article's row again after its cells changed."""
        self._lines.pop(article_id, None)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.order)

    @property
    def cursor_article(self) -> int | None:
        """The article id of the row under the cursor, None when no row is shown."""
        return self.order[self.cursor_row] if self.order else None

    def get_row_at(self, row: int) -> list[Text]:
        """The cells of the row at `row` (from 0, in the order shown), as drawn."""
        found = self.cells[self.order[row]]
        return [cell(found.get(name, "")) for name, _ in self.columns]

    # --- moving ------------------------------------------------------------------

    def move_cursor(self, row: int) -> None:
        if not self.order:
            return
        self.cursor_row = max(0, min(row, len(self.order) - 1))
        self._scroll_to_cursor()
        self.refresh()

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_cursor_to(self, row: int) -> None:
        self.move_cursor(row if row >= 0 else len(self.order) - 1)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor_row + direction * max(1, self.size.height - 2))

    def action_select(self) -> None:
        if self.cursor_article is not None:
            self.post_message(self.Selected(self.cursor_article))

    def on_click(self, event: Click) -> None:
        row = int(self.scroll_offset.y) + event.y - 1
        if event.y >= 1 and 0 <= row < len(self.order):
            self.move_cursor(row)
            self.action_select()

    def _scroll_to_cursor(self) -> None:
        rows = max(1, self.size.height - 1)  # the header takes the first line
        top = int(self.scroll_offset.y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + rows:
            self.scroll_to(y=self.cursor_row - rows + 1, animate=False, immediate=True)

    # --- drawing -------------------------------------------------------------------

    def _text(self, cells: dict[str, str]) -> str:
        pad = " " * PADDING
        return "".join(
            pad + fitted(cells.get(name, ""), width, self.ellipsis) + pad
            for name, width in self.columns
        )

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x = int(self.scroll_offset.x)
        if y == 0:
            text = self._text({name: name for name, _ in self.columns})
            style = self.get_component_rich_style("article-table--header")
        else:
            row = int(self.scroll_offset.y) + y - 1
            if row >= len(self.order):
                return Strip.blank(width, self.rich_style)
            article_id = self.order[row]
            text = self._lines.get(article_id)
            if text is None:
                text = self._lines[article_id] = self._text(self.cells[article_id])
            style = self.rich_style
            if row % 2 == 0:
                style += self.get_component_rich_style("article-table--even")
            if row == self.cursor_row:
                style += self.get_component_rich_style("article-table--cursor")
        text = set_cell_size(text[scroll_x:] if scroll_x else text, width)
        return Strip([Segment(text, Style.combine([style]))], width)
