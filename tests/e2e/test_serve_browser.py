"""A blind round for two students in the browser: `factmark serve` on a free port, each
student in a browser context of their own, signing in and marking claims with keys
alone; then the class's databases, as the teacher's `compare` collects them."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.browser import ARGS, CHROMIUM, BrowserTerminal
from tests.helpers import FACTMARK, factmark
from tests.served import add_student, make_class


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, dict[str, str]]]:
    """A class of two students on the roster, served: (the class folder, the page's
    address, each student's password). The server is stopped as ctrl+c stops it."""
    root = make_class(tmp_path / "class")
    passwords = {name: add_student(root, name) for name in ("alice", "bob")}
    server = subprocess.Popen(
        [FACTMARK, "serve", "--port", "0"],
        env={**os.environ, "FACTMARK_CLASS": str(root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready = server.stdout.readline() + server.stdout.readline()  # the address, once listening
        found = re.search(r"http://127\.0\.0\.1:\d+/", ready)
        assert found, ready + server.stderr.read()
        yield root, found.group(0), passwords
    finally:
        server.send_signal(2)  # SIGINT: ctrl+c
        assert server.wait(timeout=30) == 0, server.stderr.read()


def sign_in(page: BrowserTerminal, name: str, password: str) -> None:
    page.wait_for("Sign in")
    page.type(*name)
    at_name = page.cursor()
    page.type("Enter")
    for _ in range(100):  # the focus moves to the password field
        if page.cursor() != at_name:
            break
        page.page.wait_for_timeout(50)
    page.type(*password, "Enter")
    page.wait_for(f"factmark - {name} |")


def test_two_students_in_the_browser_work_blind_under_their_own_names(
    served: tuple[Path, str, dict[str, str]],
) -> None:
    assert CHROMIUM.exists(), "the browser tests need Chromium (apt-get install chromium)"
    root, url, passwords = served
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        alice, bob = BrowserTerminal(browser, url), BrowserTerminal(browser, url)
        sign_in(alice, "alice", passwords["alice"])
        sign_in(bob, "bob", passwords["bob"])
        # Alice marks the first two claims of article 1 verified, Bob the first disputed.
        alice.type("Enter")
        alice.wait_for("alice | 0/17 decided")
        alice.type("1")
        alice.wait_for("alice | 1/17 decided")
        alice.type("1")
        alice.wait_for("alice | 2/17 decided")
        bob.type("Enter")
        bob.wait_for("bob | 0/17 decided")
        bob.type("2")
        bob.wait_for("bob | 1/17 decided")
        # Back in the library each sees their own verdicts and no one else's.
        alice.type("q")
        alice_library = alice.wait_for("2/17 +2 x0 ?0")
        bob.type("q")
        bob_library = bob.wait_for("1/17 +0 x1 ?0")
        assert "alice" not in bob_library and "+2" not in bob_library
        assert "bob" not in alice_library and "x1" not in alice_library
        # Nothing was asked of anywhere but this machine: no font, no script.
        for page in (alice, bob):
            hosts = {urlsplit(request).hostname for request in page.requests}
            assert hosts == {"127.0.0.1"}, page.requests
            assert any(urlsplit(r).path == "/ws" for r in page.requests)
            page.close()
        browser.close()

    # Each copy holds its student's verdicts only: Bob's has nothing of Alice's.
    for name, expected in (("alice", {("alice", "verified")}), ("bob", {("bob", "disputed")})):
        with sqlite3.connect(root / "served" / f"{name}.db") as copy:
            held = set(copy.execute("SELECT annotator, verdict FROM verdicts"))
        assert held == expected
    # The teacher's compare collects them, each under its student's name.
    compared = factmark("compare", "--format", "json", env={"FACTMARK_CLASS": str(root)})
    assert compared.returncode == 0, compared.stderr
    students = {s["annotator"]: s["decided"] for s in json.loads(compared.stdout)["students"]}
    assert students == {"alice": 2, "bob": 1}
    with sqlite3.connect(root / "teacher.db") as teacher:
        rows = teacher.execute(
            "SELECT annotator, verdict, count(*) FROM current_verdicts GROUP BY 1, 2 ORDER BY 1"
        ).fetchall()
    assert rows == [("alice", "verified", 2), ("bob", "disputed", 1)]


def test_the_server_serves_its_page_and_nothing_else(
    served: tuple[Path, str, dict[str, str]],
) -> None:
    import http.client

    _, url, _ = served
    address = urlsplit(url)

    def get(path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        found = (response.status, dict(response.getheaders()), response.read())
        connection.close()
        return found

    status, headers, page = get("/")
    assert status == 200 and b"/static/js/textual.js" in page
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert b"googleapis" not in page and b"http" not in page.replace(b"http-equiv", b"")
    assert get("/static/js/textual.js")[0] == 200
    # No listing of the library's folder, nothing outside the page's own files.
    for path in ("/static/", "/static/images/background.png", "/static/../cli/web.py"):
        assert get(path)[0] == 404, path
    # Another site's page cannot reach it by a name of its own (DNS rebinding), nor
    # open a session from its own page.
    assert get("/", Host=f"attacker.example:{address.port}")[0] == 421
    upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}  # fmt: skip
    assert get("/ws", Origin="http://attacker.example", **upgrade)[0] == 403
