"""The key legend, the help screen and the library at 80x24 first (and 60x20, 40
columns), with and without ASCII glyphs: what a user reads on the terminal."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from rich.cells import cell_len, get_character_cell_size
from textual.app import App, ComposeResult
from textual.screen import Screen

from factmark.store import articles
from factmark.store.database import Store
from factmark.store.ingest import import_paths
from factmark.tui import library, reader
from factmark.tui.app import FactmarkApp
from factmark.tui.article_table import ArticleTable
from factmark.tui.glyphs import UNICODE
from factmark.tui.help import HelpScreen
from factmark.tui.key_legend import (
    KeyLegend,
    bindings_by_id,
    fit,
    key_display,
    keys_display,
    legend_items,
)
from factmark.tui.library import LibraryScreen
from factmark.tui.reader import ReaderScreen
from tests.helpers import SAMPLE

READER_LEGEND = ReaderScreen.LEGEND
LONG_TITLE = (
    "Article {n:02}: the regional council of the northern provinces announced a sweeping "
    "reform of its transport budget"
)
BODY = (
    "The council said on Tuesday that 4,500 new buses would be bought by 2026. "
    "The minister of transport, Anne Martin, said the plan cost 300 million euros.\n"
)


# --- reading the terminal ----------------------------------------------------------

_TEXT = re.compile(
    r'<text [^>]*?x="([\d.]+)"[^>]*?textLength="([\d.]+)"'
    r'[^>]*?clip-path="url\(#[^"]*-line-(\d+)\)"[^>]*>(.*?)</text>'
)


def screen_lines(app: App) -> list[str]:
    """The terminal's rows as text, read from the app's SVG screenshot (each character
    in the cells it takes; a wide character's second cell is dropped)."""
    width, height = app.size
    rows: list[list[str]] = [[" "] * width for _ in range(height)]
    for x, length, y, escaped in _TEXT.findall(app.export_screenshot()):
        text = html.unescape(escaped).replace("\xa0", " ")
        column = round(float(x) / (float(length) / len(text)))
        for char in text:
            if column < width:
                rows[int(y)][column] = char
                for extra in range(1, get_character_cell_size(char)):
                    if column + extra < width:
                        rows[int(y)][column + extra] = ""
            column += get_character_cell_size(char)
    return ["".join(row).rstrip() for row in rows]


def words(lines: list[str]) -> str:
    """The lines as one string, every run of white space and box border one space."""
    return " ".join(re.sub(r"[│|]", " ", "\n".join(lines)).split())


def non_ascii(lines: list[str]) -> set[str]:
    return {char for line in lines for char in line if not char.isascii()}


# --- databases ---------------------------------------------------------------------


def write_articles(folder: Path, count: int, front: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, count + 1):
        title = LONG_TITLE.format(n=n)
        # Quoted: the title holds ": ", which YAML would read as a mapping.
        (folder / f"{n:02}.md").write_text(f'---\ntitle: "{title}"\n{front}---\n\n{BODY}')
    return folder


def imported(db: Path, *paths: Path) -> Path:
    with Store.open(db) as store:
        report = import_paths(store, [str(path) for path in paths])
        assert not report.refused
    return db


@pytest.fixture
def long_db(db_path: Path, tmp_path: Path) -> Path:
    """30 articles with long ASCII titles, and no date or source at all."""
    return imported(db_path, write_articles(tmp_path / "long", 30))


def make_app(db: Path, **kwargs) -> FactmarkApp:
    return FactmarkApp(db, "tester", SAMPLE, **kwargs)


# --- the key legend: the maths -------------------------------------------------------


def reader_legend(keymap: dict[str, str] | None = None, ascii_only: bool = False):
    bindings = bindings_by_id([ReaderScreen, FactmarkApp])
    return legend_items(bindings, READER_LEGEND, keymap, ascii_only)


def test_legend_at_80_columns_shows_the_verdicts_undo_and_help() -> None:
    # 80 columns, less the legend's one-cell left padding.
    items, last = reader_legend()
    line = fit(items, 79, last)
    assert line.startswith("1 Verified  2 Disputed  3 Unsourced  z Undo  ")
    assert line.endswith("  ? Help")
    assert cell_len(line) <= 79


def test_legend_at_40_columns_keeps_the_three_verdicts_and_the_help_key() -> None:
    items, last = reader_legend()
    line = fit(items, 39, last)
    assert line == "1 Verified  2 Disputed  3 Unsourced  ?"


@pytest.mark.parametrize("width", range(0, 121))
def test_legend_never_overflows_and_never_cuts_an_item(width: int) -> None:
    items, last = reader_legend()
    whole = {f"{key} {label}" for key, label in [*items, last]} | {last[0]}
    line = fit(items, width, last)
    assert cell_len(line) <= width
    shown = line.split("  ") if line else []
    assert all(item in whole for item in shown), shown
    if width >= 1:
        assert shown[-1] in (f"{last[0]} {last[1]}", last[0])  # help always, always last
    # Priority order: what is shown is the first items, none skipped.
    labelled = [f"{key} {label}" for key, label in items]
    assert shown[:-1] == labelled[: max(0, len(shown) - 1)]


def test_legend_shows_the_key_bound_now_as_typed() -> None:
    items, last = reader_legend({"reader.undo": "ctrl+z,z", "app.help": "f1,question_mark"})
    assert ("ctrl+z", "Undo") in items
    assert last == ("f1", "Help")
    assert ("1", "Verified") in items  # the first of "1,v"


@pytest.mark.parametrize(
    "key, shown, ascii_shown",
    [
        ("question_mark", "?", "?"),
        ("slash", "/", "/"),
        ("right_square_bracket", "]", "]"),
        ("left_square_bracket", "[", "["),
        ("space", "space", "space"),
        ("ctrl+q", "ctrl+q", "ctrl+q"),
        ("escape", "esc", "esc"),
        ("shift+right", "shift+→", "shift+right"),
        ("enter", "⏎", "enter"),
    ],
)
def test_keys_are_shown_as_typed(key: str, shown: str, ascii_shown: str) -> None:
    assert key_display(key) == shown
    assert key_display(key, ascii_only=True) == ascii_shown
    assert ascii_shown.isascii()


def test_a_binding_with_several_keys_shows_each() -> None:
    assert keys_display("question_mark,f1") == ["?", "f1"]


# --- the key legend: the widget ------------------------------------------------------


class LegendScreen(Screen[None]):
    """The reader's bindings and legend, without the reader."""

    BINDINGS = ReaderScreen.BINDINGS
    LEGEND = READER_LEGEND

    def compose(self) -> ComposeResult:
        yield KeyLegend()


class LegendApp(App[None]):
    BINDINGS = FactmarkApp.BINDINGS
    glyphs = UNICODE
    keymap: dict[str, str] = {}

    def on_mount(self) -> None:
        self.push_screen(LegendScreen())


async def test_legend_widget_fits_80_then_40_columns_after_a_resize() -> None:
    app = LegendApp()
    async with app.run_test(size=(80, 24)) as pilot:
        bottom = screen_lines(app)[-1]
        for item in ("1 Verified", "2 Disputed", "3 Unsourced", "z Undo"):
            assert item in bottom
        assert bottom.endswith("? Help")
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        assert screen_lines(app)[-1] == " 1 Verified  2 Disputed  3 Unsourced  ?"


# --- the library -------------------------------------------------------------------


def library_cells(titles: list[str], sources: list[str], dates: list[str]) -> dict:
    """The widths of the cells of a library with these titles, sources and dates."""
    count = len(titles)
    texts = {
        "#": [str(n) for n in range(1, count + 1)],
        "Title": titles,
        "Date": dates,
        "Source": sources,
        "Lang": ["fr"] * count,
        "Claims": ["17"] * count,
        "Decided": ["0/17 ✓0 ✗0 ?0"] * count,
    }
    return {name: [cell_len(text) for text in column] for name, column in texts.items()}


def test_column_widths_give_the_title_the_rest_and_the_source_room_when_there_is() -> None:
    cells = library_cells(["A title " * 10] * 3, ["FRENCH PRESS TV", "", ""], ["", "", ""])
    narrow = dict(library.column_widths(cells, 80))
    assert "Date" not in narrow and "Source" not in narrow  # no date; no room for a source
    assert narrow["#"] == 1 and narrow["Claims"] == len("Claims")
    assert sum(narrow.values()) + 2 * len(narrow) == 80  # the title takes the rest
    wide = dict(library.column_widths(cells, 120))
    assert wide["Source"] == len("FRENCH PRESS TV") and wide["Title"] >= 40
    assert sum(wide.values()) + 2 * len(wide) == 120


def test_column_widths_of_an_empty_library() -> None:
    widths = library.column_widths(library_cells([], [], []), 80)
    assert [name for name, _ in widths] == ["#", "Title"]


def header(app: App) -> str:
    return next(line for line in screen_lines(app) if " Title " in line)


async def test_library_gives_long_titles_the_width_at_80x24(long_db: Path) -> None:
    app = make_app(long_db)
    async with app.run_test(size=(80, 24)):
        shown = "\n".join(screen_lines(app))
        # 27 cells before: the title now gets what the other columns leave.
        assert LONG_TITLE.format(n=1)[:40] in shown
        assert app.screen.query_one(ArticleTable).max_scroll_x == 0  # nothing off screen


async def test_library_drops_columns_no_article_fills(long_db: Path) -> None:
    app = make_app(long_db)
    async with app.run_test(size=(120, 30)):
        columns = header(app).split()
        assert columns == ["#", "Title", "Lang", "Claims", "Decided"]


async def test_library_shows_the_source_when_there_is_room(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=(120, 30)) as pilot:
        assert "Source" in header(app) and "Date" in header(app)
        assert "FRENCH PRESS TV" in "\n".join(screen_lines(app))
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "Source" not in header(app) and "Date" in header(app)
        assert "FRENCH PRESS TV" not in "\n".join(screen_lines(app))
        # The title has what the other columns leave: more than the 27 cells it had.
        assert "2e anniversaire de l'assassinat" in "\n".join(screen_lines(app))


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_library_needs_no_sideways_scrolling(sample_db: Path, size) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=size):
        table = app.screen.query_one(ArticleTable)
        assert table.max_scroll_x == 0
        assert "0/17" in "\n".join(screen_lines(app))  # the last column, on screen
        assert screen_lines(app)[-1].rstrip().endswith("? Help")


