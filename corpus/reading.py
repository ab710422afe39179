"""Turn the bytes of a file into Article records."""

from __future__ import annotations

from .article import Article, ArticleError, sha256_of
from .safe_text import clean, normalise_newlines


def decode(name: str, data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) into clean text with LF line ends."""
    if b"\x00" in data:
        raise ArticleError(f"{name}: binary file (contains NUL bytes), not an article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{name}: not valid UTF-8 (byte {exc.start})") from None
    return clean(normalise_newlines(text))


def read_article(name: str, data: bytes) -> Article:
    """Read a plain-text article: its first non-blank line is its title."""
    text = decode(name, data)
    if not text.strip():
        raise ArticleError(f"{name}: empty file, nothing to import")
    title = next(line.strip() for line in text.splitlines() if line.strip())
    return Article(path=name, title=title, text=text, sha256=sha256_of(data))


# The file endings a folder walk picks up; a file named explicitly is read whatever its name.
ARTICLE_SUFFIXES = frozenset({".txt", ".md"})
