"""Driving factmark in a real terminal: tmux runs it, send-keys types, capture-pane reads.

The terminal tests need tmux; `.ci/run` installs it when it is missing.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

TMUX = shutil.which("tmux")


class Terminal:
    """One tmux server of our own, with one pane (80x24 unless told) running a command.

    With `config` (a tmux configuration file), the server reads that file.
    """

    def __init__(
        self,
        command: list[str],
        env: dict[str, str],
        size=(80, 24),
        config: Path | None = None,
    ) -> None:
        assert TMUX, "the terminal tests need tmux (apt-get install tmux; .ci/run does it)"
        self.socket = f"factmark-test-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={_quote(v)}" for k, v in env.items())
        # COLUMNS and LINES from the test run's environment would override the pane's
        # own size (shutil.get_terminal_size reads them first).
        line = f"exec env -u COLUMNS -u LINES {exports} " + " ".join(_quote(c) for c in command)
        server = [TMUX, "-L", self.socket, *(["-f", str(config)] if config else [])]
        subprocess.run(
            [*server, "new-session", "-d", "-s", "t", "-x", str(size[0]), "-y", str(size[1]), line],
            check=True,
            capture_output=True,
        )
        self.tmux("set-option", "-t", "t", "remain-on-exit", "on")

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            [TMUX, "-L", self.socket, *args], check=True, capture_output=True, text=True
        ).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "t", key)
            time.sleep(0.15)

    def wait_for(self, check: Callable[[str], bool], timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"timed out; the screen shows:\n{self.screen()}")

    @property
    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", "t", "#{pane_pid}").strip())

    @property
    def title(self) -> str:
        """The pane's title: what the program set with OSC 0/2, else tmux's default."""
        return self.tmux("display-message", "-p", "-t", "t", "#{pane_title}").strip()

    def buffers(self) -> str:
        """tmux's paste buffers: where an OSC 52 clipboard write lands."""
        return self.tmux("list-buffers")

    def exit_status(self) -> str:
        return self.tmux("display-message", "-p", "-t", "t", "#{pane_dead_status}").strip()

    def closed(self) -> bool:
        """The program's terminal is closed: it has exited, and all its files with it."""
        return self.tmux("display-message", "-p", "-t", "t", "#{pane_dead}").strip() == "1"

    def dead(self) -> bool:
        """The program has exited and tmux knows how. Under load tmux can mark a pane
        dead (its terminal closed) and miss the SIGCHLD that brings the exit status,
        leaving the program a zombie; any other child of the server exiting makes it
        reap them all, so a dead pane without a status gets a `run-shell true`."""
        dead, status, sig = (
            self.tmux(
                "display-message",
                "-p",
                "-t",
                "t",
                "#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}",
            )
            .strip()
            .split(":")
        )
        if dead == "1" and not (status or sig):
            self.tmux("run-shell", "true")  # the next look finds the status
        return dead == "1" and bool(status or sig)

    def close(self) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


def decided(count: int) -> Callable[[str], bool]:
    """The status line says `count` claims are decided."""
    return lambda screen: re.search(rf"\b{count}/\d+ decided", screen) is not None


def verdicts_in(db_path: Path, annotator: str = "e2e") -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return [
            r[0]
            for r in conn.execute(
                "SELECT verdict FROM current_verdicts WHERE annotator = ? ORDER BY created_at",
                [annotator],
            )
        ]
    finally:
        conn.close()
