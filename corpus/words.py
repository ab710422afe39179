"""The words of a text, found once and shared by every pass that reads them.

Language votes, cue lists, verb tenses and attribution all look at the same tokens;
tokenising once per article, with the per-token work left to the regex engine,
is what lets detection read more than a megabyte of text per second in Python.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

# A word starts with a letter and may hold apostrophes and hyphens: "aujourd'hui",
# "a-t-il", "l'ambassade". Curly apostrophes are read as straight ones.
_TOKEN = re.compile(r"[^\W\d_][\w'-]*")
_ELIDED = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)'(?=\w)")


def lowered(text: str) -> str:
    """`text` in lower case with straight apostrophes, the same length as `text`, so
    that positions in one are positions in the other ("İ" lowers to two characters)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low.replace("’", "'")


def bare(word: str) -> str:
    """A French word without its elided article or pronoun: "l'ambassade" -> "ambassade"."""
    return _ELIDED.sub("", word) if "'" in word else word


class Words:
    """Lower-case word tokens of a text and where each starts."""

    __slots__ = ("starts", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        matches = list(_TOKEN.finditer(lowered(text)))
        self.starts = [m.start() for m in matches]
        self.words = [m.group() for m in matches]

    def within(self, start: int, end: int) -> list[str]:
        """The tokens that start in text[start:end]."""
        return self.words[bisect_left(self.starts, start) : bisect_left(self.starts, end)]

    def end_of(self, position: int) -> int:
        """Where the token holding `position` ends."""
        i = bisect_right(self.starts, position) - 1
        return self.starts[i] + len(self.words[i]) if i >= 0 else position
