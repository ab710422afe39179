"""One browser session of `factmark serve`: the process textual-serve starts for each
page, running the reader through Textual's web driver.

Run as `python -m factmark.cli.session SERVER_PID CLASS_DIR` by the server, never by a
user; the browser chooses nothing on this line. A session ends with its server,
however the server ends (SIGKILL included). Who reads is decided at the sign-in screen,
against the class roster (store/roster.py); the student then reads and writes their
own copy, which follows the class as a drop-box copy does (blind until the teacher
reveals, see store/class_sync.py). Standard output is the web driver's channel:
problems go to standard error, which the server prints.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .command import sample_corpus

if TYPE_CHECKING:
    from factmark.tui.sign_in import SignIn


def sign_in_to(root: Path) -> tuple[SignIn, str]:
    """The sign-in of the class at `root` (a roster check, then the student's copy made
    and brought up to what the teacher published), and the class in a few words (its
    folder's name: a browser is not shown the server's paths). Raises
    StoreError when `root` is not a class folder."""
    from factmark.store import class_folder, class_sync, roster
    from factmark.store.database import Store
    from factmark.tui.sign_in import SignedIn

    folder = class_folder.read(root)

    def sign_in(name: str, password: str) -> SignedIn:
        # Noted before the check: a reset in between ends the session at once.
        token = roster.password_token(folder, name)
        student = roster.sign_in(folder, name, password)
        copy = roster.own_served_copy(folder, student)
        with Store.open(copy) as store:
            if store.conn.execute("PRAGMA journal_mode").fetchone()[0] != "delete":
                store.conn.execute("PRAGMA journal_mode = DELETE")  # one file to collect
            class_sync.sync(store, folder)
        return SignedIn(student, copy, lambda: roster.password_token(folder, student) == token)

    return sign_in, f"class {folder.root.name}"


def main(argv: Sequence[str]) -> int:
    """Run one session of the server whose pid is `argv[0]`, for the class folder
    `argv[1]`; its exit status (0 the reader closed, 1 the class cannot be read, the
    sign-in gave up or the server had ended)."""
    from factmark.keymaps import load
    from factmark.store.errors import StoreError
    from factmark.store.processes import end_with
    from factmark.tui.bindings import binding_contexts
    from factmark.tui.sign_in import ServedApp

    # SIGTERM: the reader ends as on a kill, every verdict shown saved being committed.
    end_with(int(argv[0]), signal.SIGTERM)
    try:
        sign_in, place = sign_in_to(Path(argv[1]))
    except StoreError as exc:
        print(f"factmark serve: {exc}", file=sys.stderr)
        return 1
    # The browser's font lacks some of the app's symbols: draw in ASCII (see README).
    app = ServedApp(
        sign_in,
        place,
        sample_corpus(),
        load("default", binding_contexts()),
        ascii_glyphs=True,
    )
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
