"""Bytes to text: BOMs, UTF-8, UTF-16, legacy encodings, and refusing what is not text."""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass

from .article import ArticleError
from .pages import PAGE_BREAK
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

# Below this size charset-normalizer's scores do not tell code pages apart: French
# files of 35-93 bytes in Windows-1252 came out as cp775, cp1257 or mac_latin2 ("dķputķ",
# "Besanēon"), while from about 170 bytes on they came out right. So a short legacy
# file is read in the Windows code page its language is written in, and said guessed.
SHORT_BYTES = 512
# The Windows code page each language's legacy text is written in (langdetect codes).
_CODE_PAGE_OF = {
    **dict.fromkeys(
        ("af", "ca", "cy", "da", "de", "en", "es", "fi", "fr", "id", "it", "nl", "no", "pt",
         "so", "sv", "sw", "tl"),
        "cp1252",
    ),
    **dict.fromkeys(("cs", "hr", "hu", "pl", "ro", "sk", "sl", "sq"), "cp1250"),
    **dict.fromkeys(("bg", "mk", "ru", "uk"), "cp1251"),
    "el": "cp1253",
    "tr": "cp1254",
    "he": "cp1255",
    **dict.fromkeys(("ar", "fa", "ur"), "cp1256"),
    **dict.fromkeys(("et", "lt", "lv"), "cp1257"),
    "vi": "cp1258",
}  # fmt: skip
_WINDOWS_CODE_PAGE = re.compile(r"^cp(12\d\d)$")  # Python's name, as Windows names it


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the codec that read it (a Python codec name, or "utf-8 (damaged
    bytes replaced)"), and whether that codec is a guess from too few bytes to tell."""

    text: str
    encoding: str
    guessed: bool = False

    @property
    def note(self) -> str | None:
        """What the reader should hear about the decoding, or None: "encoding guessed
        as Windows-1252" for a guess."""
        if not self.guessed:
            return None
        return "encoding guessed as " + _WINDOWS_CODE_PAGE.sub(r"Windows-\1", self.encoding)


def decode(name: str, data: bytes, *, pages: bool = False) -> Decoded:
    """Decode article bytes into clean text with LF line ends, or refuse them in one line.
    With `pages`, form feeds (a PDF copy's page breaks, for `pages.join_pages`) are kept."""
    if len(data) > MAX_BYTES:
        raise ArticleError(
            f"{name}: too large for an article ({len(data) / 1e6:.1f} MB; "
            f"the limit is {MAX_BYTES / 1e6:.0f} MB)"
        )
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise ArticleError(f"{name}: binary file ({kind}), not an article")
    text, encoding, guessed = _decode(name, data)
    text = normalise_newlines(text)
    if pages and PAGE_BREAK in text:
        text = PAGE_BREAK.join(map(clean, text.split(PAGE_BREAK)))
    else:
        text = clean(text)
    if not text.strip():
        raise ArticleError(
            f"{name}: {'empty file' if not data else 'only blank space'}, nothing to import"
        )
    return Decoded(text, encoding, guessed)


def _decode(name: str, data: bytes) -> tuple[str, str, bool]:
    """The text, its codec, and whether the codec is a guess (see SHORT_BYTES)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, False
            except UnicodeDecodeError as exc:
                raise ArticleError(f"{name}: broken {encoding} text (byte {exc.start})") from None
    if b"\x00" in data:
        raise ArticleError(f"{name}: binary file (contains NUL bytes), not an article")
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        # A UTF-8 file with a few damaged bytes: keep it, and mark each damaged spot.
        return data.decode("utf-8", errors="replace"), "utf-8 (damaged bytes replaced)", False
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
    if len(data) < SHORT_BYTES:
        return (*_by_language(data, [best.encoding, *(m.encoding for m in matches)]), True)
    return str(best), best.encoding, False


def _by_language(data: bytes, candidates: list[str]) -> tuple[str, str]:
    """Short legacy bytes read in the code page their language implies: the first of
    Windows-1252 (the most common) then `candidates` whose reading is in a language
    written in that code page. When none is (a word or two tell no language): Latin
    text with a few accented letters, which is what ASCII letters far outnumbering
    the other bytes show, in Windows-1252; else the first candidate's reading."""
    from .language import detect  # only short legacy files pay for it

    for encoding in dict.fromkeys(["cp1252", *candidates]):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        implied = _CODE_PAGE_OF.get(detect(text))
        if implied and codecs.lookup(implied).name == codecs.lookup(encoding).name:
            return text, encoding
    letters = sum(1 for byte in data if byte < 0x80 and chr(byte).isalpha())
    others = sum(1 for byte in data if byte >= 0x80)
    if others * 3 <= letters:
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("cp1252"), "cp1252"
    return data.decode(candidates[0]), candidates[0]


def _mostly_utf8(data: bytes) -> bool:
    """True when well-formed multi-byte UTF-8 sequences far outnumber invalid bytes."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - invalid
    return multibyte >= 4 * invalid
