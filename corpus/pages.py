"""Text copied from a PDF, page by page, made one text again.

`pdftotext` and similar tools end every page with a form feed (U+000C) and keep what
the printed page carries around the text: a page number ("Page 2 of 3", "- 4 -"), a
running head or foot repeated on every page ("REGIONAL HOUSING REVIEW 2020",
"Observatoire régional de l'air – Bilan 2020   4"). Left in, they split the sentence
that runs over a page break and are read as headings or claims. `join_pages` drops
them and joins the pages, so the unwrapping that follows sees one flow of text.
"""

from __future__ import annotations

import re
from collections import Counter

PAGE_BREAK = "\f"
EDGE_LINES = 2  # a running head or foot is among the first or last lines of a page
MAX_RUNNING = 100  # characters: a running head is a short line, never a sentence
# "4", "- 4 -", "Page 4", "Page 2 of 3", "p. 4", "4/12", "Seite 2 von 3"
_PAGE_NUMBER = re.compile(
    r"[-–—\s]*(?:(?:page|p\.|seite|página|pagina)\s*)?\d{1,4}"
    r"(?:\s*(?:/|of|sur|de|von|di)\s*\d{1,4})?[-–—\s]*",
    re.IGNORECASE,
)
# A page number (three digits at most: a year stays) at either end of a running line
# ("Bilan 2020      4", "12 | Rapport").
_END_NUMBERS = re.compile(r"^\d{1,3}[\s|–—-]+|[\s|–—-]+\d{1,3}$")
_SENTENCE_END = '.!?…:;»"”'


def join_pages(text: str) -> str:
    """`text` with its form feeds gone: each page without its page numbers and running
    heads and feet, the pages joined by a line break where a sentence runs on over the
    break (the unwrapping then joins them) and by a blank line where one ended.

    A running line is a short line without a sentence's end that stands among the
    first or last EDGE_LINES lines of two pages or more, a page number at its ends
    aside; the first page's head is never one (it holds the title, which a running head
    may repeat). Text without a form feed is returned as it is.
    """
    if PAGE_BREAK not in text:
        return text
    pages = [page.split("\n") for page in text.split(PAGE_BREAK)]
    running = _running(pages)
    kept: list[list[str]] = []
    for number, lines in enumerate(pages):
        body = _trimmed(lines, running, head=number > 0)
        if body:
            kept.append(body)
    joined = kept[0] if kept else []
    for lines in kept[1:]:
        ends = joined[-1].rstrip()[-1:]
        joined += [*([""] if ends in _SENTENCE_END else []), *lines]
    return "\n".join(joined) + ("\n" if text.endswith(("\n", PAGE_BREAK)) else "")


def _key(line: str) -> str:
    """What a running line repeats: its words without a page number at either end; ""
    for a line that cannot be one (long, or ending a sentence)."""
    line = line.strip()
    if len(line) > MAX_RUNNING or line[-1:] in _SENTENCE_END:
        return ""
    return " ".join(_END_NUMBERS.sub("", line).split()).casefold()


def _edges(lines: list[str]) -> list[str]:
    filled = [line for line in lines if line.strip()]
    return filled[:EDGE_LINES] + filled[-EDGE_LINES:]


def _running(pages: list[list[str]]) -> frozenset[str]:
    """The keys of the lines standing at the edges of two pages or more."""
    seen = Counter(key for lines in pages for key in {_key(line) for line in _edges(lines)})
    return frozenset(key for key, count in seen.items() if count >= 2 and key)


def _furniture(line: str, running: frozenset[str]) -> bool:
    return bool(_PAGE_NUMBER.fullmatch(line)) or _key(line) in running


def _trimmed(lines: list[str], running: frozenset[str], *, head: bool) -> list[str]:
    """A page's lines without the blank lines, page numbers and running lines at its
    foot, and at its head when `head`."""
    start, end = 0, len(lines)
    while end > start and (not lines[end - 1].strip() or _furniture(lines[end - 1], running)):
        end -= 1
    while head and start < end and (not lines[start].strip() or _furniture(lines[start], running)):
        start += 1
    return lines[start:end]
