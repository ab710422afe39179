"""Ending the app when its terminal goes away (SIGHUP) or it is told to (SIGTERM).

Textual's shutdown restores the terminal and waits for its writer thread: with the
terminal gone (an SSH session dropped, a tmux session killed) that wait can last for
ever, and a handler run by the event loop never runs while the loop is stuck or busy
(rebuilding a long library). So the handler is Python's own, run in the main thread
between two steps of whatever it is doing: it asks the app to exit, and a timer ends
the process EXIT_GRACE seconds later if the shutdown has not. Nothing is lost: every
verdict is committed before the screen shows it saved, and SQLite rolls back a write
cut short the next time the database is opened.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

EXIT_GRACE = 1.0  # seconds the app's own shutdown is given
SIGNALS = (signal.SIGHUP, signal.SIGTERM)
# Leave the alternate screen, show the cursor, stop mouse reports and bracketed paste:
# what a clean shutdown would have written, in case the terminal is still there.
_TERMINAL_RESET = b"\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1003l\x1b[?1006l\x1b[?2004l"


def end_on_signals(exit_app: Callable[[], object], loop: asyncio.AbstractEventLoop) -> None:
    """On SIGHUP or SIGTERM, call `exit_app` on `loop` and end the process with status
    128 + the signal's number if it is still running EXIT_GRACE seconds later. Must be
    called from the main thread."""

    def on_signal(number: int, _frame: FrameType | None) -> None:
        timer = threading.Timer(EXIT_GRACE, _end, (128 + number,))
        timer.daemon = True
        timer.start()
        with contextlib.suppress(RuntimeError):  # a closed loop: the app is ending
            loop.call_soon_threadsafe(exit_app)

    for number in SIGNALS:
        signal.signal(number, on_signal)


def _end(status: int) -> None:
    """Reset the terminal if it is still there (never waiting for it), then end."""
    try:
        stream = sys.__stderr__
        if stream is not None:
            descriptor = stream.fileno()
            os.set_blocking(descriptor, False)
            os.write(descriptor, _TERMINAL_RESET)
    except (OSError, ValueError):
        pass
    os._exit(status)
