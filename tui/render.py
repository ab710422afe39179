"""The render guard: every string the app shows passes through here.

Whatever reaches the screen may have come from outside: article text and metadata,
a merged database, a class database another student can write, an annotator's name,
a path, an error message quoting any of those. The store cleans what it writes, but an
old or hostile database may hold anything, so text is cleaned again when it is drawn
(`factmark.corpus.safe_text.clean`: no escape sequence, control or bidi override
character, lone surrogates made U+FFFD) and is never parsed as markup: it becomes a
`Content` or a rich `Text` built from the plain string.

Use `plain` for widgets that take Content (Static, Label, the claim panel), `cell` for
DataTable cells (a plain `str` cell would be parsed as markup), `line` and `safe` for
attributes that take a string (titles, notifications, initial values of inputs), and
`link` for an evidence link, live only when it is a web link.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.style import Style

from factmark.corpus.safe_text import clean, one_line
from factmark.store.gate import is_web_link

__all__ = ["cell", "line", "link", "markup_literal", "plain", "safe"]


def safe(value: object) -> str:
    """Any value as text that is safe to draw; line breaks and tabs are kept."""
    if value is None:
        return ""
    return clean(value if isinstance(value, str) else str(value))


def line(value: object) -> str:
    """Any value as one line of safe text: every run of white space becomes one space."""
    return "" if value is None else one_line(value if isinstance(value, str) else str(value))


def plain(value: object, style: str | Style = "") -> Content:
    """Safe, markup-free Content for one value (line breaks kept), optionally styled."""
    content = Content(safe(value))
    return content.stylize(style) if style else content


_LINE_BREAKS = str.maketrans("\n\t\v\f\r\x85\u2028\u2029", " " * 8)


def cell(value: object, **text_options) -> Text:
    """A DataTable cell: safe text on one line (each line break or tab a space) as a
    rich Text, never parsed as markup.

    Keyword arguments go to `Text` (for example `overflow="ellipsis", no_wrap=True`).
    """
    return Text(safe(value).translate(_LINE_BREAKS), **text_options)


def link(url: object) -> Content:
    """An evidence link: a live terminal hyperlink (OSC 8) only for an http(s) link;
    anything else (a `javascript:` or `file:` link from an old or merged database)
    is shown as plain text, without a link style."""
    text = line(url)
    if text and text == url and is_web_link(text):
        return Content(text).stylize(Style(link=text))
    return Content(text)


def markup_literal(value: object) -> str:
    """Markup that reads as exactly the value's safe text, for the few Textual APIs
    that take only markup (the command palette's help). Each `[` is escaped, and if
    the result would not read back as the text, the brackets are dropped instead."""
    text = line(value)
    escaped = text.replace("[", "\\[")
    try:
        if Content.from_markup(escaped).plain == text:
            return escaped
    except Exception:  # any markup error: fall back to text without brackets
        pass
    return text.replace("[", "").replace("]", "").replace("\\", "")
