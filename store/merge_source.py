"""Reading another factmark file for `merge`: whatever its schema version, without
writing to it, checking that its rows point only at rows it holds, and taking each
value as the type it should be (SQLite lets any column hold anything)."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from . import gate
from .database import parse_timestamp
from .errors import StoreError

# The columns merge reads, per table; the first ones of each are required. Older
# schemas lack some of the rest (schema 1: no regions, no claims.orphaned; schema 2:
# no reveals; before schema 6: no articles.author), which then read as NULL.
COLUMNS = {
    "articles": (
        ("id", "text", "sha256"),
        (
            "path",
            "title",
            "published",
            "source",
            "author",
            "language",
            "url",
            "external_id",
            "extra",
        ),
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

# A row of the other file: column -> value as that file holds it, of any type (SQLite
# lets any column hold anything): the as_* functions below take each value as the type
# it should be. Every column of COLUMNS is a key; one the file lacks holds None.
OtherRow = dict[str, Any]
# Table of COLUMNS -> its rows, in rowid order (none for a table the file lacks).
OtherRows = dict[str, list[OtherRow]]

# How far ahead of this clock the other file's clock may have been; later is no real date.
CLOCK_SLACK = timedelta(days=1)

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


def read(conn: sqlite3.Connection, shown: str) -> OtherRows:
    """Every row merge uses from the other file, whatever its schema version. Raises
    StoreError naming the file as `shown` when it lacks one of CORE_TABLES (but is not
    empty), a table lacks a required column, or SQLite cannot read it."""
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
) -> list[OtherRow]:
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


def dangling(rows: OtherRows) -> list[str]:
    """What in the other file points at rows it does not hold, as phrases ("2 claims
    point to missing articles"); none for a sound file."""
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
        f"{plural(n, DANGLING[key][0])} {DANGLING[key][1 if n == 1 else 2]}"
        for key, n in found.items()
        if n
    ]


def span_in(start: object, end: object, length: int, *, empty: bool = False) -> bool:
    """True when `start` and `end` are integers that make a span of a text of `length`
    characters (an empty span only with `empty`)."""
    if not isinstance(start, int) or not isinstance(end, int):
        return False
    return 0 <= start <= end <= length and (empty or start < end)


def as_text(value: object) -> str | None:
    """A value read from the other file as text (SQLite lets any column hold anything)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def as_timestamp(value: object, now: datetime) -> str | None:
    """A date read from the other file as factmark writes dates (with microseconds), or
    None when it is not a UTC ISO 8601 timestamp in factmark's form (with or without
    the fraction), or is more than a day after `now` (an aware datetime)."""
    text = as_text(value)
    moment = parse_timestamp(text)
    if text is None or moment is None or moment > now + CLOCK_SLACK:
        return None
    return text if "." in text else f"{text[:-1]}.000000Z"


def as_score(value: object) -> float | None:
    """A detector's score: a number in [0, 1], else None."""
    if isinstance(value, (int, float)) and 0 <= value <= 1:
        return float(value)
    return None


def as_flag(value: object) -> int | None:
    """A yes-or-no column as stored: 0 or 1, else None (unknown)."""
    return int(value) if value in (0, 1) else None


def as_cues(value: object) -> str:
    """The claim's cues as a JSON list of one-line strings."""
    try:
        cues = json.loads(as_text(value) or "[]")
    except ValueError:
        return "[]"
    if not isinstance(cues, list):
        return "[]"
    return json.dumps([c for c in (gate.field(as_text(c)) for c in cues) if c])


def as_extra(value: object) -> str:
    """What import found beyond the columns (the encoding): a JSON object of
    one-line strings."""
    try:
        extra = json.loads(as_text(value) or "{}")
    except ValueError:
        return "{}"
    if not isinstance(extra, dict):
        return "{}"
    kept = {gate.field(k): gate.field(as_text(v)) for k, v in extra.items() if isinstance(v, str)}
    return json.dumps(
        {k: v for k, v in kept.items() if k and v}, ensure_ascii=False, sort_keys=True
    )


def plural(n: int, noun: str) -> str:
    """`1 claim`, `2 claims`: `n` and the noun, with an s unless n is 1."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
