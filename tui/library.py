"""The library screen: every article, and how far the current annotator has got."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from factmark.store import articles
from factmark.store.ingest import import_paths

from .dialogs import LineDialog
from .key_legend import KeyLegend
from .reader import ReaderScreen
from .render import cell, plain
from .saving import Saving

SORTS = ("number", "title", "date", "progress")
PROGRESS = ("all", "unfinished", "finished")

# The table's columns, left to right. Title and Source share what the others leave.
COLUMNS = ("#", "Title", "Date", "Source", "Lang", "Claims", "Decided")
ALWAYS = frozenset({"#", "Title"})  # kept even when every cell is empty
SOURCE_MAX = 20  # cells: a source is a name, not a sentence
TITLE_WITH_SOURCE = 40  # the source shows when the title still gets this many cells,
WIDE = 100  # or on a terminal this wide,
TITLE_MIN_WIDE = 24  # as long as the title keeps this many
TITLE_MIN = 10
PADDING = 2  # a DataTable column's cell padding, both sides


def column_widths(cells: dict[str, Sequence[str]], width: int) -> list[tuple[str, int]]:
    """[(column name, content width)...] for a table `width` cells wide.

    `cells` maps each column of `COLUMNS` to its plain cell texts in every row. A column
    (other than # and Title) with no text in any row is dropped; every column but Title
    and Source is as wide as its widest cell or header; Source is shown, at most
    `SOURCE_MAX` wide, only when there is room for it (the title keeps
    `TITLE_WITH_SOURCE` cells, or `TITLE_MIN_WIDE` on a terminal `WIDE` or wider); the
    title gets the rest, at least `TITLE_MIN`.

    >>> column_widths({"#": ["7"], "Title": ["A title"], "Date": [""]}, 30)
    [('#', 1), ('Title', 25)]
    """

    def need(name: str) -> int:
        return max([cell_len(name), *(cell_len(text) for text in cells.get(name, ()))])

    present = [
        name
        for name in COLUMNS
        if name in cells and (name in ALWAYS or any(text for text in cells[name]))
    ]
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


RICH_ELLIPSIS = "…"  # what rich draws for a Text with overflow="ellipsis"


def clipped(value: object, width: int, ellipsis: str) -> Text:
    """A one-line cell (through the render guard) drawn at most `width` cells wide and
    cut short with `ellipsis`, the app's own glyph: where that is rich's "…" the cell
    keeps its whole text and rich cuts it; otherwise (ASCII mode, "...") the text is
    cut here, so rich never draws a "…"."""
    if ellipsis == RICH_ELLIPSIS:
        return cell(value, no_wrap=True, overflow="ellipsis")
    text = cell(value, no_wrap=True, overflow="crop")
    if text.cell_len > width:
        text.truncate(max(0, width - cell_len(ellipsis)), overflow="crop")
        text.append(ellipsis)
        text.truncate(width, overflow="crop")
    return text


class LibraryScreen(Saving, Screen[None]):
    # The table takes the height the header, filters line and legend leave (auto
    # height would push the screen into scrolling once the rows outnumber the lines).
    DEFAULT_CSS = """
    LibraryScreen > DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("enter", "open_article", "Open", id="library.open"),
        Binding("o", "sort", "Sort", id="library.sort"),
        Binding("f", "filter_language", "Language", id="library.filter_language"),
        Binding("t", "filter_progress", "Progress", id="library.filter_progress"),
        Binding("slash", "search", "Search", id="library.search"),
        Binding("s", "load_sample", "Sample corpus", id="library.sample", show=False),
        Binding("q", "app.quit", "Quit", id="library.quit"),
    ]
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

    def compose(self) -> ComposeResult:
        yield Header(icon=self.app.glyphs.icon)
        yield Static(id="empty")
        yield DataTable(id="articles", cursor_type="row", zebra_stripes=True)
        yield Static(id="filters")
        yield KeyLegend()

    def on_mount(self) -> None:
        self.refresh_articles()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        self.refresh_articles()

    def on_screen_resume(self) -> None:
        self.refresh_articles()

    def _rows(self, rows: list[dict]) -> list[dict]:
        """The articles shown: filtered by language, progress and search, then sorted."""
        if self.language:
            rows = [r for r in rows if r["language"] == self.language]
        if self.progress == "unfinished":
            rows = [r for r in rows if r["decided"] < r["claims"]]
        elif self.progress == "finished":
            rows = [r for r in rows if r["decided"] == r["claims"]]
        if self.search:
            needle = self.search.casefold()
            rows = [
                r
                for r in rows
                if needle in r["title"].casefold() or needle in (r["source"] or "").casefold()
            ]
        key = {
            "number": lambda r: r["id"],
            "title": lambda r: r["title"].casefold(),
            "date": lambda r: r["published"] or "",
            "progress": lambda r: r["decided"] / r["claims"] if r["claims"] else 1.0,
        }[self.sort]
        return sorted(rows, key=key)

    def _cells(self, row: dict) -> dict[str, Text]:
        """One article's cells, by column name. Every cell from the database is
        untrusted text: through the render guard, as rich Text (a plain str cell would
        be parsed as markup)."""
        state = self.app.glyphs.state
        return {
            "#": cell(row["id"]),
            "Title": cell(row["title"]),
            "Date": cell(row["published"]),
            "Source": cell(row["source"]),
            "Lang": cell(row["language"]),
            "Claims": cell(row["claims"]),
            # Below 80 columns the title needs the room: how far, without the split.
            "Decided": cell(
                f"{row['decided']}/{row['claims']}"
                if self.size.width < 80
                else f"{row['decided']}/{row['claims']} {state('verified')}{row['verified']} "
                f"{state('disputed')}{row['disputed']} {state('unsourced')}{row['unsourced']}"
            ),
        }

    def _table_width(self, shown: int) -> int:
        """The cells the columns may fill: the screen's width, less the vertical
        scroll bar when `shown` rows are more than fit (the screen's height less the
        header, the table's header, the filters line and the key legend)."""
        table = self.query_one(DataTable)
        width = self.size.width
        if shown > self.size.height - 4:
            width -= table.styles.scrollbar_size_vertical
        return width

    def refresh_articles(self) -> None:
        table = self.query_one(DataTable)
        selected = table.cursor_row
        total = articles.listing(self.app.store, self.app.annotator)
        rows = self._rows(total)
        every = {row["id"]: self._cells(row) for row in total}
        shown = [every[row["id"]] for row in rows]  # a column empty in the list shown goes
        widths = column_widths(
            {name: [cells[name].plain for cells in shown] for name in COLUMNS},
            self._table_width(len(rows)),
        )
        table.clear(columns=True)
        for name, width in widths:
            table.add_column(name, width=width, key=name)
        ellipsis = self.app.glyphs.ellipsis
        for row in rows:
            cells = every[row["id"]]
            table.add_row(
                *(clipped(cells[name].plain, width, ellipsis) for name, width in widths),
                key=str(row["id"]),
            )
        self.order_shown = [row["id"] for row in rows]
        if rows:
            table.move_cursor(row=min(selected, len(rows) - 1))
        empty = self.query_one("#empty", Static)
        empty.display = not total
        empty.update(
            plain(
                "No articles yet. Press s to open the sample corpus, or quit and run "
                "`factmark PATHS...` to import your own."
            )
        )
        table.display = bool(total)
        # Only the filters in use, so the line fits a narrow terminal.
        parts = [f"{len(rows)}/{len(total)} articles", f"sorted by {self.sort}"]
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
        self.app.push_screen(ReaderScreen(article_id, order=self.article_order()))

    def action_open_article(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.open_reader(int(key))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_reader(int(event.row_key.value))

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.refresh_articles()

    def action_filter_language(self) -> None:
        languages = sorted({r["language"] for r in articles.listing(self.app.store)})
        cycle = [None, *languages]
        self.language = cycle[(cycle.index(self.language) + 1) % len(cycle)]
        self.refresh_articles()

    def action_filter_progress(self) -> None:
        self.progress = PROGRESS[(PROGRESS.index(self.progress) + 1) % len(PROGRESS)]
        self.refresh_articles()

    def action_search(self) -> None:
        def apply(query: str | None) -> None:
            if query is not None:
                self.search = query
                self.refresh_articles()

        self.app.push_screen(
            LineDialog("Find articles by title or source", self.search, "empty shows all"),
            apply,
        )

    def action_load_sample(self) -> None:
        def show(report) -> None:
            self.notify(report.summary(), markup=False)
            self.refresh_articles()

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
