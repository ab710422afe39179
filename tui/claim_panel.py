"""The claim panel: what the current claim is, your verdict, where it comes from, and,
once revealed, the answer key's verdict and the class's votes.

What matters most comes first (the verdict, the source hint, the key and the class);
the reasons, note, evidence link and history follow. When they do not all fit, the
last row says what is hidden and which key shows it. The rows are laid out here, in
plain Python (`rows`), with the article view's cell measurement, so nothing is cut by
the terminal.
"""

from __future__ import annotations

import locale
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from textual.content import Content
from textual.widgets import Static

from factmark.corpus.vocabulary import PENDING, VERDICT_NAMES, VERDICTS
from factmark.store.claims import IMPORTED_CUE, LABEL_CUE, AnnotatedClaim
from factmark.store.classroom import Others
from factmark.store.verdicts import VerdictEvent

from .glyphs import UNICODE, Glyphs
from .layout import cells, wrap
from .render import line, link

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

LABEL = 9  # cells of the label column
QUOTE_ROWS = 1  # the article above shows the claim whole
ITEM_ROWS = 2  # rows an item takes at most, unless the reader asks for all
HISTORY_SHOWN = 4
VERDICT_WORDS = {
    None: PENDING,
    **{verdict.name: f"{verdict.name}: {verdict.meaning}" for verdict in VERDICTS},
}


@dataclass(frozen=True)
class Entry:
    """One labelled item of the panel; `value` is untrusted text, shown as plain
    text; `url` makes the value a live link when it is a web link."""

    label: str
    value: str
    style: str = ""
    url: str | None = None


@lru_cache(maxsize=1)
def _all_cue_words() -> dict[str, dict[str, str]]:
    data = resources.files("factmark.tui").joinpath("data/cue_words.toml").read_text("utf-8")
    return tomllib.loads(data)


