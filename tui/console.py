"""The command line's render guard: every line it prints passes through `say`.

What factmark prints comes partly from outside (titles, names, notes, file names), so
each line is cleaned of terminal escape sequences and control characters on the way
out, whatever the database holds. And a terminal whose encoding lacks ✓ ✗ · (an ASCII
locale, PYTHONIOENCODING=ascii) gets ASCII stand-ins instead of a UnicodeEncodeError.
"""

from __future__ import annotations

import sys
from typing import TextIO

from factmark.corpus.safe_text import clean, one_line

# The symbols factmark itself prints, as the ASCII claim glyphs of the reader show them.
ASCII_STAND_INS = str.maketrans(
    {"✓": "+", "✗": "x", "·": "-", "○": "o", "…": "...", "→": "->", "—": "-", "–": "-"}
)


def say(text: str = "", *, file: TextIO | None = None) -> None:
    """Print `text` and a newline to `file` (standard output by default), guarded."""
    stream = file if file is not None else sys.stdout
    line = fit(clean(text), stream.encoding or "utf-8")
    print(line, file=stream, flush=stream is sys.stderr)


def warn(text: str) -> None:
    """One line to standard error, prefixed `factmark: `."""
    say(f"factmark: {text}", file=sys.stderr)


def fit(text: str, encoding: str) -> str:
    """`text` as `encoding` can show it: ASCII stand-ins, then `?` for the rest."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        text = text.translate(ASCII_STAND_INS)
        text = text.encode(encoding, "replace").decode(encoding)
    except LookupError:  # an encoding Python does not know
        text = text.encode("ascii", "replace").decode("ascii")
    return text


ELLIPSIS = "…"


def shorten(text: str, room: int, ellipsis: str = ELLIPSIS) -> str:
    """`text` as one safe line (cleaned, each run of white space one space) of at most
    `room` terminal cells (at least one): cut between two graphemes, with `ellipsis`
    (one cell or more) at the end, when it is longer."""
    from .layout import cells, graphemes  # Rich's cell widths: loaded only here

    text = one_line(text)
    room = max(room, 1)
    if cells(text) <= room:
        return text
    room, end = room - len(ellipsis), 0
    for _, stop, size in graphemes(text):
        if size > room:
            break
        room, end = room - size, stop
    return text[:end].rstrip() + ellipsis
