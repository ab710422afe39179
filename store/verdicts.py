"""The verdict log: append-only events, from which current verdicts, undo and redo follow.

Every change (a verdict, a note, an evidence link, clearing, undo, redo) appends one
event holding the full new state of (claim, annotator). Nothing is updated or deleted,
so history, audit and merging are reads of the log.
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any, TypedDict

from factmark.corpus.vocabulary import VERDICT_NAMES

from . import gate
from .database import Store, utc_now
from .errors import StoreError

VERDICTS = VERDICT_NAMES  # what a verdict may be, as stored
STATE_FIELDS = ("verdict", "note", "evidence_url")
_UNSET: Any = object()

_ORDER = "ORDER BY created_at, rowid"
_INSERT = (
    "INSERT INTO verdicts (id, claim_id, annotator, verdict, note, evidence_url, created_at, "
    "action, reverts) VALUES (:id, :claim_id, :annotator, :verdict, :note, :evidence_url, "
    ":created_at, :action, :reverts)"
)


# The (claim, annotator) state now (all NULL when the annotator never touched the
# claim), and whether the annotator is known yet: one statement for both.
_STATE = """
SELECT EXISTS (SELECT 1 FROM annotators WHERE name = :annotator) AS known,
       v.verdict, v.note, v.evidence_url
