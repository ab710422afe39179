"""Merging another factmark database into this one: students who worked offline,
or another class. Articles match by content, verdict events by their uuid, so merging
twice adds nothing the second time."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .articles import find_by_sha256
from .database import Store


@dataclass
class MergeReport:
    articles: int = 0
    claims: int = 0
    events: int = 0
    annotators: int = 0
    conflicts: list[str] = field(default_factory=list)

    def summary(self, source: Path) -> str:
        line = (
            f"{source}: {self.articles} articles, {self.claims} claims, {self.events} "
            f"verdict events, {self.annotators} annotators added"
        )
        if self.conflicts:
            line += f"; {len(self.conflicts)} conflicts"
        return line


def merge(store: Store, other_path: Path) -> MergeReport:
    report = MergeReport()
    with Store.open(other_path, readonly=True) as other, store.write() as db:
        article_ids = {}
        for article in other.conn.execute("SELECT * FROM articles ORDER BY id").fetchall():
            local = find_by_sha256(store, article["sha256"])
            if local is None:
                row = _without_id(article)
                local = db["articles"].insert(row).last_rowid
                db["regions"].insert_all(
                    _without_id(r) | {"article_id": local}
                    for r in other.conn.execute(
                        "SELECT * FROM regions WHERE article_id = ?", [article["id"]]
                    )
                )
                report.articles += 1
            article_ids[article["id"]] = local

        claim_ids = {}
        for claim in other.conn.execute("SELECT * FROM claims ORDER BY id").fetchall():
            local_article = article_ids[claim["article_id"]]
            found = db.conn.execute(
                'SELECT id FROM claims WHERE article_id = ? AND start = ? AND "end" = ?',
                [local_article, claim["start"], claim["end"]],
            ).fetchone()
            if found is None:
                row = _without_id(claim)
                row["article_id"] = local_article
                found = (db["claims"].insert(row).last_rowid,)
                report.claims += 1
            claim_ids[claim["id"]] = found[0]

        for annotator in other.conn.execute("SELECT * FROM annotators").fetchall():
            before = db.conn.total_changes
            db["annotators"].insert(dict(annotator), ignore=True)
            report.annotators += db.conn.total_changes - before
            if annotator["is_key"]:
                db.conn.execute(
                    "UPDATE annotators SET is_key = 1 WHERE name = ?", [annotator["name"]]
                )

        touched = set()
        for event in other.conn.execute("SELECT * FROM verdicts ORDER BY created_at, rowid"):
            if db.conn.execute("SELECT 1 FROM verdicts WHERE id = ?", [event["id"]]).fetchone():
                continue
            row = dict(event) | {"claim_id": claim_ids[event["claim_id"]]}
            pair = (row["claim_id"], row["annotator"])
            if (
                pair not in touched
                and db.conn.execute(
                    "SELECT 1 FROM verdicts WHERE claim_id = ? AND annotator = ?", pair
                ).fetchone()
            ):
                report.conflicts.append(
                    f"claim {row['claim_id']}: {row['annotator']} has verdicts in both files; "
                    "the newest is current, every event is kept"
                )
            touched.add(pair)
            db["verdicts"].insert(row)
            report.events += 1

        for reveal in other.conn.execute("SELECT * FROM reveals").fetchall():
            db["reveals"].insert(
                dict(reveal) | {"article_id": article_ids[reveal["article_id"]]}, ignore=True
            )
    return report


def _without_id(row) -> dict:
    """A row to copy: the other file's ids mean nothing here."""
    return {k: v for k, v in dict(row).items() if k != "id"}
