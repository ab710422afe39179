"""Merging another factmark database into this one: students who worked offline,
or another class.

A merge brings work, not power: articles, regions, claims and verdict events. Answer
keys and reveals, and the verdicts of this file's keys, come over only when the
teacher asks (`roles=True`). The other file is untrusted: it is read without being
written or migrated, whatever schema version it has; every string in it passes the
store's gate; a claim must be its article's text at its offsets; and a file whose rows
point at rows it does not hold is refused whole. The merge is one transaction, and
matches articles by content, claims by article and span and verdict events by their
uuid, so merging twice adds nothing the second time.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from factmark.corpus.anchoring import Quote, locate, quote

from . import gate
from .articles import find_by_sha256
from .claims import ORIGINS
from .database import Store, utc_now
from .errors import StoreError
from .verdicts import VERDICTS

ACTIONS = ("set", "undo", "redo")
ROLES_HINT = "--with-roles brings keys and reveals"

# The columns merge reads, per table; the first ones of each are required. Older
# schemas lack some of the rest (schema 1: no regions, no claims.orphaned; schema 2:
# no reveals), which then read as NULL.
COLUMNS = {
    "articles": (
        ("id", "text", "sha256"),
        ("path", "title", "published", "source", "language", "url", "external_id", "extra"),
    ),
    "regions": (("article_id", "start", "end"), ("kind", "language")),
    "claims": (
        ("id", "article_id", "start", "end", "text"),
        (
            "prefix",
            "suffix",
            "score",
            "origin",
            "dismissed",
            "cues",
            "attributed",
            "source",
            "vague_source",
            "created_at",
            "orphaned",
        ),
    ),
    "annotators": (("name",), ("is_key", "created_at")),
    "verdicts": (
        ("id", "claim_id", "annotator"),
        ("verdict", "note", "evidence_url", "created_at", "action", "reverts"),
    ),
    "reveals": (("article_id",), ("revealed_by", "revealed_at")),
}
CORE_TABLES = ("articles", "claims", "annotators", "verdicts")

# (table, referenced table): how to say that rows of the one point nowhere in the other.
DANGLING = {
    ("claims", "articles"): ("claim", "points to a missing article", "point to missing articles"),
    ("regions", "articles"): ("region", "points to a missing article", "point to missing articles"),
    ("verdicts", "claims"): (
        "verdict event",
        "points to a missing claim",
        "point to missing claims",
    ),
    ("verdicts", "annotators"): (
        "verdict event",
        "names a missing annotator",
        "name missing annotators",
    ),
    ("verdicts", "verdicts"): ("verdict event", "reverts a missing event", "revert missing events"),
    ("reveals", "articles"): ("reveal", "points to a missing article", "point to missing articles"),
}


@dataclass
class MergeReport:
    articles: int = 0
    claims: int = 0
    events: int = 0
    annotators: int = 0
    conflicts: list[str] = field(default_factory=list)
    # One line each: articles refused, keys not made (or made), what was not brought.
    notes: list[str] = field(default_factory=list)
    links_dropped: int = 0
    reveals: int = 0  # brought (with roles)
    reveals_left: int = 0  # not brought (without roles)
    refused: int = 0  # articles, claims and events refused as unsound: a partial failure

    def summary(self, source: Path) -> str:
        line = (
            f"{gate.path(source)}: {self.articles} articles, {self.claims} claims, "
            f"{self.events} verdict events, {self.annotators} annotators added"
        )
        if self.conflicts:
            line += f"; {len(self.conflicts)} conflicts"
        if self.reveals:
            line += f"; {_count(self.reveals, 'reveal')} brought"
        if self.reveals_left:
            line += f"; {_count(self.reveals_left, 'reveal')} not brought ({ROLES_HINT})"
        if self.links_dropped:
            links = _count(self.links_dropped, "evidence link")
            line += f"; {links} dropped (not http/https)"
        return line


def merge(store: Store, other_path: Path, *, roles: bool = False) -> MergeReport:
    """Bring the work in `other_path` into `store`, in one transaction; with `roles`,
    its answer keys and reveals too. Raises StoreError, with nothing merged, for a file
    that cannot be read or whose rows point at rows it does not hold."""
    other_path = Path(other_path)
    shown = gate.path(other_path)
    if other_path.exists() and os.path.samefile(other_path, store.path):
        raise StoreError(f"{shown}: is the database being merged into; nothing to merge")
    with Store.open(other_path, readonly=True) as other:
        rows = _read(other.conn, shown)
    dangling = _dangling(rows)
    if dangling:
        raise StoreError(f"{shown}: damaged: {', '.join(dangling)}; nothing merged")
    report = MergeReport()
    try:
        with store.write() as db:
            # Undo events may come before the events they revert: check at commit.
            db.conn.execute("PRAGMA defer_foreign_keys = ON")
            _Merge(store, rows, report, shown, roles).run()
    except sqlite3.Error as exc:
        raise StoreError(f"{shown}: cannot merge ({exc}); nothing merged") from None
    return report


def _read(conn: sqlite3.Connection, shown: str) -> dict[str, list[dict]]:
    """Every row merge uses from the other file, whatever its schema version."""
    try:
        # The other file's views and triggers may not call functions with side effects.
        conn.execute("PRAGMA trusted_schema = OFF")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and not all(t in tables for t in CORE_TABLES):
            missing = ", ".join(t for t in CORE_TABLES if t not in tables)
            raise StoreError(f"{shown}: damaged: no {missing} table; nothing merged")
        rows = {}
        for table, (required, optional) in COLUMNS.items():
            rows[table] = _select(conn, table, required, optional, shown) if table in tables else []
        return rows
    except sqlite3.Error as exc:
        raise StoreError(f"{shown}: cannot read ({exc}); nothing merged") from None


def _select(
    conn: sqlite3.Connection, table: str, required: tuple, optional: tuple, shown: str
) -> list[dict]:
    present = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
    missing = [c for c in required if c not in present]
    if missing:
        raise StoreError(
            f"{shown}: damaged: table {table} has no {missing[0]} column; nothing merged"
        )
    wanted = [c for c in required + optional if c in present]
    columns = ", ".join(f'"{c}"' for c in wanted)
    result = []
    for row in conn.execute(f'SELECT {columns} FROM "{table}" ORDER BY rowid'):
        result.append(dict.fromkeys(optional) | dict(zip(wanted, row, strict=True)))
    return result


def _dangling(rows: dict[str, list[dict]]) -> list[str]:
    """What in the other file points at rows it does not hold, as phrases."""
    ids = {
        "articles": {a["id"] for a in rows["articles"]},
        "claims": {c["id"] for c in rows["claims"]},
        "annotators": {a["name"] for a in rows["annotators"]},
        "verdicts": {v["id"] for v in rows["verdicts"]},
    }
    found: Counter[tuple[str, str]] = Counter()
    for table, column, parent in (
        ("claims", "article_id", "articles"),
        ("regions", "article_id", "articles"),
        ("verdicts", "claim_id", "claims"),
        ("verdicts", "annotator", "annotators"),
        ("reveals", "article_id", "articles"),
    ):
        found[table, parent] += sum(r[column] not in ids[parent] for r in rows[table])
    found["verdicts", "verdicts"] = sum(
        v["reverts"] is not None and v["reverts"] not in ids["verdicts"] for v in rows["verdicts"]
    )
    return [
        f"{_count(n, DANGLING[key][0])} {DANGLING[key][1 if n == 1 else 2]}"
        for key, n in found.items()
        if n
    ]


class _Merge:
    """One merge inside the caller's write transaction."""

    def __init__(
        self, store: Store, rows: dict, report: MergeReport, shown: str, roles: bool
    ) -> None:
        self.store, self.conn, self.rows = store, store.conn, rows
        self.report, self.shown, self.roles = report, shown, roles
        # id there -> (id here, text here, text there); the texts differ only for an
        # article that is here already, from another version of factmark's import.
        self.articles: dict[object, tuple[int, str, str]] = {}
        self.new_articles: set[int] = set()
        self.claims: dict[object, int] = {}
        self.names: dict[object, str] = {}
        self.skipped: Counter[str] = Counter()

    def run(self) -> None:
        self._articles()
        self._regions()
        self._claims()
        self._annotators()
        self._events()
        self._reveals()
        for reason, count in self.skipped.items():
            self.report.notes.append(f"{self.shown}: {reason.format(n=count)}")

    def _articles(self) -> None:
        claims_of = Counter(c["article_id"] for c in self.rows["claims"])
        for article in self.rows["articles"]:
            raw = _string(article["text"])
            sha = gate.field(_string(article["sha256"]))
            title = gate.field(_string(article["title"])) or gate.field(_string(article["path"]))
            local = find_by_sha256(self.store, sha) if sha else None
            if local is not None:
                here = self.conn.execute("SELECT text FROM articles WHERE id = ?", [local])
                self.articles[article["id"]] = (local, here.fetchone()[0], raw or "")
                continue
            if not raw or not sha or gate.text(raw) != raw:
                self.report.refused += 1
                why = (
                    "its text holds control characters or escape sequences, and cleaning "
                    "it would move its claims"
                    if raw and sha
                    else "it has no text or no content hash"
                )
                lost = claims_of[article["id"]]
                self.report.notes.append(
                    f"{self.shown}: article {title or article['id']!r} not merged: {why}"
                    f" ({_count(lost, 'claim')} and the verdicts on them not brought)"
                )
                continue
            row = {
                "path": gate.path(_string(article["path"]) or ""),
                "title": title or "(untitled)",
                "published": gate.field(_string(article["published"])),
                "source": gate.field(_string(article["source"])),
                "language": gate.language(_string(article["language"])),
                "text": raw,
                "sha256": sha,
                "url": gate.field(_string(article["url"])),
                "external_id": gate.field(_string(article["external_id"])),
                "extra": _extra(article["extra"]),
                "imported_at": utc_now(),
            }
            local = self.store.db["articles"].insert(row).last_rowid
            self.articles[article["id"]] = (local, raw, raw)
            self.new_articles.add(local)
            self.report.articles += 1

    def _regions(self) -> None:
        """Regions come with an article new here; one here already keeps its own."""
        for region in self.rows["regions"]:
            local, text, _ = self.articles.get(region["article_id"], (None, "", ""))
            start, end = region["start"], region["end"]
            if local not in self.new_articles or not _span_in(start, end, len(text), empty=True):
                continue
            self.conn.execute(
                'INSERT INTO regions (article_id, start, "end", kind, language) '
                "VALUES (?, ?, ?, ?, ?)",
                [
                    local,
                    start,
                    end,
                    gate.field(_string(region["kind"])) or "other",
                    None if region["language"] is None else gate.language(region["language"]),
                ],
            )

    def _claims(self) -> None:
        for claim in self.rows["claims"]:
            if claim["article_id"] not in self.articles:
                continue  # its article was refused, and said so
            local, here, there = self.articles[claim["article_id"]]
            span = _place(claim, here, there)
            if span is None:
                self.report.refused += 1
                self.skipped[
                    "{n} claims not brought: out of range, not their article's text at their "
                    "offsets, or not found in this database's copy of it (nor their verdicts)"
                ] += 1
                continue
            found = self.conn.execute(
                'SELECT id FROM claims WHERE article_id = ? AND start = ? AND "end" = ?',
                [local, *span],
            ).fetchone()
            if found is None:
                found = (self._insert_claim(claim, local, here, span),)
                self.report.claims += 1
            self.claims[claim["id"]] = found[0]

    def _insert_claim(self, claim: dict, article_id: int, text: str, span: tuple) -> int:
        # Text and context are taken from the article here: they match it by construction.
        selector = quote(text, *span)
        row = {
            "article_id": article_id,
            "start": span[0],
            "end": span[1],
            "text": selector.exact,
            "prefix": selector.prefix,
            "suffix": selector.suffix,
            "score": _score(claim["score"]),
            "origin": claim["origin"] if claim["origin"] in ORIGINS else "reader",
            "dismissed": 1 if claim["dismissed"] == 1 else 0,
            "cues": _cues(claim["cues"]),
            "attributed": _flag(claim["attributed"]),
            "source": gate.field(_string(claim["source"])),
            "vague_source": _flag(claim["vague_source"]),
            "created_at": gate.field(_string(claim["created_at"])) or utc_now(),
        }
        return self.store.db["claims"].insert(row).last_rowid

    def _annotators(self) -> None:
        for annotator in self.rows["annotators"]:
            try:
                name = gate.annotator(_string(annotator["name"]))
            except StoreError:
                self.report.refused += 1
                self.skipped["{n} annotators not brought: no usable name (nor their verdicts)"] += 1
                continue
            self.names[annotator["name"]] = name
            created = gate.field(_string(annotator["created_at"])) or utc_now()
            self.report.annotators += self.conn.execute(
                "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)", [name, created]
            ).rowcount
            if annotator["is_key"] != 1 or self._is_key(name):
                continue
            if self.roles:
                self.conn.execute("UPDATE annotators SET is_key = 1 WHERE name = ?", [name])
                self.report.notes.append(f"{name} made an answer key here (as in {self.shown})")
            else:
                self.report.notes.append(
                    f"{name} is an answer key in {self.shown}; not made a key here ({ROLES_HINT})"
                )

    def _is_key(self, name: str) -> bool:
        row = self.conn.execute("SELECT is_key FROM annotators WHERE name = ?", [name]).fetchone()
        return bool(row and row[0])

    def _events(self) -> None:
        events = sorted(self.rows["verdicts"], key=lambda e: str(e["created_at"]))
        accepted: dict[str, dict] = {}
        key_events: Counter[str] = Counter()
        for event in events:
            row = self._event_row(event)
            if row is None:
                continue
            if self.conn.execute("SELECT 1 FROM verdicts WHERE id = ?", [row["id"]]).fetchone():
                continue  # merged before
            if row["id"] in accepted:
                continue
            if not self.roles and self._is_key(row["annotator"]):
                key_events[row["annotator"]] += 1
                continue
            accepted[row["id"]] = row
        # An undo or redo whose event stays behind stays behind too.
        while orphans := [
            i
            for i, row in accepted.items()
            if row["reverts"] is not None
            and row["reverts"] not in accepted
            and not self.conn.execute(
                "SELECT 1 FROM verdicts WHERE id = ?", [row["reverts"]]
            ).fetchone()
        ]:
            for i in orphans:
                del accepted[i]
                self.skipped["{n} undo or redo events not brought: what they revert was not"] += 1
        for name, count in key_events.items():
            self.report.notes.append(
                f"{_count(count, 'verdict event')} by {name} not brought from {self.shown}: "
                f"{name} is an answer key here (--with-roles brings keys' verdicts too)"
            )
        touched = set()
        for row in accepted.values():
            self._note_conflict(row, touched)
            self.store.db["verdicts"].insert(row)
            self.report.events += 1

    def _event_row(self, event: dict) -> dict | None:
        """The event as it may be stored here, or None if it cannot come."""
        claim_id = self.claims.get(event["claim_id"])
        name = self.names.get(event["annotator"])
        if claim_id is None or name is None:
            return None  # its claim, article or annotator was refused, and said so
        event_id = gate.field(_string(event["id"]))
        created = gate.field(_string(event["created_at"]))
        action = event["action"] or "set"
        if (
            not event_id
            or not created
            or event["verdict"] not in (*VERDICTS, None)
            or action not in ACTIONS
        ):
            self.report.refused += 1
            self.skipped["{n} verdict events refused: no id or date, or unknown verdict"] += 1
            return None
        link = gate.field(_string(event["evidence_url"]))
        if link is not None and not gate.is_web_link(link):
            link = None
            self.report.links_dropped += 1
        return {
            "id": event_id,
            "claim_id": claim_id,
            "annotator": name,
            "verdict": event["verdict"],
            "note": (gate.text(_string(event["note"])) or "").strip() or None,
            "evidence_url": link,
            "created_at": created,
            "action": action,
            "reverts": gate.field(_string(event["reverts"])),
        }

    def _note_conflict(self, row: dict, touched: set) -> None:
        pair = (row["claim_id"], row["annotator"])
        if (
            pair not in touched
            and self.conn.execute(
                "SELECT 1 FROM verdicts WHERE claim_id = ? AND annotator = ?", pair
            ).fetchone()
        ):
            self.report.conflicts.append(
                f"claim {row['claim_id']}: {row['annotator']} has verdicts in both files; "
                "the newest is current, every event is kept"
            )
        touched.add(pair)

    def _reveals(self) -> None:
        for reveal in self.rows["reveals"]:
            if reveal["article_id"] not in self.articles:
                continue
            local = self.articles[reveal["article_id"]][0]
            if self.conn.execute("SELECT 1 FROM reveals WHERE article_id = ?", [local]).fetchone():
                continue
            if not self.roles:
                self.report.reveals_left += 1
                continue
            self.conn.execute(
                "INSERT INTO reveals (article_id, revealed_by, revealed_at) VALUES (?, ?, ?)",
                [
                    local,
                    gate.field(_string(reveal["revealed_by"])) or "?",
                    gate.field(_string(reveal["revealed_at"])) or utc_now(),
                ],
            )
            self.report.reveals += 1


