"""Every key binding of the app, by screen and widget, and the contexts they are
checked in: the one place the default keys are written (`keymaps/default.toml`
names the same ids, and a test keeps the two in step).

Kept apart from the screens so that the command line checks a keymap, and the help
screen lists every key, without loading the reader and its dialogs. A binding's id
is "<owner>.<action>"; `keymaps` maps ids to keys.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding

APP: list[Binding] = [
    Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False),
    Binding("question_mark,f1", "help", "Help", id="app.help"),
]


LIBRARY: list[Binding] = [
    Binding("enter", "open_article", "Open", id="library.open"),
    Binding("o", "sort", "Sort", id="library.sort"),
    Binding("f", "filter_language", "Language", id="library.filter_language"),
    Binding("t", "filter_progress", "Progress", id="library.filter_progress"),
    Binding("slash", "search", "Search", id="library.search"),
    Binding("s", "load_sample", "Sample corpus", id="library.sample", show=False),
    Binding("q", "app.quit", "Quit", id="library.quit"),
]


TABLE: list[Binding] = [
    Binding("up", "cursor(-1)", "Up", show=False),
    Binding("down", "cursor(1)", "Down", show=False),
    Binding("pageup", "page(-1)", "Page up", show=False),
    Binding("pagedown", "page(1)", "Page down", show=False),
    Binding("home", "cursor_to(0)", "First", show=False),
    Binding("end", "cursor_to(-1)", "Last", show=False),
    # As DataTable does: the table takes Enter itself, so that the key is spent
    # before the screen it opens is there to see it.
    Binding("enter", "select", "Open", show=False),
]


READER: list[Binding] = [
    Binding("n", "next_claim", "Next", id="reader.next"),
    Binding("p", "previous_claim", "Prev", id="reader.previous"),
    Binding("space", "next_pending", "Next pending", id="reader.next_pending"),
    Binding("1,v", "verdict('verified')", "Verified", id="reader.verified"),
    Binding("2,d", "verdict('disputed')", "Disputed", id="reader.disputed"),
    Binding("3,u", "verdict('unsourced')", "Unsourced", id="reader.unsourced"),
    Binding("0,c", "verdict(None)", "Clear", id="reader.clear", show=False),
    Binding("z", "undo", "Undo", id="reader.undo"),
    Binding("y", "redo", "Redo", id="reader.redo", show=False),
    Binding("e", "note", "Note", id="reader.note"),
    Binding("E", "note_in_editor", "Note in $EDITOR", id="reader.note_editor", show=False),
    Binding("l", "evidence", "Link", id="reader.evidence"),
    Binding("m", "details", "More about the claim", id="reader.details", show=False),
    Binding("a", "add_claim", "Add claim", id="reader.add_claim", show=False),
    Binding("x", "dismiss_claim", "Dismiss", id="reader.dismiss", show=False),
    Binding("w", "loaded_words", "Loaded words", id="reader.loaded", show=False),
    Binding("slash", "search", "Search", id="reader.search", show=False),
    Binding(
        "right_square_bracket",
        "other_article(1)",
        "Next article",
        id="reader.next_article",
        show=False,
    ),
    Binding(
        "left_square_bracket",
        "other_article(-1)",
        "Prev article",
        id="reader.previous_article",
        show=False,
    ),
    Binding("g", "jump", "Go to article", id="reader.jump", show=False),
    Binding("s", "toggle_stay", "Stay/advance", id="reader.stay", show=False),
    Binding("q,escape", "back", "Back", id="reader.back"),
]


VIEW: list[Binding] = [
    Binding("down", "scroll_down", "Scroll down", id="view.down", show=False),
    Binding("up", "scroll_up", "Scroll up", id="view.up", show=False),
    Binding("pagedown", "page_down", "Page down", id="view.page_down", show=False),
    Binding("pageup", "page_up", "Page up", id="view.page_up", show=False),
    Binding("home", "scroll_home", "Top", id="view.top", show=False),
    Binding("end", "scroll_end", "Bottom", id="view.bottom", show=False),
]


DIALOG: list[Binding] = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]


NOTE: list[Binding] = [Binding("ctrl+s", "save", "Save note", id="note.save")]


SELECT: list[Binding] = [
    Binding("down", "move(1)", "Next", id="select.next"),
    Binding("up", "move(-1)", "Previous", id="select.previous"),
    Binding("right", "grow(1)", "Longer", id="select.grow"),
    Binding("left", "grow(-1)", "Shorter", id="select.shrink"),
    Binding("shift+right,pagedown", "grow_sentence(1)", "+Sentence", id="select.grow_sentence"),
    Binding("shift+left,pageup", "grow_sentence(-1)", "-Sentence", id="select.shrink_sentence"),
    Binding("enter", "confirm", "Add claim", id="select.confirm"),
]


HELP: list[Binding] = [
    Binding("escape,q,question_mark", "app.pop_screen", "Close", id="help.close")
]

# Where bindings live, by context: a key may be bound once per context. The app's own
# bindings count in every context.
CONTEXTS: dict[str, tuple[list[Binding], ...]] = {
    "library": (LIBRARY,),
    "reader": (READER, VIEW),
    "note": (DIALOG, NOTE),
    "add claim": (DIALOG, SELECT),
}


def with_ids(lists: Iterable[list[Binding]]) -> list[Binding]:
    """The bindings of `lists` that have an id (the ones a keymap can change)."""
    return [b for bindings in lists for b in bindings if b.id]


def binding_contexts() -> dict[str, dict[str, str]]:
    """For keymap validation: per context, binding id -> default keys (app-wide
    bindings count in every context)."""
    everywhere = {b.id: b.key for b in with_ids([APP])}
    return {
        context: {**everywhere, **{b.id: b.key for b in with_ids(lists)}}
        for context, lists in CONTEXTS.items()
    }
