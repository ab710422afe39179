"""Storing an article: once per content, and as an update in place of its earlier
version, with the claims that hold a reader's work re-anchored in the new text."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from factmark.corpus.anchoring import Place, Quote, find, quote
from factmark.corpus.article import Article, Region

from . import claims, gate
from .articles import UNTITLED, find_by_sha256, get
from .database import Store, utc_now
from .errors import StoreError


@dataclass(frozen=True)
class Saved:
    """What `save` did with one article: its id, and `status` "imported", "unchanged"
    (the same content was already stored) or "updated" (an earlier version edited in
    place)."""

    article_id: int
    status: str  # "imported", "unchanged" or "updated"
    orphaned: int = 0  # claims with reader work that could not be found again
    notes: tuple[str, ...] = ()  # one line each, for the import's report


# Claim offsets are moved this far while an article's claims are re-anchored: past any
# real offset, so that no intermediate row collides on the (article, start, end) index.
_OUT_OF_THE_WAY = 1 << 40


def save(store: Store, article: Article) -> Saved:
    """Store `article`: once per content, and as an update of its earlier version.

    The earlier version of an edited article has the same path and `external_id`
    (ids name articles within one file: two feeds may both have an id "1"), else (when
    `article.path_identifies`: a one-article file) the same path; a JSON Lines record
    without an id is never taken for another's edit. An update keeps the article's id,
    and every claim holding a reader's work (a verdict, or added by a reader) is
    re-anchored in the new text; those that cannot be placed without a guess are kept,
    flagged `orphaned`. Detector claims with no verdict are replaced by what detection
    finds in the new text. Every field passes the store's gate (gate.py).

    The spans another tool labelled (`article.labels`) become claims a reader added
    (`claims.insert_labelled`), and win over the detector's where they overlap. In an
    update, a label that overlaps a claim kept from the earlier version is not added:
    the returned `notes` say how many were not.

    Runs in its own write block (a savepoint inside the caller's transaction): when it
    raises, the article leaves nothing behind. Raises StoreError for an article whose
    text is not clean (its claim offsets would not index what is stored), and the
    database's own errors (DiskFull, ReadOnly...).
    """
    existing = find_by_sha256(store, article.sha256)
    if existing is not None:
        return Saved(existing, "unchanged")
    row = _row(article)
    with store.write():
        previous = _previous_version(store, row, article.path_identifies)
        if previous is None:
            # A plain INSERT: sqlite-utils' checks cost more on import.
            article_id = store.conn.execute(
                f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            ).lastrowid
            # Already inside this article's savepoint: insert directly, no nested ones.
            _insert_regions(store, article_id, article.regions)
            claims.insert_labelled(store, article_id, article.text, article.labels)
            claims.insert_detected(store, article_id, article.text, article.claims)
            return Saved(article_id, "imported")
        old_text = get(store, previous)["text"]
        store.db["articles"].update(previous, row)
        replace_regions(store, previous, article.regions)
        claims.drop_unjudged_detections(store, previous)
        orphaned = _reanchor_claims(store, previous, old_text, article.text)
        refused = claims.insert_labelled(store, previous, article.text, article.labels)
        claims.add_detected(store, previous, article.text, article.claims)
        return Saved(previous, "updated", orphaned, _refused_labels(article, refused))


def _refused_labels(article: Article, refused: int) -> tuple[str, ...]:
    if not refused:
        return ()
    named = f"{article.path} (id {article.external_id})" if article.external_id else article.path
    spans = "1 labelled span" if refused == 1 else f"{refused} labelled spans"
    return (f"{named}: {spans} not brought as claims: overlapping claims kept from before",)


def _row(article: Article) -> dict:
    """The article's row, every field through the gate. Raises StoreError if the gate
    would change the text, which the claims' offsets index."""
    path = gate.path(article.path)
    text = gate.text(article.text)
    if text != article.text:
        raise StoreError(f"{path}: the article's text is not clean text; not stored")
    return {
        "path": path,
        "title": gate.field(article.title) or UNTITLED,
        "published": gate.field(article.published),
        "source": gate.field(article.source),
        "author": gate.field(article.author),
        "language": gate.language(article.language),
        "text": text,
        "sha256": article.sha256,
        "url": _web_link(article.url),
        "external_id": gate.field(article.external_id),
        "extra": json.dumps(article.extra, ensure_ascii=False, sort_keys=True),
        "imported_at": utc_now(),
    }


def _web_link(url: str | None) -> str | None:
    """An article's own link, if it is a web link: anything else is dropped, not refused."""
    link = gate.field(url)
    return link if link is not None and gate.is_web_link(link) else None


def _previous_version(store: Store, row: dict, path_identifies: bool) -> int | None:
    if row["external_id"]:  # an id names an article within its own file
        sql = "SELECT id FROM articles WHERE path = ? AND external_id = ?"
        key = [row["path"], row["external_id"]]
    elif path_identifies:
        sql, key = "SELECT id FROM articles WHERE path = ? AND external_id IS NULL", [row["path"]]
    else:
        return None
    found = store.conn.execute(sql + " ORDER BY id DESC LIMIT 1", key).fetchone()
    return found[0] if found else None


def replace_regions(store: Store, article_id: int, regions: Sequence[Region]) -> None:
    """The article's regions replaced by `regions`, in one write block (raises what
    `Store.write` raises)."""
    with store.write() as db:
        db.conn.execute("DELETE FROM regions WHERE article_id = ?", [article_id])
        _insert_regions(store, article_id, regions)


def _insert_regions(store: Store, article_id: int, regions: Sequence[Region]) -> None:
    store.conn.executemany(
        'INSERT INTO regions (article_id, start, "end", kind, language) VALUES (?, ?, ?, ?, ?)',
        [(article_id, r.start, r.end, r.kind, _region_language(r.language)) for r in regions],
    )


def _region_language(code: str | None) -> str | None:
    return None if code is None else gate.language(code)


def _reanchor_claims(store: Store, article_id: int, old_text: str, text: str) -> int:
    """Place every remaining claim (each holds a reader's work) in the edited text, and
    return how many are orphans.

    A claim goes where `anchoring.find` places it without a guess; when two claims
    are found at one place, the one whose context fits better keeps it (neither, if
    they fit equally). An orphan keeps its quote (to be found after a later edit) and
    is given offsets past the end of the text, where no placed claim can be.
    """
    rows = store.conn.execute(
        "SELECT id, text, prefix, suffix, start FROM claims WHERE article_id = ? ORDER BY id",
        [article_id],
    ).fetchall()
    placed = _one_claim_per_place(
        {
            row["id"]: find(
                text,
                Quote(row["text"], row["prefix"], row["suffix"]),
                row["start"],
                old_text=old_text,
            )
            for row in rows
        }
    )
    store.conn.execute(
        'UPDATE claims SET start = start + ?, "end" = "end" + ? WHERE article_id = ?',
        [_OUT_OF_THE_WAY, _OUT_OF_THE_WAY, article_id],
    )
    orphaned = 0
    for row in rows:
        place = placed.get(row["id"])
        if place is None:
            start = len(text) + orphaned
            store.conn.execute(
                'UPDATE claims SET start = ?, "end" = ?, orphaned = 1 WHERE id = ?',
                [start, start + max(1, len(row["text"])), row["id"]],
            )
            orphaned += 1
        else:
            _anchor(store, row["id"], text, place)
    return orphaned


def _anchor(store: Store, claim_id: int, text: str, place: Place) -> None:
    """Put a claim at `place` in `text`, with the quote it has there."""
    q = quote(text, place.start, place.end)
    store.conn.execute(
        'UPDATE claims SET start = ?, "end" = ?, text = ?, prefix = ?, suffix = ?, '
        "orphaned = 0 WHERE id = ?",
        [place.start, place.end, q.exact, q.prefix, q.suffix, claim_id],
    )


def _one_claim_per_place(found: dict[int, Place | None]) -> dict[int, Place]:
    """{claim id: place}, each place kept by the one claim that fits it best."""
    by_span: dict[tuple[int, int], list[tuple[int, Place]]] = {}
    for claim_id, place in found.items():
        if place is not None:
            by_span.setdefault((place.start, place.end), []).append((claim_id, place))
    placed = {}
    for contenders in by_span.values():
        claim_id, best = max(contenders, key=lambda contender: contender[1].context)
        if sum(place.context == best.context for _, place in contenders) == 1:
            placed[claim_id] = best
    return placed
