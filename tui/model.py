"""The reader model: one article's claims, the current one, reveal state and search.

Plain Python, no Textual. Every reader action goes through it: the store is written
first (each write commits before it returns), then the model's own copy is updated
from the event the store returns, so no action re-reads the article. Look-ups go by
claim index or bisection on offsets: a key costs the same on a 1 KB article and on a
10 MB one. One verdict key costs five SQL statements (`verdicts.record`), and one more
for the class's votes on the next claim once the article is revealed.
"""

from __future__ import annotations

import operator
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import compress

from factmark.corpus.lexicon import detector_languages
from factmark.corpus.sentences import clauses
from factmark.corpus.vocabulary import DISMISSED, PENDING
from factmark.store import articles, claims, classroom, verdicts
from factmark.store.articles import StoredArticle, StoredRegion
from factmark.store.claims import AnnotatedClaim
from factmark.store.classroom import Others
from factmark.store.database import Store
from factmark.store.verdicts import VerdictEvent

from .find import find_all

# Claims read at once around the one shown (their text, reasons and source).
WINDOW = 256
# Add-claim candidates come from this much text around the current claim, at most, so
# a one-line 10 MB article offers them as fast as a short one.
CANDIDATE_WINDOW = 20_000


@dataclass(frozen=True)
class Candidate:
    """A span the reader may add as a claim: a clause of one sentence of one
    paragraph, overlapping no claim. `sentence` numbers sentences within the list."""

    start: int
    end: int
    sentence: int


