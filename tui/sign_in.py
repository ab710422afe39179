"""Signing in before reading: the app as `factmark serve` runs it for each browser
session, where nothing but a name and a password says who reads.

The session's process starts on the sign-in screen, with no database open; the
sign-in (given by the caller: a roster check, and the student's copy made ready)
runs in a thread, and only once it succeeds does the app open the reader on that
student's copy, as that student. A wrong password costs a pause before the next try,
and after MAX_TRIES the session ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Static

from factmark.store.errors import StoreError

from .app import FactmarkApp
from .library import LibraryScreen
from .render import line, plain

MAX_TRIES = 5  # wrong sign-ins before the session ends
PAUSE_S = 2.0  # after a wrong sign-in, before the next try


@dataclass(frozen=True)
class SignedIn:
    """Who signed in (the annotator name their verdicts are saved under) and the
    database they read and write (their own copy)."""

    annotator: str
    db_path: Path


# (name, password) -> SignedIn; raises StoreError with a one-line message for the
# student (a wrong password, a name locked for a while, a copy that cannot be made).
SignIn = Callable[[str, str], SignedIn]


class SignInScreen(Screen[None]):
    """A name, a password (never shown), and one line for what went wrong."""

    DEFAULT_CSS = """
    SignInScreen { align: center middle; }
    SignInScreen > Vertical {
        width: 60; height: auto; border: round $accent; background: $panel; padding: 0 1;
    }
    SignInScreen Label.title { text-style: bold; }
    SignInScreen Static.hint { color: $text-muted; }
    SignInScreen Static#problem { color: $error; }
    """

    def __init__(self, sign_in: SignIn, place: str) -> None:
        super().__init__()
        self.sign_in = sign_in
        self.place = place  # one line: the class this signs in to
        self.tries = 0

    def compose(self) -> ComposeResult:
        yield Header(icon=self.app.glyphs.icon)
        with Vertical():
            yield Label(plain("Sign in"), classes="title")
            yield Static(plain(line(self.place)), classes="hint")
            yield Input(placeholder="your name", id="name")
            yield Input(placeholder="your password", password=True, id="password")
            yield Static(plain("Enter signs in. Your teacher gives you both."), classes="hint")
            yield Static("", id="problem")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        name, password = self.query_one("#name", Input), self.query_one("#password", Input)
        if event.input is name:
            password.focus()
            return
        if not name.value.strip():
            name.focus()
            return
        problem = self.query_one("#problem", Static)
        problem.update(plain("Signing in..."))
        for field in (name, password):
            field.disabled = True
        try:
            signed = await asyncio.to_thread(self.sign_in, name.value, password.value)
        except StoreError as exc:
            self.tries += 1
            password.value = ""
            problem.update(plain(line(str(exc))))
            if self.tries >= MAX_TRIES:
                self.app.exit(return_code=1)
                return
            await asyncio.sleep(PAUSE_S)
            for field in (name, password):
                field.disabled = False
            password.focus()
            return
        password.value = ""
        app = self.app
        assert isinstance(app, ServedApp)
        app.begin(signed)


class ServedApp(FactmarkApp):
    """factmark's reader for one browser session: a sign-in first, then the library
    and reader on the signed-in student's copy, as that student."""

    def __init__(
        self,
        sign_in: SignIn,
        place: str,
        sample: Path,
        keymap: dict[str, str] | None = None,
        *,
        ascii_glyphs: bool = False,
    ) -> None:
        """`sign_in`: checks a name and password and readies the copy (see SignIn);
        `place`: one line naming the class, shown at sign-in."""
        self.set_up(sample, keymap, stay=False, ascii_glyphs=ascii_glyphs, theme=None)
        self.sign_in = sign_in
        self.place = place

    def get_default_screen(self) -> Screen:
        return SignInScreen(self.sign_in, self.place)

    def begin(self, signed: SignedIn) -> None:
        """Open the reader as `signed` says: the library over the sign-in screen, which
        it never goes back to (the library has no way back). A copy that cannot be
        opened ends the session with its message on standard error."""
        try:
            self.open_reader(signed.db_path, signed.annotator)
        except (StoreError, ValueError) as exc:
            self.exit(return_code=1, message=line(str(exc)))
            return
        self.push_screen(LibraryScreen())
