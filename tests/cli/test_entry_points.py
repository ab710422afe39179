"""Ways into the command line: `python -m factmark`, and shell completion."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from factmark.cli import factmark as group
from tests.helpers import factmark


def test_python_m_factmark_is_the_factmark_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "factmark", "--help"], capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"Usage: factmark [OPTIONS] [PATHS]...\n")
    assert result.stdout == factmark("--help").stdout
    mistyped = subprocess.run(
        [sys.executable, "-m", "factmark", "exprot"], capture_output=True, timeout=60
    )
    assert mistyped.returncode == 2 and b"did you mean 'factmark export'?" in mistyped.stderr


@pytest.mark.parametrize(
    "shell, line",
    [
        ("bash", "complete -o nosort -F _factmark_completion factmark"),
        ("zsh", "#compdef factmark"),
        ("fish", "complete --no-files --command factmark"),
    ],
)
def test_the_completion_script_is_produced(shell: str, line: str) -> None:
    result = factmark(env={"_FACTMARK_COMPLETE": f"{shell}_source"}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert line in result.stdout.decode()
    assert "_FACTMARK_COMPLETE" in result.stdout.decode()


def offered(words: str, shell: str = "bash") -> list[tuple[str, str]]:
    """What completing the last of `words` offers (a trailing space: a new word), as
    (kind, value): "plain" words, or "file" (the shell completes file names)."""
    env = {
        "_FACTMARK_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    result = CliRunner().invoke(group, [], prog_name="factmark", env=env)
    assert result.exit_code == 0, result.output
    return [tuple(line.split(",", 1)) for line in result.stdout.splitlines()]


def complete(words: str, shell: str = "bash") -> list[str]:
    """The words completing the last of `words` offers."""
    return [value for kind, value in offered(words, shell) if kind == "plain"]


def test_completing_a_command_offers_it() -> None:
    assert complete("factmark ex") == ["export"]
    assert complete("factmark im") == ["import", "import-verdicts"]
    assert complete("factmark key ") == ["add", "remove", "list"]
    assert complete("factmark --db x.db st") == ["stats"]
    assert "--delimiter" in complete("factmark export --d")
    assert complete("factmark stats --format ") == ["table", "json"]


def test_completion_offers_files_where_factmark_opens_them_and_names_where_help_does() -> None:
    # `factmark story.txt` opens a file, so a word there completes file names too.
    assert ("file", "sto") in offered("factmark sto")
    assert ("file", "--") not in offered("factmark --")
    assert complete("factmark help ex") == ["export"]
    assert complete("factmark help key ") == ["add", "remove", "list"]
    assert complete("factmark open --keymap v") == ["vim"]
    assert ("file", "v") in offered("factmark open --keymap v")  # or a keymap file
    assert "textual-dark" in complete("factmark open --theme textual-")
