"""The claim panel: what the current claim is, why it was highlighted, and its verdict."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from .render import line, link, plain

MAX_QUOTE = 140
HISTORY_SHOWN = 4
VERDICT_WORDS = {
    None: "pending",
    "verified": "verified: a reliable source confirms it",
    "disputed": "disputed: reliable sources contradict it",
    "unsourced": "unsourced: no adequate source given or found",
}


def _line(label: str, value: str, style: str = "") -> Content:
    """A labelled line of the panel; the value is untrusted, shown as plain text."""
    return Content.assemble((f"{label:<9}", "bold"), plain(line(value), style))


def describe(
    claim: dict | None,
    position: str,
    glyph: str,
    history: list[dict],
    others: dict | None = None,
) -> Content:
    """The panel's text for a claim. Every value is untrusted: it goes through the
    render guard (cleaned, never markup), and only a web link is a live link."""
    if claim is None:
        return Content("No claims in this article. Press a to add one.")
    text = line(claim["text"])
    if len(text) > MAX_QUOTE:  # the article above shows it whole
        text = text[:MAX_QUOTE].rsplit(" ", 1)[0] + " …"
    cues = ", ".join(_cues(claim))
    if claim["attributed"]:
        source = claim["source"] or "unnamed"
        source = f"{source} (vague source)" if claim["vague_source"] else source
    else:
        source = "no source named"
    verdict = VERDICT_WORDS.get(claim["verdict"], line(claim["verdict"]) or "pending")
    if claim["dismissed"]:
        verdict = "dismissed: not a claim"
    if claim["orphaned"]:
        verdict += " · orphaned: its text changed in an edited article"
    lines = [
        Content.assemble((f"{glyph} {position} ", "bold"), plain(text, "italic")),
        _line("why", f"score {claim['score'] or 0:.2f}: {cues or 'added by a reader'}"),
        _line("source", source, "bold" if not claim["attributed"] or claim["vague_source"] else ""),
        _line("verdict", verdict),
    ]
    if claim["note"]:
        lines.append(_line("note", claim["note"]))
    if len(history) > 1:
        steps = [line(event["verdict"]) or "cleared" for event in history[-HISTORY_SHOWN:]]
        earlier = len(history) - len(steps)
        lines.append(
            _line(
                "history",
                ("… " if earlier else "") + " → ".join(steps) + f" ({len(history)} changes)",
            )
        )
    if others is not None:  # revealed: the key's verdicts and the class's votes
        for key, verdict, note in others["keys"]:
            lines.append(_line("key", f"{key}: {verdict}" + (f" · {note}" if note else ""), "bold"))
        votes = others["class"]
        lines.append(
            _line(
                "class",
                f"✓{votes.get('verified', 0)} ✗{votes.get('disputed', 0)} "
                f"?{votes.get('unsourced', 0)} of {sum(votes.values())}",
            )
        )
    if claim["evidence_url"]:
        # A terminal hyperlink (OSC 8) where the terminal supports one, for web links only.
        lines.append(Content.assemble(("evidence ", "bold"), link(claim["evidence_url"])))
    return Content("\n").join(lines)


def _cues(claim: dict) -> list[str]:
    import json

    try:
        return [str(c) for c in json.loads(claim["cues"] or "[]")]
    except ValueError:
        return []


class ClaimPanel(Static):
    DEFAULT_CSS = """
    ClaimPanel {
        height: auto; max-height: 8; padding: 0 1;
        border-top: solid $accent; background: $panel;
    }
    """
