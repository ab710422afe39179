"""Finding a claim again in an edited article, as the W3C TextQuoteSelector does.

A claim is remembered by its exact text plus a little context either side. In the new
text we look for the exact quote (then, failing that, the same words with different
spacing), and where it occurs more than once the context decides, then nearness to
where it was.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class Quote:
    exact: str
    prefix: str
    suffix: str


def quote(text: str, start: int, end: int) -> Quote:
    return Quote(
        text[start:end],
        text[max(0, start - CONTEXT_CHARS) : start],
        text[end : end + CONTEXT_CHARS],
    )


def locate(text: str, selector: Quote, hint: int = 0) -> tuple[int, int] | None:
    """Where `selector` is in `text` now, or None if its words are no longer there."""
    spans = _exact(text, selector.exact) or _loose(text, selector.exact)
    if not spans:
        return None

    def fit(span: tuple[int, int]) -> tuple[int, int]:
        before = text[max(0, span[0] - len(selector.prefix)) : span[0]]
        after = text[span[1] : span[1] + len(selector.suffix)]
        context = _common_suffix(before, selector.prefix) + _common_prefix(after, selector.suffix)
        return context, -abs(span[0] - hint)

    return max(spans, key=fit)


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
    return [m.span() for m in pattern.finditer(text)]


def _common_prefix(a: str, b: str) -> int:
    return len(os.path.commonprefix([a, b]))  # noqa: RUF071 (characters are what we want)


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