class ReaderModel:
    """What the reader shows, and every change a reader makes, for one annotator.

    `claims` are the article's claims in text order (orphans last), `index` the current
    one. Raises the store's errors (StoreError, StoreBusy...) from the methods that
    write; nothing in the model changes when a write fails.
    """

    def __init__(self, store: Store, annotator: str, order: list[int] | None = None) -> None:
        self.store = store
        self.annotator = annotator
        self.order = order  # the library's order and filter when it opened the reader
        self.article: StoredArticle | None = None
        self.regions: list[StoredRegion] = []
        self.index = 0
        self.revealed = False
        self.just_revealed = False  # the last change revealed the article
        self.query = ""
        self.matches: list[tuple[int, int]] = []
        self._match: tuple[int, int] | None = None  # the match last shown
        # Every claim, in text order: parallel columns (claims.Positions).
        self.ids: list[int] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self._dismissed: list[bool] = []
        self._orphaned: list[bool] = []
        self._index: dict[int, int] = {}  # claim id -> index
        self._made: dict[int, AnnotatedClaim] = {}  # claims read so far, by id
        self._pending: list[int] = []  # starts of the claims still to decide
        self._decided = 0
        self._opened = False  # a key, or the teacher revealed the article
        self._history: dict[int, list[VerdictEvent]] = {}
        self._others: dict[int, Others] = {}
        self._copy = classroom.class_copy(store) is not None
        # This reader's changes, newest last, for undo and redo: a dismissal (the claim
        # id and whether it was dismissed before), which the verdict log does not hold,
        # or None for a change the verdict log holds. Undo takes back the newest.
        self._done: list[tuple[int, bool] | None] = []
        self._undone: list[tuple[int, bool] | None] = []

    # --- opening -------------------------------------------------------------------

    def open(self, article_id: int) -> bool:
        """Load an article; False (and nothing changed) when there is no such article.
        The current claim is the first pending one, else the first."""
        article = articles.get(self.store, article_id)
        if article is None:
            return False
        self.article = article
        self.regions = articles.regions(self.store, article_id)
        found = claims.positions(self.store, article_id)
        self.ids, self.starts, self.ends = found.ids, found.starts, found.ends
        self._dismissed, self._orphaned = found.dismissed, found.orphaned
        self._history = verdicts.for_article(self.store, article_id, self.annotator)
        self._opened = classroom.opened_to(self.store, article_id, self.annotator)
        self._made, self._others = {}, {}
        self._reindex()
        self.revealed = self._is_revealed()
        self.just_revealed = False
        self.matches, self.query, self._match = [], "", None
        self.index = bisect_left(self.starts, self._pending[0]) if self._pending else 0
        return True

    def _reindex(self) -> None:
        self._index = _positions(self.ids)
        # In C loops over the columns: only the claims flagged or touched are visited.
        decided = [False] * len(self.ids)
        for claim_id, events in self._history.items():
            index = self._index.get(claim_id)
            if index is not None and events[-1]["verdict"]:
                decided[index] = True
        for index in _true(self._dismissed):
            decided[index] = True
        self._decided = decided.count(True)
        settled = list(map(operator.or_, decided, self._orphaned))
        self._pending = list(compress(self.starts, map(operator.not_, settled)))

    def _verdict(self, claim_id: int) -> str | None:
        events = self._history.get(claim_id)
        return events[-1]["verdict"] if events else None

    def _is_revealed(self) -> bool:
        """The teacher revealed the article, or (outside a class copy, where only the
        teacher reveals) every claim in it is decided."""
        return self._opened or (not self._pending and not self._copy)

    def __len__(self) -> int:
        return len(self.ids)

    def states(self) -> list[str]:
        """Each claim's state, in order: "dismissed", the verdict, or "pending"."""
        found = [PENDING] * len(self.ids)
        for claim_id, events in self._history.items():
            index = self._index.get(claim_id)
            if index is not None and events[-1]["verdict"]:
                found[index] = events[-1]["verdict"]
        for index in _true(self._dismissed):
            found[index] = DISMISSED
        return found

    def claim(self, index: int) -> AnnotatedClaim:
        """The claim at `index`, with the annotator's verdict, note and link (read
        with the claims around it the first time)."""
        made = self._made.get(self.ids[index])
        if made is None:
            low = self.starts[max(0, index - WINDOW)]
            high = self.starts[min(len(self.ids) - 1, index + WINDOW)] + 1
            for claim in claims.in_range(self.store, self.article_id, low, high):
                if claim.id in self._index:
                    events = self._history.get(claim.id)
                    if events:
                        last = events[-1]
                        claim.verdict, claim.note = last["verdict"], last["note"]
                        claim.evidence_url = last["evidence_url"]
                    claim.dismissed = self._dismissed[self._index[claim.id]]
                    self._made.setdefault(claim.id, claim)
            made = self._made[self.ids[index]]
        return made

    @property
    def article_id(self) -> int:
        return self.article["id"] if self.article else 0

    @property
    def text(self) -> str:
        return self.article["text"] if self.article else ""

    @property
    def language_unknown(self) -> bool:
        """Whether the detector does not know the article's language: its claims are
        then a guess from numbers, names and dates."""
        return bool(self.article) and self.article["language"] not in detector_languages()

    @property
    def current(self) -> AnnotatedClaim | None:
        return self.claim(self.index) if self.ids else None

    @property
    def decided(self) -> int:
        """Claims with a verdict or dismissed."""
        return self._decided

    @property
    def position(self) -> str:
        return f"{self.index + 1}/{len(self.ids)}"

    def history(self, claim: AnnotatedClaim) -> list[VerdictEvent]:
        """The annotator's events on the claim, oldest first."""
        return self._history.get(claim.id, [])

    def others(self, claim: AnnotatedClaim) -> Others | None:
        """The keys' verdicts and the class's votes, once revealed (else None)."""
        if not self.revealed:
            return None
        if claim.id not in self._others:
            self._others[claim.id] = classroom.others_on(self.store, claim.id)
        return self._others[claim.id]

    # --- moving --------------------------------------------------------------------

    def move(self, step: int) -> None:
        if self.ids:
            self.index = min(max(self.index + step, 0), len(self.ids) - 1)

    def go_to(self, claim_id: int) -> bool:
        """Make a claim of this article current; False if it is not one."""
        index = self._index.get(claim_id)
        if index is None:
            return False
        self.index = index
        return True

    def next_pending(self) -> bool:
        """The next undecided claim after the current one, wrapping round; False when
        every claim is decided."""
        if not self._pending:
            return False
        here = self.starts[self.index] if self.ids else -1
        at = bisect_right(self._pending, here)
        self.index = bisect_left(self.starts, self._pending[at % len(self._pending)])
        return True

    def claim_at(self, offset: int) -> int | None:
        """The index of the first claim that ends after `offset` (None if none)."""
        index = bisect_right(self.starts, offset) - 1
        if index >= 0 and self.ends[index] > offset:
            return index
        index += 1
        return index if index < len(self.ids) else None

    def neighbour(self, step: int) -> int | None:
        """The article before (-1) or after (+1) this one in the library's order."""
        order = self.order if self.order is not None else articles.ids(self.store)
        if self.article_id not in order:
            order = articles.ids(self.store)
        position = order.index(self.article_id) + step
        return order[position] if 0 <= position < len(order) else None

    # --- deciding ------------------------------------------------------------------

    def record(self, claim_id: int, **changes: str | None) -> VerdictEvent:
        """Save a verdict, note or evidence link (`verdicts.record`) and take it in."""
        event = verdicts.record(self.store, claim_id, self.annotator, **changes)
        self.take(event)
        self._done.append(None)
        self._undone.clear()
        return event

    def undo(self) -> int | None:
        """Take back the newest change not yet taken back: this reader's last
        dismissal if it came last, else the annotator's last change in the verdict log
        (`verdicts.undo`, which may be in another article). Returns the id of the
        claim changed, or None when there is nothing to undo."""
        return self._step(self._done, self._undone, verdicts.undo, undo=True)

    def redo(self) -> int | None:
        """Make again the change the newest undo took back (as `undo`)."""
        return self._step(self._undone, self._done, verdicts.redo, undo=False)

    def _step(self, source: list, target: list, logged, *, undo: bool) -> int | None:
        if source and source[-1] is not None:
            claim_id, before = source.pop()
            self._apply_dismissed(claim_id, before if undo else not before)
            target.append((claim_id, before))
            return claim_id
        event = logged(self.store, self.annotator)
        if event is None:
            return None
        self.take(event)
        if source:
            source.pop()
        target.append(None)
        return event["claim_id"]

    def take(self, event: VerdictEvent) -> None:
        """Take in a committed event on a claim of this article (events on other
        articles, from an undo, change nothing here)."""
        claim_id = event["claim_id"]
        index = self._index.get(claim_id)
        if index is None:
            return
        was_decided = self._is_decided(index)
        self._history.setdefault(claim_id, []).append(event)
        made = self._made.get(claim_id)
        if made is not None:
            made.verdict, made.note = event["verdict"], event["note"]
            made.evidence_url = event["evidence_url"]
        self._others.pop(claim_id, None)
        self._update_counts(index, was_decided)

    def set_dismissed(self, claim_id: int, dismissed: bool) -> None:
        """Dismiss a false claim (or restore it); undo takes it back."""
        self._apply_dismissed(claim_id, dismissed)
        self._done.append((claim_id, not dismissed))
        self._undone.clear()

    def _apply_dismissed(self, claim_id: int, dismissed: bool) -> None:
        claims.set_dismissed(self.store, claim_id, dismissed)
        index = self._index.get(claim_id)
        if index is not None:
            was_decided = self._is_decided(index)
            self._dismissed[index] = dismissed
            made = self._made.get(claim_id)
            if made is not None:
                made.dismissed = dismissed
            self._update_counts(index, was_decided)

    def _is_decided(self, index: int) -> bool:
        return self._dismissed[index] or self._verdict(self.ids[index]) is not None

    def _is_pending(self, index: int) -> bool:
        return not (self._orphaned[index] or self._is_decided(index))

    def _update_counts(self, index: int, was_decided: bool) -> None:
        self._decided += self._is_decided(index) - was_decided
        start = self.starts[index]
        at = bisect_left(self._pending, start)
        listed = at < len(self._pending) and self._pending[at] == start
        if self._is_pending(index) and not listed:
            self._pending.insert(at, start)
        elif not self._is_pending(index) and listed:
            del self._pending[at]
        revealed = self._is_revealed()
        self.just_revealed = revealed and not self.revealed
        self.revealed = revealed

    # --- adding ----------------------------------------------------------------------

    def is_free(self, start: int, end: int) -> bool:
        """True when text[start:end] may become a claim: inside one paragraph, and
        overlapping no claim."""
        if not 0 <= start < end <= len(self.text) or "\n" in self.text[start:end]:
            return False
        index = self.claim_at(start)
        return index is None or self.starts[index] >= end

    def candidates(self, near: int) -> list[Candidate]:
        """Clauses the reader may add as claims, each inside one paragraph and
        overlapping no claim (`is_free`): from the paragraphs within
        CANDIDATE_WINDOW characters of `near`, so the cost does not grow with the
        article. Sentence numbers run on across paragraphs."""
        text = self.text
        low = max(0, near - CANDIDATE_WINDOW)
        high = min(len(text), near + CANDIDATE_WINDOW)
        found: list[Candidate] = []
        sentences = 0
        start = text.rfind("\n", 0, low) + 1
        while start <= high:
            end = text.find("\n", start)
            end = len(text) if end == -1 else end
            # A paragraph longer than the window: only the window of it.
            a, b = max(start, low), min(end, high)
            last = -1
            for u, v, sentence in clauses(text[a:b]):
                u, v = u + a, v + a
                cut = (u == a and a > start) or (v == b and b < end)  # not a whole clause
                if not cut and self.is_free(u, v):
                    found.append(Candidate(u, v, sentences + sentence))
                last = max(last, sentence)
            sentences += last + 1
            start = end + 1
        return found

    def may_add_claims(self) -> None:
        """Raise StoreError, saying why, where this reader may not add claims (in a
        class copy the claims are the teacher's): asked before the dialog opens."""
        if self._copy:
            classroom.refuse_in_copy(self.store, "adding a claim")

    def add_claim(self, start: int, end: int) -> int:
        """Add text[start:end] as a reader's claim and make it current; its id."""
        claim_id = claims.add(self.store, self.article_id, start, end, origin="reader")
        self._made[claim_id] = AnnotatedClaim(
            claim_id, self.article_id, start, end, self.text[start:end], None, "reader",
            (), None, None, None, False, False,
        )  # fmt: skip
        at = bisect_left(self.starts, start)
        for column, value in (
            (self.ids, claim_id),
            (self.starts, start),
            (self.ends, end),
            (self._dismissed, False),
            (self._orphaned, False),
        ):
            column.insert(at, value)  # type: ignore[attr-defined]
        self._index = _positions(self.ids)
        self.index = at
        self._update_counts(at, False)
        return claim_id

    # --- search ----------------------------------------------------------------------

    def search(self, query: str) -> tuple[int, int] | None:
        """Find `query` (case-insensitive): the first match after the current claim,
        or, when the query is the one searched last, the match after the last one
        (wrapping round). The claim holding it, else the nearest claim, becomes
        current. Returns that match, or None."""
        again = query == self.query and self._match is not None
        self.query = query
        if not again:
            self.matches = find_all(self.text, query) if query else []
        if not self.matches:
            self._match = None
            return None
        if again:  # the same search again: the next match
            here = self._match
        else:
            here = (self.starts[self.index], len(self.text) + 1) if self.ids else (-1, -1)
        at = bisect_right(self.matches, here)
        match = self._match = self.matches[at % len(self.matches)]
        index = self._nearest_claim(*match)
        if index is not None:
            self.index = index
        return match

    def _nearest_claim(self, start: int, end: int) -> int | None:
        """The index of the claim holding text[start:end], else of the nearest one
        (orphans, which are not in the text, aside)."""
        after = self.claim_at(start)
        if after is not None and self._orphaned[after]:
            after = None
        if after is not None and self.starts[after] <= start:
            return after
        before = (after if after is not None else len(self.ids)) - 1
        while before >= 0 and self._orphaned[before]:
            before -= 1
        if before < 0:
            return after
        if after is None or start - self.ends[before] < self.starts[after] - end:
            return before
        return after


def _positions(ids: list[int]) -> dict[int, int]:
    """claim id -> its index in the columns."""
    return dict(zip(ids, range(len(ids)), strict=True))


def _true(flags: list[bool]) -> list[int]:
    """The indexes where `flags` is True."""
    return list(compress(range(len(flags)), flags))
