"""Moving work through a class folder (see class_folder.py): the teacher publishes
what the class may see and collects the students' copies; a student's copy follows
what the teacher published.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass, field

from . import gate
from .class_folder import SHARED_FILE_MODE, ClassFolder, copies
from .classroom import CLASS_COPY
from .database import Store
from .errors import StoreError
from .merge import merge
from .merge_source import plural
from .roster import folded, served_copies

_KEYS = "SELECT name FROM annotators WHERE is_key"
_REVEALED_CLAIMS = "SELECT id FROM claims WHERE article_id IN (SELECT article_id FROM reveals)"
_KEY_EVENTS_REVEALED = f"WHERE annotator IN ({_KEYS}) AND claim_id IN ({_REVEALED_CLAIMS})"


def publish(store: Store, folder: ClassFolder) -> None:
    """Write class.db from the teacher's database: articles, regions and claims; the
    keys' names; and for revealed articles only, the keys' verdict events and the
    class's votes (verdict -> number of students, no names). Written beside and renamed
    over the old one, so a student never reads half of it. Raises StoreError."""
    fd, name = tempfile.mkstemp(prefix=".class.db.", dir=folder.root)
    os.fchmod(fd, SHARED_FILE_MODE)
    os.close(fd)
    try:
        with Store.open(name) as public:
            with public.write():
                for table, where in (
                    ("articles", ""),
                    ("regions", ""),
                    ("claims", ""),
                    ("annotators", "WHERE is_key"),
                    ("verdicts", _KEY_EVENTS_REVEALED),
                    ("reveals", ""),
                ):
                    _copy(store.conn, public, table, where)
                votes = store.conn.execute(
                    f"""
                    SELECT claim_id, verdict, count(*) FROM current_verdicts
                    WHERE verdict IS NOT NULL AND annotator NOT IN ({_KEYS})
                      AND claim_id IN ({_REVEALED_CLAIMS})
                    GROUP BY claim_id, verdict
                    """
                )
                public.conn.executemany("INSERT INTO class_votes VALUES (?, ?, ?)", votes)
            # A rollback journal: the class reads the file without writing beside it.
            public.conn.execute("PRAGMA journal_mode = DELETE")
        os.replace(name, folder.class_db)
    except OSError as exc:
        raise StoreError(f"{gate.path(folder.class_db)}: cannot publish ({exc.strerror})") from None
    finally:
        if os.path.exists(name):
            os.unlink(name)


def sync(copy: Store, folder: ClassFolder) -> None:
    """Bring a student's copy up to what the teacher published: new articles and
    claims (with the teacher's numbers), claims the teacher dropped (removed, or kept
    apart as orphans when the student decided them), answer keys, reveals, and the
    key's verdicts and the class's votes on revealed articles. Raises StoreError."""
    with Store.open(folder.class_db, readonly=True) as public, copy.write():
        copy.conn.execute("PRAGMA defer_foreign_keys = ON")
        had = {r[0] for r in copy.conn.execute("SELECT id FROM articles")}
        _copy(public.conn, copy, "articles")
        new = [r[0] for r in copy.conn.execute("SELECT id FROM articles") if r[0] not in had]
        marks = ", ".join("?" * len(new))
        _copy(public.conn, copy, "regions", f"WHERE article_id IN ({marks})", new)
        _follow_claims(public.conn, copy)
        _copy(public.conn, copy, "annotators", "WHERE is_key")
        keys = [r[0] for r in public.conn.execute(_KEYS)]
        copy.conn.execute(
            f"UPDATE annotators SET is_key = name IN ({', '.join('?' * len(keys))})", keys
        )
        _copy(public.conn, copy, "verdicts")
        for table in ("reveals", "class_votes"):
            copy.conn.execute(f"DELETE FROM {table}")
            _copy(public.conn, copy, table)
        copy.conn.execute(
            "INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)",
            [CLASS_COPY, str(folder.root)],
        )


def _follow_claims(public: sqlite3.Connection, copy: Store) -> None:
    published = {
        r[0]: (r[1], r[2]) for r in public.execute("SELECT id, dismissed, orphaned FROM claims")
    }
    for (claim_id,) in copy.conn.execute("SELECT id FROM claims").fetchall():
        if claim_id in published:
            continue
        if copy.conn.execute("SELECT 1 FROM verdicts WHERE claim_id = ?", [claim_id]).fetchone():
            copy.conn.execute("UPDATE claims SET orphaned = 1 WHERE id = ?", [claim_id])
        else:
            copy.conn.execute("DELETE FROM class_votes WHERE claim_id = ?", [claim_id])
            copy.conn.execute("DELETE FROM claims WHERE id = ?", [claim_id])
    _copy(public, copy, "claims")
    copy.conn.executemany(
        "UPDATE claims SET dismissed = ?, orphaned = ? WHERE id = ?",
        [(dismissed, orphaned, claim_id) for claim_id, (dismissed, orphaned) in published.items()],
    )


def _copy(
    source: sqlite3.Connection, target: Store, table: str, where: str = "", params=()
) -> None:
    """Rows of `table` (those `where` picks) from `source` into the same table of
    `target`, ids kept; a row whose id is there already is left as it is."""
    columns = [r[1] for r in target.conn.execute(f'PRAGMA table_info("{table}")')]
    names = ", ".join(f'"{c}"' for c in columns)
    rows = source.execute(f'SELECT {names} FROM "{table}" {where}', params)
    marks = ", ".join("?" * len(columns))
    target.conn.executemany(f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({marks})', rows)


@dataclass
class Collected:
    """What `collect` brought: new verdict events per student, and one line for each
    copy it could not read or each part of one it left behind."""

    events: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: how many new events came from how many students."""
        total = sum(self.events.values())
        return (
            f"collected {plural(total, 'new verdict event')} from "
            f"{plural(len(self.events), 'student')}"
        )


def collect(store: Store, folder: ClassFolder) -> Collected:
    """Bring every student's new verdict events into the teacher's database, each as
    its copy's owner's, on the class's own claims only (see merge's `owner`): the drop
    box's copies, and the copies `factmark serve` wrote for the roster's students
    (store/roster.py), each as its roster name's, unless that name (compared as the
    roster does, `roster.same_name`) is an answer key's or a drop-box copy's owner's:
    two people's verdicts are never merged under one name. A copy that cannot be read
    (being written, damaged) is named in `problems` and the others still come. Raises
    StoreError when the drop box cannot be listed."""
    found = Collected()
    paths, found.problems = copies(folder)
    keys = {folded(r[0]) for r in store.conn.execute(_KEYS)}
    logins = {folded(owner) for owner, _ in paths}
    for name, path in served_copies(folder):
        if folded(name) in keys:
            found.problems.append(f"{gate.path(path)}: {name} is an answer key; left out")
        elif folded(name) in logins:
            found.problems.append(
                f"{gate.path(path)}: {name} also works over SSH; left out (rename one)"
            )
        else:
            paths.append((name, path))
    for owner, path in paths:
        try:
            report = merge(store, path, owner=owner)
        except StoreError as exc:
            found.problems.append(f"{owner}'s copy: {exc}")
            continue
        found.events[owner] = report.events
        found.problems += [f"{owner}'s copy: {note}" for note in report.notes]
    return found
