"""Memory per browser session of `factmark serve`.

    python bench/serve_memory.py [SESSIONS]     (default 4; needs Chromium and the
                                                  `serve` and `test` extras)

Makes a class of the sample articles in a temporary folder with SESSIONS students on
its roster, serves it on a free port, and opens one headless Chromium page per
student: each signs in, opens article 1 and marks a claim. Then reads, from /proc,
each session process's resident memory (RSS) and its proportional share (PSS, which
splits pages shared between processes), at the sign-in screen and with the reader
open, and the server's own.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import describe
from tests.e2e.browser import ARGS, CHROMIUM, BrowserTerminal
from tests.helpers import FACTMARK
from tests.served import add_student, make_class


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of process `pid`, in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value)
    return fields["Rss"], fields["Pss"]


def sessions_of(server: int) -> list[int]:
    """The session processes: the server's children."""
    children = Path(f"/proc/{server}/task/{server}/children").read_text().split()
    return [int(pid) for pid in children]


def show(label: str, pids: list[int]) -> None:
    figures = [memory_kb(pid) for pid in pids]
    rss = [r / 1024 for r, _ in figures]
    pss = [p / 1024 for _, p in figures]
    print(
        f"{label:28} {len(pids)} sessions: RSS median {statistics.median(rss):5.1f} MB "
        f"(max {max(rss):5.1f}), PSS median {statistics.median(pss):5.1f} MB "
        f"(max {max(pss):5.1f})"
    )


def main(count: int) -> None:
    print(describe())
    print(f"load average: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as place:
        root = make_class(Path(place) / "class")
        names = [f"student{n}" for n in range(count)]
        passwords = {name: add_student(root, name) for name in names}
        server = subprocess.Popen(
            [FACTMARK, "serve", "--port", "0"],
            env={**os.environ, "FACTMARK_CLASS": str(root)},
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            url = re.search(r"http://\S+/", server.stdout.readline()).group(0)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
                pages = [BrowserTerminal(browser, url) for _ in names]
                for page in pages:
                    page.wait_for("Sign in")
                show("at the sign-in screen", sessions_of(server.pid))
                for page, name in zip(pages, names, strict=True):
                    page.type(*name)
                    page.page.wait_for_timeout(300)  # the focus moves to the password
                    page.type("Enter", *passwords[name], "Enter")
                    page.wait_for(f"factmark - {name} |")
                    page.type("Enter")
                    page.wait_for(f"{name} | 0/17 decided")
                    page.type("1")
                    page.wait_for(f"{name} | 1/17 decided")
                show("reader open, a claim marked", sessions_of(server.pid))
                rss, pss = (kb / 1024 for kb in memory_kb(server.pid))
                print(f"{'the server itself':28} RSS {rss:5.1f} MB, PSS {pss:5.1f} MB")
                browser.close()
        finally:
            server.send_signal(2)
            server.wait(timeout=30)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 4)
