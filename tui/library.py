"""The library screen: every article, and how far the current annotator has got."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from factmark.store import articles
from factmark.store.ingest import import_paths

from .dialogs import LineDialog
from .reader import ReaderScreen
from .render import cell, plain
from .saving import Saving

SORTS = ("number", "title", "date", "progress")
PROGRESS = ("all", "unfinished", "finished")


class LibraryScreen(Saving, Screen[None]):
    BINDINGS = [
        Binding("enter", "open_article", "Open", id="library.open"),
        Binding("o", "sort", "Sort", id="library.sort"),
        Binding("f", "filter_language", "Language", id="library.filter_language"),
        Binding("t", "filter_progress", "Progress", id="library.filter_progress"),
        Binding("slash", "search", "Search", id="library.search"),
        Binding("s", "load_sample", "Sample corpus", id="library.sample", show=False),
        Binding("q", "app.quit", "Quit", id="library.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort = "number"
        self.language: str | None = None
        self.progress = "all"
        self.search = ""
        self.filters_line = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="empty")
        yield DataTable(id="articles", cursor_type="row", zebra_stripes=True)
        yield Static(id="filters")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_articles()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        self.refresh_articles()

    def _columns(self, table: DataTable) -> list[str]:
        """Fixed columns, and the title gets the rest of the width (at least 20 cells)."""
        fixed = {"#": 3, "Date": 10, "Source": 14, "Lang": 4, "Claims": 6, "Decided": 16}
        if self.size.width < 100:
            del fixed["Source"]
        spare = self.size.width - sum(fixed.values()) - 2 * (len(fixed) + 1) - 2
        table.clear(columns=True)
        columns = [("#", 3), ("Title", max(20, spare)), *list(fixed.items())[1:]]
        for name, width in columns:
            table.add_column(name, width=width, key=name)
        return [name for name, _ in columns]

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

    def refresh_articles(self) -> None:
        table = self.query_one(DataTable)
        selected = table.cursor_row
        names = self._columns(table)
        total = articles.listing(self.app.store, self.app.annotator)
        rows = self._rows(total)
        for row in rows:
            # Every cell from the database is untrusted text: through the render guard,
            # as rich Text (a plain str cell would be parsed as markup).
            cells = {
                "#": cell(row["id"]),
                "Title": cell(row["title"], overflow="ellipsis", no_wrap=True),
                "Date": cell(row["published"]),
                "Source": cell(row["source"], overflow="ellipsis", no_wrap=True),
                "Lang": cell(row["language"]),
                "Claims": cell(row["claims"]),
                "Decided": cell(
                    f"{row['decided']}/{row['claims']} ✓{row['verified']} "
                    f"✗{row['disputed']} ?{row['unsourced']}"
                ),
            }
            table.add_row(*(cells[name] for name in names), key=str(row["id"]))
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
        self.filters_line = (
            f" {len(rows)}/{len(total)} articles · sorted by {self.sort} · language: "
            f"{self.language or 'all'} · progress: {self.progress}"
            + (f" · search: {self.search}" if self.search else "")
        )
        self.show_waiting()

    def action_open_article(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.app.push_screen(ReaderScreen(int(key)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(ReaderScreen(int(event.row_key.value)))

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
