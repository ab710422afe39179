"""Case-insensitive search that answers in offsets of the original text.

Case folding can change a text's length (`"Straße".casefold()` is `"strasse"`, `"ﬁ"`
folds to `"fi"`), so offsets found in the folded text are mapped back through the
characters that grew. No character folds to nothing, and only characters of the Basic
Multilingual Plane grow; a text without any folds to the same length and maps
one to one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache


@lru_cache(maxsize=1)
def _growing() -> re.Pattern[str]:
    """The characters whose case folding is longer than one character."""
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000]
    return re.compile("[" + re.escape("".join(c for c in chars if len(c.casefold()) > 1)) + "]")


def find_all(text: str, query: str) -> list[tuple[int, int]]:
    """Every non-overlapping case-insensitive match of `query` in `text`, as
    (start, end) offsets of `text` that cover whole characters."""
    needle = query.casefold()
    if not needle:
        return []
    folded = text.casefold()
    found, at = [], folded.find(needle)
    while at != -1:
        found.append((at, at + len(needle)))
        at = folded.find(needle, at + len(needle))
    if len(folded) == len(text):
        return found
    # Folded offset -> original offset: each growing character shifts what follows.
    folded_at, extra = [], []  # where each growing character starts in `folded`
    grown = 0
    for match in _growing().finditer(text):
        folded_at.append(match.start() + grown)
        grown += len(match.group().casefold()) - 1
        extra.append(grown)

    def original(offset: int, end: bool) -> int:
        index = bisect_right(folded_at, offset - (1 if end else 0)) - 1
        if index < 0:
            return offset
        start_of_char = folded_at[index]
        before = extra[index - 1] if index else 0
        width = extra[index] - before + 1  # folded length of that character
        if offset < start_of_char + width or (end and offset <= start_of_char + width):
            # inside (or at the end of) a grown character: cover it whole
            char = start_of_char - before
            return char + 1 if end else char
        return offset - extra[index]

    return [(original(a, False), original(b, True)) for a, b in found]
