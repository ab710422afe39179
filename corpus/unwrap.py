"""Hard-wrapped plain text back into paragraphs.

Newsletters, plain-text mail, wire copy and `fmt` or PDF-to-text output break every
paragraph into lines of about one width, and a line break ends a sentence for the
splitter: a claim would be cut in two ("debt rose by 12" / "percent last year").
`unwrap` joins the lines of a paragraph again where the text was wrapped.

The width is read from the file itself: the lines followed by another line of their
paragraph end close to one width when the text was wrapped (each is shorter than it
by less than the word that did not fit). A break is joined only where the line is
that full, or ends with a word cut by a hyphen; it is kept where the line is clearly
shorter (verse, an address, a signature), and always before a list item or a
heading, around a line without a word (a rule, an underline, a signature's "-- "),
between quoted mail ("> ") and the text around it, and after a dateline. Quoted mail
is unwrapped within its quote: its lines are joined under the first one's marker.
In a text too short to show its width, lines are joined only where a sentence
plainly runs on (`_runs_on`). Text that does not look wrapped (one paragraph per
line, verse whose lines start with capitals) is returned as it is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from itertools import pairwise

from .dates import find_dates

MIN_WIDTH = 40  # narrower "wrapping" is verse, a list or a column: never joined
MAX_WIDTH = 160  # longer lines are paragraphs already, not a wrapped text's lines
CLUSTER_SHARE = 0.1  # of the lines that may be wrapped, ending near the width (2 at least)
LOWER_SHARE = 1 / 3  # of the lines after a full one that must start in lower case

_LIST_ITEM = re.compile(r"\s*(?:[-*+•·▪►–—]|\d{1,3}[.)]|[a-z]\))\s")
_HEADING = re.compile(r"\s*#{1,6}\s")
_QUOTE = re.compile(r"\s*>[>\s]*")  # quoted mail's marker: "> ", ">> ", "> > "
_WORD_CHARACTER = re.compile(r"\w")
_FIRST_WORD = re.compile(r"\S+")
# A word cut at the line's end: "inter-" (a letter before the hyphen, and no space).
_CUT = re.compile(r"(?<![\w-])([^\W\d_][\w'’]*(?:-[^\W\d_]+)*)-$")
_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SENTENCE_END = ".!?…,;:"
_LONGEST_WORD = 100  # characters of a line's end searched for a cut word


def unwrap(text: str, *, typeset: bool = False) -> str:
    """`text` (LF line ends) with the lines of each hard-wrapped paragraph joined.

    Lines are joined as `join_lines` says (`typeset`: the text was typeset, a PDF's,
    whose line-end hyphens are hyphenation). Blank lines and every kept line are left
    exactly as they were, and text that does not look wrapped (`wrap_width` is None)
    is returned unchanged. Never raises.
    """
    lines = text.split("\n")
    joinable = [_may_join(a, b) for a, b in pairwise(lines)]
    width = _wrap_width(lines, joinable)
    if width is None and not any(map(_runs_on, lines, lines[1:])):
        return text
    known = word_counts(text)
    runs = [[lines[0]]]  # each run of lines becomes one line
    for may, previous, line in zip(joinable, lines, lines[1:], strict=False):
        wrapped = _full(previous, line, width) if width else _runs_on(previous, line)
        if may and (wrapped or _cut(previous, line)):
            runs[-1].append(line[_quote_end(line) :])  # one marker for the whole quote
        else:
            runs.append([line])
    return "\n".join(
        run[0] if len(run) == 1 else join_lines(run, known, typeset=typeset) for run in runs
    )


def wrap_width(lines: list[str]) -> int | None:
    """The width the text was wrapped at, in characters, or None if it was not.

    `lines` are the text's lines without their line ends. Of the lines that may be
    wrapped (followed by another line of their paragraph, neither of them a list
    item, a heading or quoted mail...), the width is the greatest length that at
    least CLUSTER_SHARE of them come within a sixteenth of: the longest lines' cluster,
    so that one long address does not count. The text counts as wrapped when that
    width is between MIN_WIDTH and MAX_WIDTH, and at least LOWER_SHARE of the lines
    after a full line (those that start with a letter) start in lower case, as a
    sentence running on does: verse whose lines start with capitals, or one sentence
    per line, is not wrapped text.
    """
    return _wrap_width(lines, [_may_join(a, b) for a, b in pairwise(lines)])


def _wrap_width(lines: list[str], joinable: list[bool]) -> int | None:
    """`wrap_width`, told which breaks `_may_join`."""
    pairs = [(a, b) for a, b, may in zip(lines, lines[1:], joinable, strict=False) if may]
    lengths = sorted((_width(a) for a, _ in pairs), reverse=True)
    need = max(2, int(len(lengths) * CLUSTER_SHARE))
    width = next(
        (
            n
            for i, n in enumerate(lengths[: len(lengths) - need + 1])
            if lengths[i + need - 1] >= n - n // 16
        ),
        None,
    )
    if width is None or not MIN_WIDTH <= width <= MAX_WIDTH:
        return None
    starts = [_first_letter(b) for a, b in pairs if _full(a, b, width)]
    starts = [c for c in starts if c]
    if not starts or sum(c.islower() for c in starts) < LOWER_SHARE * len(starts):
        return None
    return width


def join_lines(lines: list[str], known: Callable[[str], int], *, typeset: bool = False) -> str:
    """`lines` (a paragraph's, without line ends) as one line.

    Each line is joined to the next with one space, its trailing and the next one's
    leading white space dropped. When a line ends with a word cut by a hyphen
    ("inter-"), they are joined without a space; before a capital the hyphen stays
    ("Franco-German", "Clermont-Ferrand"). Before a lower-case letter the hyphen goes
    when the whole word ("international") is more plausible: `known(word)` (how often
    a lower-case word occurs in the text, see `word_counts`) finds it more often than
    the hyphenated form ("inter-national"). Without that evidence the hyphen stays in
    plain text, whose wrapping breaks lines at a compound's own hyphen ("well-known"),
    and goes in `typeset` text, which hyphenates words ("précé-dente") unless both
    halves are words the text uses elsewhere ("well" and "known").
    """
    pieces = [lines[0].rstrip()]
    for line in lines[1:]:
        line = line.strip()
        drop, joint = _joint(pieces[-1], line, known, typeset)
        if drop:
            pieces[-1] = pieces[-1][:-drop]
        pieces += [joint, line]
    return "".join(pieces)


def _joint(first: str, second: str, known: Callable[[str], int], typeset: bool) -> tuple[int, str]:
    """(characters to drop from the end of `first`, what goes between it and `second`)."""
    cut = _CUT.search(first[-_LONGEST_WORD:]) if first.endswith("-") else None
    after = _FIRST_WORD.match(second)
    if cut is None or after is None or not after.group()[0].isalpha():
        return 0, " "
    rest = _WORDS.match(after.group())
    tail = rest.group() if rest else ""
    if not tail or not tail[0].islower():
        return 0, ""
    head = cut.group(1).lower()
    whole, hyphenated = head + tail.lower(), f"{head}-{tail}".lower()
    if known(whole) != known(hyphenated):
        return (1 if known(whole) > known(hyphenated) else 0), ""
    # Each half counts once in the text where it was cut: a word used elsewhere has more.
    compound = known(head) > 1 and known(tail.lower()) > 1
    return (1 if typeset and not compound else 0), ""


def _may_join(first: str, second: str) -> bool:
    """Whether the break between two lines can be wrapping: it is structure otherwise."""
    if not first.strip() or not second.strip():
        return False
    first_quote, second_quote = _QUOTE.match(first), _QUOTE.match(second)
    if first_quote or second_quote:  # quoted mail joins only within its quote
        if not (first_quote and second_quote):
            return False
        if first_quote.group().strip() != second_quote.group().strip():
            return False
        return _may_join(first[first_quote.end() :], second[second_quote.end() :])
    if _LIST_ITEM.match(second) or _HEADING.match(first) or _HEADING.match(second):
        return False
    if not _WORD_CHARACTER.search(first) or not _WORD_CHARACTER.search(second):
        return False  # a rule, an underline, a signature's "-- "
    if _indent(second) > _indent(first) and not _LIST_ITEM.match(first):
        return False  # a paragraph that starts with an indent
    return not _is_dateline(first, second)


def _full(first: str, second: str, width: int) -> bool:
    """Whether `first` is full at `width`: the next line's first word would not fit."""
    word = _FIRST_WORD.match(second[_quote_end(second) :].lstrip())
    reach = _width(first.rstrip()) + 1 + (len(word.group()) if word else 0)
    return reach > width - width // 8


def _runs_on(first: str, second: str) -> bool:
    """Whether a sentence plainly runs on from `first` to `second`, as in a text too
    short to show its width: a line of MIN_WIDTH or more that ends no sentence, then a
    line that starts with a lower-case letter."""
    first = first.rstrip()
    return (
        len(first) >= MIN_WIDTH
        and first[-1] not in _SENTENCE_END
        and second[_quote_end(second) :].lstrip()[:1].islower()
    )


def _cut(first: str, second: str) -> bool:
    """Whether `first` ends with a word cut by a hyphen that `second` goes on with
    ("À Clermont-" / "Ferrand"): a run-on line, however short."""
    first = first.rstrip()
    return (
        first.endswith("-")
        and _CUT.search(first[-_LONGEST_WORD:]) is not None
        and second[_quote_end(second) :].lstrip()[:1].isalpha()
    )


def _is_dateline(first: str, second: str) -> bool:
    """A line holding a date that ends with no punctuation, before a capital: "Paris,
    12 mars 2024" above the text, not a sentence running on."""
    stripped = first.rstrip()
    if not stripped or stripped[-1] in _SENTENCE_END or not _first_letter(second).isupper():
        return False
    return bool(find_dates(stripped))


def _quote_end(line: str) -> int:
    """Where quoted mail's marker ends in `line` (0 when it has none)."""
    quote = _QUOTE.match(line)
    return quote.end() if quote else 0


def _first_letter(line: str) -> str:
    return next((c for c in line if c.isalpha()), "")


def word_counts(text: str) -> Callable[[str], int]:
    """A function giving how often a lower-case word occurs in `text` (case ignored;
    a hyphenated word counts whole, a word cut at a line's end counts as two). The
    words are counted on the first call: most texts have no cut word to ask about."""
    counts: Counter[str] = Counter()

    def known(word: str) -> int:
        if not counts:
            counts.update(m.group().lower() for m in _WORDS.finditer(text))
        return counts[word]

    return known


def _width(line: str) -> int:
    line = line.rstrip()
    return len(line.expandtabs() if "\t" in line else line)


def _indent(line: str) -> int:
    if not line[:1].isspace():
        return 0  # most lines: no copy made
    line = line.expandtabs()
    return len(line) - len(line.lstrip())
