"""Ways into the command line: `python -m factmark`, and shell completion."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

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


def in_bash(line: str, folder: Path) -> list[str]:
    """What bash offers for `line` (its last word being completed) in `folder`, with the
    script `factmark` prints for bash loaded: COMPREPLY, or with click's fallback to
    file names (`compopt -o default`) the files bash would list."""
    words = line.split() + ([""] if line.endswith(" ") else [])
    script = f"""
        eval "$(_FACTMARK_COMPLETE=bash_source factmark)"
        compopt() {{ [ "$1 $2" = "-o default" ] && fallback=1; return 0; }}
        COMP_WORDS=({" ".join(shlex.quote(w) for w in words)}); COMP_CWORD={len(words) - 1}
        fallback=0; _factmark_completion factmark
        if [ ${{#COMPREPLY[@]}} -eq 0 ] && [ $fallback = 1 ]; then
            compgen -f -- {shlex.quote(words[-1])}
        else
            printf '%s\\n' "${{COMPREPLY[@]}}"
        fi
    """
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "-c", script], cwd=folder, env=env, capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return sorted(result.stdout.decode().split())


def test_bash_completes_commands_and_files_as_it_does_for_git(tmp_path: Path) -> None:
    (tmp_path / "exfile.txt").touch()
    (tmp_path / "story.txt").touch()
    assert in_bash("factmark ex", tmp_path) == ["export"]
    assert in_bash("factmark st", tmp_path) == ["stats"]
    assert in_bash("factmark sto", tmp_path) == ["story.txt"]
    assert in_bash("factmark open --keymap ", tmp_path) == ["default", "simple", "vim"]
    assert in_bash("factmark open --keymap exf", tmp_path) == ["exfile.txt"]
