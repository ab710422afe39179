"""Every symbol the app draws, in Unicode and in plain ASCII.

A terminal without those characters (`TERM=linux`, `vt100`..., or `--ascii`) gets the
ASCII set: no screen the app draws then holds a byte outside ASCII except the
articles' own text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from factmark.corpus.vocabulary import PENDING, STATE_GLYPHS

# Terminals whose fonts or character sets lack the Unicode symbols.
PLAIN_TERMINALS = frozenset({"linux", "vt100", "vt102", "vt220", "vt52", "dumb", "ansi"})


@dataclass(frozen=True)
class Glyphs:
    """One set of symbols: a claim's state, the current-claim marker, separators."""

    states: dict[str, str] = field(
        default_factory=lambda: {state: glyph for state, (glyph, _) in STATE_GLYPHS.items()}
    )
    current: str = "▶"  # in the gutter, beside the current claim's rows
    ellipsis: str = "…"  # text cut short
    dot: str = "·"  # between items on one line
    arrow: str = "→"  # one change to the next, in a history
    more: str = "▼"  # the panel holds more than it shows
    icon: str = "⭘"  # the header's

    def state(self, name: str | None) -> str:
        return self.states.get(name or PENDING, "?")


UNICODE = Glyphs()
ASCII = Glyphs(
    states={state: plain for state, (_, plain) in STATE_GLYPHS.items()},
    current=">",
    ellipsis="...",
    dot="|",
    arrow="->",
    more="v",
    icon="*",
)


def wants_ascii(term: str | None, asked: bool = False) -> bool:
    """ASCII symbols when asked (`--ascii`) or when `term` ($TERM) is a plain terminal."""
    return asked or (term or "") in PLAIN_TERMINALS


def glyphs_for(ascii_only: bool) -> Glyphs:
    return ASCII if ascii_only else UNICODE


def glyphs_of(app: object) -> Glyphs:
    """The symbols `app` draws with (ASCII in ASCII mode); Unicode for another app."""
    glyphs = getattr(app, "glyphs", None)
    return glyphs if isinstance(glyphs, Glyphs) else UNICODE
