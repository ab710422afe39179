"""A database holding hostile text, as an old factmark, a merged file or a classmate with
write access to a class database could leave it: written straight with sqlite3, past the
store's gate, so only the render guard stands between it and the terminal."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

ESC = "\x1b"
# Base64 of "owned": an OSC 52 write to the terminal's clipboard.
CLIPBOARD = f"{ESC}]52;c;b3duZWQ=\x07"


def retitle(tag: str) -> str:
    """An OSC 0 sequence that would set the terminal's title to OWNED-tag."""
    return f"{ESC}]0;OWNED-{tag}\x07"


def make_hostile(
    db: Path,
    annotator: str,
    evidence_url: str = "javascript:alert(1)",
    reveal: bool = True,
    markup: bool = True,
) -> int:
    """Fill article 1 of a sample database with hostile text and give `annotator` a
    disputed verdict with a hostile note and `evidence_url` on its first claim, which
    is returned. A key (teacher) with a hostile name and note has verified it; with
    `reveal` the article is revealed, so the reader shows the key's verdict too; with
    `markup` its language and date are markup (which once crashed the library)."""
    conn = sqlite3.connect(db)
    try:
        with conn:
            conn.execute(
                "UPDATE articles SET title = ?, source = ? WHERE id = 1",
                (f"Bluff{retitle('TITLE')} [bold]x", f"AFP{retitle('SOURCE')}"),
            )
            if markup:
                conn.execute(
                    "UPDATE articles SET language = ?, published = ? WHERE id = 1",
                    ("[/x]", "[link=http://evil.example/]2020[/link]"),
                )
            first = conn.execute(
                "SELECT id FROM claims WHERE article_id = 1 ORDER BY start LIMIT 1"
            ).fetchone()[0]
            conn.execute(
                "UPDATE claims SET text = ?, cues = ?, source = ?, attributed = 1 WHERE id = ?",
                (
                    f"Claim{retitle('CLAIM')} [/x] a [/",
                    json.dumps([f"cue{retitle('CUE')}"]),
                    f"src{retitle('CLAIMSOURCE')}",
                    first,
                ),
            )
            key = f"key{retitle('KEYNAME')}"
            conn.execute(
                "INSERT INTO annotators (name, is_key, created_at) VALUES (?, 1, '2021-01-01')",
                (key,),
            )
            conn.execute(
                "INSERT OR IGNORE INTO annotators (name, is_key, created_at) "
                "VALUES (?, 0, '2021-01-01')",
                (annotator,),
            )
            for who, verdict, note, link in (
                (annotator, "disputed", f"Note{retitle('NOTE')} {CLIPBOARD}", evidence_url),
                (key, "verified", f"Keynote{retitle('KEYNOTE')}", None),
            ):
                conn.execute(
                    "INSERT INTO verdicts (id, claim_id, annotator, verdict, note, "
                    "evidence_url, created_at, action) "
                    "VALUES (?, ?, ?, ?, ?, ?, '2021-01-01T00:00:00.000000Z', 'set')",
                    (str(uuid.uuid4()), first, who, verdict, note, link),
                )
            if reveal:
                conn.execute("INSERT INTO reveals VALUES (1, 'teacher', '2021-01-01')")
    finally:
        conn.close()
    return first
