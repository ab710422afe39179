"""Markdown articles: reading text from CommonMark blocks, metadata from YAML front matter.

markdown-it-py parses the body (CommonMark, with tables and strikethrough), and the
reading text is built from its blocks: a heading, a paragraph, a code block or a
table is a paragraph of its own (blank lines between), list items are lines with a
bullet or their number, block quotes lose their markers. Inside a paragraph,
emphasis markers go, a link keeps its words and loses its URL, an image goes (its
description is not the article's text), inline code stays as text, a soft line break
is a space (a word cut by a hyphen there is joined as `unwrap.join_lines` says) and a
hard one a line break. Headings are returned as spans, to become "heading" regions.

Front matter is YAML between a first line `---` and a line `---` (or `...`), read
with `yaml.safe_load`: quoted, folded and block scalars mean what YAML says.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from .safe_text import clean, one_line
from .unwrap import join_lines, word_counts

if TYPE_CHECKING:  # each takes tens of milliseconds to import: only Markdown pays for them
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

MAX_FRONT_MATTER = 64 * 1024  # characters: a field list, not a document
# Front matter keys (lower case) and the record field each fills; the first key of
# the file that fills a field wins.
FIELDS = {
    "title": "title",
    "date": "published",
    "published": "published",
    "author": "author",
    "source": "source",
    "publisher": "source",
    "url": "url",
    "lang": "language",
    "language": "language",
}

_OPEN = re.compile(r"\A---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$\n?", re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
Span = tuple[int, int]


@dataclass(frozen=True)
class MarkdownText:
    """What a Markdown file gives: the reading `text` (clean, LF line ends), the
    `headings` as (start, end) spans into it, the front matter's `meta` (record
    field -> value, see FIELDS) and `notes`, one printable line per problem met."""

    text: str
    headings: tuple[Span, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def read_markdown(path: str, source: str) -> MarkdownText:
    """The reading text, headings and metadata of a Markdown file.

    `source` is the decoded file (clean, LF line ends); `path` (printable) names the
    file in notes. When no front matter field gives a title, the first heading's text
    does. A front matter that is not valid YAML, or not a mapping of fields, is
    ignored and reported in one note; the body is read all the same. Never raises.
    """
    front, body = split_front_matter(source)
    meta: dict[str, str] = {}
    notes: list[str] = []
    if front is not None:
        if len(front) > MAX_FRONT_MATTER:
            notes.append(
                f"{path}: front matter longer than {MAX_FRONT_MATTER // 1024} KB, not read"
            )
        else:
            meta, problem = front_matter_fields(front, first_line=2)
            if problem:
                notes.append(f"{path}: front matter ignored, {problem}")
    text, headings = render(body)
    if "title" not in meta and headings:
        start, end = headings[0]
        meta["title"] = text[start:end]
    return MarkdownText(text, headings, meta, tuple(notes))


def split_front_matter(source: str) -> tuple[str | None, str]:
    """(front matter, body): the front matter starts on the file's second line.

    Front matter is there only when the first line is `---` and a later line is
    `---` or `...`; otherwise it is None and the body is the whole `source`.
    """
    opening = _OPEN.match(source)
    closing = _CLOSE.search(source, opening.end()) if opening else None
    if opening is None or closing is None:
        return None, source
    return source[opening.end() : closing.start()], source[closing.end() :]


def front_matter_fields(front: str, first_line: int = 1) -> tuple[dict[str, str], str | None]:
    """The record fields a YAML front matter gives, and what was wrong with it (or None).

    Returns ({field: value}, problem): fields as FIELDS names them, each a one-line
    string; a date is ISO (2021-03-04), an `author` list is joined with ", ". A value
    that is a mapping, or a YAML boolean (a `title: yes` loses its word), gives no
    field. `problem` says in words, with the line (counted from `first_line`), why a
    front matter that is not valid YAML or not a mapping gave no field at all.
    """
    import yaml

    try:
        data = yaml.load(front, Loader=_loader())  # a SafeLoader: safe_load with text dates
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {first_line + mark.line}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or type(exc).__name__
        return {}, f"not valid YAML{where} ({one_line(str(reason))})"
    except RecursionError:
        return {}, "nested too deeply"
    except Exception as exc:  # PyYAML's value constructors: "date: 2021-02-30" (ValueError)...
        return {}, f"not valid YAML ({one_line(str(exc))[:100]})"
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return {}, "not a list of fields (key: value)"
    fields: dict[str, str] = {}
    for key, value in data.items():
        name = FIELDS.get(str(key).strip().lower())
        if name is None or name in fields:
            continue
        if isinstance(value, list):  # several authors; a list in a list is not read
            text = ", ".join(filter(None, map(_scalar_text, value))) or None
        else:
            text = _scalar_text(value)
        if text and name == "published":  # YAML writes a date-time with a space
            text = re.sub(r"^(\d{4}-\d{2}-\d{2})[ \t]+(?=\d)", r"\1T", text)
        if text:
            fields[name] = text
    return fields, None


@cache
def _loader() -> type:
    """PyYAML's SafeLoader with dates left as text: "date: 2021-02-30" is then a date
    factmark refuses on its own, not a front matter thrown away whole."""
    import yaml

    class TextDates(yaml.SafeLoader):
        pass

    TextDates.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return TextDates


def _scalar_text(value: object) -> str | None:
    """A YAML scalar as one line of text; None for a boolean, null or collection."""
    if isinstance(value, bool) or not isinstance(value, (datetime.date, str, int, float)):
        return None
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return one_line(text) or None


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


@dataclass
class _Block:
    text: str
    heading: bool = False
    tight: bool = False  # a line of a tight list: one line break before it, not two
    group: int = 0  # which outermost list it is in (0: none)


def render(body: str) -> tuple[str, tuple[Span, ...]]:
    """The reading text of a Markdown body and its headings' (start, end) spans.

    The text is clean (`safe_text.clean`: an entity cannot bring back a control
    character) and has no blank line at either end.
    """
    known = word_counts(body)
    blocks = _blocks(_parser().parse(body), known)
    parts: list[str] = []
    headings: list[Span] = []
    position = 0
    for index, block in enumerate(blocks):
        if index:
            before = blocks[index - 1]
            same_list = block.group == before.group != 0
            separator = "\n" if block.tight and before.tight and same_list else "\n\n"
            parts.append(separator)
            position += len(separator)
        if block.heading:
            headings.append((position, position + len(block.text)))
        parts.append(block.text)
        position += len(block.text)
    return "".join(parts), tuple(headings)


def _blocks(tokens: Sequence[Token], known: Callable[[str], int]) -> list[_Block]:
    """Each block of text in reading order (empty ones dropped)."""
    blocks: list[_Block] = []
    lists: list[str] = []  # the marker of each open list: "•", or "." / ")" numbered
    group = 0  # counts the outermost lists
    prefix = ""  # a list item's marker, waiting for the item's first block
    row: list[str] = []
    table: list[str] = []

    def add(text: str, *, heading: bool = False, tight: bool = False) -> None:
        nonlocal prefix
        text = clean(text).strip("\n")
        if text.strip():
            blocks.append(_Block(prefix + text, heading, tight, group if lists else 0))
            prefix = ""

    for index, token in enumerate(tokens):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            group += not lists
            lists.append("•" if kind == "bullet_list_open" else token.markup)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            marker = lists[-1] if lists[-1] == "•" else f"{token.info}{lists[-1]}"
            prefix = "  " * (len(lists) - 1) + marker + " "
        elif kind == "inline" and index and tokens[index - 1].type in ("th_open", "td_open"):
            row.append(_inline(token.children or [], known).replace("\n", " "))
        elif kind == "inline":
            opener = tokens[index - 1]
            add(
                _inline(token.children or [], known),
                heading=opener.type == "heading_open",
                tight=opener.hidden,
            )
        elif kind == "tr_close":
            table.append(" | ".join(row))
            row = []
        elif kind == "table_close":
            add("\n".join(table), tight=bool(lists))
            table = []
        elif kind in ("fence", "code_block"):
            add(token.content.rstrip("\n"), tight=bool(lists))
        elif kind == "html_block":
            add(_TAG.sub("", _COMMENT.sub("", token.content)).strip(), tight=bool(lists))
    return blocks


def _inline(children: Sequence[Token], known: Callable[[str], int]) -> str:
    """A paragraph's text: soft breaks joined (see `join_lines`), hard breaks kept."""
    lines: list[str] = []
    pieces: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            pieces.append(child.content)
        elif child.type == "softbreak":
            pieces.append("\n")
        elif child.type == "hardbreak":
            lines.append("".join(pieces))
            pieces = []
        # emphasis, link and image markers, inline HTML: no text of their own
    lines.append("".join(pieces))
    return "\n".join(join_lines(line.split("\n"), known) for line in lines)
