"""A one-line key legend that replaces Textual's `Footer`: the keys that matter most, in
the order a screen gives, as many as fit, never cut mid-word, and `?` always last.

A screen lists what its legend shows, most important first, as binding ids in its class
attribute `LEGEND: tuple[str, ...]`. Keys are shown as a person types them (`?`, `/`,
`]`, `space`, `ctrl+q`), the first key bound now (the app's keymap applies), and labels
are the bindings' descriptions.

The fitting maths (`choose`, `fit`) and the key names (`key_display`) are plain
functions, without Textual widgets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from textual.binding import Binding
from textual.content import Content
from textual.events import Resize
from textual.keys import format_key
from textual.widget import Widget

from .glyphs import Glyphs

__all__ = [
    "HELP_ID",
    "KeyLegend",
    "bindings_by_id",
    "choose",
    "fit",
    "is_ascii",
    "key_display",
    "keys_display",
    "legend_items",
]

HELP_ID = "app.help"  # always shown, last
SEPARATOR = "  "  # between two items: plain ASCII

# How a key is typed, in words, for terminals that draw only ASCII (Textual shows
# these keys as arrows and symbols).
ASCII_KEY_NAMES = {
    "up": "up",
    "down": "down",
    "left": "left",
    "right": "right",
    "enter": "enter",
    "backspace": "backspace",
}


def key_display(key: str, ascii_only: bool = False) -> str:
    """One Textual key name as a person types it: "question_mark" -> "?", "slash" ->
    "/", "right_square_bracket" -> "]", "escape" -> "esc", "ctrl+q" -> "ctrl+q",
    "shift+right" -> "shift+→" (with `ascii_only`, "shift+right")."""
    *modifiers, name = key.split("+") if key != "+" else [key]
    shown = format_key(name)
    if ascii_only and not shown.isascii():
        shown = ASCII_KEY_NAMES.get(name, name)
    return "+".join([*modifiers, shown])


def keys_display(keys: str, ascii_only: bool = False) -> list[str]:
    """A binding's key string, as typed: "question_mark,f1" -> ["?", "f1"]."""
    return [key_display(key.strip(), ascii_only) for key in keys.split(",") if key.strip()]


def is_ascii(glyphs: Glyphs) -> bool:
    """True when the app draws only ASCII symbols (`--ascii`, or a plain terminal)."""
    drawn = (*glyphs.states.values(), glyphs.current, glyphs.ellipsis, glyphs.dot)
    return all(symbol.isascii() for symbol in (*drawn, glyphs.arrow, glyphs.more, glyphs.icon))


def _item_text(item: tuple[str, str]) -> str:
    key, label = item
    return f"{key} {label}" if label else key


def _width(items: Sequence[tuple[str, str]]) -> int:
    return cell_len(SEPARATOR.join(_item_text(item) for item in items))


def _greedy(
    items: Sequence[tuple[str, str]], width: int, last: tuple[str, str]
) -> list[tuple[str, str]]:
    """The longest prefix of `items` that fits in `width` cells with `last` after it."""
    chosen: list[tuple[str, str]] = []
    for item in items:
        if _width([*chosen, item, last]) > width:
            break
        chosen.append(item)
    return chosen


def choose(
    items: Sequence[tuple[str, str]], width: int, last: tuple[str, str], keep: int = 3
) -> list[tuple[str, str]]:
    """The (key, label) pairs shown in `width` cells: `items` in priority order while
    they fit, then `last` (the help key) always.

    The help key keeps its label ("? Help") unless that leaves room for fewer than
    `keep` items, when it is shown bare ("?"). If not even `last` fits, its key alone is
    returned if that fits, else nothing: an item is never cut.

    >>> choose([("1", "Verified"), ("2", "Disputed")], 20, ("?", "Help"))
    [('1', 'Verified'), ('?', 'Help')]
    >>> choose([("1", "Verified"), ("2", "Disputed")], 25, ("?", "Help"), keep=2)
    [('1', 'Verified'), ('2', 'Disputed'), ('?', '')]
    """
    bare = (last[0], "")
    labelled = _greedy(items, width, last)
    if len(labelled) >= min(keep, len(items)) and _width([*labelled, last]) <= width:
        return [*labelled, last]
    chosen = _greedy(items, width, bare)
    if _width([*chosen, bare]) <= width:
        # A bare "?" only when it buys items; else the label stays if it fits.
        if len(chosen) == len(labelled) and _width([*labelled, last]) <= width:
            return [*labelled, last]
        return [*chosen, bare]
    return []


