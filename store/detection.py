"""Running a newer detector over stored articles without losing anyone's work."""

from __future__ import annotations

from dataclasses import dataclass

from factmark.corpus.reading import analyse
from factmark.corpus.structure import analyse as structure_of

from . import claims
from .article_saving import replace_regions
from .database import Store


@dataclass
class RedetectReport:
    """What `redetect` did: articles analysed again, claims added, unjudged detections
    removed (to be detected again), and claims kept (with a verdict, dismissed, or
    added by a reader)."""

    articles: int = 0
    added: int = 0
    removed: int = 0
    kept: int = 0

    def summary(self) -> str:
        """The report in one line."""
        return (
            f"{self.articles} articles: {self.added} claims added, {self.removed} unjudged "
            f"detections replaced, {self.kept} claims with verdicts or added by readers kept"
        )


def redetect(store: Store) -> RedetectReport:
    """Analyse every stored text again; new claims are added, and detector claims nobody
    judged are replaced. Claims with a verdict, and those readers added, always stay.

    Works on the stored text whatever format it came from (no format reader runs
    again), and the article's metadata (title, date, source, language) stays as stored
    and guides the analysis as at import, as do its stored headings (a Markdown
    file's, which the text alone cannot show). Each article is its own write: when one
    fails (raising as `Store.write` does), the articles before it keep their new
    claims. Returns a RedetectReport.
    """
    report = RedetectReport()
    rows = store.conn.execute(
        "SELECT id, path, text, sha256, title, published, source, language, url, external_id "
        "FROM articles ORDER BY id"
    ).fetchall()
    titled = {
        row[0] for row in store.conn.execute("SELECT article_id FROM regions WHERE kind = 'title'")
    }
    headings: dict[int, list[tuple[int, int]]] = {}
    for row in store.conn.execute(
        "SELECT article_id, start, \"end\" FROM regions WHERE kind = 'heading' ORDER BY start"
    ):
        headings.setdefault(row[0], []).append((row[1], row[2]))
    for row in rows:
        article = analyse(
            row["path"],
            row["text"],
            sha256=row["sha256"],
            title=_given_title(row["text"], row["title"], row["id"] in titled),
            published=row["published"],
            source=row["source"],
            language=row["language"],
            url=row["url"],
            external_id=row["external_id"],
            headings=tuple(headings.get(row["id"], ())),
        )
        with store.write():
            report.removed += claims.drop_unjudged_detections(store, row["id"])
            report.kept += store.conn.execute(
                "SELECT count(*) FROM claims WHERE article_id = ?", [row["id"]]
            ).fetchone()[0]
            replace_regions(store, row["id"], article.regions)
            report.added += claims.add_detected(store, row["id"], row["text"], article.claims)
        report.articles += 1
    return report


def _given_title(text: str, title: str, titled: bool) -> str | None:
    """The title to give the analysis so that it finds what the import found: None when
    the text alone yields the stored title the same way (from a title line if the
    article has a `title` region, else from its first sentence); else the stored title,
    which then came from the file's metadata."""
    alone = structure_of(text)
    return None if (alone.title, alone.title_found) == (title, titled) else title
