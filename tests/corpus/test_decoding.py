"""Bytes to text: every encoding a reader brings, and refusing what is not text."""

from __future__ import annotations

import codecs

import pytest

from factmark.corpus.article import ArticleError
from factmark.corpus.decoding import MAX_BYTES, decode

FRENCH = "Le président a déclaré à Genève : « Ça coûte 4 500 €. » Où est l'hôpital ?\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (FRENCH.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "utf-8-sig"),
        (FRENCH.encode("utf-16"), "utf-16"),  # with its BOM
        (codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), "utf-16"),
    ],
)
def test_unicode_encodings_decode_exactly(data: bytes, encoding: str) -> None:
    decoded = decode("a.txt", data)
    assert decoded.text == FRENCH and decoded.encoding == encoding


@pytest.mark.parametrize("legacy", ["cp1252", "latin-1"])
def test_legacy_french_comes_out_with_its_accents(legacy: str) -> None:
    text = (FRENCH.replace("€", "EUR")) * 3
    decoded = decode("old.txt", text.encode(legacy))
    assert decoded.text == text


def test_line_ends_become_lf() -> None:
    assert decode("a.txt", b"one\r\ntwo\rthree\n").text == "one\ntwo\nthree\n"


def test_damaged_utf8_keeps_the_text_and_marks_the_damage() -> None:
    data = ("é" * 40 + " texte ").encode() + b"\xff\xfe" + b" suite"
    decoded = decode("damaged.txt", data)
    assert decoded.text.startswith("é" * 40) and "\ufffd" in decoded.text
    assert "damaged" in decoded.encoding


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty file"),
        (b"  \n\t\r\n  ", "only blank space"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (a PNG image)"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 20, "binary file (an executable)"),
        (b"PK\x03\x04\x14\x00", "binary file (a ZIP archive)"),
        (b"text then \x00 a NUL byte", "binary file (contains NUL bytes)"),
        (b"\x1b[31m\x1b]0;title\x07", "only blank space"),
    ],
)
def test_what_is_not_text_is_refused_naming_the_file(data: bytes, message: str) -> None:
    with pytest.raises(ArticleError, match=r"^bad\.txt: ") as error:
        decode("bad.txt", data)
    assert message in str(error.value)


def test_a_huge_file_is_refused_before_any_work() -> None:
    with pytest.raises(ArticleError, match="too large"):
        decode("huge.txt", b"x" * (MAX_BYTES + 1))
