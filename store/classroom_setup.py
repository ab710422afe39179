"""`factmark class init`: a shared class directory many students can write to at once."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from . import gate
from .database import Store
from .errors import StoreError
from .ingest import import_paths
from .writing import create_text

DB_NAME = "factmark.db"
TEACHER_README = """# This class's factmark directory

`{db}` is the class's database: every student's verdicts go there, each under their
own name (their login name when they are Unix users on this server). Everyone works at
the same time; factmark queues the writes, and a verdict shown as saved is saved.

## Setting up the server (once)

1. Put the students and yourself in one Unix group, say `class`:
   `sudo groupadd class && sudo usermod -aG class alice` (and so on for each student).
2. Give the directory to that group, writable by it (factmark made it setgid, so
   new files stay in the group):
   `sudo chgrp -R class {dir} && sudo chmod -R g+rwX {dir}`
3. Each student adds to their `~/.profile`: `export FACTMARK_DB={db}`

## A session

- Import articles: `factmark import --db {db} ARTICLES...`
  (`factmark class init DIR --sample` already added the five sample articles.)
- Make yourself the answer key, then annotate: `factmark key add $USER`, then `factmark`.
  Your notes are the explanations the class sees after the reveal.
  Or write the key in a spreadsheet: export with `factmark export -o key.csv`, fill in
  `verdict` and `note`, and read it back with
  `factmark import-verdicts key.csv --annotator $USER`.
- Students run `factmark` and work blind: nobody sees anyone else's verdicts.
- An article is revealed to a student once they have decided every claim in it, or to
  everyone when you say so: `factmark reveal ARTICLE` (or `--all`), where ARTICLE is
  the number the library shows or part of the title. The reader then shows, beside
  each claim, your verdict and explanation and how the class voted.
  `factmark unreveal ARTICLE` takes a reveal back.
- Discuss: `factmark compare` lists each student's agreement with the key (percent
  and Cohen's kappa), the class's agreement (Krippendorff's alpha, Gwet's AC1), and
  the most disputed claims first. `factmark export --gradebook -o grades.csv` gives
  one row per student and article.
- Students who worked offline bring their own database:
  `factmark merge --db {db} their.db` (merging twice adds nothing).
"""


@dataclass(frozen=True)
class ClassFolder:
    """What `init_class` made: the class database (an absolute path, as students give
    it to factmark), and whether it wrote the teacher's README.md (False: one was there
    already, and was kept)."""

    database: Path
    readme_written: bool


def init_class(directory: Path, sample: list[str]) -> ClassFolder:
    """Create the directory (group-writable, setgid), its WAL database and a README.

    The README is written only where none is: never over the teacher's own edits, and
    never through a link a group member planted. Raises StoreError in one line."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        directory.chmod(directory.stat().st_mode | stat.S_IRWXG | stat.S_ISGID)
    except OSError as exc:
        raise StoreError(
            f"{gate.path(directory)}: cannot prepare the class directory ({exc.strerror})"
        ) from None
    db = directory.resolve() / DB_NAME
    with Store.open(db) as store:
        if sample:
            import_paths(store, sample)
    os.chmod(db, 0o664)  # SQLite gives its -wal and -shm files the same permissions
    readme = TEACHER_README.format(db=gate.path(db), dir=gate.path(db.parent))
    return ClassFolder(db, create_text(db.parent / "README.md", readme))
