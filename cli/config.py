"""`factmark config`: each setting in force, and where it comes from."""

from __future__ import annotations

import os
from pathlib import Path

from .command import EXIT_BAD_INPUT, EXIT_OK, Call, command, config_dir, login_name
from .output import aligned, say, warn


@command(
    "config",
    help="Show each setting in force and where it comes from: its option, else its "
    "environment variable (FACTMARK_DB, FACTMARK_ANNOTATOR, FACTMARK_THEME, "
    "FACTMARK_KEYMAP, FACTMARK_STAY, FACTMARK_ASCII, FACTMARK_MOUSE), else config.toml in "
    "the config dir (or the file $FACTMARK_CONFIG names), else its default. In a class "
    "folder, the database is the class's: the teacher's, or your copy.",
    examples=["factmark config", "FACTMARK_CONFIG=class.toml factmark config"],
    exits="0 shown, 1 a class folder named by $FACTMARK_CLASS that cannot be read, 2 a "
    "usage error or a setting that cannot be read (one line naming the file or "
    "variable)",
    uses_place=False,
)
def config(call: Call) -> int:
    """Each setting, its value and where it comes from, one a line, then the file."""
    from platformdirs import user_data_path

    from factmark.corpus.safe_text import file_name
    from factmark.store.class_folder import copy_path, find, login
    from factmark.store.errors import StoreError

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
        source = item.source
        if item.setting.key == "database":
            # A class folder comes before all but --db, as for every command (cli/place.py).
            try:
                folder = None if call.db_option else find(Path.cwd(), os.environ)
                if folder is not None:
                    teacher = folder.is_teacher()
                    shown = str(folder.teacher_db if teacher else copy_path(folder, login()))
                    whose = "teacher" if teacher else "your copy"
                    source = f"class folder {folder.root} ({whose})"
            except StoreError as exc:
                warn(str(exc))
                return EXIT_BAD_INPUT
        # Escapes shown, not dropped: the line names the very file (or text) in force.
        rows.append((item.setting.key, file_name(shown), file_name(source)))
    say(aligned(rows))
    path = settings.config_path(os.environ, config_dir())
    say(f"config file: {file_name(path)}{'' if _readable(path) else ' (none)'}")
    return EXIT_OK


def _readable(path: Path) -> bool:
    """Whether `path` is a file this user can read (False, never an error, otherwise)."""
    try:
        return path.is_file() and os.access(path, os.R_OK)
    except OSError:
        return False
