"""`factmark config`: each setting in force, and where it comes from."""

from __future__ import annotations

import os
from pathlib import Path

from .command import EXIT_OK, Call, command, config_dir, login_name
from .output import say, settings_table


@command(
    "config",
    help="Show each setting in force and where it comes from: its option, else its "
    "environment variable (FACTMARK_DB, FACTMARK_ANNOTATOR, FACTMARK_THEME, "
    "FACTMARK_KEYMAP, FACTMARK_STAY, FACTMARK_ASCII, FACTMARK_MOUSE), else config.toml in "
    "the config dir (or the file $FACTMARK_CONFIG names), else its default.",
    examples=["factmark config", "FACTMARK_CONFIG=class.toml factmark config"],
    exits="0 shown, 2 a usage error or a setting that cannot be read (one line naming "
    "the file or variable)",
    uses_place=False,
)
def config(call: Call) -> int:
    """Each setting, its value and where it comes from, one a line, then the file."""
    from platformdirs import user_data_path

    from factmark.corpus.safe_text import one_line

    from . import settings

    defaults = {
        "database": f"{user_data_path('factmark', appauthor=False) / 'factmark.db'}",
        "annotator": f"{login_name()} (your login name)",
        "theme": "Textual's default",
    }
    rows = []
    for item in call.settings:
        value = item.value
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif item.setting.key == "database" and value is not None:
            value = os.path.abspath(settings.expand(value))  # the file commands will use
        shown = str(defaults.get(item.setting.key, "") if value is None else value)
        rows.append((item.setting.key, shown, item.source))
    say(settings_table(rows))
    path = settings.config_path(os.environ, config_dir())
    say(f"config file: {one_line(str(path))}{'' if _readable(path) else ' (none)'}")
    return EXIT_OK


def _readable(path: Path) -> bool:
    """Whether `path` is a file this user can read (False, never an error, otherwise)."""
    try:
        return path.is_file() and os.access(path, os.R_OK)
    except OSError:
        return False
