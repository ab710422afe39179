"""Sentence spans with exact character offsets, for French, English and their cousins.

A rule-based splitter, chosen by measurement (see bench/splitters.py): it keeps
« quotations » and "quotes" together with their attribution, knows abbreviations
(titles such as "M." and "Dr.", "p. 12", "U.S.", "av. J.-C."), numbers with spaces or
dots, ellipses, and sentences that start with a digit or (after a full stop) a
lower-case letter. Lines are split first: a line break always ends a sentence, so
headlines without final punctuation stand alone. Lexicons live in corpus/data.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache
from itertools import accumulate

from .dates import month_names
from .lexicon import all_words, entries

Span = tuple[int, int]

_BOUNDARY = re.compile(
    r"(?P<punct>\.\.\.|[.!?…]+)(?P<close>(?:[ \xa0\u202f]?[»”\"’)\]]|[“«])*)(?P<space>\s+)(?=\S)"
)
# A German closing “ (of „…“) or « (of »…«) ends a sentence where it touches the stop.
_WORD_AFTER = re.compile(r"[\"«“„»(\[]*\s*([^\W\d_][\w'’-]*)")
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]")
_DOTTED_ACRONYM = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")
# German opens with „ and closes with “, which opens in English: it closes a „. German
# also quotes »like this«: a » that touches the word after it, with no quotation open,
# opens (a French » closing a quotation begun on another line follows a word).
_OPENERS, _CLOSERS = "«“„", "»”"
_QUOTE_MARKS = '«“»”„"'
_QUOTE_MARK = re.compile(f"[{_QUOTE_MARKS}]")
_LOOKBACK = 40  # enough for the longest abbreviation before a boundary


@cache
def _lists() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    starters = frozenset(w for lang in ("fr", "en") for w in entries(lang, "sentence_starters"))
    return (
        all_words("titles"),
        all_words("abbreviations"),
        all_words("numeric_abbreviations"),
        starters | all_words("sentence_starters"),
    )


def split(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans of text[start:end], each stripped of surrounding white space."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    line_start = start
    while line_start < end:
        line_end = text.find("\n", line_start, end)
        line_end = end if line_end == -1 else line_end
        spans.extend(_split_line(text, line_start, line_end))
        line_start = line_end + 1
    return spans if _valid(text, spans, start, end) else _lines(text, start, end)


def _split_line(text: str, start: int, end: int) -> list[Span]:
    line = text[start:end]
    stripped = line.strip()
    if not stripped:
        return []
    quoted = sorted(quoted_ranges(line))
    opened = [a for a, _ in quoted]
    reach = list(accumulate((b for _, b in quoted), max))  # furthest close so far
    spans, sentence_start = [], len(line) - len(line.lstrip())
    for m in _BOUNDARY.finditer(line):
        # Inside a quotation unless this very boundary closes it: « Non ! » Puis...
        before = bisect_left(opened, m.start("punct"))  # quotations opened before it
        inside = before > 0 and reach[before - 1] >= m.end("close")
        if inside or not _ends_sentence(line, m):
            continue
        spans.append((start + sentence_start, start + m.end("close")))
        sentence_start = m.end("space")
    spans.append((start + sentence_start, start + len(line.rstrip())))
    return [(a, b) for a, b in spans if b > a]


def quoted_ranges(line: str) -> list[Span]:
    """Spans inside balanced « », “ ”, „ “, » « or straight double quotes; unbalanced ones are
    ignored, so a quote that never closes cannot swallow a paragraph."""
    if not any(mark in line for mark in _QUOTE_MARKS):
        return []  # most lines: a plain substring test is far cheaper than the regex
    ranges: list[Span] = []
    stack: list[int] = []
    straight: list[int] = []
    for m in _QUOTE_MARK.finditer(line):
        ch, i = m.group(0), m.start()
        if (ch == "“" and stack and line[stack[-1]] == "„") or (
            ch == "«" and stack and line[stack[-1]] == "»"
        ):
            ranges.append((stack.pop(), i))
        elif ch in _OPENERS or (ch == "»" and not stack and _opens(line, i)):
            stack.append(i)
        elif ch in _CLOSERS:
            if stack:
                ranges.append((stack.pop(), i))
        else:
            straight.append(i)
    if len(straight) % 2 == 0:
        ranges.extend(zip(straight[::2], straight[1::2], strict=True))
    return ranges


def _opens(line: str, i: int) -> bool:
    """Whether the » at `i` opens a quotation »like this«: after no letter or digit,
    before one."""
    return (i == 0 or not line[i - 1].isalnum()) and line[i + 1 : i + 2].isalnum()


def _ends_sentence(line: str, m: re.Match[str]) -> bool:
    titles, abbreviations, numeric, starters = _lists()
    punct = m.group("punct")
    before = line[max(0, m.start() - _LOOKBACK) : m.start()].split()[-1:]
    token = before[0].lstrip("«“\"'([").lower() if before else ""
    if "'" in token or "’" in token:
        token = _ELISION.sub("", token)  # "l'art." is "art."
    next_char = line[m.end("space")]
    after = _WORD_AFTER.match(line, m.end("space"))
    next_word = after.group(1) if after else ""
    starts_sentence = next_word[:1].isupper() and next_word.lower() in starters

    if punct in ("...", "…") or punct.endswith(("!", "?")):
        return not next_char.islower()  # "pas... la suite", "Vraiment ? » a-t-il dit"
    if punct != ".":
        return True
    if token in titles or (len(token) == 1 and token.isalpha()):
        return False  # "M. Mohi", "J. Smith"
    if token in numeric and next_char.isdigit():
        return False  # "p. 12", "art. 3", "Jan. 17"
    if token.isdigit() and len(token) <= 2 and next_word.lower() in month_names():
        return False  # German ordinal dates: "am 3. Oktober"
    if token in abbreviations or _DOTTED_ACRONYM.match(token) or _abbreviation_inside(token):
        return starts_sentence  # "U.S. Army" goes on, "in the U.S. The next day" ends
    if next_char.islower():
        # "…informé le négociateur irakien. la Résistance finira…": a full stop after
        # an ordinary word ends a sentence even when the next one starts in lower case.
        return token.isalpha() and len(token) >= 3
    return True


def _abbreviation_inside(token: str) -> bool:
    """ "av. J.-C." and similar multi-part abbreviations, seen from their last part."""
    return "." in token and token.rstrip(".").lower() in _lists()[1]


def _valid(text: str, spans: list[Span], start: int, end: int) -> bool:
    """In order, non-empty, and nothing but white space between or around them."""
    position = start
    for a, b in spans:
        if not position <= a < b <= end or text[position:a].strip():
            return False
        position = b
    return not text[position:end].strip()


def _lines(text: str, start: int, end: int) -> list[Span]:
    """The safe fallback: one span per non-blank line."""
    spans, position = [], start
    for line in text[start:end].split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            spans.append((position + lead, position + len(line.rstrip())))
        position += len(line) + 1
    return spans


_CLAUSE_END = re.compile(r"[,;:](?=\s)")


def clauses(text: str) -> list[tuple[int, int, int]]:
    """(start, end, sentence number) of every clause: sentences cut after , ; and :.

    The units a reader extends or shrinks a selection by when adding a claim.
    """
    units = []
    for number, (start, end) in enumerate(split(text)):
        begin = start
        for m in _CLAUSE_END.finditer(text, start, end):
            units.append((begin, m.end(), number))
            begin = m.end() + len(text[m.end() : end]) - len(text[m.end() : end].lstrip())
        if begin < end:
            units.append((begin, end, number))
    return units
