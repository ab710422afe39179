"""Bytes to text: BOMs, UTF-8, UTF-16, legacy encodings, and refusing what is not text."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from .article import ArticleError
from .safe_text import clean, normalise_newlines

MAX_BYTES = 10 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF-", "a PDF document"),
    (b"\x7fELF", "an executable"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"SQLite format 3\x00", "a SQLite database"),
)


_WESTERN = ("cp1252", "iso8859_15", "latin_1")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode(name: str, data: bytes) -> Decoded:
    """Decode article bytes into clean text with LF line ends, or refuse them in one line."""
    if len(data) > MAX_BYTES:
        raise ArticleError(
            f"{name}: too large for an article ({len(data) / 1e6:.1f} MB; "
            f"the limit is {MAX_BYTES / 1e6:.0f} MB)"
        )
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise ArticleError(f"{name}: binary file ({kind}), not an article")
    text, encoding = _decode(name, data)
    text = clean(normalise_newlines(text))
    if not text.strip():
        raise ArticleError(
            f"{name}: {'empty file' if not data else 'only blank space'}, nothing to import"
        )
    return Decoded(text, encoding)


def _decode(name: str, data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise ArticleError(f"{name}: broken {encoding} text (byte {exc.start})") from None
    if b"\x00" in data:
        raise ArticleError(f"{name}: binary file (contains NUL bytes), not an article")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        # A UTF-8 file with a few damaged bytes: keep it, and mark each damaged spot.
        return data.decode("utf-8", errors="replace"), "utf-8 (damaged bytes replaced)"
    from charset_normalizer import from_bytes  # only legacy files pay for it

    matches = list(from_bytes(data))
    if not matches:
        raise ArticleError(f"{name}: not valid UTF-8, and its text encoding cannot be told")
    # Western European text often scores the same in several code pages (cp1250 reads
    # French "à" as "ŕ"); among equals, the code page Western news is written in wins.
    tied = [
        m for m in matches if (m.chaos, m.coherence) == (matches[0].chaos, matches[0].coherence)
    ]
    best = min(tied, key=lambda m: _WESTERN.index(m.encoding) if m.encoding in _WESTERN else 99)
    return str(best), best.encoding


def _mostly_utf8(data: bytes) -> bool:
    """True when well-formed multi-byte UTF-8 sequences far outnumber invalid bytes."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - invalid
    return multibyte >= 4 * invalid
