"""The classroom: answer keys, and blind annotation until reveal.

Students work blind: a reader sees other people's verdicts on an article only once it
is revealed, by the teacher (`factmark reveal`, taken back by `factmark unreveal`) or
by deciding every claim in it. A key's notes are its explanations. Comparing students
with the key is `comparison`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import articles, gate
from .database import Store, utc_now
from .errors import StoreError


@dataclass(frozen=True)
class KeyVerdict:
    """An answer key's verdict on a claim; its note is the explanation."""

    key: str
    verdict: str
    note: str | None


@dataclass(frozen=True)
class Others:
    """What others hold about one claim: the keys' verdicts and the class's votes
    (verdict -> number of students)."""

    keys: list[KeyVerdict] = field(default_factory=list)
    votes: dict[str, int] = field(default_factory=dict)


CLASS_COPY = "class_copy"  # settings: the class folder a student's copy belongs to


def class_copy(store: Store) -> str | None:
    """The class folder this database is a student's copy for, or None. In a copy the
    claims are the teacher's (no adding, no dismissing), an article opens to the
    student only when the teacher reveals it, and the class's votes are the published
    ones (see store/class_sync.py)."""
    row = store.conn.execute("SELECT value FROM settings WHERE name = ?", [CLASS_COPY])
    found = row.fetchone()
    return found[0] if found else None


def refuse_in_copy(store: Store, what: str) -> None:
    """Raise StoreError when `store` is a class copy: `what` is the teacher's there."""
    if class_copy(store) is not None:
        # No path: a student in the browser is not shown the server's folders.
        raise StoreError(f"in a class, {what} is the teacher's to do")


def set_key(store: Store, name: str, is_key: bool = True) -> str:
    """Make an annotator an answer key (the teacher), or a student again.

    Returns the name as stored (normalised by the gate); raises StoreError for a name
    the gate refuses (nothing left once normalised, or too long)."""
    name = gate.annotator(name)
    with store.write() as db:
        db["annotators"].insert({"name": name, "created_at": utc_now()}, ignore=True)
        db.conn.execute("UPDATE annotators SET is_key = ? WHERE name = ?", [int(is_key), name])
    return name


def keys(store: Store) -> list[str]:
    """The answer keys' names, in alphabetical order."""
    return [
        r[0] for r in store.conn.execute("SELECT name FROM annotators WHERE is_key ORDER BY name")
    ]


def reveal(store: Store, article_id: int | None, by: str) -> list[int]:
    """Reveal one article (or every one, with None) to the class.

    Returns the ids of the articles this revealed, in number order: an article revealed
    already stays as it was (by whom and when), and is not among them. Raises
    StoreError for an unknown article or a `by` the gate refuses."""
    by = gate.annotator(by)
    with store.write() as db:
        _check_article(store, article_id)
        ids = [
            r[0]
            for r in db.conn.execute(
                "SELECT id FROM articles WHERE (:id IS NULL OR id = :id) "
                "AND id NOT IN (SELECT article_id FROM reveals) ORDER BY id",
                {"id": article_id},
            )
        ]
        now = utc_now()
        db.conn.executemany(
            "INSERT INTO reveals (article_id, revealed_by, revealed_at) VALUES (?, ?, ?)",
            [(i, by, now) for i in ids],
        )
    return ids


def unreveal(store: Store, article_id: int | None) -> list[int]:
    """Take back the teacher's reveal of one article (or of every one, with None).

    Returns the ids of the articles that were revealed and no longer are, in number
    order (none for an article that was not revealed). A student who decided every
    claim of an article still sees the others' verdicts on it (`is_revealed`).
    Raises StoreError for an unknown article."""
    with store.write() as db:
        _check_article(store, article_id)
        ids = [
            r[0]
            for r in db.conn.execute(
                "SELECT article_id FROM reveals WHERE :id IS NULL OR article_id = :id "
                "ORDER BY article_id",
                {"id": article_id},
            )
        ]
        db.conn.execute(
            "DELETE FROM reveals WHERE :id IS NULL OR article_id = :id", {"id": article_id}
        )
    return ids


def _check_article(store: Store, article_id: int | None) -> None:
    if article_id is not None and not articles.exists(store, article_id):
        raise StoreError(f"no article {article_id}")


def is_revealed(store: Store, article_id: int, annotator: str) -> bool:
    """Keys always see; students once the teacher revealed the article, or once they
    decided every claim in it."""
    if opened_to(store, article_id, annotator):
        return True
    if class_copy(store) is not None:
        return False
    pending = store.conn.execute(
        """
        SELECT count(*) FROM claims c
        LEFT JOIN current_verdicts cv ON cv.claim_id = c.id AND cv.annotator = ?
        WHERE c.article_id = ? AND NOT c.dismissed AND NOT c.orphaned AND cv.verdict IS NULL
        """,
        [annotator, article_id],
    ).fetchone()[0]
    return pending == 0


def opened_to(store: Store, article_id: int, annotator: str) -> bool:
    """True when `annotator` sees others' verdicts on the article whatever they have
    decided: they are an answer key, or the teacher revealed the article. (A student
    also sees them once every claim is decided: `is_revealed`.)"""
    row = store.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM annotators WHERE name = ? AND is_key) "
        "OR EXISTS (SELECT 1 FROM reveals WHERE article_id = ?)",
        [annotator, article_id],
    ).fetchone()
    return bool(row[0])


def others_on(store: Store, claim_id: int) -> Others:
    """The keys' verdicts and explanations on a claim, and the class's votes: those
    the teacher published, in a class copy (which holds no classmate's verdict), else
    every non-key annotator's current verdict. One query."""
    rows = store.conn.execute(
        """
        SELECT cv.annotator, cv.verdict, cv.note, a.is_key, NULL AS students
        FROM current_verdicts cv JOIN annotators a ON a.name = cv.annotator
        WHERE cv.claim_id = :claim AND cv.verdict IS NOT NULL
        UNION ALL
        SELECT NULL, verdict, NULL, 0, students FROM class_votes WHERE claim_id = :claim
        ORDER BY 1
        """,
        {"claim": claim_id},
    ).fetchall()
    keys = [KeyVerdict(r["annotator"], r["verdict"], r["note"]) for r in rows if r["is_key"]]
    published = {r["verdict"]: r["students"] for r in rows if r["students"] is not None}
    if published:
        return Others(keys=keys, votes=published)
    live = Counter(r["verdict"] for r in rows if r["annotator"] is not None and not r["is_key"])
    return Others(keys=keys, votes=dict(live))