FROM (SELECT 1) LEFT JOIN (
    SELECT verdict, note, evidence_url FROM verdicts
    WHERE claim_id = :claim_id AND annotator = :annotator
    ORDER BY created_at DESC, rowid DESC LIMIT 1
) v
"""


class VerdictEvent(TypedDict):
    """One event of the verdict log: the full state of (claim, annotator) after it.

    `action` is "set", "undo" or "redo"; `reverts` the id of the event an undo or redo
    acts on; `created_at` an ISO 8601 UTC timestamp."""

    id: str
    claim_id: int
    annotator: str
    verdict: str | None
    note: str | None
    evidence_url: str | None
    created_at: str
    action: str
    reverts: str | None


def record(
    store: Store,
    claim_id: int,
    annotator: str,
    verdict: str | None = _UNSET,
    *,
    note: str | None = _UNSET,
    evidence_url: str | None = _UNSET,
) -> VerdictEvent:
    """Change what `annotator` holds about a claim; fields not given keep their value.

    Returns the event once it is committed: a caller may show it as saved. Four SQL
    statements: BEGIN, the current state, the event, COMMIT (and, for an annotator's
    very first verdict, one to record the annotator). Raises
    StoreError for an unknown verdict or claim, StoreBusy (an impatient store) when
    another program holds the write lock.
    """
    if verdict is not _UNSET and verdict is not None and verdict not in VERDICTS:
        raise StoreError(f"unknown verdict {verdict!r} (use one of {', '.join(VERDICTS)})")
    annotator = gate.annotator(annotator)
    changes = {"verdict": verdict, "note": note, "evidence_url": evidence_url}
    if note is not _UNSET:
        changes["note"] = (gate.text(note) or "").strip() or None
    if evidence_url is not _UNSET:
        changes["evidence_url"] = gate.url(evidence_url)
    with store.write():
        row = store.conn.execute(_STATE, {"claim_id": claim_id, "annotator": annotator}).fetchone()
        state = {name: row[name] for name in STATE_FIELDS}
        for name, value in changes.items():
            if value is not _UNSET:
                state[name] = value
        return _append(store, claim_id, annotator, state, "set", None, known=bool(row["known"]))


def record_changes(store: Store, claim_id: int, annotator: str, changes: dict[str, Any]) -> bool:
    """Record `changes` (some of STATE_FIELDS, as `record` takes them) unless the
    annotator's current state already holds them; True if an event was recorded.
    Raises what `record` raises."""
    state = current(store, claim_id, annotator) or dict.fromkeys(STATE_FIELDS)
    if all(state[name] == value for name, value in changes.items()):
        return False
    record(store, claim_id, annotator, **changes)
    return True


def current(store: Store, claim_id: int, annotator: str) -> VerdictEvent | None:
    """The newest event of `annotator` on the claim, or None if they never touched it."""
    row = store.conn.execute(
        "SELECT * FROM verdicts WHERE claim_id = ? AND annotator = ? "
        "ORDER BY created_at DESC, rowid DESC LIMIT 1",
        [claim_id, annotator],
    ).fetchone()
    return VerdictEvent(**row) if row else None  # type: ignore[typeddict-item]


def history(store: Store, claim_id: int, annotator: str | None = None) -> list[VerdictEvent]:
    """Every event on a claim, oldest first (of one annotator if given)."""
    sql = "SELECT * FROM verdicts WHERE claim_id = ?"
    params: list[Any] = [claim_id]
    if annotator is not None:
        sql += " AND annotator = ?"
        params.append(annotator)
    return [VerdictEvent(**r) for r in store.conn.execute(f"{sql} {_ORDER}", params)]  # type: ignore[typeddict-item]


def for_article(store: Store, article_id: int, annotator: str) -> dict[int, list[VerdictEvent]]:
    """`annotator`'s events on every claim of an article: claim id -> events, oldest
    first. One query, for a reader that keeps histories in memory."""
    rows = store.conn.execute(
        "SELECT v.* FROM verdicts v JOIN claims c ON c.id = v.claim_id "
        "WHERE c.article_id = ? AND v.annotator = ? ORDER BY v.created_at, v.rowid",
        [article_id, annotator],
    )
    found: dict[int, list[VerdictEvent]] = {}
    for row in rows:
        found.setdefault(row["claim_id"], []).append(VerdictEvent(**row))  # type: ignore[typeddict-item]
    return found


def undo(store: Store, annotator: str) -> VerdictEvent | None:
    """Revert the annotator's latest change that is not yet undone: returns the undo
    event, None if there is nothing to undo. Raises StoreError for a name the gate
    refuses."""
    annotator = gate.annotator(annotator)
    with store.write():
        done, _ = _stacks(store, annotator)
        if not done:
            return None
        target = done[-1]
        before = _state_before(store, target)
        return _append(store, target["claim_id"], annotator, before, "undo", target["id"])


def redo(store: Store, annotator: str) -> VerdictEvent | None:
    """Re-apply the change the latest undo reverted: returns the redo event, None if
    there is nothing to redo. Raises StoreError for a name the gate refuses."""
    annotator = gate.annotator(annotator)
    with store.write():
        _, undone = _stacks(store, annotator)
        if not undone:
            return None
        undo_event = undone[-1]
        original = _event(store, undo_event["reverts"])
        state = {name: original[name] for name in STATE_FIELDS}
        return _append(store, undo_event["claim_id"], annotator, state, "redo", undo_event["id"])


def _stacks(store: Store, annotator: str) -> tuple[list[dict], list[dict]]:
    """Replay the annotator's log into (changes that can be undone, undos that can be redone).

    A new change clears the redo stack, as in every editor.
    """
    done: list[dict] = []
    undone: list[dict] = []
    rows = store.conn.execute(f"SELECT * FROM verdicts WHERE annotator = ? {_ORDER}", [annotator])
    for event in map(dict, rows):
        if event["action"] == "set":
            done.append(event)
            undone.clear()
        elif event["action"] == "undo":
            done = [e for e in done if e["id"] != event["reverts"]]
            undone.append(event)
        else:
            undone = [e for e in undone if e["id"] != event["reverts"]]
            done.append(event)
    return done, undone


def _state_before(store: Store, event: dict) -> dict:
    """The (claim, annotator) state just before `event`: what undoing it restores."""
    row = store.conn.execute(
        """
        SELECT * FROM verdicts WHERE claim_id = :claim_id AND annotator = :annotator
        AND (created_at < :created_at OR (created_at = :created_at
             AND rowid < (SELECT rowid FROM verdicts WHERE id = :id)))
        ORDER BY created_at DESC, rowid DESC LIMIT 1
        """,
        event,
    ).fetchone()
    return {name: row[name] for name in STATE_FIELDS} if row else dict.fromkeys(STATE_FIELDS)


def _event(store: Store, event_id: str) -> dict:
    return dict(store.conn.execute("SELECT * FROM verdicts WHERE id = ?", [event_id]).fetchone())


def _append(
    store: Store,
    claim_id: int,
    annotator: str,
    state: dict,
    action: str,
    reverts: str | None,
    *,
    known: bool = True,
) -> VerdictEvent:
    """Append one event; `known`: the annotator is in the annotators table already."""
    event = VerdictEvent(
        id=str(uuid.uuid4()),
        claim_id=claim_id,
        annotator=annotator,
        verdict=state["verdict"],
        note=state["note"],
        evidence_url=state["evidence_url"],
        created_at=utc_now(),
        action=action,
        reverts=reverts,
    )
    if not known:
        store.conn.execute(
            "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)",
            [annotator, event["created_at"]],
        )
    try:
        store.conn.execute(_INSERT, event)
    except sqlite3.IntegrityError as exc:
        if "FOREIGN KEY" not in str(exc):
            raise
        raise StoreError(f"no claim {claim_id}") from None
    return event
