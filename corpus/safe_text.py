"""Make untrusted text safe to store, show in a terminal and put in a spreadsheet.

Article text comes from anywhere. An ESC sequence in it could retitle the reader's
terminal or write to their clipboard (OSC 52); a bidi override could make a claim read
backwards. We drop those and keep every other character, including right-to-left
scripts, emoji, wide CJK characters, zero-width joiners and combining accents.
"""

from __future__ import annotations

import os
import re

# Complete escape sequences first, so their parameters do not survive as stray text:
# OSC/DCS/SOS/PM/APC strings (terminated by BEL or ST, within one line of at most
# MAX_STRING_COMMAND characters), CSI sequences, then any two-character ESC sequence,
# in both their 7-bit and 8-bit (C1) forms. A string command that is never terminated
# is not a sequence a terminal would act on the same way: only its introducer goes
# (with the other control characters), never the text after it. A string command ends
# at the next introducer too, so a run of introducers costs one pass, not 4,096 steps
# each.
MAX_STRING_COMMAND = 4096
_ESCAPE_SEQUENCE = re.compile(
    rf"""
    (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])
    [^\x07\x1b\x9c\n\x90\x98\x9d\x9e\x9f]{{0,{MAX_STRING_COMMAND}}}  # string commands
    (?:\x07|\x1b\\|\x9c)
    | (?:\x1b\[|\x9b) [0-?]* [ -/]* [@-~]?                              # CSI
    | \x1b [ -/]* [0-~]?                                                 # other ESC sequences
    """,
    re.VERBOSE | re.DOTALL,
)

# C0 controls except tab and newline, DEL, C1 controls, and the bidi embedding,
# override and isolate characters (U+202A-U+202E, U+2066-U+2069).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# Page breaks and vertical tabs, which separate text as a line break does.
_BREAKS = {0x0B: "\n", 0x0C: "\n"}

# Lone surrogates: a file name that is not UTF-8 (Python keeps its bytes as surrogates),
# or a JSON "\\ud800" escape. SQLite and every encoder refuse them.
_SURROGATE = re.compile("[\ud800-\udfff]")
# What `clean` removes or replaces, carriage returns aside (they end CSV lines).
_UNSAFE_CLASS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE_BESIDE_CR = re.compile(f"[{_UNSAFE_CLASS}]")
_UNSAFE = re.compile(f"[{_UNSAFE_CLASS}\r]")


def clean(text: str) -> str:
    """Return `text` without terminal escape sequences, control or bidi override characters.

    A form feed or vertical tab becomes a line break, so the words around it stay apart;
    every other character removed leaves nothing in its place. Lone surrogates become
    U+FFFD (the replacement character), so the result can always be encoded as UTF-8.
    """
    if not _UNSAFE.search(text):
        return text  # most text: one scan
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    if not _CONTROL.search(text):
        return text
    text = text.translate(_BREAKS)  # a form feed or vertical tab still parts words
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def unclean_offsets(text: str) -> list[int]:
    """The offsets in `text` of the characters `clean` removes or replaces, carriage
    returns left out (they end the lines of CSV text): one scan, for callers that
    screen much text at once and clean only the parts that need it."""
    return [match.start() for match in _UNSAFE_BESIDE_CR.finditer(text)]


def one_line(text: str) -> str:
    """`clean` text with every run of white space (line breaks, tabs) made one space:
    for titles, names and other one-line fields."""
    return " ".join(clean(text).split())


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF, so offsets mean the same on every platform."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def file_name(path: str | os.PathLike[str]) -> str:
    """A file path as one line of printable text that still tells it from any other:
    bytes that are not UTF-8 and every character `clean` would drop (escape sequences,
    controls, line breaks, bidi overrides) are written as escapes (`\\xe9`, `\\x1b`,
    `\\u202e`), so two different names never print, or are stored, the same."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _HIDDEN.sub(lambda m: ascii(m.group())[1:-1], text)
