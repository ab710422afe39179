"""`factmark serve`'s sessions as a server sees them, driven by a websocket client of
its own (aiohttp, which textual-serve brings): a session ends with its server however
the server ends, a full server says so on its page, and what a page sends cannot end
a session."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.helpers import FACTMARK
from tests.served import make_class


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, str]]:
    """`factmark serve --port 0 --max-sessions 1` on a class: (the process, its address)."""
    root = make_class(tmp_path / "class")
    process = subprocess.Popen(
        [FACTMARK, "serve", "--port", "0", "--max-sessions", "1"],
        env={**os.environ, "FACTMARK_CLASS": str(root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready = process.stdout.readline() + process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", ready)
        assert found, ready + process.stderr.read()
        yield process, found.group(0)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def children(pid: int) -> set[int]:
    """The pids whose parent is `pid`, now."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


async def open_session(url: str, client: aiohttp.ClientSession) -> aiohttp.ClientWebSocketResponse:
    """A session as the page opens one, once its sign-in screen has been drawn."""
    socket = await client.ws_connect(
        url.replace("http", "ws") + "ws?width=80&height=24", headers={"Origin": url.rstrip("/")}
    )
    drawn = b""
    while b"Sign in" not in drawn:
        message = await asyncio.wait_for(socket.receive(), 30)
        assert message.type == aiohttp.WSMsgType.BINARY, message
        drawn += message.data
    return socket


@pytest.mark.parametrize("ending", [signal.SIGKILL, signal.SIGHUP])
def test_sessions_end_with_their_server_however_it_ends(server, ending) -> None:
    # A server killed outright, or whose terminal closed, leaves no reader running.
    process, url = server

    async def run() -> set[int]:
        async with aiohttp.ClientSession() as client:
            await open_session(url, client)
            sessions = children(process.pid)
            process.send_signal(ending)
            process.wait(timeout=30)
            return sessions

    sessions = asyncio.run(run())
    assert sessions
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in sessions) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in sessions)


def test_a_full_server_says_so_and_a_strange_key_ends_nothing(server) -> None:
    _, url = server

    async def run() -> None:
        async with aiohttp.ClientSession() as client:
            socket = await open_session(url, client)
            # Every place taken: the page says so, in words, instead of a dead terminal.
            async with client.get(url) as page:
                assert page.status == 503
                assert "Every place in this class is taken" in await page.text()
            # Half an emoji (a lone surrogate) and other stray input end nothing.
            for sent in (["stdin", "\ud83d"], ["stdin", 5], ["nonsense"], "[", ["resize", "x"]):
                await socket.send_str(json.dumps(sent) if not isinstance(sent, str) else sent)
            await socket.send_str(json.dumps(["ping", "still-there"]))
            while True:
                message = await asyncio.wait_for(socket.receive(), 30)
                assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)
                if message.type == aiohttp.WSMsgType.TEXT:
                    assert json.loads(message.data) == ["pong", "still-there"]
                    break
            await socket.close()
        # The place is free again once the page is closed.
        async with aiohttp.ClientSession() as client:
            for _ in range(100):
                async with client.get(url) as page:
                    if page.status == 200:
                        break
                await asyncio.sleep(0.1)
            assert page.status == 200

    asyncio.run(run())


def test_served_to_the_network_the_warning_and_address_name_the_port_bound(
    tmp_path: Path,
) -> None:
    # --port 0 takes a port only once listening: the warning names that one, not 0.
    import socket

    root = make_class(tmp_path / "class")
    process = subprocess.Popen(
        [FACTMARK, "serve", "--host", "0.0.0.0", "--port", "0"],
        env={**os.environ, "FACTMARK_CLASS": str(root), "COLUMNS": "80"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first, second = process.stdout.readline(), process.stdout.readline()
    finally:
        process.send_signal(2)
        _, warned = process.communicate(timeout=30)
    assert first.rstrip().endswith("(ctrl+c stops) at")
    found = re.fullmatch(
        rf"  http://{re.escape(socket.gethostname())}:(\d+)/ \(or any address of this machine\)\n",
        second,
    )
    assert found, second
    port = int(found.group(1))
    assert port != 0 and f"serving on 0.0.0.0:{port}, not this machine alone" in warned