def fit(items: Sequence[tuple[str, str]], width: int, last: tuple[str, str], keep: int = 3) -> str:
    """The legend line for `width` cells (see `choose`): "1 Verified  2 Disputed  ? Help".

    Its cell width (`rich.cells.cell_len`) is never more than `width`.
    """
    return SEPARATOR.join(_item_text(item) for item in choose(items, width, last, keep))


def bindings_by_id(owners: Iterable[type]) -> dict[str, Binding]:
    """Binding id -> Binding, from the `BINDINGS` of `owners` and their base classes
    (the first owner that binds an id wins)."""
    found: dict[str, Binding] = {}
    for owner in owners:
        for cls in owner.__mro__:
            for binding in getattr(cls, "BINDINGS", ()) or ():
                if isinstance(binding, Binding) and binding.id:
                    found.setdefault(binding.id, binding)
    return found


def legend_items(
    bindings: dict[str, Binding],
    ids: Sequence[str],
    keymap: dict[str, str] | None = None,
    ascii_only: bool = False,
) -> tuple[list[tuple[str, str]], tuple[str, str]]:
    """([(key, label)...] for `ids`, the help item (`HELP_ID`)) from `bindings` (id ->
    Binding, see `bindings_by_id`): each binding's first key bound now (`keymap`: id ->
    "k1,k2", else the binding's own), as typed, and its description.

    An id that nothing binds is skipped.
    """
    keymap = keymap or {}

    def item(binding_id: str) -> tuple[str, str] | None:
        binding = bindings.get(binding_id)
        if binding is None:
            return None
        keys = keys_display(keymap.get(binding_id, binding.key), ascii_only)
        return (keys[0], binding.description) if keys else None

    items = [found for binding_id in ids if (found := item(binding_id))]
    return items, item(HELP_ID) or ("?", "Help")


class KeyLegend(Widget):
    """One line of `key label` pairs for the binding ids in the screen's `LEGEND`, as
    many as fit, and the help key last. Redrawn on resize."""

    DEFAULT_CSS = """
    KeyLegend {
        dock: bottom;
        height: 1;
        width: 1fr;
        padding: 0 0 0 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, *, keep: int = 3, id: str | None = None) -> None:
        """`keep`: how many items the help key's label never displaces (see `choose`)."""
        super().__init__(id=id)
        self.keep = keep

    def on_resize(self, event: Resize) -> None:
        self.refresh()

    def _items(self) -> tuple[list[tuple[str, str]], tuple[str, str]]:
        """The screen's `LEGEND` items and the help item, with the app's keymap."""
        app, screen = self.app, type(self.screen)
        glyphs = getattr(app, "glyphs", None)
        return legend_items(
            bindings_by_id([screen, type(app)]),
            getattr(screen, "LEGEND", ()),
            getattr(app, "keymap", None),
            is_ascii(glyphs) if isinstance(glyphs, Glyphs) else False,
        )

    def render(self) -> Content:
        """The line `fit` gives for the current width, keys in bold."""
        items, last = self._items()
        chosen = choose(items, self.content_size.width, last, self.keep)
        parts: list[Content] = []
        for key, label in chosen:
            part = Content(key).stylize("bold")
            parts.append(part + Content(f" {label}") if label else part)
        return Content(SEPARATOR).join(parts)
