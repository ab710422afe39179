"""JSON text of what the store holds, safe to print: the one way the JSON exports
(`jsonl_export`, `web_annotation`, `claim_review`) turn records into text.

JSON (RFC 8259) in UTF-8, characters as themselves (`ensure_ascii=False`), never NaN
or Infinity. Every string passes `corpus.safe_text.clean` on the way out, whatever the
database holds (a database edited by hand, or merged from one), so no terminal escape
sequence, control or bidi override character is written; JSON writes the line breaks
and tabs `clean` keeps as `\\n` and `\\t`, and U+2028 and U+2029, which JSON allows as
they are but which a reader splitting lines (Python's `str.splitlines`) would take for
line ends, as `\\u2028` and `\\u2029`; and `<`, `>` and `&` as `\\u003c`, `\\u003e` and
`\\u0026`, so that a record pasted into an HTML page's `<script
type="application/ld+json">` (where ClaimReview is published) cannot end that script
element (`</script>`) or open another. Text in a column where the store keeps numbers
(or a blob) is written as the store holds it: a number, or the blob's bytes as text.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from factmark.corpus.safe_text import clean


def cleaned(value: Any) -> Any:
    """`value` with every string in it cleaned (keys too), bytes read as UTF-8 text
    (U+FFFD for bytes that are not) and a float that is not finite made None (null);
    tuples become lists. Mappings and sequences are copied, the rest kept as is."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, Mapping):
        return {cleaned(key): cleaned(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [cleaned(item) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return clean(bytes(value).decode("utf-8", "replace"))
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def as_text(value: object) -> str:
    """A text field as a string, whatever a database edited by hand holds there: a
    blob's bytes read as UTF-8 (U+FFFD for bytes that are not), a number's digits, ""
    for None."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return "" if value is None else str(value)


def dumps(value: Any) -> str:
    """`value` (dicts, lists, strings, numbers, booleans, None) as JSON on one line,
    every string cleaned (see the module's docstring). Raises TypeError for anything
    else (a set, an object).

    Most records hold nothing to clean: they are written as they are, and the text is
    screened once (`_ESCAPES`, `_UNSAFE`); one that may hold something is written again from
    `cleaned(value)`."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # bytes, or a float that is not finite
        text = ""
    if not text or any(escape in text for escape in _ESCAPES) or _UNSAFE.search(text):
        text = json.dumps(cleaned(value), ensure_ascii=False, allow_nan=False)
    if _FOR_HTML.search(text):
        text = _FOR_HTML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


# In JSON text as json.dumps writes it, what may come from a string `clean` changes: a
# control character other than a tab or line break, which json.dumps escapes (most as
# \u00XX, these as \b, \f, \r), then DEL, a C1 control, a bidi control or a lone
# surrogate, which it writes as they are. An escaped backslash before one of those
# letters (`\\r`) is taken for one too, which costs that record a second writing and
# nothing else.
_ESCAPES = ("\\u00", "\\b", "\\f", "\\r")
_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# What JSON may hold as it is but a reader of lines or of HTML may not: written as
# \uXXXX, which every JSON parser reads back as the same character. In JSON text these
# characters stand only inside strings, so replacing them changes no structure.
_FOR_HTML = re.compile("[<>&\u2028\u2029]")


def write_lines(out: TextIO, records: Iterable[Any]) -> int:
    """JSON Lines (https://jsonlines.org/): each record as one line of JSON, each line
    ended by LF. Returns how many were written; raises what writing to `out` raises."""
    count = 0
    for record in records:
        out.write(dumps(record) + "\n")
        count += 1
    return count


def write_array(out: TextIO, records: Iterable[Any]) -> int:
    """A JSON array of `records` and LF, streamed as `write_items` writes it. Returns
    how many were written; raises what writing to `out` raises."""
    count = write_items(out, records)
    out.write("\n")
    return count


def write_items(out: TextIO, records: Iterable[Any]) -> int:
    """A JSON array of `records`, streamed, for a document to hold: `[`, each record on
    a line of its own (one line of JSON each, so the file greps and diffs by record),
    then `]`. Returns how many were written; raises what writing to `out` raises."""
    out.write("[")
    count = 0
    for record in records:
        out.write(("\n" if not count else ",\n") + dumps(record))
        count += 1
    out.write("\n]" if count else "]")
    return count
