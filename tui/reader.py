"""The reader screen: one article's text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from factmark.corpus.safe_text import clean
from factmark.store import articles


class ReaderScreen(Screen[None]):
    BINDINGS = [Binding("q", "app.pop_screen", "Back", id="reader.back")]

    def __init__(self, article_id: int) -> None:
        super().__init__()
        self.article_id = article_id

    def compose(self) -> ComposeResult:
        article = articles.get(self.app.store, self.article_id) or {"title": "", "text": ""}
        yield Header()
        with VerticalScroll(id="article"):
            # Content, never markup: article text is untrusted and shows literally.
            yield Static(Content(clean(article["text"])), id="text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#article").focus()