def user_language() -> str:
    """The cue words' language for this user: "fr" for a French locale, else "en"."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    found = locale.getlocale()[0] or ""
    return "fr" if found.lower().startswith("fr") else "en"


def cue_words(language: str | None = None) -> dict[str, str]:
    """Cue name -> words a student understands, in `language` (default: the user's)."""
    words = _all_cue_words()
    return words.get(language or user_language(), words["en"])


def entries(
    claim: AnnotatedClaim,
    history: list[VerdictEvent],
    others: Others | None,
    glyphs: Glyphs = UNICODE,
    words: dict[str, str] | None = None,
    guessed: bool = False,
) -> list[Entry]:
    """The panel's items for a claim, most important first; `guessed` when the detector
    does not know the article's language, which the "why" line then says."""
    words = words or cue_words()
    verdict = VERDICT_WORDS.get(claim.verdict, line(claim.verdict) or PENDING)
    if claim.dismissed:
        verdict = "dismissed: not a claim"
    if claim.orphaned:
        verdict += f" {glyphs.dot} orphaned: its text changed in an edited article"
    if claim.attributed:
        source = line(claim.source) or "unnamed"
        if claim.vague_source:
            source += f" ({words.get('vague-source', 'vague source')})"
    else:
        source = words.get("no-source", "no source named")
    found = [
        Entry("verdict", verdict),
        Entry("source", source, "bold" if not claim.attributed or claim.vague_source else ""),
    ]
    if others is not None:  # revealed: the key's verdicts and the class's votes
        for key in others.keys:
            explained = f" {glyphs.dot} {key.note}" if key.note else ""
            found.append(Entry("key", f"{key.key}: {key.verdict}{explained}", "bold"))
        votes = others.votes
        counts = " ".join(f"{glyphs.state(v)}{votes.get(v, 0)}" for v in VERDICT_NAMES)
        total = sum(votes.values())
        found.append(
            Entry("class", f"{counts} of {total} student{'s' * (total != 1)}")
            if total
            else Entry("class", "no student has decided it yet")
        )
    reasons = [words.get(cue, cue) for cue in claim.cues if cue != "attributed"]
    if claim.origin == "reader":
        reasons = [words.get("added", "added by a reader")]
        if claim.cues and claim.cues[0].startswith(IMPORTED_CUE):
            reasons.append(_imported(claim.cues, words))
    elif guessed:
        reasons.append(words.get("guessed", "a guess: factmark does not know the language"))
    found.append(Entry("why", ", ".join(reasons) or "-"))
    if claim.note:
        found.append(Entry("note", claim.note))
    if claim.evidence_url:
        found.append(Entry("evidence", claim.evidence_url, url=claim.evidence_url))
    if len(history) > 1:
        found.append(Entry("history", _history(history, glyphs)))
    return found


def _imported(cues: tuple[str, ...], words: dict[str, str]) -> str:
    """`labelled in doccano: CLAIM, STAT` for a claim another tool labelled."""
    labels = ", ".join(cue.removeprefix(LABEL_CUE) for cue in cues[1:] if cue.startswith(LABEL_CUE))
    tool = cues[0].removeprefix(IMPORTED_CUE)
    return f"{words.get('imported', 'labelled in')} {tool}" + (f": {labels}" if labels else "")


def _history(history: list[VerdictEvent], glyphs: Glyphs) -> str:
    """`3 changes: disputed -> unsourced -> note changed`: each change in words."""
    steps, before = [], None
    for event in history:
        if event["action"] == "undo":
            steps.append("undone")
        elif before is None and event["verdict"] is None:  # a note or link first
            steps.append("note added" if event["note"] else "link added")
        elif before is None or event["verdict"] != before["verdict"]:
            steps.append(line(event["verdict"]) or "cleared")
        elif event["note"] != before["note"]:
            steps.append("note changed")
        elif event["evidence_url"] != before["evidence_url"]:
            steps.append("link changed")
        else:
            steps.append("saved again")
        before = event
    shown = steps[-HISTORY_SHOWN:]
    earlier = f"{glyphs.ellipsis} " if len(steps) > len(shown) else ""
    return f"{len(steps)} changes: {earlier}{f' {glyphs.arrow} '.join(shown)}"


def rows(
    claim: AnnotatedClaim | None,
    position: str,
    items: list[Entry],
    width: int,
    height: int | None,
    glyphs: Glyphs = UNICODE,
    more_key: str = "m",
    *,
    everything: bool = False,
) -> list[Content]:
    """The panel's rows at `width` cells: exactly `height` of them (None: as many as
    the items take), each item on two rows at most; with `everything`, items whole
    and no blank rows, within `height`. When items do not fit, the last row names
    what is hidden and the key that shows it."""
    if claim is None:
        return [Content("No claims in this article. Press a to add one.")]
    width = max(20, width)
    quote = _quote(claim, position, width, glyphs, None if everything else QUOTE_ROWS)
    # Room is left at the end of each row for the ellipsis of an item cut short.
    room = width - LABEL - cells(glyphs.ellipsis) - 1
    laid_out = [(item, _item_rows(item, room)) for item in items]
    found = list(quote)
    if height is None or len(found) + sum(len(r) for _, r in laid_out) <= height:
        found += [row for _, item_rows in laid_out for row in item_rows]
        if everything:
            return found
        # Always `height` rows: the panel keeps its size as the reader moves, so the
        # text above neither jumps nor is laid out again.
        return found + [Content("")] * ((height or 0) - len(found))
    budget = max(1, height - 1)
    hidden = []
    for item, item_rows in laid_out:
        shown = item_rows if everything else _cut(item_rows, ITEM_ROWS, glyphs)
        if len(found) + len(shown) <= budget:
            found += shown
            if len(shown) < len(item_rows):
                hidden.append(f"all the {item.label}")
        else:
            hidden.append(item.label)
            budget = len(found)  # keep the order: nothing after a hidden item
    more = f"{glyphs.more} more: {', '.join(hidden)} (press {more_key})"
    return [*found[: max(0, height - 1)], Content(more).stylize("bold")]


def _cut(item_rows: list[Content], most: int, glyphs: Glyphs) -> list[Content]:
    """An item's first `most` rows, the last ending in an ellipsis if it was cut."""
    if len(item_rows) <= most:
        return item_rows
    last = item_rows[most - 1]
    return [*item_rows[: most - 1], Content.assemble(last, f" {glyphs.ellipsis}")]


def _quote(
    claim: AnnotatedClaim, position: str, width: int, glyphs: Glyphs, most: int | None
) -> list[Content]:
    """The claim's glyph, position and text, on at most `most` rows (None: all)."""
    lead = f"{glyphs.state(claim.state)} {position} "
    text = line(claim.text)
    spans = wrap(lead + text, width)
    shown = spans[:most]
    pieces = [(lead + text)[a:b].rstrip(" ") for a, b in shown]
    if len(spans) > len(shown):
        last = pieces[-1]
        while last and cells(last) + cells(glyphs.ellipsis) + 1 > width:
            last = last[:-1]
        if " " in last[len(lead) :]:  # cut between words, not inside one
            last = last[: last.rindex(" ")]
        pieces[-1] = last.rstrip(" ") + " " + glyphs.ellipsis
    first = Content.assemble((pieces[0][: len(lead)], "bold"), (pieces[0][len(lead) :], "italic"))
    return [first, *(Content(p).stylize("italic") for p in pieces[1:])]


def _item_rows(item: Entry, room: int) -> list[Content]:
    """An item's rows: its label, then its value wrapped to `room` cells."""
    value = line(item.value)
    spans = wrap(value, room) or [(0, 0)]
    found = []
    for number, (a, b) in enumerate(spans):
        label = f"{item.label:<{LABEL}}" if number == 0 else " " * LABEL
        piece = value[a:b].rstrip(" ")
        body = link(item.url) if item.url and len(spans) == 1 else Content(piece)
        found.append(Content.assemble((label, "bold"), body.stylize(item.style)))
    return found


class ClaimPanel(Static):
    """The claim panel; `show` lays its rows out for the panel's width."""

    DEFAULT_CSS = """
    ClaimPanel {
        height: auto; padding: 0 1;
        border-top: solid $accent; background: $panel;
    }
    """

    _rows = 0

    def show(self, laid_out: list[Content]) -> None:
        """Show the rows; the screen is laid out again only when their number changes."""
        self.update(Content("\n").join(laid_out), layout=len(laid_out) != self._rows)
        self._rows = len(laid_out)
