"""Driving `factmark serve` in a real browser: Debian's Chromium through Playwright, with
what each page shows read as its terminal draws it.

The page draws on a canvas, so its text is not in the page: what the session sends
down the page's websocket (terminal output) is fed to pyte, a terminal emulator, at
the size the page asked for. Every request the page makes is recorded, to check that
none leaves the machine. `.ci/run` installs Chromium when it is missing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyte
from playwright.sync_api import Browser, Page, WebSocket

CHROMIUM = Path("/usr/bin/chromium")
# As root in a container, without a GPU, and asking nothing of the network itself.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class BrowserTerminal:
    """One page of factmark in a browser context of its own (its own cookies and
    storage: another person at another computer)."""

    def __init__(self, browser: Browser, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1100, "height": 700})
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page: Page = self.context.new_page()
        self.page.on("websocket", self._follow)
        self.screen: pyte.Screen | None = None
        self.stream: pyte.ByteStream | None = None
        self.page.goto(url)

    def _follow(self, socket: WebSocket) -> None:
        self.requests.append(socket.url)
        socket.on("framesent", self._sent)
        socket.on("framereceived", self._received)

    def _sent(self, payload: str | bytes) -> None:
        if isinstance(payload, str) and payload.startswith('["resize"'):
            size = json.loads(payload)[1]
            if self.screen is None:
                self.screen = pyte.Screen(size["width"], size["height"])
                self.stream = pyte.ByteStream(self.screen)
            else:
                self.screen.resize(size["height"], size["width"])

    def _received(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes) and self.stream is not None:
            self.stream.feed(payload)

    def text(self) -> str:
        """The terminal's screen as the page shows it, one line a row."""
        return "\n".join(self.screen.display) if self.screen else ""

    def wait_for(self, shown: str, seconds: float = 20) -> str:
        """The screen once it shows `shown`; AssertionError with the screen if it does
        not within `seconds` (a bound on a hang, not a measure of speed)."""
        for _ in range(int(seconds / 0.05)):
            if shown in self.text():
                return self.text()
            self.page.wait_for_timeout(50)
        raise AssertionError(f"{shown!r} never shown; the page shows:\n{self.text()}")

    def type(self, *keys: str) -> None:
        """Keys as a student types them, into whatever has the focus (no click)."""
        for key in keys:
            if len(key) > 1:
                self.page.keyboard.press(key)
            else:
                self.page.keyboard.type(key)

    def cursor(self) -> tuple[int, int]:
        assert self.screen is not None
        return self.screen.cursor.y, self.screen.cursor.x

    def close(self) -> None:
        self.context.close()
