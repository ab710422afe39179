"""Layout maths for the article view, without Textual: widths, display text, wrapping,
and text cut to fit (`shorten`).

An article paragraph is drawn as its *display* string: the text with a two-character
slot (a claim's state glyph and a no-break space) before each claim, and each tab
expanded to spaces. `Paragraph` maps offsets between the text and its display string
by bisection, so no look-up walks the paragraph.

Widths come from Rich's cell measurement (`rich.cells`). Terminals disagree about
emoji sequences: tmux 3.3a draws 👍🏽 (a skin-tone modifier) in 4 cells where Rich,
and terminals that cluster graphemes, count 2. A grapheme is therefore measured as the
wider of the two readings (Rich's, and code point by code point with a modifier as 2
cells), so a wrapped row never overfills a terminal: where the terminal clusters, the
row just ends a little early.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from rich.cells import cell_len, get_character_cell_size, split_graphemes

from factmark.corpus.safe_text import one_line

TAB = "    "  # a tab, drawn: terminals disagree on tab stops, spaces do not
GLYPH_SLOT = "o\u00a0"  # a claim's glyph and a no-break space, so it never wraps away
_EMOJI_MODIFIERS = range(0x1F3FB, 0x1F400)
ELLIPSIS = "…"  # the end of a text cut short


@lru_cache(maxsize=8192)
def _code_point_cells(char: str) -> int:
    """Cells one code point takes where the terminal does not cluster graphemes."""
    if ord(char) in _EMOJI_MODIFIERS:
        return 2
    return get_character_cell_size(char)


@lru_cache(maxsize=1)
def _not_narrow() -> re.Pattern[str]:
    """Any character that may not take exactly one cell: outside the ranges below
    U+3000 that Rich measures as one cell (everything from U+3000 on counts as not
    narrow, so the check is never wrong, only slower for East Asian text)."""
    ranges, start = [], None
    for code in range(0x20, 0x3000):
        narrow = _code_point_cells(chr(code)) == 1
        if narrow and start is None:
            start = code
        elif not narrow and start is not None:
            ranges.append((start, code - 1))
            start = None
    if start is not None:
        ranges.append((start, 0x2FFF))
    allowed = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[^{allowed}]")


_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def is_narrow(text: str) -> bool:
    """True when every character takes exactly one cell (most news text): then the
    width of any piece of `text` is its length."""
    try:
        text.encode("latin-1")  # fast, and every printable Latin-1 character is narrow
    except UnicodeEncodeError:
        return _not_narrow().search(text) is None
    return _CONTROLS.search(text) is None


def graphemes(text: str) -> list[tuple[int, int, int]]:
    """(start, end, cells) of each grapheme of `text`: what a row may not split."""
    spans, _ = split_graphemes(text)
    found = []
    for start, end, width in spans:
        piece = text[start:end]
        widest = max(width, sum(_code_point_cells(c) for c in piece)) if end - start > 1 else width
        found.append((start, end, widest))
    return found


def cells(text: str) -> int:
    """Terminal cells `text` takes, at most, on the terminals factmark is used in."""
    if text.isascii() and text.isprintable():
        return len(text)
    if is_narrow(text):
        return len(text)
    if "\t" in text:
        text = text.replace("\t", TAB)
    return sum(width for _, _, width in graphemes(text)) or cell_len(text)


def shorten(text: str, room: int, ellipsis: str = ELLIPSIS) -> str:
    """`text` as one safe line (cleaned, each run of white space one space) of at most
    `room` terminal cells (at least one): cut between two graphemes, with `ellipsis`
    (one cell or more) at the end, when it is longer."""
    text = one_line(text)
    room = max(room, 1)
    if cells(text) <= room:
        return text
    room, end = room - len(ellipsis), 0
    for _, stop, size in graphemes(text):
        if size > room:
            break
        room, end = room - size, stop
    return text[:end].rstrip() + ellipsis


@dataclass(slots=True)
class Paragraph:
    """One line of the article text, as drawn.

    `start`/`end` are offsets in the article text; `display` is what is drawn;
    `glyphs` the text offsets where a claim's glyph slot is inserted; `tabs` the text
    offsets of tab characters.
    """

    start: int
    end: int
    display: str = ""
    glyphs: list[int] = field(default_factory=list)
    tabs: list[int] = field(default_factory=list)

    def to_display(self, offset: int, *, end: bool = False) -> int:
        """A text offset as an offset in `display`. A claim's glyph belongs to the
        claim: a start (`end=False`) lands after the glyph inserted at it, an end
        before the glyph of the next claim."""
        glyphs = (bisect_left if end else bisect_right)(self.glyphs, offset)
        tabs = bisect_left(self.tabs, offset)
        return offset - self.start + len(GLYPH_SLOT) * glyphs + (len(TAB) - 1) * tabs

    def to_text(self, display_offset: int) -> int:
        """The first text offset drawn at or after `display_offset` (a glyph slot
        belongs to the claim after it)."""
        span = range(self.start, self.end + 1)
        return self.start + bisect_left(span, display_offset, key=self.to_display)


def paragraph(text: str, start: int, end: int, claim_starts: list[int]) -> Paragraph:
    """Build the display of text[start:end]; `claim_starts` sorted, all in the range."""
    line = text[start:end]
    glyphs = sorted(set(claim_starts))
    tabs = [start + i for i, char in enumerate(line) if char == "\t"] if "\t" in line else []
    display = displays(line, [offset - start for offset in glyphs])[0]
    return Paragraph(start, end, display, glyphs, tabs)


def displays(text: str, glyphs: list[int]) -> list[str]:
    """The display string of each line of `text` (as `text.split("\n")`): a glyph slot
    inserted at each offset of `glyphs` (sorted, unique, none at a newline) and tabs
    expanded. One join for the whole text, so a long article costs no Python work per
    line."""
    pieces, last = [], 0
    for offset in glyphs:
        pieces += (text[last:offset], GLYPH_SLOT)
        last = offset
    pieces.append(text[last:])
    joined = "".join(pieces)
    return (joined.replace("\t", TAB) if "\t" in text else joined).split("\n")


def wrap(display: str, width: int, *, narrow: bool = False) -> list[tuple[int, int]]:
    """Greedy word wrap of `display` into rows of at most `width` cells: each row as
    (start, end) offsets into `display`. Words break at ordinary spaces (so no-break
    spaces hold); a word wider than a row is folded between graphemes. `narrow`: the
    caller knows every character takes one cell (`is_narrow`)."""
    width = max(1, width)
    if narrow or is_narrow(display):
        return _wrap_narrow(display, width)
    rows: list[tuple[int, int]] = []
    start = used = 0
    for word_start, word_end in _words(display):
        word = display[word_start:word_end]
        size = cells(word.rstrip(" "))
        if used and used + size > width:
            rows.append((start, word_start))
            start, used = word_start, 0
        if size > width:  # fold the word between graphemes
            for g_start, _end, g_cells in graphemes(word):
                if used and used + g_cells > width:
                    rows.append((start, word_start + g_start))
                    start, used = word_start + g_start, 0
                used += g_cells
            continue
        used += cells(word)
    rows.append((start, len(display)))
    return rows


def _words(display: str) -> list[tuple[int, int]]:
    """Each word with the spaces after it, as (start, end); leading spaces alone."""
    spans, start, size = [], 0, len(display)
    while start < size:
        if display[start] == " ":
            end = start
            while end < size and display[end] == " ":
                end += 1
        else:
            space = display.find(" ", start)
            end = size if space == -1 else space
            while end < size and display[end] == " ":
                end += 1
        spans.append((start, end))
        start = end
    return spans


def _wrap_narrow(display: str, width: int) -> list[tuple[int, int]]:
    """Word wrap where every character takes one cell: one `rfind` per row."""
    rows, start, size = [], 0, len(display)
    while size - start > width:
        cut = display.rfind(" ", start, start + width + 1)
        following = cut + 1 if cut > start else start + width  # no space: fold the word
        rows.append((start, following))
        start = following
    rows.append((start, size))
    return rows


class Spans:
    """Sorted (start, end) spans, possibly nested, answering "which overlap [a, b)?"
    by bisection: the cost grows with the answer, not with the number of spans."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._set([a for a, _ in ordered], [b for _, b in ordered])

    @classmethod
    def from_sorted(cls, starts: list[int], ends: list[int]) -> Spans:
        """From columns already in order (`starts` sorted), kept as they are."""
        made = cls.__new__(cls)
        made._set(starts, ends)
        return made

    def _set(self, starts: list[int], ends: list[int]) -> None:
        self.starts, self.ends = starts, ends
        self.reach = list(accumulate(ends, max))  # the furthest end among the first i + 1

    def indexes(self, a: int, b: int) -> list[int]:
        """Indexes of the spans overlapping [a, b), in order."""
        found = []
        index = bisect_left(self.starts, b) - 1
        while index >= 0 and self.reach[index] > a:
            if self.ends[index] > a:
                found.append(index)
            index -= 1
        found.reverse()
        return found

    def overlapping(self, a: int, b: int) -> list[tuple[int, int]]:
        return [(self.starts[i], self.ends[i]) for i in self.indexes(a, b)]

    def __getitem__(self, index: int) -> tuple[int, int]:
        return self.starts[index], self.ends[index]

    def __len__(self) -> int:
        return len(self.starts)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.starts, self.ends, strict=True)


def row_containing(row_starts: list[tuple[int, int]], paragraph: int, offset: int) -> int:
    """The row (index into `row_starts`, sorted (paragraph, display start) pairs) that
    holds display offset `offset` of `paragraph`."""
    return max(0, bisect_right(row_starts, (paragraph, offset)) - 1)
