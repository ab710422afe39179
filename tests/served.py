"""A class folder to serve in tests, made as `class init` leaves it but without a Unix
group (which needs root and new users: tests/test_class_users.py has those): the
folder, its marker naming this user as teacher, the sample articles in teacher.db and
class.db published from it."""

from __future__ import annotations

import getpass
from pathlib import Path

from factmark.store import class_folder, class_sync
from factmark.store.database import Store
from tests.helpers import SAMPLE, factmark


def make_class(root: Path) -> Path:
    """A class folder at `root` (made), this user its teacher, holding the samples."""
    root.mkdir(mode=0o750)
    (root / class_folder.CLASS_FILE).write_text(
        f'teacher = "{getpass.getuser()}"\ngroup = "class"\n', encoding="utf-8"
    )
    (root / class_folder.SUBMISSIONS).mkdir(mode=0o700)  # no student of a Unix account here
    teacher_db = root / class_folder.TEACHER_DB
    assert factmark("import", str(SAMPLE), "--db", str(teacher_db)).returncode == 0
    with Store.open(teacher_db) as store:
        class_sync.publish(store, class_folder.read(root))
    return root


def add_student(root: Path, name: str) -> str:
    """`factmark class roster add NAME` in the class at `root`: the password it printed."""
    result = factmark("class", "roster", "add", name, env={"FACTMARK_CLASS": str(root)})
    assert result.returncode == 0, result.stderr
    first = result.stdout.decode().splitlines()[0]
    assert first.startswith(f"{name}: password ")
    return first.rsplit(" ", 1)[1]
