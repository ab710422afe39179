"""Running a newer detector over stored articles without losing anyone's work."""

from __future__ import annotations

from dataclasses import dataclass

from factmark.corpus.reading import read_articles

from . import claims
from .articles import replace_regions
from .database import Store


@dataclass
class RedetectReport:
    articles: int = 0
    added: int = 0
    removed: int = 0
    kept: int = 0

    def summary(self) -> str:
        return (
            f"{self.articles} articles: {self.added} claims added, {self.removed} unjudged "
            f"detections replaced, {self.kept} claims with verdicts or added by readers kept"
        )


def redetect(store: Store) -> RedetectReport:
    """Analyse every stored text again; new claims are added, and detector claims nobody
    judged are replaced. Claims with a verdict, and those readers added, always stay."""
    report = RedetectReport()
    rows = store.conn.execute("SELECT id, path, text FROM articles ORDER BY id").fetchall()
    for row in rows:
        (article,) = read_articles(row["path"], row["text"].encode("utf-8"))
        with store.write():
            report.removed += claims.drop_unjudged_detections(store, row["id"])
            report.kept += store.conn.execute(
                "SELECT count(*) FROM claims WHERE article_id = ?", [row["id"]]
            ).fetchone()[0]
            replace_regions(store, row["id"], article.regions)
            report.added += claims.add_detected(store, row["id"], row["text"], article.claims)
        report.articles += 1
    return report
