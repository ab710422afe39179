"""Writing a note in the user's own editor ($VISUAL, else $EDITOR, else vi).

The note goes to a private file (0600, created with O_EXCL by the store's one file
writer), the terminal is handed over to the editor and given back, and the file is
read back and removed. Every way this can fail (a command that does not parse, a
program that is not installed, an editor that exits non-zero or is interrupted, a file
that is no longer UTF-8) is an `EditorError` in one line, raised after the app has its
terminal back: nothing is saved then.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess

from textual.app import App, SuspendNotSupported

from factmark.store.errors import StoreError
from factmark.store.writing import private_file


class EditorError(Exception):
    """Why the note could not be edited, in one line."""


def editor_command() -> list[str]:
    """The editor's command line with its program found on PATH; EditorError if none."""
    name = next((n for n in ("VISUAL", "EDITOR") if os.environ.get(n, "").strip()), None)
    value = os.environ[name] if name else "vi"
    what = f"${name}" if name else "the default editor"
    try:
        words = shlex.split(value)
    except ValueError as exc:
        raise EditorError(f"Cannot read {what} ({value!r}): {exc}.") from None
    program = shutil.which(words[0]) if words else None
    if program is None:
        raise EditorError(
            f"Could not run the editor {words[0] if words else value!r}: not found "
            "(set $VISUAL or $EDITOR)."
        )
    return [program, *words[1:]]


def edit(app: App, text: str) -> str:
    """`text` as the user left it in their editor; EditorError if that did not work."""
    command = editor_command()
    try:
        path = private_file(text)
    except StoreError as exc:
        raise EditorError(f"No file for the note: {exc}") from None
    try:
        try:
            with app.suspend():
                failure = _run(command, str(path))
        except SuspendNotSupported:
            raise EditorError("This terminal cannot hand over to an editor: use e.") from None
        if failure is not None:
            raise EditorError(failure)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise EditorError(f"Could not read the note back: {exc.strerror}") from None
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EditorError("The edited note is not UTF-8 text: it was not saved.") from None


def _run(command: list[str], path: str) -> str | None:
    """Run the editor on `path`; None if it succeeded, else why not, in one line.

    Raises nothing: it runs while the app is suspended, and an exception there would
    leave the terminal in the editor's hands and the app never resumed.
    """
    try:
        done = subprocess.run([*command, path], check=False)
    except KeyboardInterrupt:
        return "The editor was interrupted: the note is unchanged."
    except OSError as exc:
        return f"Could not run the editor {command[0]}: {exc.strerror or exc}"
    except Exception as exc:  # anything else, reported after the app is back
        return f"Could not run the editor {command[0]}: {exc}"
    if done.returncode != 0:
        return f"The editor exited with status {done.returncode}: the note is unchanged."
    return None
