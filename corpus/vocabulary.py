"""The verdicts a reader gives a claim and the states a claim is in, defined once.

The store keeps a verdict by its `name`; the app shows its `meaning`, and draws each
state with its glyph, or its ASCII glyph on a plain terminal.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    """One verdict: `name` as stored and exported, `meaning` in words a student
    understands, `glyph` and `ascii_glyph` as drawn beside a claim."""

    name: str
    meaning: str
    glyph: str
    ascii_glyph: str


VERDICTS = (
    Verdict("verified", "a reliable source confirms it", "✓", "+"),
    Verdict("disputed", "reliable sources contradict it", "✗", "x"),
    # "unsourced" judges the sourcing, not the truth: no adequate source given or found.
    Verdict("unsourced", "no adequate source given or found", "?", "?"),
)
VERDICT_NAMES = tuple(verdict.name for verdict in VERDICTS)

# A claim's state: pending until a verdict, one of the verdicts, or dismissed (not a
# claim, in the reader's judgement). State -> (glyph, ASCII glyph).
PENDING, DISMISSED = "pending", "dismissed"
STATE_GLYPHS = {
    PENDING: ("○", "o"),
    **{verdict.name: (verdict.glyph, verdict.ascii_glyph) for verdict in VERDICTS},
    DISMISSED: ("·", "-"),
}
STATES = tuple(STATE_GLYPHS)

# The kinds of region ingestion marks in an article's text: what is not body text
# (never a claim, drawn muted), a heading inside the body (never a claim), and a
# paragraph in another language than the article's (read in its own language).
NON_BODY = frozenset({"title", "dateline", "byline", "label", "caption", "boilerplate", "source"})
HEADING = "heading"
OTHER_LANGUAGE = "language"