async def test_library_legend_shows_open_search_and_help(sample_db: Path) -> None:
    app = make_app(sample_db, ascii_glyphs=True)
    async with app.run_test(size=(80, 24)):
        bottom = screen_lines(app)[-1]
        assert bottom.startswith(" enter Open  / Search  o Sort")
        assert bottom.endswith("? Help")


async def test_legend_and_help_show_the_keymap_in_use(sample_db: Path) -> None:
    keymap = {"library.search": "ctrl+f", "app.help": "f1,question_mark"}
    app = make_app(sample_db, keymap=keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        bottom = screen_lines(app)[-1]
        assert "ctrl+f Search" in bottom and "/ Search" not in bottom
        assert bottom.endswith("f1 Help")
        await pilot.press("f1")
        assert re.search(r"library\s+ctrl\+f\s+Search", "\n".join(screen_lines(app)))
        assert re.search(r"anywhere\s+f1\s+\?\s+Help", "\n".join(screen_lines(app)))


class OpenedReader(Screen[None]):
    """Stands in for the reader: remembers what the library opened it with."""

    def __init__(self, article_id: int, order: list[int] | None = None) -> None:
        super().__init__()
        self.article_id = article_id
        self.order = order
        self.visited = {article_id}


async def test_library_hands_its_order_and_filter_to_the_reader(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "ReaderScreen", OpenedReader)  # the library opens it by name
    app = make_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        with Store.open(sample_db, readonly=True) as store:
            rows = articles.listing(store)
        by_title = [r["id"] for r in sorted(rows, key=lambda r: r["title"].casefold())]
        await pilot.press("o")  # sorted by title
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert screen.article_order() == by_title
        await pilot.press("enter")
        assert isinstance(app.screen, OpenedReader)
        assert app.screen.article_id == by_title[0] and app.screen.order == by_title
        app.pop_screen()
        await pilot.press("slash", *"Résistance", "enter")
        matching = [
            i for i in by_title if "Résistance" in next(r for r in rows if r["id"] == i)["title"]
        ]
        assert len(matching) == 2 and screen.article_order() == matching
        await pilot.press("down", "enter")
        assert app.screen.article_id == matching[1] and app.screen.order == matching


async def test_library_in_ascii_draws_ascii_only(long_db: Path) -> None:
    app = make_app(long_db, ascii_glyphs=True)  # ASCII titles: the whole screen is ASCII
    async with app.run_test(size=(80, 24)):
        lines = screen_lines(app)
        assert non_ascii(lines) == set()
        assert "0/2 +0 x0 ?0" in "\n".join(lines)  # Decided, in the ASCII glyphs
        assert "..." in "\n".join(lines)  # titles cut short with the ASCII ellipsis


async def test_library_in_ascii_draws_nothing_but_the_titles_outside_ascii(
    sample_db: Path,
) -> None:
    app = make_app(sample_db, ascii_glyphs=True)
    async with app.run_test(size=(120, 30)):
        with Store.open(sample_db, readonly=True) as store:
            titles = "".join(r["title"] for r in articles.listing(store))
        assert non_ascii(screen_lines(app)) <= set(titles)


# --- the help screen -----------------------------------------------------------------


async def help_lines(app: FactmarkApp, pilot) -> tuple[list[str], list[str], list[str]]:
    """(every line seen while paging through the help, its first screen, its last)."""
    await pilot.press("question_mark")
    assert isinstance(app.screen, HelpScreen)
    first = screen_lines(app)
    seen, last = list(first), first
    for _ in range(10):
        if "below" not in words(last):
            break
        await pilot.press("pagedown")
        await pilot.pause()
        last = screen_lines(app)
        seen += last
    return seen, first, last


async def test_help_at_80x24_shows_keys_as_typed_and_cuts_nothing(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        seen, first, last = await help_lines(app, pilot)
        text = "\n".join(seen)
        for name in ("question_mark", "slash", "right_square_bracket", "left_square_bracket"):
            assert name not in text
        for row in (
            r"anywhere\s+\?\s+f1\s+Help",
            r"library\s+/\s+Search",
            r"reader\s+/\s+Search",
            r"reader\s+\]\s+Next article",
            r"reader\s+\[\s+Prev article",
            r"reader\s+space\s+Next pending",
            r"anywhere\s+ctrl\+q\s+Quit",
            r"anywhere\s+ctrl\+p\s+Every action by name",
        ):
            assert re.search(row, text), row
        # Every row whole: its place, then its action in full, on one line.
        for context, _keys, description in app.binding_table():
            pattern = rf"^\W*{re.escape(context)}\s.*\s{re.escape(description)}(\s|$)"
            assert any(re.search(pattern, line) for line in seen), (context, description)
        # The glyph legend wraps whole.
        assert (
            "Claims start with their state: ○ pending, ✓ verified, ✗ disputed, ? unsourced, "
            "· dismissed (o + x ? - on plain terminals). ▶ marks the current claim."
        ) in words(first)
        # Rows below the fold are announced, and the end says so too.
        assert "more rows below" in words(first)
        assert "more rows above" in words(last) and "below" not in words(last)
        await pilot.press("question_mark")
        assert not isinstance(app.screen, HelpScreen)  # ? closes it again


async def test_help_at_60x20_cuts_nothing(sample_db: Path) -> None:
    app = make_app(sample_db)
    async with app.run_test(size=(60, 20)) as pilot:
        seen, first, _ = await help_lines(app, pilot)
        for context, _keys, description in app.binding_table():
            pattern = rf"^\W*{re.escape(context)}\s.*\s{re.escape(description)}(\s|$)"
            assert any(re.search(pattern, line) for line in seen), (context, description)
        assert "▶ marks the current claim." in words(first)


async def test_help_in_ascii_draws_ascii_only(long_db: Path) -> None:
    app = make_app(long_db, ascii_glyphs=True)
    async with app.run_test(size=(80, 24)) as pilot:
        seen, first, _ = await help_lines(app, pilot)
        assert non_ascii(seen) == set()
        assert (
            "Claims start with their state: o pending, + verified, x disputed, ? unsourced, "
            "- dismissed. > marks the current claim."
        ) in words(first)
        assert re.search(r"library\s+enter\s+Open", "\n".join(seen))
        assert "up/down" in words(first)


# --- snapshots ---------------------------------------------------------------------


@pytest.fixture
def snapshot_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # A relative database path, so the path shown on screen is the same in every run.
    monkeypatch.chdir(tmp_path)
    return imported(Path("snapshot.db"), write_articles(Path("long"), 30))


@pytest.mark.parametrize("ascii_glyphs", [False, True], ids=["unicode", "ascii"])
def test_library_with_long_titles_snapshot(snap_compare, snapshot_db: Path, ascii_glyphs) -> None:
    app = make_app(snapshot_db, ascii_glyphs=ascii_glyphs)
    assert snap_compare(app, terminal_size=(80, 24))


def test_help_in_ascii_snapshot(snap_compare, snapshot_db: Path) -> None:
    app = make_app(snapshot_db, ascii_glyphs=True)
    assert snap_compare(app, press=["question_mark"], terminal_size=(80, 24))
