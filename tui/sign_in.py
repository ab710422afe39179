"""Signing in before reading: the app as `factmark serve` runs it for each browser
session, where nothing but a name and a password says who reads.

The session's process starts on the sign-in screen, with no database open; the
sign-in (given by the caller: a roster check, and the student's copy made ready)
runs in a thread, and only once it succeeds does the app open the reader on that
student's copy, as that student. A wrong password costs a pause before the next try,
and after MAX_TRIES the session ends; so does a session not signed in within
SIGN_IN_S, so that pages left open do not hold the server's places. Signed in, the
session checks every STILL_SIGNED_IN_S that its password still holds, and ends,
saying why, once the teacher has reset it or taken the student off the roster.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Static

from factmark.store.errors import StoreError

from .app import FactmarkApp
from .library import LibraryScreen
from .render import line, plain

MAX_TRIES = 5  # wrong sign-ins before the session ends
PAUSE_S = 2.0  # after a wrong sign-in, before the next try
SIGN_IN_S = 180.0  # from the page's opening to a sign-in, before the session ends
STILL_SIGNED_IN_S = 2.0  # between checks that the teacher has not reset or removed them
SIGNED_OUT_S = 10.0  # the signed-out notice stays this long, then the session ends


@dataclass(frozen=True)
class SignedIn:
    """Who signed in (the annotator name their verdicts are saved under), the database
    they read and write (their own copy), and whether they still may (False once the
    teacher reset their password or took them off the roster; may raise StoreError)."""

    annotator: str
    db_path: Path
    still_signed_in: Callable[[], bool] = lambda: True


# (name, password) -> SignedIn; raises StoreError with a one-line message for the
# student (a wrong password, a name locked for a while, a copy that cannot be made).
SignIn = Callable[[str, str], SignedIn]


class SignInScreen(Screen[None]):
    """A name, a password (never shown), and one line for what went wrong."""

    # Enter is the screen's before the fields': it moves on at once, so that what is
    # typed straight after it lands in the password, not the name. (Each field takes
    # its keys in its own turn, after the screen: what Enter reads of them waits for
    # the keys sent before it.)
    BINDINGS = [Binding("enter", "next_or_sign_in", "Sign in", priority=True, show=False)]

    DEFAULT_CSS = """
    SignInScreen { align: center middle; }
    SignInScreen > Vertical {
        width: 100%; max-width: 60; height: auto; border: round $accent;
        background: $panel; padding: 0 1;
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
        self.set_focus(self.query_one("#name", Input))
        self.deadline = self.set_timer(SIGN_IN_S, self._too_late)

    def _too_late(self) -> None:
        minutes = round(SIGN_IN_S / 60)
        self.app.exit(return_code=1, message=f"no sign-in within {minutes} minutes")

    def action_next_or_sign_in(self) -> None:
        name, password = self.query_one("#name", Input), self.query_one("#password", Input)
        if self.focused is password:
            name.call_later(password.call_later, self._sign_in)
        elif self.focused is name:
            self.set_focus(password)

    def _sign_in(self) -> None:
        name, password = self.query_one("#name", Input), self.query_one("#password", Input)
        if name.disabled:
            return  # signing in already
        if not name.value.strip():
            self.set_focus(name)
            return
        self.query_one("#problem", Static).update(plain("Signing in..."))
        for field in (name, password):
            field.disabled = True
        self.run_worker(self._signing_in(name, password), exclusive=True)

    async def _signing_in(self, name: Input, password: Input) -> None:
        """The sign-in off the app's loop; on a refusal, its message, then a pause."""
        problem = self.query_one("#problem", Static)
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
            self.set_focus(password)
            return
        self.deadline.stop()
        password.value = ""
        app = self.app
        assert isinstance(app, ServedApp)
        app.begin(signed)


class SignedOutScreen(Screen[None]):
    """What a student reads once the teacher has reset their password or taken them
    off the roster, until the session ends."""

    DEFAULT_CSS = """
    SignedOutScreen { align: center middle; }
    SignedOutScreen > Static {
        width: 100%; max-width: 60; height: auto; border: round $error; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(
            plain(
                "Signed out: your teacher gave your name a new password, or took it off "
                "the roster. Every verdict you saw saved is kept. Ask your teacher, then "
                "reload the page to sign in again."
            )
        )


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

    def reading_in(self) -> str:
        """The class: a browser is not shown the server's paths."""
        return line(self.place)

    def notify(self, message: str, **options: Any) -> None:
        """Every notice, with the server's paths said in words: the copy's path is "your
        copy", the class folder's the class's name (a database's error names its file)."""
        if self.reading:
            message = str(message).replace(str(self.db_path), "your copy")
            message = message.replace(str(self.db_path.parent.parent), self.place)
        super().notify(message, **options)

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
        self.set_interval(STILL_SIGNED_IN_S, partial(self._check_signed_in, signed))

    async def _check_signed_in(self, signed: SignedIn) -> None:
        """End the session once its password no longer holds: a teacher who resets a
        leaked password cuts off whoever used it (every verdict shown saved stays)."""
        try:
            still = await asyncio.to_thread(signed.still_signed_in)
        except StoreError:
            still = False  # a roster that cannot be read lets no one in
        if not still and not isinstance(self.screen, SignedOutScreen):
            # The student reads why, over the reader (whose keys no longer reach it),
            # the teacher's terminal whose session it was.
            self.push_screen(SignedOutScreen())
            message = f"{self.annotator}: signed out (a new password, or off the roster)"
            self.set_timer(SIGNED_OUT_S, partial(self.exit, return_code=1, message=message))
