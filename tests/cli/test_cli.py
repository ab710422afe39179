"""The `factmark` command line, run as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from factmark.corpus import compiled
from tests.helpers import FACTMARK, SAMPLE, factmark


def test_import_export_stats_on_the_sample_corpus(db_path: Path) -> None:
    imported = factmark("import", str(SAMPLE), "--db", str(db_path))
    assert imported.returncode == 0, imported.stderr
    assert "5 imported, 0 unchanged, 0 updated, 0 refused" in imported.stderr.decode()

    again = factmark("import", str(SAMPLE), "--db", str(db_path))
    assert "0 imported, 5 unchanged" in again.stderr.decode()

    exported = factmark("export", "--db", str(db_path))
    assert exported.returncode == 0
    assert exported.stdout.decode().startswith("article_id,article_title,article_path,")

    stats = factmark("stats", "--db", str(db_path), "--format", "json")
    assert stats.returncode == 0
    assert json.loads(stats.stdout)["articles"] == 5


@pytest.mark.parametrize("order", ["before", "after"])
def test_common_options_go_before_or_after_the_command(db_path: Path, order: str) -> None:
    factmark("import", str(SAMPLE), "--db", str(db_path))
    opts = ["--db", str(db_path), "--annotator", "ann"]
    args = [*opts, "stats"] if order == "before" else ["stats", *opts]
    result = factmark(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().startswith("5 articles")


def test_factmark_db_environment_variable_is_the_default(tmp_path: Path) -> None:
    db = tmp_path / "from-env.db"
    result = factmark("import", str(SAMPLE), env={"FACTMARK_DB": str(db)})
    assert result.returncode == 0 and db.exists()


def test_a_bad_file_is_reported_and_the_rest_of_the_batch_imports(
    db_path: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = factmark(
        "import", str(empty), str(tmp_path / "missing.txt"), str(SAMPLE), "--db", str(db_path)
    )
    assert result.returncode == 1
    err = result.stderr.decode()
    assert f"{empty}: empty file" in err
    assert "missing.txt: no such file or folder" in err
    assert "5 imported, 0 unchanged, 0 updated, 2 refused" in err
    assert "Traceback" not in err


def test_standard_input_is_an_article(db_path: Path) -> None:
    result = factmark("import", "-", "--db", str(db_path), input=b"Titre\n\nCorps.\n")
    assert result.returncode == 0, result.stderr
    stats = json.loads(factmark("stats", "--db", str(db_path), "--format", "json").stdout)
    assert stats["per_article"][0]["title"] == "Titre"


@pytest.mark.parametrize(
    "args, usage",
    [
        (["open", "--no-such-option"], "factmark open [OPTIONS] [PATHS]..."),
        (["export", "--format", "xml"], "factmark export [OPTIONS]"),
        (["import"], "factmark import [OPTIONS] PATHS..."),
        (["key", "add"], "factmark key add [OPTIONS] NAME"),
    ],
)
def test_usage_errors_exit_2(args: list[str], usage: str, db_path: Path) -> None:
    result = factmark(*args, "--db", str(db_path))
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert lines[0] == f"Usage: {usage}" and lines[-1].startswith("Error: ")
    assert not db_path.exists()


def test_version_and_help() -> None:
    detection = "compiled" if compiled() else "in pure Python"
    expected = f"factmark {version('factmark')} (detection {detection})\n"
    assert factmark("--version").stdout.decode() == expected
    help_text = factmark("--help").stdout.decode()
    for command in ("open", "import", "export", "stats"):
        assert command in help_text


NO_TEXTUAL = """
import sys
from factmark.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print("TEXTUAL:", loaded, file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize("args", [["--help"], ["import", str(SAMPLE)], ["export"], ["stats"]])
def test_fast_commands_never_import_textual(args: list[str], db_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-c", NO_TEXTUAL, "import", str(SAMPLE), "--db", str(db_path)],
        capture_output=True,
        check=True,
    )
    result = subprocess.run(
        [sys.executable, "-c", NO_TEXTUAL, *args, "--db", str(db_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "TEXTUAL: []" in result.stderr


def test_export_to_a_file_replaces_it_whole(db_path: Path, tmp_path: Path) -> None:
    factmark("import", str(SAMPLE), "--db", str(db_path))
    out = tmp_path / "verdicts.csv"
    out.write_text("old content that must go")
    result = factmark("export", "--db", str(db_path), "-o", str(out))
    assert result.returncode == 0
    assert out.read_text().startswith("article_id,")
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_the_reader_without_a_terminal_says_so_and_ends(db_path: Path) -> None:
    # A script or cron job running `factmark FILE` must not hang (or spin) on a reader
    # nobody can see: the files are imported, and one line says why nothing opened.
    result = subprocess.run(
        [FACTMARK, "--db", str(db_path), str(SAMPLE)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
    )
    lines = result.stderr.decode().strip().splitlines()
    assert result.returncode == 1
    assert lines[-2] == "5 imported, 0 unchanged, 0 updated, 0 refused"
    assert lines[-1].startswith("factmark: the reader needs a terminal")


@pytest.mark.parametrize(
    "args, says",
    [
        (["import", "typo.txt"], "typo.txt: no such file or folder"),
        (["import", "typo.txt", "oops/"], "oops/: no such file or folder"),
        (["open", "typo.txt"], "typo.txt: no such file or folder"),
        (["open"], "the reader needs a terminal"),
        ([], "the reader needs a terminal"),
    ],
)
def test_nothing_to_import_or_read_makes_no_database(
    tmp_path: Path, args: list[str], says: str
) -> None:
    db = tmp_path / "new.db"
    result = factmark("--db", str(db), *args, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.decode().splitlines()  # a line for each path that is not there
    assert len(lines) == max(1, len(args) - 1) and lines[-1].startswith(f"factmark: {says}")
    assert list(tmp_path.iterdir()) == []  # no database, no -wal, nothing


@pytest.mark.parametrize(
    "typed, suggestion", [("exprot", "export"), ("stat", "stats"), ("improt", "import")]
)
def test_a_mistyped_command_is_a_usage_error_that_opens_nothing(
    tmp_path: Path, typed: str, suggestion: str
) -> None:
    db = tmp_path / "factmark.db"
    result = factmark("--db", str(db), typed, cwd=tmp_path, timeout=20)
    assert result.returncode == 2
    (line,) = result.stderr.decode().splitlines()
    assert f"'{typed}'" in line and f"factmark {suggestion}" in line
    assert not db.exists() and result.stdout == b""


def test_a_missing_file_is_opened_only_after_open(tmp_path: Path) -> None:
    db = tmp_path / "factmark.db"
    result = factmark("--db", str(db), "no-such-article.txt", cwd=tmp_path, timeout=20)
    assert result.returncode == 2 and "no-such-article.txt" in result.stderr.decode()
    assert "did you mean" not in result.stderr.decode() and not db.exists()


def test_a_broken_link_is_no_file_to_open(tmp_path: Path) -> None:
    (tmp_path / "broken").symlink_to(tmp_path / "gone.txt")
    db = tmp_path / "factmark.db"
    result = factmark("--db", str(db), "broken", cwd=tmp_path, timeout=20)
    assert result.returncode == 2 and "'broken'" in result.stderr.decode()
    assert not db.exists()


def test_an_unknown_theme_is_refused_before_anything_is_made(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Jobless claims fell to 200,000 last week.\n")
    db = tmp_path / "factmark.db"
    result = factmark("--db", str(db), "--theme", "nosuch", str(story), timeout=20)
    assert result.returncode == 2 and "unknown theme 'nosuch'" in result.stderr.decode()
    assert not db.exists()


def test_help_is_a_command_too() -> None:
    result = factmark("help", timeout=20)
    assert result.returncode == 0
    assert result.stdout.startswith(b"Usage: factmark [OPTIONS] [PATHS]...\n")
    assert result.stdout == factmark("--help").stdout
    assert factmark("help", "export", timeout=20).stdout == factmark("export", "--help").stdout


@pytest.mark.parametrize(
    "command",
    [
        ["key", "add", "teacher"],
        ["key", "remove", "bob"],
        ["reveal", "--all"],
        ["unreveal", "1"],
        ["redetect"],
        ["import-verdicts", str(SAMPLE / "README")],
    ],
)
def test_a_mistyped_database_is_an_error_not_a_new_empty_one(
    tmp_path: Path, command: list[str]
) -> None:
    """Commands with nothing to put in a new database never make one (or its folder)."""
    db = tmp_path / "typo" / "class.db"
    result = factmark(*command, "--db", str(db))
    assert result.returncode == 1
    assert result.stderr.decode().strip().endswith("no such database")
    assert not db.parent.exists()


def test_double_dash_and_dash_are_paths_for_the_default_command(db_path: Path) -> None:
    """`factmark -- FILE` and `factmark -` (standard input) import as `open` would, then
    stop for want of a terminal: not usage errors."""
    story = next(SAMPLE.glob("000_*.txt"))
    for args, given in ((["--", str(story)], None), (["-"], story.read_bytes())):
        result = factmark("--db", str(db_path), *args, input=given)
        assert result.returncode == 1, result.stderr
        assert b"1 imported" in result.stderr and b"needs a terminal" in result.stderr
        db_path.unlink()