def _place(claim: dict, here: str, there: str) -> tuple[int, int] | None:
    """Where the claim is in the article's text here, or None if it cannot be placed:
    a claim must be its article's text at its offsets (an orphaned one, found again)."""
    start, end, text = claim["start"], claim["end"], _string(claim["text"])
    if not isinstance(text, str) or not isinstance(start, int):
        return None
    if claim["orphaned"] == 1:
        selector = Quote(
            gate.text(text) or "",
            gate.text(_string(claim["prefix"])) or "",
            gate.text(_string(claim["suffix"])) or "",
        )
        return locate(here, selector, start) if selector.exact.strip() else None
    if not _span_in(start, end, len(there)) or there[start:end] != text:
        return None
    if here == there:
        return start, end
    return locate(here, quote(there, start, end), start)


def _span_in(start: object, end: object, length: int, *, empty: bool = False) -> bool:
    if not isinstance(start, int) or not isinstance(end, int):
        return False
    return 0 <= start <= end <= length and (empty or start < end)


def _string(value: object) -> str | None:
    """A value read from the other file as text (SQLite lets any column hold anything)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _score(value: object) -> float | None:
    if isinstance(value, (int, float)) and 0 <= value <= 1:
        return float(value)
    return None


def _flag(value: object) -> int | None:
    return int(value) if value in (0, 1) else None


def _cues(value: object) -> str:
    """The claim's cues as a JSON list of one-line strings."""
    try:
        cues = json.loads(_string(value) or "[]")
    except ValueError:
        return "[]"
    if not isinstance(cues, list):
        return "[]"
    return json.dumps([c for c in (gate.field(_string(c)) for c in cues) if c])


def _extra(value: object) -> str:
    """What import found beyond the columns (the encoding): a JSON object of
    one-line strings."""
    try:
        extra = json.loads(_string(value) or "{}")
    except ValueError:
        return "{}"
    if not isinstance(extra, dict):
        return "{}"
    kept = {gate.field(k): gate.field(_string(v)) for k, v in extra.items() if isinstance(v, str)}
    return json.dumps(
        {k: v for k, v in kept.items() if k and v}, ensure_ascii=False, sort_keys=True
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
