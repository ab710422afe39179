"""Finding a claim again in an edited article, as the W3C TextQuoteSelector does.

A claim is remembered by its exact text plus a little context either side. In the new
text we look for the exact quote (then, failing that, the same words with different
spacing), and where it occurs more than once the context decides. A claim is never
moved to a place that is only a guess: when two places fit equally well (and neither
is exactly where the quote was), or when the quote was repeated in the old text and
the place left fits no better than the other occurrence did, there is no place for it.
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass

CONTEXT_CHARS = 32
# The most places a quote is weighed at by its context: a quote found more often (a
# word or two in a long text) is placed only where its whole context occurs once.
# Weighing every place of "e" in a 450 KB text took 0.2 s a quote.
MAX_PLACES = 100


@dataclass(frozen=True)
class Quote:
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Place:
    """Where a quote was found: text[start:end], and how many characters of its
    context (prefix and suffix) agree with the text around it."""

    start: int
    end: int
    context: int


def quote(text: str, start: int, end: int) -> Quote:
    return Quote(
        text[start:end],
        text[max(0, start - CONTEXT_CHARS) : start],
        text[end : end + CONTEXT_CHARS],
    )


def locate(
    text: str, selector: Quote, hint: int | None = None, *, old_text: str | None = None
) -> tuple[int, int] | None:
    """Where `selector` is in `text` now, as (start, end), or None (see `find`)."""
    place = find(text, selector, hint, old_text=old_text)
    return None if place is None else (place.start, place.end)


def find(
    text: str, selector: Quote, hint: int | None = None, *, old_text: str | None = None
) -> Place | None:
    """The one place in `text` that fits `selector` best, or None when there is none.

    None when its words are no longer there; when several places fit equally well and
    none starts at `hint` (where the quote was: the text did not move there); and,
    given the `old_text` the quote was taken from, when the quote occurred more than
    once there and the best place fits its context no better than the other
    occurrence did (that lookalike is what is left), unless it starts at `hint`.
    Never raises.
    """
    spans = _candidates(text, selector)
    places = [Place(start, end, _context(text, start, end, selector)) for start, end in spans]
    if not places:
        return None
    best = max(place.context for place in places)
    tied = [place for place in places if place.context == best]
    if len(tied) > 1:
        tied = [place for place in tied if place.start == hint]
        if len(tied) != 1:
            return None
    (place,) = tied
    if old_text is None or place.start == hint:
        return place
    lookalike = _lookalike(old_text, selector)
    return None if lookalike is not None and place.context <= lookalike else place


def _candidates(text: str, selector: Quote) -> list[tuple[int, int]]:
    """The spans to weigh: the quote's exact places, else the same words spaced
    otherwise; past MAX_PLACES, only the one place its whole context marks, if any."""
    exact = selector.exact
    if exact and text.count(exact) > MAX_PLACES:
        whole = selector.prefix + exact + selector.suffix
        at = text.find(whole) if whole != exact else -1
        if at == -1 or text.find(whole, at + 1) != -1:
            return []
        start = at + len(selector.prefix)
        return [(start, start + len(exact))]
    return _exact(text, exact) or _loose(text, exact)


def _lookalike(old_text: str, selector: Quote) -> int | None:
    """How well the quote's best other occurrence in the text it was taken from fits
    its context; None if it occurred there once. (Its own occurrence fits best.) Past
    MAX_PLACES occurrences, a lookalike is taken to fit as well as can be."""
    if old_text.count(selector.exact) > MAX_PLACES:
        return len(selector.prefix) + len(selector.suffix)
    fits = sorted(
        (
            _context(old_text, start, end, selector)
            for start, end in _exact(old_text, selector.exact)
        ),
        reverse=True,
    )
    return fits[1] if len(fits) > 1 else None


def _context(text: str, start: int, end: int, selector: Quote) -> int:
    before = text[max(0, start - len(selector.prefix)) : start]
    after = text[end : end + len(selector.suffix)]
    return _common_suffix(before, selector.prefix) + _common_prefix(after, selector.suffix)


def _exact(text: str, exact: str) -> list[tuple[int, int]]:
    spans, at = [], text.find(exact)
    while at != -1 and exact:
        spans.append((at, at + len(exact)))
        at = text.find(exact, at + 1)
    return spans


def _loose(text: str, exact: str) -> list[tuple[int, int]]:
    """The same words, whatever the spacing between them (NBSP, line breaks...)."""
    words = exact.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(map(re.escape, words)))
    spans = [m.span() for m in itertools.islice(pattern.finditer(text), MAX_PLACES + 1)]
    return spans if len(spans) <= MAX_PLACES else []


def _common_prefix(a: str, b: str) -> int:
    return len(os.path.commonprefix([a, b]))  # noqa: RUF071 (characters are what we want)


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
