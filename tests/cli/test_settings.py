"""Settings kept in config.toml or the environment: option > environment > file >
default, each checked in one line, and shown with its source by `factmark config`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import SAMPLE, factmark, without_root_override


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
        # A NUL would end the path at the system; an escape would reach the terminal.
        ('database = "\\u0000"\n', {}, "database holds a control character: '\\x00'"),
        ('annotator = "\\u001b[2J"\n', {}, "annotator holds a control character"),
        ("", {"FACTMARK_THEME": "dark\x1b]0;x\x07"}, "$FACTMARK_THEME holds a control"),
        ('annotator = "   "\n', {}, "annotator is blank"),
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


def test_a_boolean_in_the_file_can_be_turned_off_by_an_option(tmp_path: Path) -> None:
    from factmark.cli import settings

    config = tmp_path / "config.toml"
    config.write_text("stay = true\nascii = true\nmouse = false\n")
    env = {"FACTMARK_CONFIG": str(config)}
    # The reader takes each pair (it stops only for want of a terminal here)...
    result = factmark("open", "--no-stay", "--no-ascii", "--mouse", env=env)
    assert result.returncode == 1 and b"needs a terminal" in result.stderr
    # ...and what an option says beats the file, either way.
    given = {"stay": False, "ascii": False, "mouse": True}
    found = {r.setting.key: (r.value, r.source) for r in settings.resolve(given, env, tmp_path)}
    assert found["stay"] == (False, "option --stay/--no-stay")
    assert found["ascii"] == (False, "option --ascii/--no-ascii")
    assert found["mouse"] == (True, "option --mouse/--no-mouse")


def test_your_own_unreadable_config_is_said_not_skipped_and_never_a_traceback(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    folder = home / ".config" / "factmark"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text("stay = true\n")
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    env.pop("FACTMARK_CONFIG", None)
    factmark_command = str(Path(sys.executable).with_name("factmark"))
    for unreadable in (folder / "config.toml", folder):
        unreadable.chmod(0)
        try:
            result = subprocess.run(
                without_root_override(factmark_command, "config"),
                capture_output=True,
                env=env,
            )
        finally:
            unreadable.chmod(0o700)
        assert result.returncode == 2, result.stderr
        (line,) = result.stderr.decode().splitlines()
        assert "not readable by this user" in line and "Traceback" not in line


def test_config_shows_the_database_file_commands_will_use(tmp_path: Path) -> None:
    home = tmp_path / "home"
    shown = settings_shown(factmark("config", env={"FACTMARK_DB": "~/x.db", "HOME": str(home)}))
    assert shown["database"] == (str(home / "x.db"), "$FACTMARK_DB")
    relative = settings_shown(factmark("config", env={"FACTMARK_DB": "rel.db"}, cwd=tmp_path))
    assert relative["database"] == (str(tmp_path / "rel.db"), "$FACTMARK_DB")


def test_a_config_that_is_no_regular_file_or_too_large_is_refused_at_once(tmp_path: Path) -> None:
    # A fifo would block every command until someone wrote to it; /dev/zero never ends.
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.toml"
    huge.write_text("# " + "x" * 2_000_000 + "\n")
    for config, says in (
        (fifo, "not a regular file"),
        ("/dev/zero", "not a regular file"),
        (huge, "too large"),
    ):
        result = factmark("stats", env={"FACTMARK_CONFIG": str(config)}, timeout=20)
        assert result.returncode == 2
        (line,) = result.stderr.decode().splitlines()
        assert line.startswith(f"factmark: {config}: {says}")


def test_paths_in_the_config_file_are_the_files_own(tmp_path: Path) -> None:
    # `~` is the home, and a relative path the config file's folder's, wherever it runs.
    home, folder, elsewhere = tmp_path / "home", tmp_path / "settings", tmp_path / "work"
    for place in (home, folder, elsewhere):
        place.mkdir()
    (folder / "keys.toml").write_text('[keys]\nverified = "v"\n')
    (home / "keys.toml").write_text('[keys]\nverified = "v"\n')
    config = folder / "config.toml"
    env = {"FACTMARK_CONFIG": str(config), "HOME": str(home), "FACTMARK_DB": ""}
    config.write_text('database = "news.db"\nkeymap = "keys.toml"\n')
    shown = settings_shown(factmark("config", env=env, cwd=elsewhere))
    assert shown["database"] == (str(folder / "news.db"), str(config))
    assert shown["keymap"] == (str(folder / "keys.toml"), str(config))
    config.write_text('database = "~/news.db"\nkeymap = "~/keys.toml"\n')
    shown = settings_shown(factmark("config", env=env, cwd=elsewhere))
    assert shown["database"][0] == str(home / "news.db")
    assert shown["keymap"][0] == str(home / "keys.toml")
    config.write_text('keymap = "vim"\n')
    assert settings_shown(factmark("config", env=env, cwd=elsewhere))["keymap"][0] == "vim"
    # The reader takes that keymap file (a missing one would be exit 2, "no such keymap").
    assert "no such keymap" not in factmark("open", env=env, cwd=elsewhere).stderr.decode()


def test_config_names_the_very_file_escapes_shown_not_dropped(tmp_path: Path) -> None:
    hostile = tmp_path / "\u202ex\x1b]0;pwn\x07.db"
    result = factmark("config", "--db", str(hostile))
    assert result.returncode == 0
    out = result.stdout.decode()
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert f"{tmp_path}/\\u202ex\\x1b]0;pwn\\x07.db" in out


def test_in_a_class_folder_config_shows_the_class_database(tmp_path: Path) -> None:
    from tests.served import make_class

    root = make_class(tmp_path / "class")
    shown = settings_shown(factmark("config", env={"FACTMARK_CLASS": str(root)}))
    assert shown["database"] == (str(root / "teacher.db"), f"class folder {root} (teacher)")
    missing = factmark("config", env={"FACTMARK_CLASS": str(tmp_path / "none")})
    assert missing.returncode == 1 and len(missing.stderr.decode().splitlines()) == 1
