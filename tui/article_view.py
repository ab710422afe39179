"""The article view: the text, word-wrapped, with claims highlighted inline.

A line-based ScrollView (Toolong's model): each paragraph is wrapped once per width
and only the visible rows are rendered, from a cache. Long articles (1 MB, thousands
of claims) open in a fraction of a second and move from claim to claim without
re-rendering the whole text.

Every claim starts with a glyph giving its state, so states read without colour:
○ pending, ✓ verified, ✗ disputed, ? unsourced, · dismissed (ASCII on terminals
without those characters). The current claim is reversed and marked ▶ in the gutter.
Article text is only ever a rich `Text` built from plain strings: never markup.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .render import safe

UNICODE_GLYPHS = {
    "pending": "○",
    "verified": "✓",
    "disputed": "✗",
    "unsourced": "?",
    "dismissed": "·",
}
ASCII_GLYPHS = {
    "pending": "o",
    "verified": "+",
    "disputed": "x",
    "unsourced": "?",
    "dismissed": "-",
}
GUTTER = 2
# A claim's glyph and a no-break space: the glyph never wraps away from its claim.
_GLYPH_SLOT = "o\u00a0"
# Wide (CJK, emoji) and zero-width (combining, joiners) characters: the text needs
# measuring cell by cell.
_NOT_ONE_CELL = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u1100-\u115f"
    "\u200b-\u200f\u2028-\u202e\u2060-\u206f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff"
    "\ufe00-\ufe0f\ufe20-\ufe2f\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U0001f000-\U0001faff"
    "\U00020000-\U0003fffd\U000e0000-\U000e0fff]"
)
# Words break at ordinary spaces only, so no-break spaces (« guillemets ») hold too.
_WORD = re.compile(r"[^ ]+ *| +")
MUTED = frozenset({"title", "dateline", "label", "caption", "boilerplate", "source", "language"})


@dataclass
class Mark:
    """A claim as the view needs it: where it is and what state it is in."""

    id: int
    start: int
    end: int
    state: str


@dataclass
class _Paragraph:
    start: int  # offsets in the article text
    end: int
    display: str = ""  # the text with claim glyphs inserted
    inserts: list[int] = field(default_factory=list)  # text offsets where glyphs go


@dataclass(frozen=True)
class _Row:
    paragraph: int
    start: int  # offsets in the paragraph's display string
    end: int


@lru_cache(maxsize=4096)
def _cells(word: str) -> int:
    return cell_len(word)


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """Scrollable article text with claim highlights.

    Only vertical scrolling keys: left and right stay free for keymaps to use.
    """

    BINDINGS = [
        Binding("down", "scroll_down", "Scroll down", id="view.down", show=False),
        Binding("up", "scroll_up", "Scroll up", id="view.up", show=False),
        Binding("pagedown", "page_down", "Page down", id="view.page_down", show=False),
        Binding("pageup", "page_up", "Page up", id="view.page_up", show=False),
        Binding("home", "scroll_home", "Top", id="view.top", show=False),
        Binding("end", "scroll_end", "Bottom", id="view.bottom", show=False),
    ]

    COMPONENT_CLASSES = {
        "article-view--pending",
        "article-view--verified",
        "article-view--disputed",
        "article-view--unsourced",
        "article-view--dismissed",
        "article-view--current",
        "article-view--muted",
        "article-view--loaded",
        "article-view--match",
        "article-view--selection",
        "article-view--gutter",
    }
    DEFAULT_CSS = """
    /* The scrollbar always shows, so the wrap width never changes under the text. */
    ArticleView { background: $surface; overflow-y: scroll; }
    ArticleView > .article-view--pending { text-style: underline; }
    ArticleView > .article-view--verified { color: $success; text-style: bold; }
    ArticleView > .article-view--disputed { color: $error; text-style: bold italic; }
    ArticleView > .article-view--unsourced { color: $warning; text-style: italic underline; }
    ArticleView > .article-view--dismissed { text-style: dim strike; }
    ArticleView > .article-view--current { text-style: reverse bold; }
    ArticleView > .article-view--muted { text-style: dim; }
    ArticleView > .article-view--loaded { text-style: bold underline; color: $accent; }
    ArticleView > .article-view--match { background: $warning 60%; }
    ArticleView > .article-view--selection { text-style: reverse; color: $primary; }
    ArticleView > .article-view--gutter { color: $accent; text-style: bold; }
    """

    def __init__(self, ascii_glyphs: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.glyphs = ASCII_GLYPHS if ascii_glyphs else UNICODE_GLYPHS
        self.text = ""
        self.marks: list[Mark] = []
        self.current: int | None = None
        self.muted: list[tuple[int, int]] = []
        self.loaded: list[tuple[int, int]] = []
        self.show_loaded = False
        self.matches: list[tuple[int, int]] = []
        self.selection: tuple[int, int] | None = None
        self._paragraphs: list[_Paragraph] = []
        self._rows: list[_Row] = []
        self._row_starts: list[tuple[int, int]] = []  # (paragraph, display start) per row
        self._width = 0
        self._cache: dict[int, Strip] = {}
        self._mark_starts: list[int] = []
        self._by_id: dict[int, Mark] = {}
        self._paragraph_starts: list[int] = []

    # --- content -----------------------------------------------------------------

    def load(self, text: str, marks: list[Mark], regions: list[dict]) -> None:
        """Show a new article: its text, claims and regions (dimmed when not body)."""
        self.text = safe(text)  # stored text is clean already; the render guard again
        self.marks = sorted(marks, key=lambda m: (m.start, m.end))
        self._by_id = {m.id: m for m in self.marks}
        self.muted = [(r["start"], r["end"]) for r in regions if r["kind"] in MUTED]
        self.loaded = [(r["start"], r["end"]) for r in regions if r["kind"] == "loaded"]
        self.current = None
        self.matches, self.selection = [], None
        self._layout(force=True)
        self.scroll_to(0, 0, animate=False)

    def update_marks(self, marks: list[Mark]) -> None:
        """New states (a verdict, a dismissal) or new claims; relayout only if needed."""
        relayout = [(m.start, m.end) for m in marks] != [(m.start, m.end) for m in self.marks]
        self.marks = sorted(marks, key=lambda m: (m.start, m.end))
        self._by_id = {m.id: m for m in self.marks}
        self._mark_starts = [m.start for m in self.marks]
        if relayout:
            self._layout(force=True)
        self._refresh_rows()

    def set_current(self, claim_id: int | None) -> None:
        """Move the highlight: only the rows of the old and new current claim change."""
        for mark in (self.mark(self.current), self.mark(claim_id)):
            if mark is not None and self._rows:
                for row in range(
                    self.row_of(mark.start), self.row_of(max(mark.start, mark.end - 1)) + 1
                ):
                    self._cache.pop(row, None)
        self.current = claim_id
        self.refresh()
        mark = self.mark(claim_id)
        if mark is not None:
            self.scroll_to_offset(mark.start, mark.end)

    def set_overlay(
        self,
        *,
        show_loaded: bool | None = None,
        matches: list[tuple[int, int]] | None = None,
        selection: tuple[int, int] | bool | None = False,
    ) -> None:
        """Loaded words, search matches and the add-claim selection, drawn on top."""
        if show_loaded is not None:
            self.show_loaded = show_loaded
        if matches is not None:
            self.matches = matches
        if selection is not False:
            self.selection = selection  # type: ignore[assignment]
        self._refresh_rows()

    def mark(self, claim_id: int | None) -> Mark | None:
        return self._by_id.get(claim_id) if claim_id is not None else None

    # --- layout ------------------------------------------------------------------

    def _layout(self, force: bool = False) -> None:
        if not self.scrollable_content_region.width:
            return  # not laid out on screen yet: on_resize will come
        width = max(10, self.scrollable_content_region.width - GUTTER)
        if not force and width == self._width:
            return
        self._width = width
        starts = self._mark_starts = [m.start for m in self.marks]
        self._paragraphs, self._rows, self._row_starts = [], [], []
        position = 0
        for line in self.text.split("\n"):
            paragraph = _Paragraph(position, position + len(line))
            lo, hi = bisect_left(starts, paragraph.start), bisect_left(starts, paragraph.end)
            paragraph.inserts = sorted(set(starts[lo:hi]))
            paragraph.display = self._display(line, paragraph)
            index = len(self._paragraphs)
            self._paragraphs.append(paragraph)
            for a, b in self._wrap(paragraph.display, width):
                self._rows.append(_Row(index, a, b))
                self._row_starts.append((index, a))
            position += len(line) + 1
        self._paragraph_starts = [p.start for p in self._paragraphs]
        self._cache.clear()
        self.virtual_size = Size(width + GUTTER, len(self._rows))
        self.refresh()

    def _display(self, line: str, paragraph: _Paragraph) -> str:
        pieces, last = [], paragraph.start
        for offset in paragraph.inserts:
            pieces.append(line[last - paragraph.start : offset - paragraph.start])
            pieces.append(_GLYPH_SLOT)
            last = offset
        pieces.append(line[last - paragraph.start :])
        return "".join(pieces)

    @staticmethod
    def _wrap(display: str, width: int) -> list[tuple[int, int]]:
        """Greedy word wrap by terminal cells; exact offsets into `display`."""
        if len(display) <= width and not _NOT_ONE_CELL.search(display):
            return [(0, len(display))]
        if not _NOT_ONE_CELL.search(display):
            return _wrap_narrow(display, width)
        if _cells(display) <= width:
            return [(0, len(display))]
        rows, start, used = [], 0, 0
        for m in _WORD.finditer(display):
            word = m.group(0)
            size = _cells(word.rstrip(" ")) if word.strip(" ") else 0
            if used and used + size > width:
                rows.append((start, m.start()))
                start, used = m.start(), 0
            while size > width:  # a word longer than a line: fold it
                cut = start + width
                rows.append((start, cut))
                start, size = cut, _cells(display[cut : m.end()].rstrip(" "))
            used += _cells(display[max(start, m.start()) : m.end()])
        rows.append((start, len(display)))
        return rows

    def _to_display(self, paragraph: _Paragraph, offset: int, *, end: bool = False) -> int:
        """A text offset as an offset in the paragraph's display string."""
        inserted = (bisect_left if end else bisect_right)(paragraph.inserts, offset)
        return offset - paragraph.start + 2 * inserted

    def row_of(self, offset: int) -> int:
        """The row showing text offset `offset`."""
        index = bisect_right(self._paragraph_starts, offset) - 1
        paragraph = self._paragraphs[max(0, index)]
        display = self._to_display(paragraph, offset)
        return max(0, bisect_right(self._row_starts, (max(0, index), display)) - 1)

    def scroll_to_offset(self, start: int, end: int | None = None) -> None:
        """Bring text[start:end] into view (its start at least), with context above."""
        if not self._rows:
            return
        first = self.row_of(start)
        last = self.row_of(max(start, (end or start) - 1))
        top, height = round(self.scroll_offset.y), self.scrollable_content_region.height
        if not (top <= first and last < top + height):
            room = max(0, height - (last - first + 1))
            self.scroll_to(y=max(0, first - min(room, max(1, height // 4))), animate=False)

    def on_resize(self) -> None:
        self._layout()

    # --- rendering ---------------------------------------------------------------

    def _refresh_rows(self) -> None:
        self._cache.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row_index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if row_index >= len(self._rows):
            return Strip.blank(width, base)
        strip = self._cache.get(row_index)
        if strip is None:
            strip = self._render_row(row_index, base)
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[row_index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"article-view--{name}", partial=True)

    def _render_row(self, row_index: int, base: Style) -> Strip:
        row = self._rows[row_index]
        paragraph = self._paragraphs[row.paragraph]
        marks = self._marks_in(paragraph)
        chars = list(paragraph.display[row.start : row.end])
        spans: list[tuple[int, int, Style]] = []  # display offsets, painted in order
        in_current = False

        def text_span(a: int, b: int) -> tuple[int, int]:
            a, b = max(a, paragraph.start), min(b, paragraph.end)
            return self._to_display(paragraph, a), self._to_display(paragraph, b, end=True)

        for a, b in _overlapping(self.muted, paragraph.start, paragraph.end):
            spans.append((*text_span(a, b), self._style("muted")))
        for mark in marks:
            glyph_at = self._to_display(paragraph, mark.start) - 2
            end = self._to_display(paragraph, mark.end, end=True)
            if row.start <= glyph_at < row.end:
                chars[glyph_at - row.start] = self.glyphs.get(mark.state, "?")
            spans.append((glyph_at, end, self._style(mark.state)))
            if mark.id == self.current:
                spans.append((glyph_at, end, self._style("current")))
                in_current = in_current or (glyph_at < row.end and end > row.start)
        if self.show_loaded:
            for a, b in _overlapping(self.loaded, paragraph.start, paragraph.end):
                spans.append((*text_span(a, b), self._style("loaded")))
        for a, b in _overlapping(self.matches, paragraph.start, paragraph.end):
            spans.append((*text_span(a, b), self._style("match")))
        if self.selection:
            for a, b in _overlapping([self.selection], paragraph.start, paragraph.end):
                spans.append((*text_span(a, b), self._style("selection")))

        # No-break spaces are drawn as spaces: some terminals and fonts show nothing.
        line = Text("".join(chars).replace("\u00a0", " "), style=base, no_wrap=True, end="")
        for a, b, style in spans:
            a, b = max(a, row.start), min(b, row.end)
            if a < b:
                line.stylize(style, a - row.start, b - row.start)
        marker = "▶ " if in_current else "  "
        gutter = Segment(marker, self._style("gutter") if in_current else base)
        # Every segment needs a style: filters such as NO_COLOR's monochrome expect one.
        segments = [Segment(t, style or base) for t, style, _ in line.render(self.app.console)]
        return Strip([gutter, *segments])

    def _marks_in(self, paragraph: _Paragraph) -> list[Mark]:
        """The claims that start in a paragraph (claims never cross a line break)."""
        starts = self._mark_starts
        lo, hi = bisect_left(starts, paragraph.start), bisect_left(starts, paragraph.end)
        return self.marks[lo:hi]


def _wrap_narrow(display: str, width: int) -> list[tuple[int, int]]:
    """Word wrap for text where every character takes one cell (most news text):
    one `rfind` per row instead of a look at every word."""
    rows, start, size = [], 0, len(display)
    while size - start > width:
        cut = display.rfind(" ", start, start + width + 1)
        following = cut + 1 if cut > start else start + width  # no space: fold the word
        rows.append((start, following))
        start = following
    rows.append((start, size))
    return rows


def _overlapping(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The spans (sorted by start) that overlap [start, end)."""
    hi = bisect_left(spans, (end, end))
    return [(a, b) for a, b in spans[:hi] if b > start]
