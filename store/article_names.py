"""How commands name an article: by the number the library shows, or by its title.

`4` and `004` are article 4; anything else is a title search: the articles whose title
contains it, case-insensitively, accents as typed (`trêve` finds "Fin de la Trêve",
`treve` does not).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from factmark.corpus.safe_text import one_line

from .errors import StoreError

if TYPE_CHECKING:
    from .database import Store

LISTED = 5  # matches named in the error for a search that matches several articles


@dataclass(frozen=True, slots=True)
class ArticleName:
    """An article's number (its id, as the library shows it) and title."""

    id: int
    title: str

    def label(self, shorten: Callable[[str], str] = one_line) -> str:
        """`5 "Fin de la trêve"`: the number and the title, made one safe line by
        `shorten` (which may also cut it to fit)."""
        return f'{self.id} "{shorten(self.title)}"'


class SeveralArticles(StoreError):
    """A title search that matches more than one article; `matches` holds them all,
    in number order."""

    def __init__(self, search: str, matches: list[ArticleName]) -> None:
        self.search = search
        self.matches = matches
        super().__init__(self.describe())

    def describe(self, shorten: Callable[[str], str] = one_line) -> str:
        """The error in one line, naming the first LISTED matches; titles through
        `shorten`."""
        named = ", ".join(m.label(shorten) for m in self.matches[:LISTED])
        more = len(self.matches) - LISTED
        return f'"{one_line(self.search)}" matches {len(self.matches)} articles: {named}' + (
            f" and {more} more" if more > 0 else ""
        )


def number(text: str) -> int | None:
    """The article number `text` names (`004` is 4), None if it is not a number.
    Raises StoreError for a number no article can have (0, or past SQLite's integers)."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    if not 0 < value < 2**63:
        raise StoreError(f"{text!r} is not an article number")
    return value


def matching(store: Store, search: str) -> list[ArticleName]:
    """Every article whose title, as the library shows it (one clean line), contains
    `search` (case-insensitive, accents as typed, both compared in NFC), in number
    order."""
    wanted = _comparable(one_line(search))
    rows = store.conn.execute("SELECT id, title FROM articles ORDER BY id")
    return [ArticleName(i, title) for i, title in rows if wanted in _comparable(one_line(title))]


def find(store: Store, name: str) -> ArticleName:
    """The article `name` names: a number, else the one title containing it.

    Raises StoreError when no article has that number or such a title, or the name is
    empty, and SeveralArticles (a StoreError) when several titles contain it."""
    text = one_line(name)
    if not text:
        raise StoreError("name an article by its number or part of its title")
    wanted = number(text)
    if wanted is not None:
        row = store.conn.execute("SELECT id, title FROM articles WHERE id = ?", [wanted]).fetchone()
        if row is None:
            raise StoreError(f"no article {wanted}")
        return ArticleName(row[0], row[1])
    found = matching(store, text)
    if not found:
        raise StoreError(f'no article has "{text}" in its title')
    if len(found) > 1:
        raise SeveralArticles(text, found)
    return found[0]


def _comparable(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()
