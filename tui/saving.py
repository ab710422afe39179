"""Saving from the screens: the one way an action writes to the database.

The write is committed first and the screen is then updated from the database, so
nothing is shown as saved that was not committed. A store or disk error (disk full,
read-only, a damaged file) is one notification and the app keeps running.

A busy database (another program holds the write lock) does not freeze the app: its
store is impatient (it raises StoreBusy at once), and the save is tried again in the
background with growing pauses for up to `FactmarkApp.busy_patience_s`, while the
screen says it is waiting. Meanwhile any key that would write, or leave the article, is
ignored with a notification, so no key pressed while waiting can decide another claim
than the one the reader saw when pressing the first. The save then either lands (and a
notification says so) or gives up with an error notification; nothing is queued.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from typing import Any, TypeVar

from factmark.store.errors import StoreBusy, StoreError

from .glyphs import glyphs_of

# What a save can meet: the store's own errors (StoreBusy, DiskFull, ReadOnly...), and,
# as a safety net, SQLite or the operating system speaking directly.
STORE_ERRORS = (StoreError, sqlite3.Error, OSError)
# Said in the status line while a save waits, followed by the app's ellipsis.
WAITING = "Waiting for the database (another program is writing)"
FIRST_PAUSE_S = 0.05  # between tries while the database is busy, doubling up to
LONGEST_PAUSE_S = 0.5
DEFAULT_PATIENCE_S = 30.0

T = TypeVar("T")


class _GaveUp(Exception):
    """The database stayed busy for longer than the app's patience."""


def problem(exc: BaseException) -> str:
    """A store, SQLite or disk error in one line."""
    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, sqlite3.Error):
        return f"database error: {exc}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__


class Saving:
    """The one way a screen's actions write to the database: `save(write, show, what)`.

    `write()` makes the change (each store function commits before it returns);
    `show(result)` then updates the screen from the database; `what` names the change
    in messages ("the verdict"); `unsaved()`, if given, runs when the change could not
    be saved (a dialog reopens with what was typed). While a save waits for a busy database,
    `waiting_message` says so and the screen's `show_waiting()` puts it on screen.
    """

    _waiting_for: str | None = None  # what a save in the background waits to save
    waiting_message: str | None = None  # shown in the screen's status line meanwhile

    def save(
        self,
        write: Callable[[], T],
        show: Callable[[T], Any],
        what: str,
        unsaved: Callable[[], Any] | None = None,
    ) -> None:
        if self.refuse_while_waiting():
            return
        try:
            result = write()
        except StoreBusy:
            self._waiting_for = what
            self.run_worker(
                self._save_when_free(write, show, what, unsaved), name="save", group="save"
            )
            return
        except STORE_ERRORS as exc:
            self.notify(f"Not saved ({what}): {problem(exc)}", severity="error", markup=False)
            if unsaved:
                unsaved()
            return
        self._show_saved(show, result)

    @property
    def waiting(self) -> bool:
        return self._waiting_for is not None

    def refuse_while_waiting(self) -> bool:
        """True (and a notification) while a save waits for the database."""
        if self._waiting_for is None:
            return False
        self.notify(
            f"Still waiting for the database to save {self._waiting_for}: that key was ignored.",
            severity="warning",
            markup=False,
        )
        return True

    def show_waiting(self) -> None:
        """Show `waiting_message`, or stop showing it when it is None (screens override
        this to use their status line; by default a notification)."""
        if self.waiting_message is not None:
            self.notify(self.waiting_message, markup=False)

    def _show_saved(self, show: Callable[[T], Any], result: T) -> bool:
        try:
            show(result)
        except STORE_ERRORS as exc:  # committed, but reading it back failed
            self.notify(f"Saved, but cannot show it: {problem(exc)}", severity="error")
            return False
        return True

    def _done_waiting(self) -> None:
        self._waiting_for = None
        if self.waiting_message is not None:
            self.waiting_message = None
            self.show_waiting()

    async def _save_when_free(
        self,
        write: Callable[[], T],
        show: Callable[[T], Any],
        what: str,
        unsaved: Callable[[], Any] | None,
    ):
        try:
            result = await self._write_when_free(write)
        except (_GaveUp, *STORE_ERRORS) as exc:
            self._done_waiting()
            reason = (
                f"the database stayed busy for {exc} s (another program is writing). Try again."
                if isinstance(exc, _GaveUp)
                else problem(exc)
            )
            self.notify(f"Not saved ({what}): {reason}", severity="error", markup=False)
            if unsaved:
                unsaved()
            return
        except BaseException:  # cancelled (the app is closing): nothing was saved or shown
            self._waiting_for = self.waiting_message = None
            raise
        self._done_waiting()
        if self._show_saved(show, result):
            self.notify(f"Saved {what} once the database was free.", markup=False)

    async def _write_when_free(self, write: Callable[[], T]) -> T:
        started, pause = time.monotonic(), FIRST_PAUSE_S
        while True:
            await asyncio.sleep(pause)
            try:
                return write()
            except StoreBusy:
                if self.waiting_message is None:  # busy for more than a moment: say so
                    self.waiting_message = WAITING + glyphs_of(self.app).ellipsis
                    self.show_waiting()
                waited = time.monotonic() - started
                if waited >= getattr(self.app, "busy_patience_s", DEFAULT_PATIENCE_S):
                    raise _GaveUp(f"{waited:.0f}") from None
                pause = min(pause * 2, LONGEST_PAUSE_S)
