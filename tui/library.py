"""The library screen: every article, and how far the current annotator has got."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Header, Static

from factmark.store import articles

from . import bindings
from .article_table import ArticleTable
from .key_legend import KeyLegend
from .render import cell, plain
from .saving import Saving

if TYPE_CHECKING:
    from .reader import ReaderScreen

PROGRESS = ("all", "unfinished", "finished")
SORT_KEYS = {
    "number": lambda row: row["id"],
    "title": lambda row: row["title"].casefold(),
    "date": lambda row: row["published"] or "",
    "progress": lambda row: row["decided"] / row["claims"] if row["claims"] else 1.0,
}
SORTS = tuple(SORT_KEYS)  # the order `o` goes through them

# The table's columns, left to right. Title and Source share what the others leave.
COLUMNS = ("#", "Title", "Date", "Source", "Lang", "Claims", "Decided")
ALWAYS = frozenset({"#", "Title"})  # kept even when every cell is empty
SOURCE_MAX = 20  # cells: a source is a name, not a sentence
TITLE_WITH_SOURCE = 40  # the source shows when the title still gets this many cells,
WIDE = 100  # or on a terminal this wide,
TITLE_MIN_WIDE = 24  # as long as the title keeps this many
TITLE_MIN = 10
PADDING = 2  # a column's cell padding, both sides (article_table.PADDING each)


def column_widths(cells: dict[str, Sequence[int]], width: int) -> list[tuple[str, int]]:
    """[(column name, content width)...] for a table `width` cells wide.

    `cells` maps each column of `COLUMNS` to the widths (terminal cells) of its cell
    texts in every row shown. A column (other than # and Title) whose cells are all
    empty is dropped; every column but Title and Source is as wide as its widest cell
    or header; Source is shown, at most `SOURCE_MAX` wide, only when there is room for
    it (the title keeps `TITLE_WITH_SOURCE` cells, or `TITLE_MIN_WIDE` on a terminal
    `WIDE` or wider); the title gets the rest, at least `TITLE_MIN`.

    >>> column_widths({"#": [1], "Title": [7], "Date": [0]}, 30)
    [('#', 1), ('Title', 25)]
    """

    def need(name: str) -> int:
        return max(cell_len(name), max(cells.get(name, ()), default=0))

    present = [name for name in COLUMNS if name in cells and (name in ALWAYS or any(cells[name]))]
    fixed = {name: need(name) for name in present if name not in ("Title", "Source")}
    title = width - sum(fixed.values()) - PADDING * (len(fixed) + 1)
    widths = dict(fixed)
    if "Source" in present:
        source = min(need("Source"), SOURCE_MAX)
        left = title - source - PADDING
        if left >= TITLE_WITH_SOURCE or (width >= WIDE and left >= TITLE_MIN_WIDE):
            widths["Source"] = source
            title = left
    widths["Title"] = max(TITLE_MIN, title)
    return [(name, widths[name]) for name in present if name in widths]


class LibraryScreen(Saving, Screen[None]):
    # The table takes the height the header, filters line and legend leave.
    DEFAULT_CSS = """
    LibraryScreen > ArticleTable { height: 1fr; }
    """
    BINDINGS = bindings.LIBRARY
    # The key legend's items, most important first (see key_legend.KeyLegend).
    LEGEND = (
        "library.open",
        "library.search",
        "library.sort",
        "library.filter_language",
        "library.filter_progress",
        "library.quit",
    )

    def __init__(self) -> None:
        super().__init__()
        self.sort = "number"
        self.language: str | None = None
        self.progress = "all"
        self.search = ""
        self.filters_line = ""
        self.order_shown: list[int] = []  # article ids, as the table shows them
        self.rows: dict[int, dict] = {}  # every article's listing row, by id
        self.cells: dict[int, dict[str, str]] = {}  # and its cells, as drawn
        self.widths: dict[int, dict[str, int]] = {}  # and their widths in cells
        self.found_by: dict[int, str] = {}  # and what a search looks in, case-folded
        self.narrow = False  # the cells are those of a terminal under 80 columns
        self.shown_at = Size(0, 0)  # the screen's size when the table was last shown
        self.reader: ReaderScreen | None = None  # the reader opened from here
        # Every article in each order asked for, and the cell widths of each selection
        # shown, kept until the rows change: a sort or a filter then costs one pass.
        self.sorted: dict[str, list[dict]] = {}
        self.needs: dict[tuple, dict[str, list[int]]] = {}

    def compose(self) -> ComposeResult:
        yield Header(icon=self.app.glyphs.icon)
        yield Static(id="empty")
        yield ArticleTable(id="articles", ellipsis=self.app.glyphs.ellipsis)
        yield Static(id="filters")
        yield KeyLegend()

    def on_mount(self) -> None:
        self.load_articles()
        self.query_one(ArticleTable).focus()

    def on_resize(self) -> None:
        """A new width: new column widths, and new cells only across 80 columns."""
        if self.rows and self.narrow != (self.size.width < 80):
            kept = list(self.rows.values())
            self.rows, self.cells, self.widths, self.found_by = {}, {}, {}, {}
            self._take(kept)
        self.show_articles()

    def on_screen_resume(self) -> None:
        """Back from the reader: only the articles it opened are counted again. Back
        from a dialog or the help, the table stays as it is unless the terminal's size
        changed meanwhile (a dialog's own answer shows what it changes)."""
        if self.reader is not None:
            self._recount(sorted(self.reader.visited))
            self.reader = None
        elif self.size == self.shown_at:
            return
        self.show_articles()

    def load_articles(self) -> None:
        """Read every article's row from the database, then show them."""
        listed = articles.listing(self.app.store, self.app.annotator)
        self.rows, self.cells, self.widths, self.found_by = {}, {}, {}, {}
        self._take(listed)
        self.show_articles()

    def _recount(self, ids: list[int]) -> None:
        """Count `ids` again. Their rows change in place: the orders kept stay right,
        but the order by progress, and the selections' column widths."""
        table = self.query_one(ArticleTable)
        for row in articles.listing(self.app.store, self.app.annotator, ids):
            self.rows[row["id"]].update(row)
            self._keep_cells(self.rows[row["id"]])
            table.update_row(row["id"])
        self.sorted.pop("progress", None)
        self.needs = {}

    def _take(self, listed: list[dict]) -> None:
        """Keep each listed row with its cells, as drawn at this width."""
        self.narrow = self.size.width < 80
        self.sorted, self.needs = {}, {}
        for row in listed:
            self.rows[row["id"]] = row
            self._keep_cells(row)

    def _keep_cells(self, row: dict) -> None:
        cells = self.cells[row["id"]] = self._cells(row)
        self.widths[row["id"]] = {name: cell_len(text) for name, text in cells.items()}
        self.found_by[row["id"]] = f"{row['title']}\n{row['source'] or ''}".casefold()

    def _shown(self) -> list[dict]:
        """The articles shown: sorted, then filtered by language, progress and search."""
        rows = self.sorted.get(self.sort)
        if rows is None:
            rows = self.sorted[self.sort] = sorted(self.rows.values(), key=SORT_KEYS[self.sort])
        if self.language:
            rows = [r for r in rows if r["language"] == self.language]
        if self.progress == "unfinished":
            rows = [r for r in rows if r["decided"] < r["claims"]]
        elif self.progress == "finished":
            rows = [r for r in rows if r["decided"] == r["claims"]]
        if self.search:
            needle, found_by = self.search.casefold(), self.found_by
            rows = [r for r in rows if needle in found_by[r["id"]]]
        return rows

    def _cells(self, row: dict) -> dict[str, str]:
        """One article's cells, by column name. Every cell from the database is
        untrusted text: through the render guard, on one line."""
        state = self.app.glyphs.state
        counts = f"{row['decided']}/{row['claims']}"
        if not self.narrow:  # below 80 columns the title needs the room
            counts += (
                f" {state('verified')}{row['verified']} {state('disputed')}{row['disputed']}"
                f" {state('unsourced')}{row['unsourced']}"
            )
        values = {
            "#": row["id"],
            "Title": row["title"],
            "Date": row["published"],
            "Source": row["source"],
            "Lang": row["language"],
            "Claims": row["claims"],
            "Decided": counts,
        }
        return {name: cell(value).plain for name, value in values.items()}

    def _table_width(self, shown: int) -> int:
        """The cells the columns may fill: the screen's width, less the vertical
        scroll bar when `shown` rows are more than fit (the screen's height less the
        header, the table's header, the filters line and the key legend)."""
        table = self.query_one(ArticleTable)
        width = self.size.width
        if shown > self.size.height - 4:
            width -= table.styles.scrollbar_size_vertical
        return width

    def show_articles(self) -> None:
        """Show the articles the sort, filters and search select, from the rows kept."""
        table = self.query_one(ArticleTable)
        rows = self._shown()
        selection = (self.language, self.progress, self.search)
        needs = self.needs.get(selection)
        if needs is None:  # a column empty in the list shown goes
            shown = [self.widths[row["id"]] for row in rows]
            needs = self.needs[selection] = {
                name: [max((cells[name] for cells in shown), default=0)] for name in COLUMNS
            }
        widths = column_widths(needs, self._table_width(len(rows)))
        self.order_shown = [row["id"] for row in rows]
        self.shown_at = self.size
        table.show(widths, self.order_shown, self.cells)
        empty = self.query_one("#empty", Static)
        empty.display = not self.rows
        empty.update(
            plain(
                "No articles yet. Press s to open the sample corpus, or quit and run "
                "`factmark PATHS...` to import your own."
            )
        )
        table.display = bool(self.rows)
        # Only the filters in use, so the line fits a narrow terminal.
        parts = [f"{len(rows)}/{len(self.rows)} articles", f"sorted by {self.sort}"]
        if self.language:
            parts.append(f"language: {self.language}")
        if self.progress != "all":
            parts.append(f"progress: {self.progress}")
        if self.search:
            parts.append(f"search: {self.search}")
        self.filters_line = " " + f" {self.app.glyphs.dot} ".join(parts)
        self.show_waiting()

    def article_order(self) -> list[int]:
        """The ids of the articles as the table shows them now (sorted, filtered and
        searched): the order the reader's next and previous article follow."""
        return list(self.order_shown)

    def open_reader(self, article_id: int) -> None:
        """Open one article in the reader, which follows the library's current order."""
        from .reader import ReaderScreen  # loaded when first opened: a lighter start

        self.reader = ReaderScreen(article_id, order=self.article_order())
        self.app.push_screen(self.reader)

    def action_open_article(self) -> None:
        article_id = self.query_one(ArticleTable).cursor_article
        if article_id is not None:
            self.open_reader(article_id)

    def on_article_table_selected(self, event: ArticleTable.Selected) -> None:
        self.open_reader(event.article_id)

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.show_articles()

    def action_filter_language(self) -> None:
        languages = sorted({r["language"] for r in self.rows.values()})
        cycle = [None, *languages]
        self.language = cycle[(cycle.index(self.language) + 1) % len(cycle)]
        self.show_articles()

    def action_filter_progress(self) -> None:
        self.progress = PROGRESS[(PROGRESS.index(self.progress) + 1) % len(PROGRESS)]
        self.show_articles()

    def action_search(self) -> None:
        from .dialogs import LineDialog  # loaded when first asked for: a lighter start

        def apply(query: str | None) -> None:
            if query is not None:
                self.search = query
                self.show_articles()

        self.app.push_screen(
            LineDialog("Find articles by title or source", self.search, "empty shows all"),
            apply,
        )

    def action_load_sample(self) -> None:
        from factmark.store.ingest import import_paths  # the analysis loads only here

        def show(report) -> None:
            self.notify(report.summary(), markup=False)
            self.load_articles()

        self.save(
            lambda: import_paths(self.app.store, [str(self.app.sample)]),
            show,
            "the sample corpus",
        )

    def show_waiting(self) -> None:
        """The filters line says when the library waits for the database."""
        waiting = self.waiting_message
        line = self.filters_line if waiting is None else f" {waiting}"
        self.query_one("#filters", Static).update(plain(line, "" if waiting is None else "bold"))
