"""The command line's help and usage errors, run in-process with click's CliRunner."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from factmark.cli import COMMANDS, factmark


def run(*args: str, **kwargs) -> Result:
    return CliRunner().invoke(factmark, list(args), prog_name="factmark", **kwargs)


def every_command() -> list[tuple[str, ...]]:
    """Each command's words after `factmark`: ("export",), ("key", "add")..."""
    found: list[tuple[str, ...]] = [()]
    root = click.Context(factmark, info_name="factmark")

    def walk(group: click.Group, ctx: click.Context, words: tuple[str, ...]) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None and command.name == name, name
            found.append((*words, name))
            if isinstance(command, click.Group):
                walk(command, click.Context(command, info_name=name, parent=ctx), (*words, name))

    walk(factmark, root, ())
    return found


def test_every_listed_command_is_the_command_of_that_name() -> None:
    words = every_command()
    assert [w[0] for w in words if len(w) == 1] == list(COMMANDS)
    assert {("key", "add"), ("key", "remove"), ("key", "list"), ("class", "init")} <= set(words)


@pytest.mark.parametrize("words", every_command(), ids=lambda words: " ".join(words) or "factmark")
def test_every_help_has_examples_exit_codes_and_says_what_each_parameter_is(
    words: tuple[str, ...],
) -> None:
    result = run(*words, "--help")
    assert result.exit_code == 0, result.output
    usage = "Usage: " + " ".join(("factmark", *words)) + " [OPTIONS]"
    assert result.stdout.startswith(usage)
    assert "Examples:\n    factmark " in result.stdout
    words_of_help = " ".join(result.stdout.split())
    assert "Exit codes: 0 " in words_of_help and ", 2 a usage error" in words_of_help
    command: click.Command = factmark
    ctx = click.Context(factmark, info_name="factmark")
    for word in words:
        assert isinstance(command, click.Group)
        command = command.get_command(ctx, word)  # type: ignore[assignment]
        ctx = click.Context(command, info_name=word, parent=ctx)
    for param in command.get_params(ctx):
        assert getattr(param, "help", None), f"{' '.join(words)}: {param.name} has no help"


@pytest.mark.parametrize(
    "words, usage",
    [
        (["export"], "factmark export [OPTIONS]"),
        (["import"], "factmark import [OPTIONS] PATHS..."),
        (["key", "add"], "factmark key add [OPTIONS] NAME"),
        (["reveal"], "factmark reveal [OPTIONS] [ARTICLE]"),
        (["class", "init"], "factmark class init [OPTIONS] DIR"),
    ],
)
def test_a_subcommand_s_usage_line_names_it(words: list[str], usage: str) -> None:
    assert run(*words, "--help").stdout.splitlines()[0] == f"Usage: {usage}"


def test_the_usage_line_of_factmark_shows_both_forms() -> None:
    lines = run("--help").stdout.splitlines()
    assert lines[:2] == [
        "Usage: factmark [OPTIONS] [PATHS]...",
        "   or: factmark [OPTIONS] COMMAND [ARGS]...",
    ]


def test_a_usage_error_shows_the_command_s_usage_and_exits_2(tmp_path: Path) -> None:
    db = tmp_path / "factmark.db"
    result = run("export", "--db", str(db), "--delimiter", "|")
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: factmark export [OPTIONS]\n")
    assert "Error: Invalid value for '--delimiter'" in result.stderr
    assert not db.exists()


@pytest.mark.parametrize(
    "args, suggestion",
    [(["exprot"], "factmark export"), (["--db", "{db}", "improt", "x.txt"], "factmark import")],
)
def test_a_mistyped_command_suggests_the_closest_and_makes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], suggestion: str
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "factmark.db"
    result = run(*(a.format(db=db) for a in args), env={"FACTMARK_DB": str(db)})
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("factmark: '") and f"did you mean '{suggestion}'?" in line
    assert result.stdout == "" and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args, says",
    [
        # The reader's option before another command: it belongs after that command.
        (["--stay", "config"], "'--stay' comes before the command 'config'"),
        (["--sample", "stats"], "'--sample' comes before the command 'stats'"),
        # No option at all: said as factmark's, not as the implied `open`'s.
        (["--verbose", "stats"], "no such option: --verbose"),
        (["-V"], "no such option: -V"),
    ],
)
def test_an_option_before_the_command_is_told_in_factmarks_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], says: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*args, env={"FACTMARK_DB": str(tmp_path / "factmark.db")})
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"factmark: {says}") and "open" not in line
    assert list(tmp_path.iterdir()) == []


def test_a_mistyped_action_suggests_the_closest(tmp_path: Path) -> None:
    db = tmp_path / "factmark.db"
    result = run("key", "ad", "alice", "--db", str(db))
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: factmark key [OPTIONS] ACTION [ARGS]...\n")
    assert "Did you mean 'add'?" in result.stderr and not db.exists()


def test_help_names_the_command_to_show() -> None:
    assert run("help", "key", "add").stdout == run("key", "add", "--help").stdout
    unknown = run("help", "exprot")
    assert unknown.exit_code == 2 and "Did you mean 'export'?" in unknown.stderr


def test_reveal_takes_one_article_or_all(tmp_path: Path) -> None:
    db = tmp_path / "factmark.db"
    for args in ([], ["5", "--all"]):
        result = run("reveal", *args, "--db", str(db))
        assert result.exit_code == 2 and "name one ARTICLE, or --all" in result.stderr
    assert not db.exists()


def test_an_empty_database_name_is_a_usage_error(tmp_path: Path) -> None:
    """`--db "$UNSET"` never falls back to the default database."""
    result = run("--db", "", "stats", env={"FACTMARK_DB": str(tmp_path / "default.db")})
    assert result.exit_code == 2 and "an empty name" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_database_named_from_home_in_the_environment_is_in_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FACTMARK_DB="~/x.db" (quoted, so no shell expanded it) means the home folder's,
    as in config.toml, not a folder named "~" where the command runs."""
    home, working = tmp_path / "home", tmp_path / "working"
    home.mkdir()
    working.mkdir()
    monkeypatch.chdir(working)
    sample = Path(__file__).resolve().parents[2] / "sample_corpus" / "000_31e52ad88bccfe9c.txt"
    result = run("import", str(sample), env={"FACTMARK_DB": "~/x.db", "HOME": str(home)})
    assert result.exit_code == 0, result.stderr
    assert (home / "x.db").exists() and list(working.iterdir()) == []
