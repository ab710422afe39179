"""`factmark redetect`: on articles of every format, keeping their metadata and every
claim with a reader's work, and counting what it did right."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from factmark.store import claims, verdicts
from factmark.store.database import Store
from tests.helpers import SAMPLE, factmark

MARKDOWN = """---
title: "Le budget adopté"
date: 2021-03-04
source: Notes
---
# Le budget adopté

L'**Assemblée** a adopté le [budget](https://example.org/b) par 301 voix contre 245.

> Le déficit atteindra 4,5 % du PIB, a déclaré le ministre mardi.
"""
FEED = [
    {
        "id": "w-1",
        "title": "Un titre absent du texte",
        "url": "https://example.org/1",
        "published": "2020-11-17",
        "source": "Agence",
        "language": "fr",
        "text": "Le ministre a déclaré mardi que 40 % des électeurs avaient voté.",
    },
    {
        "title": "Titre présent",
        "text": "Titre présent\n\nLa police a arrêté 12 personnes "
        "samedi à Lyon, selon la préfecture.",
    },
    {
        "text": "Le chômage a baissé de 2 % en un an, selon l'Insee.\n\nPlus de 300 000 "
        "emplois ont été créés en 2023, a annoncé le gouvernement."
    },
]


def every_format(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notes.md").write_text(MARKDOWN, encoding="utf-8")
    (folder / "feed.jsonl").write_text(
        "\n".join(json.dumps(record, ensure_ascii=False) for record in FEED), encoding="utf-8"
    )
    (folder / "seed.txt").write_bytes((SAMPLE / "000_31e52ad88bccfe9c.txt").read_bytes())
    return folder


def snapshot(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        return {
            "articles": conn.execute(
                "SELECT id, path, title, published, source, language, url, external_id, text "
                "FROM articles ORDER BY id"
            ).fetchall(),
            "claims": conn.execute(
                'SELECT article_id, start, "end", text, score, cues, source FROM claims '
                'ORDER BY article_id, start, "end"'
            ).fetchall(),
            "regions": conn.execute(
                'SELECT article_id, start, "end", kind, language FROM regions '
                'ORDER BY article_id, start, "end", kind'
            ).fetchall(),
        }
    finally:
        conn.close()


def test_redetect_works_on_every_format_and_changes_nothing_it_need_not(
    db_path: Path, tmp_path: Path
) -> None:
    imported = factmark("import", "--db", str(db_path), str(every_format(tmp_path)))
    assert imported.returncode == 0, imported.stderr
    with Store.open(db_path) as store:
        judged = claims.for_article(store, 1)[0]["id"]
        verdicts.record(store, judged, "alice", "verified")
    before = snapshot(db_path)
    assert len(before["articles"]) == 5

    result = factmark("redetect", "--db", str(db_path))
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr
    after = snapshot(db_path)
    # Metadata stays as stored, and the same detector finds the same claims and regions
    # in the stored text as the import found in the files.
    assert after == before
    count = len(before["claims"])
    assert result.stderr.decode().strip() == (
        f"5 articles: {count - 1} claims added, {count - 1} unjudged detections replaced, "
        "1 claims with verdicts or added by readers kept"
    )
    with Store.open(db_path, readonly=True) as store:
        assert verdicts.current(store, judged, "alice")["verdict"] == "verified"


def test_redetect_counts_claims_not_what_triggers_write(db_path: Path) -> None:
    factmark("import", "--db", str(db_path), str(SAMPLE))
    conn = sqlite3.connect(db_path)
    conn.executescript(
        """
        CREATE TABLE claim_log (claim_id INTEGER, at TEXT);
        CREATE TRIGGER log_claims AFTER INSERT ON claims
        BEGIN INSERT INTO claim_log VALUES (NEW.id, datetime('now')); END;
        """
    )
    count = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    conn.close()
    result = factmark("redetect", "--db", str(db_path))
    assert result.returncode == 0
    assert result.stderr.decode().startswith(
        f"5 articles: {count} claims added, {count} unjudged detections replaced"
    )


def test_a_dismissal_is_reader_work_kept_by_redetect_and_by_an_edit(tmp_path: Path) -> None:
    # Dismissing a false claim is a reader's decision: redetecting, or importing an
    # edited version of the article, must not bring the claim back undismissed.
    article = tmp_path / "article.txt"
    article.write_bytes((SAMPLE / "000_31e52ad88bccfe9c.txt").read_bytes())
    db = tmp_path / "f.db"
    assert factmark("import", "--db", str(db), str(article)).returncode == 0
    with Store.open(db) as store:
        dismissed = claims.for_article(store, 1)[2]
        claims.set_dismissed(store, dismissed["id"], True)
    assert factmark("redetect", "--db", str(db)).returncode == 0
    article.write_text(article.read_text(encoding="utf-8") + "\nUn paragraphe ajouté.\n")
    assert factmark("import", "--db", str(db), str(article)).returncode == 0
    with Store.open(db, readonly=True) as store:
        same_words = [c for c in claims.for_article(store, 1) if c["text"] == dismissed["text"]]
    assert [c["dismissed"] for c in same_words] == [1]
