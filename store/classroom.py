"""The classroom: answer keys, blind annotation until reveal, and comparing verdicts.

Students work blind: a reader sees other people's verdicts on an article only once it
is revealed, by the teacher (`factmark reveal`) or by deciding every claim in it. A
key's notes are its explanations.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import gate
from .agreement import cohen_kappa, gwet_ac1, krippendorff_alpha, percent_agreement
from .database import Store, utc_now
from .errors import StoreError
from .verdicts import VERDICTS


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
    folder = class_copy(store)
    if folder is not None:
        raise StoreError(f"in the class {folder}, {what} is the teacher's to do")


def set_key(store: Store, name: str, is_key: bool = True) -> str:
    """Make an annotator an answer key (the teacher), or a student again.

    Returns the name as stored (normalised by the gate); raises StoreError for a name
    that normalises to nothing."""
    name = gate.annotator(name)
    with store.write() as db:
        db["annotators"].insert({"name": name, "created_at": utc_now()}, ignore=True)
        db.conn.execute("UPDATE annotators SET is_key = ? WHERE name = ?", [int(is_key), name])
    return name


def keys(store: Store) -> list[str]:
    return [
        r[0] for r in store.conn.execute("SELECT name FROM annotators WHERE is_key ORDER BY name")
    ]


def reveal(store: Store, article_id: int | None, by: str) -> int:
    """Reveal one article (or every one, with None) to the class; returns how many."""
    ids = (
        [article_id]
        if article_id is not None
        else [r[0] for r in store.conn.execute("SELECT id FROM articles")]
    )
    by = gate.annotator(by)
    with store.write() as db:
        for i in ids:
            if db.conn.execute("SELECT 1 FROM articles WHERE id = ?", [i]).fetchone() is None:
                raise StoreError(f"no article {i}")
            db.conn.execute(
                "INSERT OR IGNORE INTO reveals (article_id, revealed_by, revealed_at) "
                "VALUES (?, ?, ?)",
                [i, by, utc_now()],
            )
    return len(ids)


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
    """The keys' verdicts and explanations on a claim, and the class's votes (in a
    class copy, the votes the teacher published)."""
    rows = store.conn.execute(
        """
        SELECT cv.annotator, cv.verdict, cv.note, a.is_key FROM current_verdicts cv
        JOIN annotators a ON a.name = cv.annotator
        WHERE cv.claim_id = ? AND cv.verdict IS NOT NULL ORDER BY cv.annotator
        """,
        [claim_id],
    ).fetchall()
    keys = [KeyVerdict(r["annotator"], r["verdict"], r["note"]) for r in rows if r["is_key"]]
    if class_copy(store) is not None:
        published = store.conn.execute(
            "SELECT verdict, students FROM class_votes WHERE claim_id = ?", [claim_id]
        )
        return Others(keys=keys, votes=dict(published.fetchall()))
    return Others(keys=keys, votes=dict(Counter(r["verdict"] for r in rows if not r["is_key"])))


def _decisions(store: Store, article_id: int | None) -> dict[int, dict[str, str]]:
    """claim id -> {annotator: current verdict}, for live claims."""
    sql = """
        SELECT cv.claim_id, cv.annotator, cv.verdict FROM current_verdicts cv
        JOIN claims c ON c.id = cv.claim_id
        WHERE cv.verdict IS NOT NULL AND NOT c.dismissed AND NOT c.orphaned
    """
    params: list = []
    if article_id is not None:
        sql += " AND c.article_id = ?"
        params.append(article_id)
    found: dict[int, dict[str, str]] = {}
    for claim_id, annotator, verdict in store.conn.execute(sql, params):
        found.setdefault(claim_id, {})[annotator] = verdict
    return found


def compare(store: Store, key: str | None = None, article_id: int | None = None) -> dict:
    """Students against the key, claim by claim, and the class's agreement."""
    if (
        article_id is not None
        and not store.conn.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone()
    ):
        raise StoreError(f"no article {article_id}")
    all_keys = keys(store)
    key = key or (all_keys[0] if all_keys else None)
    if key is not None and key not in all_keys:
        raise StoreError(f"{key!r} is not an answer key (make one with: factmark key add NAME)")
    decisions = _decisions(store, article_id)
    students = sorted({a for d in decisions.values() for a in d if a not in all_keys})
    per_student = []
    for student in students:
        decided = [c for c, d in decisions.items() if student in d]
        pairs = [
            (decisions[c][student], decisions[c][key])
            for c in decided
            if key and key in decisions[c]
        ]
        agreement = percent_agreement(pairs)
        per_student.append(
            {
                "annotator": student,
                "decided": len(decided),
                "compared": len(pairs),
                "agreement": None if agreement is None else round(100 * agreement, 1),
                "kappa": _round(cohen_kappa(pairs)),
            }
        )
    texts = {
        r[0]: (r[1], r[2])
        for r in store.conn.execute("SELECT c.id, c.text, c.article_id FROM claims c")
    }
    per_claim = []
    for claim_id, by in decisions.items():
        votes = Counter(v for a, v in by.items() if a in students)
        total = sum(votes.values())
        per_claim.append(
            {
                "claim_id": claim_id,
                "article_id": texts[claim_id][1],
                "text": texts[claim_id][0],
                "key": by.get(key) if key else None,
                **{v: votes.get(v, 0) for v in VERDICTS},
                "students": total,
                # Share of students away from the majority: 0 when all agree.
                "disagreement": round(1 - max(votes.values()) / total, 3) if total else 0.0,
            }
        )
    per_claim.sort(key=lambda c: (-c["disagreement"], -c["students"], c["claim_id"]))
    units = {c: [v for a, v in by.items() if a in students] for c, by in decisions.items()}
    return {
        "key": key,
        "students": per_student,
        "claims": per_claim,
        "class": {
            "students": len(students),
            "claims": len(units),
            "krippendorff_alpha": _round(krippendorff_alpha(units)),
            "gwet_ac1": _round(gwet_ac1(units, VERDICTS)),
        },
    }


def gradebook(store: Store, key: str | None = None) -> list[dict]:
    """One row per student and article: claims, decided, agreement with the key."""
    rows = []
    for article in store.conn.execute("SELECT id, title FROM articles ORDER BY id").fetchall():
        figures = compare(store, key, article["id"])
        claims = store.conn.execute(
            "SELECT count(*) FROM claims WHERE article_id = ? AND NOT dismissed AND NOT orphaned",
            [article["id"]],
        ).fetchone()[0]
        for student in figures["students"]:
            rows.append(
                {
                    "annotator": student["annotator"],
                    "article_id": article["id"],
                    "article_title": article["title"],
                    "claims": claims,
                    **{k: student[k] for k in ("decided", "compared", "agreement", "kappa")},
                }
            )
    return sorted(rows, key=lambda r: (r["annotator"], r["article_id"]))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
