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


def complete(words: str, shell: str = "bash") -> list[str]:
    """What completing the last of `words` offers (a trailing space: a new word)."""
    env = {
        "_FACTMARK_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    result = CliRunner().invoke(group, [], prog_name="factmark", env=env)
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


def test_completing_a_command_offers_it() -> None:
    assert complete("factmark ex") == ["export"]
    assert complete("factmark im") == ["import", "import-verdicts"]
    assert complete("factmark key ") == ["add", "remove", "list"]
    assert complete("factmark --db x.db st") == ["stats"]
    assert "--delimiter" in complete("factmark export --d")
    assert complete("factmark stats --format ") == ["table", "json"]
