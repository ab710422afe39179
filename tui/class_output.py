"""What the classroom commands print: articles named as `5 "Title"` on one line of the
terminal, and `compare` as a table.

Titles are untrusted: each goes through `console.shorten` (cleaned, one line, cut to
the room the line leaves it), and every line is printed with `console.say`.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from factmark.corpus.vocabulary import VERDICT_NAMES
from factmark.store.article_names import LISTED

from .console import shorten

if TYPE_CHECKING:
    from factmark.store.article_names import ArticleName, SeveralArticles

MIN_TITLE = 12  # cells a title keeps, however narrow the terminal
ERROR_PREFIX = "factmark: "  # what `console.warn` puts before an error

# `compare --format csv`: each claim as the reader names it ("A/N"), then its id.
COMPARE_COLUMNS = (
    "claim",
    "claim_id",
    "article_id",
    "key",
    *VERDICT_NAMES,
    "students",
    "disagreement",
    "text",
)
SHOWN_CLAIMS = 15  # the table's discussion prompts


def _room(line_without_titles: str, titles: int = 1) -> int:
    """Cells each of `titles` titles may take so that the line fits the terminal."""
    from .layout import cells

    free = shutil.get_terminal_size().columns - 1 - cells(line_without_titles)
    return max(MIN_TITLE, free // titles)


def article_line(before: str, named: ArticleName, after: str = "") -> str:
    """`before`, then `5 "Title"`, then `after`: the title cut to fit one line."""
    room = _room(before + named.label(lambda _: "") + after)
    return before + named.label(lambda title: shorten(title, room)) + after


def several_line(error: SeveralArticles) -> str:
    """The error of a title search that matches several articles, in one line: the
    titles it lists share what the rest of the line leaves."""
    listed = min(len(error.matches), LISTED)
    room = _room(ERROR_PREFIX + error.describe(lambda _: ""), listed)
    return error.describe(lambda title: shorten(title, room))


def compare_table(figures: dict, article: ArticleName | None) -> str:
    """`compare`'s figures (see `store.comparison.compare`) as the table a teacher
    reads: what was compared, each student, then the most disputed claims first."""

    def show(value: object, suffix: str = "") -> str:
        return "-" if value is None else f"{value}{suffix}"

    group = figures["class"]
    key = (
        f"key: {figures['key']}, {_claims(figures['key_decided'])} decided"
        if figures["key"]
        else "key: none (make one with: factmark key add NAME)"
    )
    lines = [article_line("article: ", article)] if article else []
    lines += [
        key,
        f"class: {group['students']} student{'s' if group['students'] != 1 else ''}, "
        f"{_claims(group['claims'])} decided by at least one, {group['paired']} by two or more",
        f"  agreement on {'that' if group['paired'] == 1 else 'those'} {group['paired']}: "
        f"Krippendorff's alpha {show(group['krippendorff_alpha'])}, "
        f"Gwet's AC1 {show(group['gwet_ac1'])}",
        "",
        f"{'student':20} {'decided':>7} {'vs key':>6} {'agree':>7} {'kappa':>6}",
    ]
    for s in figures["students"]:
        lines.append(
            f"{shorten(s['annotator'], 20):20} {s['decided']:>7} {s['compared']:>6} "
            f"{show(s['agreement'], '%'):>7} {show(s['kappa']):>6}"
        )
    shown = figures["claims"][:SHOWN_CLAIMS]
    name = max([len("claim"), *(len(c["claim"]) for c in shown)])
    lines += [
        "",
        "most disputed claims first (discussion prompts; article/claim as in the reader):",
        f"{'claim':>{name}} {'key':10} {'✓':>3} {'✗':>3} {'?':>3}  text",
    ]
    for c in shown:
        lines.append(
            f"{c['claim']:>{name}} {show(c['key']):10} {c['verified']:>3} "
            f"{c['disputed']:>3} {c['unsourced']:>3}  {shorten(c['text'], 60)}"
        )
    return "\n".join(lines)


def _claims(count: int) -> str:
    return "1 claim" if count == 1 else f"{count} claims"
