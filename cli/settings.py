"""Settings a user can keep: each one from its option, else its environment variable,
else `config.toml`, else its default.

`config.toml` lives in the user config dir (`~/.config/factmark/` on Linux), or where
`$FACTMARK_CONFIG` names. It is TOML with any of these keys, for example:

    database = "~/news/factmark.db"
    annotator = "alice"
    theme = "textual-light"
    keymap = "vim"
    stay = true
    ascii = false
    mouse = false
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_FILE = "config.toml"
CONFIG_ENV = "FACTMARK_CONFIG"
MAX_BYTES = 1_000_000  # a config file is a few lines; more is a mistake
# The settings that name a file: in config.toml, `~` is the home and a relative path is
# the file's own folder's (a keymap's name, "vim", stays a name).
PATH_KEYS = ("database", "keymap")


@dataclass(frozen=True)
class Setting:
    """One setting: its key in config.toml, its option (and the name of the command's
    parameter the option sets), its environment variable, its type (str or bool) and
    default (None: worked out where it is used, as the database and the annotator are)."""

    key: str
    option: str
    attribute: str
    env: str
    kind: type
    default: object


SETTINGS = (
    Setting("database", "--db", "db", "FACTMARK_DB", str, None),
    Setting("annotator", "--annotator", "annotator", "FACTMARK_ANNOTATOR", str, None),
    Setting("theme", "--theme", "theme", "FACTMARK_THEME", str, None),
    Setting("keymap", "--keymap", "keymap", "FACTMARK_KEYMAP", str, "default"),
    Setting("stay", "--stay/--no-stay", "stay", "FACTMARK_STAY", bool, False),
    Setting("ascii", "--ascii/--no-ascii", "ascii", "FACTMARK_ASCII", bool, False),
    Setting("mouse", "--mouse/--no-mouse", "mouse", "FACTMARK_MOUSE", bool, True),
)
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


class SettingsError(ValueError):
    """A setting that cannot be read: its one-line message names the file or variable."""


@dataclass(frozen=True)
class Resolved:
    """A setting's value in force and where it came from ("option --db",
    "$FACTMARK_DB", "config.toml", "default")."""

    setting: Setting
    value: object
    source: str


def config_path(environ: Mapping[str, str], config_dir: Path) -> Path:
    """Where config.toml is: `$FACTMARK_CONFIG`, else in `config_dir`."""
    named = environ.get(CONFIG_ENV, "").strip()
    return Path(named).expanduser() if named else config_dir / CONFIG_FILE


def read_file(path: Path, *, named: bool) -> dict[str, object]:
    """The settings in `path`, checked: a dict of key -> value, the paths of PATH_KEYS
    made absolute. A file that is missing or that this user may not read holds none,
    unless `named` ($FACTMARK_CONFIG points at it). Raises SettingsError, also for what
    is not a regular file (a fifo, a device) or is over MAX_BYTES."""
    from factmark.corpus.safe_text import file_name
    from factmark.keymaps import builtin_names

    where = file_name(path)  # the real name, escapes shown
    try:
        # Not blocking on a fifo: it is refused, as a device is, before any read.
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise SettingsError(f"{where}: not a regular file")
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise SettingsError(f"{where}: too large for a config file (over 1 MB)")
        data = tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        if named:
            raise SettingsError(f"{where}: no such file (named by ${CONFIG_ENV})") from None
        return {}
    except PermissionError:
        if named or _own(path):
            raise SettingsError(f"{where}: not readable by this user") from None
        return {}  # someone else's config folder (a HOME this user may not look into)
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{where}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{where}: not valid TOML ({exc})") from None
    known = {setting.key: setting for setting in SETTINGS}
    for key, value in data.items():
        setting = known.get(key)
        if setting is None:
            raise SettingsError(f"{where}: unknown setting {key!r} (known: {', '.join(known)})")
        if not isinstance(value, setting.kind):
            wanted = "true or false" if setting.kind is bool else "a text in quotes"
            raise SettingsError(f"{where}: {key} must be {wanted}, not {_shown(value)}")
        if isinstance(value, str):
            _check_text(value, f"{where}: {key}")
        if key in PATH_KEYS and not (key == "keymap" and value in builtin_names()):
            data[key] = os.path.join(os.path.abspath(path.parent), os.path.expanduser(value))
    return data


def _own(path: Path) -> bool:
    """Whether the unreadable file, or the folder that hides it, is this user's."""
    for place in (path, path.parent):
        try:
            return place.stat().st_uid == os.geteuid()
        except OSError:
            continue
    return False


def _shown(value: object) -> str:
    """A value for a one-line message: repr'd (control characters escaped), cut short."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def _check_text(value: str, where: str) -> None:
    """Raises SettingsError for a text setting that is blank or holds a control
    character (a NUL ends a path at the operating system; an escape reaches a terminal)."""
    if not value.strip():
        raise SettingsError(f"{where} is blank")
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in value):
        raise SettingsError(f"{where} holds a control character: {_shown(value)}")


def _from_env(setting: Setting, text: str) -> object:
    if setting.kind is not bool:
        _check_text(text, f"${setting.env}")
        return text.strip()
    if text.strip().lower() in _TRUE:
        return True
    if text.strip().lower() in _FALSE:
        return False
    raise SettingsError(f"${setting.env}: {_shown(text)} is not true or false (use 1 or 0)")


def resolve(
    given: Mapping[str, object], environ: Mapping[str, str], config_dir: Path
) -> list[Resolved]:
    """Each setting's value and source. `given` maps a parameter's name to what its
    option set (None when the option was not used). Raises SettingsError."""
    path = config_path(environ, config_dir)
    in_file = read_file(path, named=bool(environ.get(CONFIG_ENV, "").strip()))
    found = []
    for setting in SETTINGS:
        option = given.get(setting.attribute)
        if option is not None:
            found.append(Resolved(setting, option, f"option {setting.option}"))
        elif environ.get(setting.env, "").strip():
            found.append(
                Resolved(setting, _from_env(setting, environ[setting.env]), f"${setting.env}")
            )
        elif setting.key in in_file:
            found.append(Resolved(setting, in_file[setting.key], str(path)))
        else:
            found.append(Resolved(setting, setting.default, "default"))
    return found


def expand(value: object) -> object:
    """A path setting as the user means it: `~` is their home."""
    return os.path.expanduser(value) if isinstance(value, str) else value
