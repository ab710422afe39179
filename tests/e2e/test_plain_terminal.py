"""ASCII mode in a real terminal: on an ASCII-only article, nothing factmark draws is
outside ASCII.

With `TERM=vt100` (a terminal without Unicode symbols), or with `--ascii` in any
terminal, every screen holds ASCII only: the claim glyphs and the app's own text, and
Textual's furniture too (header, borders, footer, scroll bars, toasts, dialogs, the
command palette). Two checks: each screen as tmux shows it (`capture-pane`), named in
the failure, and every byte factmark wrote to its terminal (`pipe-pane`), which also
catches a symbol drawn for a frame and then replaced.

The fixtures (`run`, overridden `corpus_db`) are in `conftest.py`, the terminal in
`terminal.py`.
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal, decided
from tests.helpers import factmark

# Long enough to be cut in the library and the header at 80 columns.
TITLE = "City council approves a new budget for roads, schools and parks after a long night"
ARTICLE = f"""{TITLE}

The city council voted 7 to 2 on Tuesday to approve a budget of 120 million dollars for
2024, the mayor said.

Unemployment fell to 4.5 percent last year, according to the national statistics office.
The weather stayed mild all week.

Officials said the new bridge will cost 30 million dollars and open in 2026. Critics claim
the project was delayed three times since 2019.

The police department reported 1,200 fewer burglaries in 2023 than in 2022. Experts say
crime rates have dropped by 15 percent over the past decade.
"""

Check = Callable[[str], bool]


@pytest.fixture
def corpus_db(db_path: Path, tmp_path: Path) -> Path:
    """One article whose title and text are ASCII only, imported with the CLI (this
    overrides conftest's sample database): any other character on screen is the app's."""
    article = tmp_path / "budget.txt"
    article.write_bytes(ARTICLE.encode("ascii"))
    result = factmark("import", str(article), "--db", str(db_path))
    assert result.returncode == 0, result.stderr.decode()
    return db_path


def recording(tmp_path: Path) -> tuple[Path, Path]:
    """A tmux configuration that copies everything the pane's program writes to a file
    (from the moment its session exists, before Python has started), and that file."""
    output = tmp_path / "output.bin"
    assert shlex.quote(str(output)) == str(output), "a path tmux and sh take as is"
    config = tmp_path / "record.conf"
    config.write_text(f"set-hook -g after-new-session \"pipe-pane -o 'cat >> {output}'\"\n")
    return config, output


def settle(terminal: Terminal, check: Check, quiet: float = 0.5, timeout: float = 30) -> str:
    """The screen once `check` holds and it has not changed for `quiet` seconds."""
    screen = terminal.wait_for(check, timeout)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = terminal.screen()
        if now == screen and check(now):
            return now
        screen = now
    raise AssertionError(f"the screen never settled; it shows:\n{terminal.screen()}")


def shows(text: str) -> Check:
    return lambda screen: text in screen


def hides(text: str) -> Check:
    return lambda screen: text not in screen


def changed(before: str) -> Check:
    return lambda screen: screen != before


def non_ascii(screen: str) -> dict[str, list[tuple[int, int]]]:
    """Each character outside ASCII on `screen`, with where it is (row, column; from 1)."""
    found: dict[str, list[tuple[int, int]]] = {}
    for row, text in enumerate(screen.splitlines(), 1):
        for column, char in enumerate(text, 1):
            if not char.isascii():
                found.setdefault(char, []).append((row, column))
    return found


def report(screens: dict[str, str]) -> str:
    """Which screens drew what outside ASCII, and where, followed by those screens."""
    lines, shown = [], []
    for name, screen in screens.items():
        found = non_ascii(screen)
        for char, places in found.items():
            where = ", ".join(f"{row}:{column}" for row, column in places[:5])
            more = f" and {len(places) - 5} more" if len(places) > 5 else ""
            lines.append(
                f"{name}: {char!r} U+{ord(char):04X} x{len(places)} at {where}{more} (row:col)"
            )
        if found:
            shown.append(f"--- {name} ---\n{screen}")
    return "\n".join(["non-ASCII on screen:", *lines, *shown])


def stream_report(output: bytes) -> str:
    """What factmark wrote outside ASCII to its terminal: each character, how often,
    and the visible text around its first occurrence."""
    text = output.decode("utf-8", "replace")
    lines = ["non-ASCII written to the terminal:"]
    for char in sorted({c for c in text if not c.isascii()}):
        at = text.index(char)
        around = "".join(c if c.isprintable() else " " for c in text[max(0, at - 60) : at + 20])
        lines.append(f"{char!r} U+{ord(char):04X} x{text.count(char)}, first near: {around!r}")
    return "\n".join(lines)


@pytest.mark.parametrize(
    "term, args",
    [("vt100", ()), ("xterm-256color", ("--ascii",))],
    ids=["TERM=vt100", "--ascii"],
)
def test_ascii_mode_draws_nothing_outside_ascii(
    run, tmp_path: Path, term: str, args: tuple[str, ...]
) -> None:
    config, output = recording(tmp_path)
    terminal = run(*args, term=term, config=config)
    screens: dict[str, str] = {}

    def visit(name: str, *keys: str, until: Check) -> str:
        """Press `keys`, and keep the screen once `until` holds, as `name`."""
        terminal.keys(*keys)
        screens[name] = settle(terminal, until)
        return screens[name]

    def leave(*keys: str, until: Check) -> None:
        terminal.keys(*keys)
        settle(terminal, until)

    visit("library", until=shows("sorted by"))
    visit("reader", "Enter", until=decided(0))
    visit("reader after a verdict", "1", until=decided(1))
    visit("note dialog", "e", until=shows("Note on this claim"))
    leave("Escape", until=hides("Note on this claim"))
    visit("search dialog", "/", until=shows("Search in the text"))
    leave("Escape", until=hides("Search in the text"))
    visit("evidence link dialog", "l", until=shows("Evidence link"))
    leave("Escape", until=hides("Evidence link"))
    reader = terminal.screen()
    visit("add-claim dialog", "a", until=changed(reader))
    leave("Escape", until=decided(1))
    reader = terminal.screen()
    helped = visit("help screen", "?", until=changed(reader))
    leave("Escape", until=lambda s: s != helped and decided(1)(s))
    visit("command palette", "C-p", until=shows("Search for commands"))
    leave("Escape", until=hides("Search for commands"))
    visit("notification", "z", "z", until=shows("Nothing to undo"))
    visit("library, back from the reader", "q", until=shows("sorted by"))

    offending = {name: screen for name, screen in screens.items() if non_ascii(screen)}
    assert not offending, report(offending)
    written = output.read_bytes()
    assert written, "tmux recorded nothing: the pipe-pane hook did not run"
    assert written.isascii(), stream_report(written)
