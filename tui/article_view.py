"""The article view: the text, word-wrapped, with claims highlighted inline.

A line-based ScrollView (Toolong's model): each paragraph is wrapped once per width
(`layout.wrap`) and only the visible rows are rendered, from a cache. Every look-up
(the row of an offset, the claims and overlays on a row) is a bisection, so a key costs
the same on a one-line 10 MB article as on a short one; a verdict redraws only the rows
of its claim.

Every claim starts with a glyph giving its state, so states read without colour (see
glyphs.py). The current claim is reversed and marked in the gutter, and is kept on
screen: after a load, a move or a resize the view scrolls to it; when the reader
scrolls it out of view, the view offers the first claim in view instead
(`ClaimInView`). Article text is only ever a rich `Text` built from plain strings:
never markup.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from factmark.corpus.vocabulary import NON_BODY, OTHER_LANGUAGE

from . import bindings
from .glyphs import UNICODE, Glyphs
from .layout import (
    GLYPH_SLOT,
    Paragraph,
    Spans,
    displays,
    is_narrow,
    paragraph,
    row_containing,
    wrap,
)
from .render import safe

GUTTER = 2
MUTED = NON_BODY | {OTHER_LANGUAGE}  # drawn dim: not body text, or in another language
CACHE_ROWS = 2000


@dataclass
class Mark:
    """A claim as the view needs it: where it is and what state it is in."""

    id: int
    start: int
    end: int
    state: str


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """Scrollable article text with claim highlights.

    Only vertical scrolling keys: left and right stay free for keymaps to use.
    """

    class ClaimInView(Message):
        """The reader scrolled the current claim out of view; `claim_id` is the first
        claim in view, to become current in place of `instead_of`, the claim the view
        showed as current when it scrolled (if another claim has become current since,
        the offer is stale)."""

        def __init__(self, claim_id: int, instead_of: int) -> None:
            super().__init__()
            self.claim_id = claim_id
            self.instead_of = instead_of

    BINDINGS = bindings.VIEW

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
    ArticleView > .article-view--match { background: $warning 60%; text-style: underline; }
    ArticleView > .article-view--selection { text-style: reverse; color: $primary; }
    ArticleView > .article-view--gutter { color: $accent; text-style: bold; }
    """

    def __init__(self, glyphs: Glyphs = UNICODE, **kwargs) -> None:
        super().__init__(**kwargs)
        self.glyphs = glyphs
        self.text = ""
        # The claims, in text order, as parallel columns (claims never overlap).
        self._ids: list[int] = []
        self._states: list[str] = []
        self._index: dict[int, int] = {}  # claim id -> position in the columns
        self.current: int | None = None
        self.muted = Spans([])
        self.loaded = Spans([])
        self.show_loaded = False
        self._placing = False  # the program is scrolling, not the reader
        self.matches = Spans([])
        self.selection: tuple[int, int] | None = None
        self._spans = Spans([])  # the claims' (start, end), in the columns' order
        # Each line of the text as drawn (layout.displays), its text offset, and the
        # text offsets of the claims' glyph slots; a line's Paragraph (its offset maps)
        # is built when it is drawn or looked up.
        self._displays: list[str] = []
        self._paragraph_starts: list[int] = []
        self._glyphs: list[int] = []
        self._built: dict[int, Paragraph] = {}
        self._rows: list[tuple[int, int]] = []  # (paragraph, display start) per row
        self._width = 0
        self._cache: dict[int, Strip] = {}
        self._styles: dict[str, Style] = {}
        self._narrow = True  # every character of the text takes one cell

    # --- content -----------------------------------------------------------------

    def load(
        self,
        text: str,
        claims: tuple[list[int], list[int], list[int], list[str]],
        regions: list,
    ) -> None:
        """Show a new article: its text, its claims as columns (ids, starts, ends,
        states; in text order) and regions (dimmed when not body).

        `regions` are mappings with start, end and kind (store.articles.StoredRegion).
        """
        # Every character one cell wide: then so is every paragraph, as displayed.
        self._narrow = is_narrow(text.replace("\n", " "))
        # Stored text is clean already; the render guard again, which a narrow text
        # passes as it is (it has no control or zero-width character).
        self.text = text if self._narrow else safe(text)
        ids, starts, ends, states = claims
        self._ids, self._states = list(ids), list(states)
        self._spans = Spans.from_sorted(list(starts), list(ends))
        self._index = dict(zip(self._ids, range(len(self._ids)), strict=True))
        self.muted = Spans([(r["start"], r["end"]) for r in regions if r["kind"] in MUTED])
        self.loaded = Spans([(r["start"], r["end"]) for r in regions if r["kind"] == "loaded"])
        self.current = None
        self.matches, self.selection = Spans([]), None
        lines = self.text.split("\n")
        self._paragraph_starts = [0, *accumulate(len(line) + 1 for line in lines[:-1])]
        size = len(self.text)  # an orphan's offsets may lie past the text: no glyph
        self._glyphs = [
            start for start in dict.fromkeys(starts) if start < size and self.text[start] != "\n"
        ]
        self._displays = displays(self.text, self._glyphs)
        self._built = {}
        self._layout(force=True)
        self.scroll_to(0, 0, animate=False, immediate=True)

    def set_state(self, claim_id: int, state: str) -> None:
        """A claim's new state (a verdict, a dismissal): only its rows are redrawn."""
        index = self._index.get(claim_id)
        if index is not None and self._states[index] != state:
            self._states[index] = state
            self._forget_rows(self.mark(claim_id))

    def add_mark(self, mark: Mark) -> None:
        """A new claim: only its paragraph is laid out again."""
        at = bisect_left(self._spans.starts, mark.start)
        self._ids.insert(at, mark.id)
        self._states.insert(at, mark.state)
        starts, ends = self._spans.starts, self._spans.ends
        starts.insert(at, mark.start)
        ends.insert(at, mark.end)
        self._spans = Spans.from_sorted(starts, ends)
        self._index = dict(zip(self._ids, range(len(self._ids)), strict=True))
        index = self._paragraph_of(mark.start)
        self._glyphs.insert(bisect_left(self._glyphs, mark.start), mark.start)
        self._built.pop(index, None)
        self._displays[index] = self._paragraph(index).display
        if self._width:
            first = row_containing(self._rows, index, 0)
            last = first
            while last < len(self._rows) and self._rows[last][0] == index:
                last += 1
            display = self._displays[index]
            new = [(index, a) for a, _ in wrap(display, self._width, narrow=self._narrow)]
            self._rows[first:last] = new
            self._cache.clear()
            self.virtual_size = Size(self._width + GUTTER, len(self._rows))
            self.refresh()

    def set_current(self, claim_id: int | None, *, scroll: bool = True) -> None:
        """Move the highlight (only the old and new claim's rows are redrawn) and,
        unless `scroll` is False (the claim is in view already, where the reader
        scrolled), bring the claim on screen with the text around it."""
        before = self.mark(self.current)
        self.current = claim_id
        for mark in (before, self.mark(claim_id)):
            if mark is not None:
                self._forget_rows(mark)
        if scroll:
            self.show_current()

    def show_current(self) -> None:
        mark = self.mark(self.current)
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
            self.matches = Spans(matches)
        if selection is not False:
            self.selection = selection  # type: ignore[assignment]
        self._cache.clear()
        self.refresh()

    def mark(self, claim_id: int | None) -> Mark | None:
        """Where a claim is and its state (None for an unknown claim)."""
        index = self._index.get(claim_id) if claim_id is not None else None
        if index is None:
            return None
        start, end = self._spans[index]
        return Mark(claim_id, start, end, self._states[index])  # type: ignore[arg-type]

    # --- geometry ----------------------------------------------------------------

    def _paragraph_of(self, offset: int) -> int:
        return max(0, bisect_right(self._paragraph_starts, offset) - 1)

    def _paragraph(self, index: int) -> Paragraph:
        """Line `index` of the text with its offset maps (kept for the last lines
        used)."""
        built = self._built.get(index)
        if built is None:
            start = self._paragraph_starts[index]
            following = index + 1
            end = (
                self._paragraph_starts[following] - 1
                if following < len(self._paragraph_starts)
                else len(self.text)
            )
            lo, hi = _between(self._glyphs, start, end)
            built = paragraph(self.text, start, end, self._glyphs[lo:hi])
            if len(self._built) > CACHE_ROWS:
                self._built.clear()
            self._built[index] = built
        return built

    def row_of(self, offset: int) -> int:
        """The row showing text offset `offset`."""
        if not self._rows:
            return 0
        index = self._paragraph_of(offset)
        display = self._paragraph(index).to_display(offset)
        return row_containing(self._rows, index, display)

    def visible_rows(self) -> range:
        top = round(self.scroll_offset.y)
        return range(top, top + self.scrollable_content_region.height)

    def is_visible(self, claim_id: int | None) -> bool:
        """True when the claim's first row is on screen."""
        mark = self.mark(claim_id)
        return mark is not None and self.row_of(mark.start) in self.visible_rows()

    def scroll_to_offset(self, start: int, end: int | None = None) -> None:
        """Bring text[start:end] on screen (its first row at least), with a quarter of
        the view of text above it."""
        if not self._rows or not self._width:
            return  # not laid out yet: the layout scrolls to the current claim
        first = self.row_of(start)
        last = self.row_of(max(start, (end or start) - 1))
        visible = self.visible_rows()
        if first in visible and last in visible:
            return
        height = len(visible)
        room = max(0, height - (last - first + 1))
        # Placed by the program, not scrolled by the reader: the current claim stays.
        self._placing = True
        try:
            self.scroll_to(
                y=max(0, first - min(room, max(1, height // 4))), animate=False, immediate=True
            )
        finally:
            self._placing = False

    def fits(self, start: int, end: int) -> bool:
        """Whether text[start:end] fits in the view's height (before it is laid out:
        False)."""
        if not self._rows or not self._width:
            return False
        rows = self.row_of(max(start, end - 1)) - self.row_of(start) + 1
        return rows <= len(self.visible_rows())

    def top_offset(self) -> int:
        """The text offset at the top of the view."""
        top = self.visible_rows().start
        if not self._rows or top >= len(self._rows):
            return 0
        index, display = self._rows[top]
        return self._paragraph(index).to_text(display)

    def first_claim_in_view(self) -> int | None:
        """The id of the first claim whose first row is on screen (None if none)."""
        visible = self.visible_rows()
        at = bisect_left(self._spans.starts, self.top_offset())
        if at < len(self._ids) and self.row_of(self._spans.starts[at]) in visible:
            return self._ids[at]
        return None

    # --- layout ------------------------------------------------------------------

    def _layout(self, force: bool = False) -> None:
        if not self.scrollable_content_region.width:
            return  # not on screen yet: on_resize will come
        width = max(10, self.scrollable_content_region.width - GUTTER)
        if not force and width == self._width:
            return
        self._width = width
        narrow = self._narrow
        self._rows = [
            (index, a)
            for index, display in enumerate(self._displays)
            for a, _ in wrap(display, width, narrow=narrow)
        ]
        self._cache.clear()
        self.virtual_size = Size(width + GUTTER, len(self._rows))
        self.refresh()
        # Laid out at a new width: the current claim is on screen again once the new
        # size is in force.
        self.call_after_refresh(self.show_current)

    def on_resize(self) -> None:
        self._layout()
        self.call_after_refresh(self.show_current)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._placing:
            return
        if self.current is not None and self._rows and not self.is_visible(self.current):
            claim_id = self.first_claim_in_view()
            if claim_id is not None:
                self.post_message(self.ClaimInView(claim_id, self.current))

    # --- rendering ---------------------------------------------------------------

    def _forget_rows(self, mark: Mark) -> None:
        """Draw a claim's rows again, and only those."""
        if self._rows:
            first, last = self.row_of(mark.start), self.row_of(mark.end - 1)
            for row in range(first, last + 1):
                self._cache.pop(row, None)
            self.refresh_lines(first, last - first + 1)

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
            if len(self._cache) > CACHE_ROWS:
                self._cache.clear()
            self._cache[row_index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _style(self, name: str) -> Style:
        """A component class's style, looked up once per theme or CSS change (the
        look-up is a tenth of a millisecond; a row needs several)."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(
                f"article-view--{name}", partial=True
            )
        return style

    def notify_style_update(self) -> None:
        """The theme or CSS changed: styles and drawn rows are looked up again."""
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    def _render_row(self, row_index: int, base: Style) -> Strip:
        index, start = self._rows[row_index]
        p = self._paragraph(index)
        following = row_index + 1
        end = (
            self._rows[following][1]
            if following < len(self._rows) and self._rows[following][0] == index
            else len(p.display)
        )
        text_start, text_end = p.to_text(start), p.to_text(end)
        chars = list(p.display[start:end])
        spans: list[tuple[int, int, Style]] = []  # display offsets, painted in order
        in_current = False

        def on_row(a: int, b: int) -> tuple[int, int]:
            a, b = max(a, p.start), min(b, p.end)
            return p.to_display(a), p.to_display(b, end=True)

        for a, b in self.muted.overlapping(text_start, text_end):
            spans.append((*on_row(a, b), self._style("muted")))
        for at in self._spans.indexes(text_start, text_end + 1):
            mark_start, mark_end = self._spans[at]
            if not p.start <= mark_start <= p.end:
                continue  # an orphan's offsets lie past the text
            state = self._states[at]
            glyph_at = p.to_display(mark_start) - len(GLYPH_SLOT)
            mark_end = p.to_display(min(mark_end, p.end), end=True)
            if start <= glyph_at < end:
                chars[glyph_at - start] = self.glyphs.state(state)
            spans.append((glyph_at, mark_end, self._style(state)))
            if self._ids[at] == self.current:
                spans.append((glyph_at, mark_end, self._style("current")))
                in_current = in_current or (glyph_at < end and mark_end > start)
        overlays = [self.matches, *([self.loaded] if self.show_loaded else [])]
        for name, found in zip(("match", "loaded"), overlays, strict=False):
            for a, b in found.overlapping(text_start, text_end):
                spans.append((*on_row(a, b), self._style(name)))
        if self.selection:
            a, b = self.selection
            if a < text_end and b > text_start:
                spans.append((*on_row(a, b), self._style("selection")))

        # No-break spaces are drawn as spaces: some terminals and fonts show nothing.
        line = Text("".join(chars).replace("\u00a0", " "), style=base, no_wrap=True, end="")
        for a, b, style in spans:
            a, b = max(a, start), min(b, end)
            if a < b:
                line.stylize(style, a - start, b - start)
        marker = f"{self.glyphs.current} " if in_current else "  "
        gutter = Segment(marker, self._style("gutter") if in_current else base)
        # Every segment needs a style: filters such as NO_COLOR's monochrome expect one.
        segments = [Segment(t, style or base) for t, style, _ in line.render(self.app.console)]
        return Strip([gutter, *segments])


def _between(starts: list[int], start: int, end: int) -> tuple[int, int]:
    """The index range of `starts` (sorted) in [start, end)."""
    return bisect_left(starts, start), bisect_left(starts, end)
