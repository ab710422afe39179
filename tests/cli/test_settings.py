"""Settings kept in config.toml or the environment: option > environment > file >
default, each checked in one line, and shown with its source by `factmark config`."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import SAMPLE, factmark


def settings_shown(result) -> dict[str, tuple[str, str]]:
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    shown = {}
    for line in lines[:-1]:
        key, rest = line.split(None, 1)
        value, source = rest.rsplit("  ", 1)
        shown[key] = (value.strip(), source.strip())
    assert lines[-1].startswith("config file: ")
    return shown


def test_an_option_beats_the_environment_which_beats_the_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('annotator = "alice"\ntheme = "textual-light"\nstay = true\n')
    env = {"FACTMARK_CONFIG": str(config), "FACTMARK_THEME": "ansi-dark", "FACTMARK_ASCII": "1"}
    shown = settings_shown(factmark("config", "--annotator", "bob", env=env))
    assert shown["annotator"] == ("bob", "option --annotator")
    assert shown["theme"] == ("ansi-dark", "$FACTMARK_THEME")
    assert shown["stay"] == ("true", str(config))
    assert shown["ascii"] == ("true", "$FACTMARK_ASCII")
    assert shown["mouse"] == ("true", "default")


def test_the_configured_database_is_the_one_commands_use(tmp_path: Path) -> None:
    db = tmp_path / "news" / "mine.db"
    db.parent.mkdir()
    config = tmp_path / "config.toml"
    config.write_text(f'database = "{db}"\n')
    env = {"FACTMARK_CONFIG": str(config), "FACTMARK_DB": ""}
    assert factmark("import", str(SAMPLE), env=env, cwd=tmp_path).returncode == 0
    assert db.exists()
    assert b"articles" in factmark("stats", env=env, cwd=tmp_path).stdout
    # $FACTMARK_DB comes before the file, and --db before both.
    other = tmp_path / "other.db"
    factmark("import", str(SAMPLE), env={**env, "FACTMARK_DB": str(other)}, cwd=tmp_path)
    assert other.exists()


def test_a_bad_setting_is_one_line_naming_where_it_is(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    cases = [
        ('colour = "red"\n', {}, "unknown setting 'colour'"),
        ('stay = "yes"\n', {}, "stay must be true or false"),
        ("theme = \n", {}, "not valid TOML"),
        ("", {"FACTMARK_MOUSE": "maybe"}, "$FACTMARK_MOUSE: 'maybe' is not true or false"),
    ]
    for text, extra, message in cases:
        config.write_text(text)
        db = tmp_path / "never.db"
        result = factmark("--db", str(db), "stats", env={"FACTMARK_CONFIG": str(config), **extra})
        assert result.returncode == 2, text
        (line,) = result.stderr.decode().splitlines()
        assert message in line and (str(config) in line or "$FACTMARK" in line)
        assert not db.exists()
    missing = factmark("config", env={"FACTMARK_CONFIG": str(tmp_path / "gone.toml")})
    assert missing.returncode == 2 and b"gone.toml: no such file" in missing.stderr
