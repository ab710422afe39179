"""Where a command works: the database it was given, a class folder, or the user's own.

In a class folder (found from `$FACTMARK_CLASS`, or from the working directory for the
folder's owner) the teacher works on `teacher.db` and a student on their own copy in
the drop box (see store/class_folder.py). Around each command a class is kept moving:
a student's copy follows what the teacher published before anything runs; the
teacher's commands that read the students' work collect it first, and those that
change what the class sees publish `class.db` again after.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from factmark.store.errors import StoreError

if TYPE_CHECKING:  # the class machinery loads only when a command runs
    from factmark.store.class_folder import ClassFolder

# What a student may run in their class: the reader on the class's articles, and what
# reads or adds to their own copy. Everything else there is the teacher's.
STUDENT_COMMANDS = frozenset({"open", "export", "stats", "import-verdicts", "merge", "key"})
# The teacher's commands that read the students' work, and those that change what the
# class is shown (every command that writes: outside a class they name the database).
COLLECTING = frozenset({"open", "export", "stats", "compare", "reveal", "unreveal"})
PUBLISHING = frozenset(
    {"open", "import", "redetect", "key", "reveal", "unreveal", "import-verdicts", "merge"}
)
_NO_DATABASE = frozenset({"class", "detect"})


@dataclass(frozen=True)
class Place:
    """The database a command uses; in a class, the folder and whether this user is
    its teacher. A command that writes names it, unless `--db` did."""

    db: Path
    folder: ClassFolder | None = None
    teacher: bool = False
    given: bool = False  # named with --db: the user knows where the work goes

    @property
    def student(self) -> bool:
        return self.folder is not None and not self.teacher

    def describe(self) -> str:
        """One line naming where the work went."""
        from factmark.store import gate

        if self.folder is None:
            return f"database: {gate.path(self.db)}"
        whose = "teacher's database" if self.teacher else "your copy"
        return f"{self.folder.describe()}: {whose} {gate.path(self.db)}"


def resolve(
    command: str,
    db: str | None,
    environ: Mapping[str, str],
    working: Path,
    configured: str | None = None,
) -> Place:
    """`--db`, else the class (FACTMARK_CLASS, or the folder the owner works in), else
    `$FACTMARK_DB`, else `configured` (config.toml's database), else the user's own
    database. A student's copy is made on first use. Raises StoreError."""
    if db:
        return Place(Path(db).expanduser(), given=True)
    from factmark.store.class_folder import find, own_copy

    if command not in _NO_DATABASE:
        folder = find(working, environ)  # type: ignore[arg-type]
        if folder is not None:
            if folder.is_teacher():
                return Place(folder.teacher_db, folder, teacher=True)
            copy, _ = own_copy(folder)
            return Place(copy, folder)
    named = environ.get("FACTMARK_DB") or configured
    if named:
        return Place(Path(named).expanduser())  # "~/x.db" as config.toml reads it
    from platformdirs import user_data_path

    return Place(user_data_path("factmark", appauthor=False) / "factmark.db")


def check(place: Place, command: str, action: str | None, adds_articles: bool) -> None:
    """Refuse, in one line, what a student may not do in a class: `action` is the
    subcommand (`key list`), `adds_articles` whether the reader would import first."""
    if not place.student:
        return
    assert place.folder is not None
    teachers = f"only the teacher ({place.folder.teacher}) can"
    if command not in STUDENT_COMMANDS or (command == "key" and action != "list"):
        raise StoreError(f"{place.folder.describe()}: {teachers} run `factmark {command}`")
    if command == "open" and adds_articles:
        raise StoreError(f"{place.folder.describe()}: {teachers} add articles")


def annotator(place: Place, asked: str) -> str:
    """Whose verdicts: in a class, a student is always their login (their copy is
    theirs, whatever name is asked for)."""
    from factmark.store.class_folder import login

    return login() if place.student else asked


def around(place: Place, command: str, run: Callable[[], int]) -> int:
    """Run a command in its place: a student's copy follows the class first; the
    teacher's collects and publishes around it. Problems with single copies are
    reported, one line each, and the command still runs."""
    from factmark.store import class_sync, gate
    from factmark.store.database import Store

    from .output import say, warn

    folder = place.folder
    if folder is None:
        status = run()
        if command in PUBLISHING and command != "open" and status == 0 and not place.given:
            say(place.describe(), file=sys.stderr)
        return status
    if place.student:
        with Store.open(place.db) as copy:
            if copy.conn.execute("PRAGMA journal_mode").fetchone()[0] != "delete":
                copy.conn.execute("PRAGMA journal_mode = DELETE")  # the teacher reads it
            class_sync.sync(copy, folder)
        status = run()
        if command in PUBLISHING:
            say(place.describe(), file=sys.stderr)
        return status
    if command in COLLECTING:
        with Store.open(place.db) as store:
            collected = class_sync.collect(store, folder)
        for problem in collected.problems:
            warn(problem)
    status = run()
    if command in PUBLISHING:
        with Store.open(place.db) as store:
            class_sync.publish(store, folder)
        say(f"{place.describe()}; published {gate.path(folder.class_db)}", file=sys.stderr)
    else:
        say(place.describe(), file=sys.stderr)
    return status
