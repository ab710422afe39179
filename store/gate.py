"""The one gate for untrusted text on its way into the database.

Everything stored comes from outside: article text and metadata, file names, other
people's databases (`merge`), CSV cells (`import-verdicts`), annotator and key names,
evidence links. Each store function that writes passes its strings through here, so
the database only ever holds text that is safe to print: no terminal escape
sequence, control or bidi override character, no lone surrogate, no non-web link.

Errors: `annotator` and `url` raise `StoreError` for values that cannot be stored.
"""

from __future__ import annotations

import os
import re
import unicodedata
from urllib.parse import urlsplit

from factmark.corpus.safe_text import clean, file_name, normalise_newlines, one_line

from .errors import StoreError

MAX_NAME = 100  # characters in an annotator's name
UNDETERMINED = "und"  # BCP 47's code for an undetermined language
# A BCP 47 tag as factmark stores it: a primary language subtag, then optional subtags
# ("fr", "pt-BR", "zh-Hant-TW"); anything else is not a language code.
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8}){0,3}", re.IGNORECASE)


def text(value: str | None) -> str | None:
    """Multi-line text (an article, a note): cleaned, line ends made LF; None stays None."""
    return None if value is None else clean(normalise_newlines(value))


def field(value: object) -> str | None:
    """A one-line field (title, source, date, id): cleaned, white space collapsed;
    empty means None. Numbers are stored as their text."""
    if value is None:
        return None
    return one_line(str(value)) or None


def path(value: str | os.PathLike[str]) -> str:
    """A file path as one line of printable text that tells it from any other: bytes
    that are not UTF-8 and hidden characters are written as escapes
    (`corpus.safe_text.file_name`); the file itself is read by its real name."""
    return file_name(value)


def annotator(name: str | None) -> str:
    """An annotator's (or key's) name, normalised the same way wherever it is written or
    read: cleaned, NFC, white space collapsed. Raises StoreError if nothing is left or
    it is longer than MAX_NAME characters."""
    normal = unicodedata.normalize("NFC", one_line(name or ""))
    if not normal:
        raise StoreError("an annotator needs a name")
    if len(normal) > MAX_NAME:
        raise StoreError(f"an annotator's name has at most {MAX_NAME} characters")
    return normal


def language(code: object) -> str:
    """A BCP 47 language code in lower case, or "und" for anything that is not one."""
    value = field(code)
    if value is None or not _LANGUAGE.fullmatch(value):
        return UNDETERMINED
    return value.lower()


def url(value: str | None) -> str | None:
    """An evidence link: absolute http(s) only, else StoreError; empty means None."""
    link = field(value)
    if link is None:
        return None
    check_url(link)
    return link


# What RFC 3986 never lets stand in a URI as it is (it must be percent-encoded): a
# link holding one is not one link a browser, an RDF tool and a reader agree on, and
# `"`, `<` and `>` would end the attribute or element it is written into.
_NOT_IN_URIS = frozenset('"<>\\^`{|}')


def is_web_link(link: str) -> bool:
    """True for an absolute http:// or https:// link with a host, no white space and no
    character a URI holds only percent-encoded (RFC 3986: `"`, `<`, `>`, `\\`, `^`,
    backquote, `{`, `|`, `}`)."""
    try:
        parts = urlsplit(link)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and not any(c.isspace() or c in _NOT_IN_URIS for c in link)
        and clean(link) == link
    )


def check_url(link: str) -> None:
    """Raise StoreError unless `link` is an absolute http(s) link."""
    if not is_web_link(link):
        raise StoreError(f"not a web link: {one_line(link)!r} (expected http:// or https://...)")
