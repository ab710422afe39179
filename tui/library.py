"""The library screen: every article, with how far the current annotator has got."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from factmark.store import articles
from factmark.store.ingest import import_paths

from .reader import ReaderScreen


class LibraryScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "open_article", "Open", id="library.open"),
        Binding("s", "load_sample", "Sample corpus", id="library.sample"),
        Binding("q", "app.quit", "Quit", id="library.quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="empty")
        yield DataTable(id="articles", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "Title", "Date", "Lang", "Claims", "Decided")
        self.refresh_articles()

    def on_screen_resume(self) -> None:
        self.refresh_articles()

    def refresh_articles(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        rows = articles.listing(self.app.store, self.app.annotator)
        for row in rows:
            table.add_row(
                str(row["id"]),
                Text(row["title"]),  # a plain str cell would be parsed as markup
                row["published"] or "",
                row["language"],
                str(row["claims"]),
                f"{row['decided']}/{row['claims']}",
                key=str(row["id"]),
            )
        empty = self.query_one("#empty", Static)
        empty.display = not rows
        empty.update(
            "No articles yet. Press s to open the sample corpus, or quit and run "
            "`factmark PATHS...` to import your own."
        )
        table.display = bool(rows)

    def action_open_article(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.app.push_screen(ReaderScreen(int(key)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(ReaderScreen(int(event.row_key.value)))

    def action_load_sample(self) -> None:
        report = import_paths(self.app.store, [str(self.app.sample)])
        self.notify(report.summary(), markup=False)
        self.refresh_articles()
