"""The web server of `factmark serve`: one page, its scripts and font, and a websocket
per browser session, each driving its own reader process through textual-serve's
AppService (which speaks Textual's web driver protocol).

The page is factmark's own (cli/page/), with textual-serve's terminal script, its
stylesheet and its Roboto Mono font served from the installed package: nothing is
fetched from anywhere else, and the page's Content-Security-Policy forbids it. The
server holds no identity: each session's process asks for a name and password
(cli/session.py). What the browser sends is keys, a terminal size and focus; it
chooses nothing on the session's command line.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

PAGE = Path(str(resources.files("factmark.cli") / "page"))
_LIBRARY_STATIC = Path(textual_serve.__file__).parent / "static"
# Every file the page asks for, by its path under /static/: nothing else is served.
ASSETS = {
    "factmark.js": PAGE / "factmark.js",
    "factmark.css": PAGE / "factmark.css",
    "js/textual.js": _LIBRARY_STATIC / "js" / "textual.js",
    "css/xterm.css": _LIBRARY_STATIC / "css" / "xterm.css",
    "fonts/RobotoMono-VariableFont_wght.ttf": _LIBRARY_STATIC
    / "fonts"
    / "RobotoMono-VariableFont_wght.ttf",
}
# Scripts, styles and the font from this server only; the websocket to it ('self').
# xterm.js adds style elements of its own, hence 'unsafe-inline' for styles only.
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "font-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
MIN_SIZE, MAX_SIZE = 10, 1000  # a terminal's columns or rows, as the browser measures


@dataclass
class Sessions:
    """What the server serves: `command` (a shell command line) runs one session,
    at most `limit` at once; `loopback`: served on this machine only, where a page
    must be asked for by a loopback name (a web page elsewhere cannot rebind its name
    to this server)."""

    command: str
    limit: int
    loopback: bool
    open: set[web.WebSocketResponse] = field(default_factory=set)
    downloads: DownloadManager = field(default_factory=DownloadManager)

    def application(self) -> web.Application:
        """The aiohttp application: GET /, /static/NAME (ASSETS only) and /ws."""
        app = web.Application(middlewares=[self._checked_host])
        app.add_routes(
            [
                web.get("/", self.index),
                web.get("/static/{name:.+}", self.asset),
                web.get("/ws", self.websocket),
            ]
        )
        app.on_shutdown.append(self._close_all)
        return app

    @web.middleware
    async def _checked_host(self, request: web.Request, handler: Callable) -> web.StreamResponse:
        if self.loopback and request.host.rsplit(":", 1)[0] not in LOOPBACK_NAMES:
            raise web.HTTPMisdirectedRequest(text="served on this machine only")
        return await handler(request)

    async def index(self, request: web.Request) -> web.StreamResponse:
        """The page; while every session's place is taken, a page that says so (503)."""
        if len(self.open) >= self.limit:
            return web.FileResponse(PAGE / "full.html", status=503, headers=HEADERS)
        return web.FileResponse(PAGE / "index.html", headers=HEADERS)

    async def asset(self, request: web.Request) -> web.StreamResponse:
        path = ASSETS.get(request.match_info["name"])
        if path is None:
            raise web.HTTPNotFound()
        return web.FileResponse(path, headers=HEADERS)

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        """One session: its own reader process while the page is open."""
        origin = request.headers.get("Origin", "")
        if origin not in (f"http://{request.host}", f"https://{request.host}"):
            raise web.HTTPForbidden(text="a session opens from factmark's own page")
        if len(self.open) >= self.limit:
            raise web.HTTPServiceUnavailable(text="too many sessions at once")
        socket = web.WebSocketResponse(heartbeat=15)
        await socket.prepare(request)
        self.open.add(socket)
        session = AppService(
            self.command,
            write_bytes=socket.send_bytes,
            write_str=socket.send_str,
            close=socket.close,
            download_manager=self.downloads,
        )
        try:
            await session.start(
                _size(request.query.get("width"), 80), _size(request.query.get("height"), 24)
            )
            try:
                await _relay(socket, session)
            finally:
                await session.stop()
        finally:
            self.open.discard(socket)
        return socket

    async def _close_all(self, app: web.Application) -> None:
        for socket in list(self.open):
            await socket.close()


async def _relay(socket: web.WebSocketResponse, session: AppService) -> None:
    """What the page sends, to the session: keys, sizes, focus; pings answered. A
    message that is not one of these is ignored."""
    async for message in socket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            kind, *rest = json.loads(message.data)
        except (ValueError, TypeError):
            continue
        data = rest[0] if rest else None
        if kind == "stdin" and isinstance(data, str):
            # A lone surrogate (half an emoji, split by the page) is not UTF-8.
            await session.send_bytes(data.encode("utf-8", "replace"))
        elif kind == "resize" and isinstance(data, dict):
            await session.set_terminal_size(
                _size(data.get("width"), 80), _size(data.get("height"), 24)
            )
        elif kind == "ping" and isinstance(data, str):
            await socket.send_json(["pong", data[:32]])
        elif kind == "focus":
            await session.focus()
        elif kind == "blur":
            await session.blur()


def _size(value: object, default: int) -> int:
    """A terminal dimension from the page: a whole number within bounds, else `default`."""
    try:
        number = int(str(value))
    except ValueError:
        return default
    return min(max(number, MIN_SIZE), MAX_SIZE)


async def serve(sessions: Sessions, host: str, port: int, ready: Callable[[int], None]) -> None:
    """Serve `sessions` on `host`:`port` until SIGINT, SIGTERM or SIGHUP (its terminal
    closed), then end every session.
    `ready(port)` is called once listening (with the port chosen when `port` is 0).
    Raises OSError when the address cannot be used."""
    runner = web.AppRunner(sessions.application(), access_log=None, shutdown_timeout=5)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = runner.addresses[0][1]
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(number, stop.set)
        ready(bound)
        await stop.wait()
    finally:
        with contextlib.suppress(Exception):
            await runner.cleanup()
