"""Small modal dialogs: note, evidence link, search, jump to article, add a claim.

Each is a `ModalScreen[T]` that dismisses with its answer, or None when cancelled
(escape), in the manner of Frogmouth's dialogs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Label, Static, TextArea

from factmark.store.errors import StoreError
from factmark.store.gate import check_url

from . import bindings
from .glyphs import glyphs_of
from .model import Candidate
from .render import line, plain, safe

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90%; max-width: 100; height: auto; max-height: 90%;
    border: round $accent; background: $panel; padding: 0 1;
}}
{name} Label.title {{ text-style: bold; }}
{name} Static.hint {{ color: $text-muted; }}
"""


def hint_line(app: App, *parts: str) -> Content:
    """A dialog's hint line: its parts between the app's dot separators."""
    return plain(f" {glyphs_of(app).dot} ".join(line(part) for part in parts))


class Dialog(ModalScreen):
    """Cancel with escape; subclasses say what they return."""

    BINDINGS = bindings.DIALOG

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteDialog(Dialog):
    DEFAULT_CSS = DIALOG_CSS.format(name="NoteDialog") + "NoteDialog TextArea { height: 8; }"
    BINDINGS = bindings.NOTE

    def __init__(self, note: str | None) -> None:
        super().__init__()
        self.note = safe(note)  # the render guard: a stored note may be hostile

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(plain("Note on this claim"), classes="title")
            yield TextArea(self.note, id="note", soft_wrap=True, show_line_numbers=False)
            yield Static(
                hint_line(self.app, "ctrl+s save", "escape cancel", "an empty note clears it"),
                classes="hint",
            )

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)


class _WebLink(Validator):
    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.success()
        try:
            check_url(value.strip())
        except StoreError as exc:
            return self.failure(str(exc))
        return self.success()


class LineDialog(Dialog):
    """One line of input; enter answers. `hint` is one line, or its parts (shown
    between the app's dot separators)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="LineDialog")

    def __init__(
        self,
        title: str,
        value: str = "",
        hint: str | Sequence[str] = "",
        validators: list[Validator] | None = None,
    ) -> None:
        super().__init__()
        # Every string shown passes the render guard: the initial value may be stored text.
        self.title_text, self.value = line(title), line(value)
        self.hint_parts = (hint,) if isinstance(hint, str) else tuple(hint)
        self.validators = validators or []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(plain(self.title_text), classes="title")
            yield Input(self.value, validators=self.validators, id="line")
            yield Static(hint_line(self.app, *self.hint_parts), classes="hint", id="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.validation_result is not None and not event.validation_result.is_valid:
            message = "; ".join(event.validation_result.failure_descriptions)
            self.query_one("#hint", Static).update(plain(message))
            return
        self.dismiss(event.value.strip())


def link_dialog(url: str | None) -> LineDialog:
    return LineDialog(
        "Evidence link (http:// or https://)",
        url or "",
        ("enter save", "empty clears", "escape cancel"),
        [_WebLink()],
    )


def search_dialog(query: str) -> LineDialog:
    return LineDialog("Search in the text", query, ("enter finds the next match", "escape cancels"))


def jump_dialog() -> LineDialog:
    return LineDialog("Open article number", "", ("enter opens it", "escape cancels"))


class AddClaimDialog(Dialog):
    """Choose a span the detector missed, by clause and sentence, from the keyboard.

    Only spans that may become a claim are offered: clauses of one paragraph that
    overlap no claim (`candidates`, from the reader model), grown only while
    `is_free(start, end)` holds. The selection is shown highlighted in the article
    behind the dialog.
    """

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="AddClaimDialog")
        + """
    AddClaimDialog { align: center bottom; }
    AddClaimDialog > Vertical { margin-bottom: 1; }
    """
    )
    BINDINGS = bindings.SELECT

    def __init__(
        self,
        text: str,
        candidates: list[Candidate],
        at: int,
        view,
        is_free: Callable[[int, int], bool],
    ) -> None:
        super().__init__()
        self.text, self.units, self.view, self.is_free = text, candidates, view, is_free
        self.first = self.last = _nearest(text, candidates, at)

    def compose(self) -> ComposeResult:
        dot = self.app.glyphs.dot
        with Vertical():
            yield Label(plain("Add a claim"), classes="title")
            yield Static(id="selected")
            yield Static(
                plain(
                    f"up/down move {dot} left/right shorter/longer by clause {dot} "
                    f"shift+left/right by sentence {dot} enter add {dot} escape cancel"
                ),
                classes="hint",
            )

    def on_mount(self) -> None:
        self._show()

    def span(self) -> tuple[int, int]:
        return self.units[self.first].start, self.units[self.last].end

    def _show(self) -> None:
        start, end = self.span()
        self.view.set_overlay(selection=(start, end))
        self.view.scroll_to_offset(start, end)
        self.query_one("#selected", Static).update(plain(line(self.text[start:end])))

    def _joins(self, last: int) -> bool:
        """True when the selection may grow to unit `last`."""
        return 0 <= last < len(self.units) and self.is_free(
            self.units[self.first].start, self.units[last].end
        )

    def action_move(self, step: int) -> None:
        self.first = self.last = min(max(0, self.first + step), len(self.units) - 1)
        self._show()

    def action_grow(self, step: int) -> None:
        last = self.last + step
        if last >= self.first and (step < 0 or self._joins(last)):
            self.last = last
        self._show()

    def action_grow_sentence(self, step: int) -> None:
        sentence = self.units[self.last].sentence + step
        same = [
            i
            for i in range(self.first, len(self.units))
            if self.units[i].sentence == sentence and self._joins(i)
        ]
        if same:
            self.last = same[-1]
        elif step < 0:
            self.last = self.first
        self._show()

    def action_confirm(self) -> None:
        self.dismiss(self.span())

    def on_unmount(self) -> None:
        self.view.set_overlay(selection=None)


def _nearest(text: str, candidates: list[Candidate], at: int) -> int:
    """The index of the candidate to offer first for `at`: in `at`'s own paragraph
    the first one ending after it, else the last one before it there; in no other
    paragraph, the candidate nearest to `at`."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    end = len(text) if end == -1 else end
    here = [i for i, c in enumerate(candidates) if start <= c.start and c.end <= end]
    after = [i for i in here if candidates[i].end > at]
    if here:
        return after[0] if after else here[-1]
    return min(
        range(len(candidates)),
        key=lambda i: max(candidates[i].start - at, at - candidates[i].end, 0),
        default=0,
    )
