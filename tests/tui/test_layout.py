"""The reader's layout maths without Textual: cell widths, wrapping, text and display
offsets, overlays by bisection, and search offsets through case folding."""

from __future__ import annotations

import random

import pytest
from rich.cells import cell_len

from factmark.tui.find import find_all
from factmark.tui.layout import GLYPH_SLOT, Spans, cells, graphemes, is_narrow, paragraph, wrap

EMOJI_LINE = "skin 👍🏽 : la commune a dépensé exactement 9876543210 euros en 2023 pour skin fin."


@pytest.mark.parametrize(
    "text, at_least",
    [
        ("👍🏽", 4),  # tmux 3.3a draws the skin-tone modifier in cells of its own
        ("🧑🏻‍🔬", 4),
        ("👨‍👩‍👧", 2),
        ("☺️", 2),  # a text-style symbol made emoji by VS16
        ("✅❌⭐", 6),
        ("한국어", 6),
        ("e\u0301", 1),  # a combining accent takes no cell of its own
        ("שלום", 4),
        ("مرحبا", 5),
    ],
)
def test_a_width_is_never_less_than_what_a_terminal_draws(text: str, at_least: int) -> None:
    assert cells(text) >= at_least
    assert cells(text) >= cell_len(text)  # never under Rich's reading either


def test_plain_text_is_one_cell_a_character() -> None:
    assert cells("Le maire a dépensé 4 millions d’euros « en 2022 ».") == 50


@pytest.mark.parametrize(
    "text, narrow",
    [
        ("Le cœur de l’œuvre — 3 €", True),
        ("ÀÉÎÕÜ ÿ", True),
        ("a\tb", False),
        ("e\u0301", False),
        ("안녕", False),
        ("👍", False),
        ("\u200b", False),
    ],
)
def test_narrow_text_is_told_apart_from_text_that_needs_measuring(text: str, narrow: bool) -> None:
    assert is_narrow(text) is narrow
    if narrow:
        assert cell_len(text) == len(text)


def _rows(display: str, width: int) -> list[str]:
    return [display[a:b] for a, b in wrap(display, width)]


@pytest.mark.parametrize("width", [10, 23, 40, 68, 72, 80])
def test_no_wrapped_row_is_wider_than_the_terminal_and_no_character_is_lost(width: int) -> None:
    for display in (EMOJI_LINE, "Straße " * 40, "日本語の文章です。" * 12, "x" * 200 + " fin"):
        rows = _rows(display, width)
        assert "".join(rows) == display
        for row in rows:
            assert cells(row.rstrip(" ")) <= width, (row, width)


def test_the_emoji_case_keeps_2023_whole_at_72_columns() -> None:
    rows = _rows(GLYPH_SLOT + EMOJI_LINE, 72 - 2)  # the view's gutter takes 2 cells
    assert any("2023" in row for row in rows)
    assert all(not row.rstrip().endswith(("20", "202")) for row in rows)


def test_a_grapheme_is_never_split_between_rows() -> None:
    word = "🧑🏻‍🔬" * 30
    for a, b in wrap(word, 9):
        bounds = {g[0] for g in graphemes(word)} | {len(word)}
        assert a in bounds and b in bounds


def test_tabs_are_expanded_and_offsets_map_both_ways() -> None:
    text = "\tLe maire a dit\tbon.\n\t\tDeux tabulations."
    first = paragraph(text, 0, text.index("\n"), [1])
    assert "\t" not in first.display
    assert first.display.startswith("    " + GLYPH_SLOT + "Le maire")
    for offset in range(first.start, first.end + 1):
        shown = first.to_display(offset)
        assert first.to_text(shown) == offset
    # Each character drawn where it maps to.
    for offset in range(first.start, first.end):
        if text[offset] != "\t":
            assert first.display[first.to_display(offset)] == text[offset]
    second = paragraph(text, text.index("\n") + 1, len(text), [])
    row = _rows(second.display, 78)[0]
    assert cells(row) == len(row) and row.endswith("tabulations.")


def test_a_claim_glyph_belongs_to_its_claim() -> None:
    text = "Un. Deux trois."
    built = paragraph(text, 0, len(text), [0, 4])
    claim_start = built.to_display(4)
    assert built.display[claim_start - 2 : claim_start] == GLYPH_SLOT
    assert built.to_display(3, end=True) == 3 + 2  # the first claim ends before the glyph


def test_spans_answer_by_bisection_even_when_nested() -> None:
    spans = Spans([(0, 100), (10, 20), (30, 40), (150, 160)])
    assert spans.overlapping(15, 35) == [(0, 100), (10, 20), (30, 40)]
    assert spans.overlapping(100, 150) == []
    assert spans.overlapping(155, 156) == [(150, 160)]
    flat = Spans([(i * 10, i * 10 + 5) for i in range(100_000)])
    assert flat.overlapping(500_002, 500_013) == [(500_000, 500_005), (500_010, 500_015)]


@pytest.mark.parametrize(
    "text, query, found",
    [
        ("Die Straße und die STRASSE.", "strasse", ["Straße", "STRASSE"]),
        ("Die Straße und die STRASSE.", "ß", ["ß", "SS"]),
        ("Une ﬁnale, puis la finale.", "finale", ["ﬁnale", "finale"]),
        ("İstanbul et istanbul", "i̇stanbul", ["İstanbul"]),
        ("Ça coûte 3 € à Paris, ça coûte.", "ÇA COÛTE", ["Ça coûte", "ça coûte"]),
    ],
)
def test_search_highlights_the_characters_that_match(text: str, query: str, found: list) -> None:
    assert [text[a:b] for a, b in find_all(text, query)] == found


def test_search_offsets_always_cover_a_match_in_random_text() -> None:
    rng = random.Random(7)
    alphabet = "aßsSẞﬁfiİi̇ ΐ"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        query = "".join(rng.choice("sßfi") for _ in range(rng.randint(1, 3)))
        for a, b in find_all(text, query):
            assert query.casefold() in text[a:b].casefold()
            assert 0 <= a < b <= len(text)


def test_only_characters_of_the_basic_plane_grow_when_case_folded() -> None:
    # find.py maps offsets through growing characters of the BMP only.
    assert not [c for c in range(0x10000, 0x110000) if len(chr(c).casefold()) > 1]
