"""Merging another factmark database into this one: students who worked offline,
or another class.

A merge brings work, not power: articles, regions, claims and verdict events. Answer
keys and reveals, and the verdicts of this file's keys, come over only when the
teacher asks (`roles=True`). The other file is untrusted: it is read without being
written or migrated, whatever schema version it has; every string in it passes the
store's gate; a claim must be its article's text at its offsets; every date must be a
UTC timestamp as factmark writes them, and not in the future; and a file whose rows
point at rows it does not hold is refused whole. The merge is one transaction, and
matches articles by content, claims by article and span (an orphaned claim, which has
no place, by its quote) and verdict events by their uuid, so merging twice adds
nothing the second time. Two claims of the other file never land on one claim here.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from factmark.corpus.anchoring import Quote, locate, quote

from . import gate
from .articles import find_by_sha256
from .claims import ORIGINS
from .database import Store, utc_now
from .errors import StoreError
from .merge_source import (
    OtherRow,
    OtherRows,
    as_cues,
    as_extra,
    as_flag,
    as_score,
    as_text,
    as_timestamp,
    dangling,
    plural,
    read,
    span_in,
)
from .roster import same_name
from .verdicts import VERDICTS

ACTIONS = ("set", "undo", "redo")
ROLES_HINT = "--with-roles brings keys and reveals"


@dataclass
class MergeReport:
    """What `merge` brought: articles, claims, verdict events and annotators added;
    conflicts, one line each; `notes`, one line each (articles refused, keys made or
    not, what was not brought); evidence links dropped (not http/https); reveals
    brought (with roles) or left; rows refused as unsound, of which `misdated` by kind
    ("claim", "verdict event"...) for their date."""

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
    # Rows refused for their date, by kind ("claim", "verdict event"...): counted in `refused`.
    misdated: Counter[str] = field(default_factory=Counter)

    def summary(self, source: Path) -> str:
        """The report in one line, naming `source`, the file merged."""
        line = (
            f"{gate.path(source)}: {self.articles} articles, {self.claims} claims, "
            f"{self.events} verdict events, {self.annotators} annotators added"
        )
        if self.conflicts:
            line += f"; {len(self.conflicts)} conflicts"
        if self.reveals:
            line += f"; {plural(self.reveals, 'reveal')} brought"
        if self.reveals_left:
            line += f"; {plural(self.reveals_left, 'reveal')} not brought ({ROLES_HINT})"
        if self.links_dropped:
            links = plural(self.links_dropped, "evidence link")
            line += f"; {links} dropped (not http/https)"
        if self.misdated:
            rows = ", ".join(plural(n, kind) for kind, n in self.misdated.items())
            line += (
                f"; {rows} refused: dated in the future or not in UTC ISO 8601 as factmark "
                "writes dates (nor what depends on them)"
            )
        return line


def merge(
    store: Store,
    other_path: Path,
    *,
    roles: bool = False,
    owner: str | None = None,
    students: Mapping[str, str] | None = None,
) -> MergeReport:
    """Bring the work in `other_path` into `store`, in one transaction; with `roles`,
    its answer keys and reveals too, but never a key named as one of `students` (name
    -> how they work, as `roster.students` gives them: a class's teacher merging),
    whose verdicts come as a student's, said in a note. With `owner` (a class
    collecting a student's copy), only verdict events come, every one as `owner`'s
    whatever name the file gives it, and only on articles and claims already here.
    Returns a MergeReport. Raises StoreError, with nothing merged, for the database
    itself, a file that cannot be read (as `Store.open` and `merge_source.read` say) or
    whose rows point at rows it does not hold, and a merge SQLite refuses."""
    other_path = Path(other_path)
    shown = gate.path(other_path)
    if other_path.exists() and os.path.samefile(other_path, store.path):
        raise StoreError(f"{shown}: is the database being merged into; nothing to merge")
    with Store.open(other_path, readonly=True, verify=True) as other:
        rows = read(other.conn, shown)
    dangling_rows = dangling(rows)
    if dangling_rows:
        raise StoreError(f"{shown}: damaged: {', '.join(dangling_rows)}; nothing merged")
    report = MergeReport()
    try:
        with store.write() as db:
            # Undo events may come before the events they revert: check at commit.
            db.conn.execute("PRAGMA defer_foreign_keys = ON")
            _Merge(store, rows, report, shown, roles, owner, students or {}).run()
    except sqlite3.Error as exc:
        raise StoreError(f"{shown}: cannot merge ({exc}); nothing merged") from None
    return report


class _Merge:
    """One merge inside the caller's write transaction."""

    def __init__(
        self,
        store: Store,
        rows: OtherRows,
        report: MergeReport,
        shown: str,
        roles: bool,
        owner: str | None = None,
        students: Mapping[str, str] | None = None,
    ) -> None:
        self.store, self.conn, self.rows = store, store.conn, rows
        self.report, self.shown, self.roles = report, shown, roles
        self.owner = owner  # only this annotator's verdicts, on what is here
        self.students = students or {}  # names never made keys here
        # id there -> (id here, text here, text there); the texts differ only for an
        # article that is here already, from another version of factmark's import.
        self.articles: dict[object, tuple[int, str, str]] = {}
        self.new_articles: set[int] = set()
        self.claims: dict[object, int] = {}
        # Claims here that a claim of the other file landed on: one each, at most.
        self.landed: set[int] = set()
        self.now = datetime.now(timezone.utc)
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
            raw = as_text(article["text"])
            sha = gate.field(as_text(article["sha256"]))
            title = gate.field(as_text(article["title"])) or gate.field(as_text(article["path"]))
            local = find_by_sha256(self.store, sha) if sha else None
            if local is not None:
                here = self.conn.execute("SELECT text FROM articles WHERE id = ?", [local])
                self.articles[article["id"]] = (local, here.fetchone()[0], raw or "")
                continue
            if self.owner is not None:
                self.skipped["{n} articles not brought: they are not the class's"] += 1
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
                    f" ({plural(lost, 'claim')} and the verdicts on them not brought)"
                )
                continue
            row = {
                "path": gate.path(as_text(article["path"]) or ""),
                "title": title or "(untitled)",
                "published": gate.field(as_text(article["published"])),
                "source": gate.field(as_text(article["source"])),
                "author": gate.field(as_text(article["author"])),
                "language": gate.language(as_text(article["language"])),
                "text": raw,
                "sha256": sha,
                "url": gate.field(as_text(article["url"])),
                "external_id": gate.field(as_text(article["external_id"])),
                "extra": as_extra(article["extra"]),
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
            if local not in self.new_articles or not span_in(start, end, len(text), empty=True):
                continue
            self.conn.execute(
                'INSERT INTO regions (article_id, start, "end", kind, language) '
                "VALUES (?, ?, ?, ?, ?)",
                [
                    local,
                    start,
                    end,
                    gate.field(as_text(region["kind"])) or "other",
                    None if region["language"] is None else gate.language(region["language"]),
                ],
            )

    def _claims(self) -> None:
        for claim in self.rows["claims"]:
            if claim["article_id"] not in self.articles:
                continue  # its article was refused, and said so
            created = self._date(claim["created_at"], "claim")
            if created is None:
                continue
            if claim["orphaned"] == 1:
                found = self._orphan(claim, created)
            else:
                found = self._placed(claim, created)
            if found is not None:
                self.landed.add(found)
                self.claims[claim["id"]] = found

    def _placed(self, claim: OtherRow, created: str) -> int | None:
        """The claim here that `claim` (placed in its article there) is, made if need be;
        None (counted) when it cannot be placed here, or where another claim of the other
        file has landed already."""
        local, here, there = self.articles[claim["article_id"]]
        span = _place(claim, here, there)
        if span is None:
            self._refuse(
                "{n} claims not brought: out of range, not their article's text at their "
                "offsets, or not found in this database's copy of it (nor their verdicts)"
            )
            return None
        found = self.conn.execute(
            'SELECT id FROM claims WHERE article_id = ? AND start = ? AND "end" = ?',
            [local, *span],
        ).fetchone()
        if found is None and self.owner is not None:
            self.skipped["{n} claims not brought: they are not the class's"] += 1
            return None
        if found is None:
            if "\n" in here[span[0] : span[1]] or self._overlaps(local, span):
                # Claims never overlap nor cross a paragraph: kept, with its verdicts,
                # as an orphan (shown apart from the text) rather than lost.
                self.skipped["{n} claims overlapping a claim here kept as orphans"] += 1
                return self._orphan(claim, created)
            return self._insert_claim(claim, local, span, quote(here, *span), created)
        if found[0] in self.landed:
            self._refuse(
                "{n} claims not brought: another claim of that file was placed at the same "
                "place here (nor their verdicts)"
            )
            return None
        return found[0]

    def _overlaps(self, article_id: int, span: tuple[int, int]) -> bool:
        return (
            self.conn.execute(
                'SELECT 1 FROM claims WHERE article_id = ? AND start < ? AND "end" > ? '
                "AND NOT orphaned",
                [article_id, span[1], span[0]],
            ).fetchone()
            is not None
        )

    def _orphan(self, claim: OtherRow, created: str) -> int | None:
        """The orphan here with the same quote as `claim` (an orphan there), else a new
        orphan past the end of the text here; never a place guessed in the text. None
        (counted) for an orphan without a quote."""
        local, here, _ = self.articles[claim["article_id"]]
        selector = Quote(
            gate.text(as_text(claim["text"])) or "",
            gate.text(as_text(claim["prefix"])) or "",
            gate.text(as_text(claim["suffix"])) or "",
        )
        if not selector.exact.strip():
            self._refuse("{n} orphaned claims not brought: they have no text (nor their verdicts)")
            return None
        same = self.conn.execute(
            "SELECT id FROM claims WHERE article_id = ? AND orphaned = 1 AND text = ? "
            "AND prefix = ? AND suffix = ? ORDER BY id",
            [local, selector.exact, selector.prefix, selector.suffix],
        )
        for (found,) in same:
            if found not in self.landed:
                return found
        if self.owner is not None:
            self.skipped["{n} claims not brought: they are not the class's"] += 1
            return None
        span = self._past_the_end(local, here, selector)
        return self._insert_claim(claim, local, span, selector, created, orphaned=True)

    def _past_the_end(self, article_id: int, text: str, selector: Quote) -> tuple[int, int]:
        """Offsets for a new orphan: past the end of `text`, as re-anchoring gives them,
        and past every orphan already there, so that none shares its offsets."""
        last = self.conn.execute(
            "SELECT max(start) FROM claims WHERE article_id = ? AND start >= ?",
            [article_id, len(text)],
        ).fetchone()[0]
        start = len(text) if last is None else last + 1
        return start, start + max(1, len(selector.exact))

    def _refuse(self, reason: str) -> None:
        """Count a row of the other file refused for `reason` (a phrase with `{n}`)."""
        self.report.refused += 1
        self.skipped[reason] += 1

    def _date(self, value: object, kind: str) -> str | None:
        """`value` as factmark writes dates, or None (counted against `kind`) when it is
        not one or is in the future."""
        date = as_timestamp(value, self.now)
        if date is None:
            self.report.refused += 1
            self.report.misdated[kind] += 1
        return date

    def _insert_claim(
        self,
        claim: dict,
        article_id: int,
        span: tuple[int, int],
        selector: Quote,
        created: str,
        *,
        orphaned: bool = False,
    ) -> int:
        """A new claim here at `span` with `selector` (the article's text here at `span`,
        or an orphan's quote, past its end); its id."""
        row = {
            "article_id": article_id,
            "start": span[0],
            "end": span[1],
            "text": selector.exact,
            "prefix": selector.prefix,
            "suffix": selector.suffix,
            "score": as_score(claim["score"]),
            "origin": claim["origin"] if claim["origin"] in ORIGINS else "reader",
            "dismissed": 1 if claim["dismissed"] == 1 else 0,
            "cues": as_cues(claim["cues"]),
            "attributed": as_flag(claim["attributed"]),
            "source": gate.field(as_text(claim["source"])),
            "vague_source": as_flag(claim["vague_source"]),
            "created_at": created,
            "orphaned": int(orphaned),
        }
        self.report.claims += 1
        return self.store.db["claims"].insert(row).last_rowid

    def _annotators(self) -> None:
        if self.owner is not None:
            self.names = {a["name"]: self.owner for a in self.rows["annotators"]}
            self.conn.execute(
                "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)",
                [self.owner, utc_now()],
            )
            return
        for annotator in self.rows["annotators"]:
            try:
                name = gate.annotator(as_text(annotator["name"]))
            except StoreError:
                self._refuse("{n} annotators not brought: no usable name (nor their verdicts)")
                continue
            created = self._date(annotator["created_at"], "annotator")
            if created is None:
                continue
            self.names[annotator["name"]] = name
            self.report.annotators += self.conn.execute(
                "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)", [name, created]
            ).rowcount
            if annotator["is_key"] != 1 or self._is_key(name):
                continue
            student = next((s for s in self.students if same_name(s, name)), None)
            if self.roles and student is not None:
                self.report.notes.append(
                    f"{name} is an answer key in {self.shown} but {self.students[student]} "
                    "here: not made a key (their verdicts come as a student's)"
                )
            elif self.roles:
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
        rows = [row for row in map(self._event_row, self.rows["verdicts"]) if row is not None]
        accepted: dict[str, dict] = {}
        key_events: Counter[str] = Counter()
        for row in sorted(rows, key=lambda row: row["created_at"]):
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
                f"{plural(count, 'verdict event')} by {name} not brought from {self.shown}: "
                f"{name} is an answer key here (--with-roles brings keys' verdicts too)"
            )
        touched = set()
        for row in accepted.values():
            if self.owner is None:  # a student's copy adds to what was collected before
                self._note_conflict(row, touched)
            self.store.db["verdicts"].insert(row)
            self.report.events += 1

    def _event_row(self, event: OtherRow) -> dict | None:
        """The event as it may be stored here, or None if it cannot come."""
        claim_id = self.claims.get(event["claim_id"])
        name = self.names.get(event["annotator"])
        if claim_id is None or name is None:
            return None  # its claim, article or annotator was refused, and said so
        event_id = gate.field(as_text(event["id"]))
        action = event["action"] or "set"
        if not event_id or event["verdict"] not in (*VERDICTS, None) or action not in ACTIONS:
            self._refuse("{n} verdict events refused: no id, or an unknown verdict or action")
            return None
        created = self._date(event["created_at"], "verdict event")
        if created is None:
            return None
        link = gate.field(as_text(event["evidence_url"]))
        if link is not None and not gate.is_web_link(link):
            link = None
            self.report.links_dropped += 1
        return {
            "id": event_id,
            "claim_id": claim_id,
            "annotator": name,
            "verdict": event["verdict"],
            "note": (gate.text(as_text(event["note"])) or "").strip() or None,
            "evidence_url": link,
            "created_at": created,
            "action": action,
            "reverts": gate.field(as_text(event["reverts"])),
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
        if self.owner is not None:
            return
        for reveal in self.rows["reveals"]:
            if reveal["article_id"] not in self.articles:
                continue
            local = self.articles[reveal["article_id"]][0]
            if self.conn.execute("SELECT 1 FROM reveals WHERE article_id = ?", [local]).fetchone():
                continue
            if not self.roles:
                self.report.reveals_left += 1
                continue
            revealed = self._date(reveal["revealed_at"], "reveal")
            if revealed is None:
                continue
            self.conn.execute(
                "INSERT INTO reveals (article_id, revealed_by, revealed_at) VALUES (?, ?, ?)",
                [local, gate.field(as_text(reveal["revealed_by"])) or "?", revealed],
            )
            self.report.reveals += 1


def _place(claim: OtherRow, here: str, there: str) -> tuple[int, int] | None:
    """Where a claim placed in the article's text there is in its text here, or None
    if it cannot be placed without a guess: it must be the text there at its offsets,
    and is found here as re-anchoring finds a claim in an edited text."""
    start, end, text = claim["start"], claim["end"], as_text(claim["text"])
    if not span_in(start, end, len(there)) or there[start:end] != text:
        return None
    if here == there:
        return start, end
    return locate(here, quote(there, start, end), start, old_text=there)
