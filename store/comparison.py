"""Students against the answer key, and the class's agreement: `compare` and the
gradebook.

Both read every current verdict on the live claims (neither dismissed nor orphaned) in
scope once, in a fixed number of queries whatever the number of articles, students
and claims; the figures are then counted in one pass. (Comparing article by article
made the gradebook quadratic: 628 s for 20,005 articles.)

The figures: a student's agreement with the key is the share of the claims both decided
on which their verdicts are the same, and Cohen's kappa on those claims (Cohen 1960, "A
coefficient of agreement for nominal scales"). The class's agreement is Krippendorff's
alpha for nominal data (Krippendorff, "Content Analysis", 2004), and Gwet's AC1
(Gwet 2008, "Computing inter-rater reliability and its variance in the presence of high
agreement"), over the claims two or more students decided (store/agreement.py). Kappa
and alpha are 1 for perfect agreement and 0 for what chance alone would give; below 0,
worse than chance. AC1 reads the same way, and stays meaningful where one verdict
dominates and kappa and alpha collapse.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from typing import TypedDict

from . import articles, claims, gate
from .agreement import cohen_kappa, gwet_ac1, krippendorff_alpha, percent_agreement
from .classroom import keys
from .database import Store
from .errors import StoreError
from .verdicts import VERDICTS

GRADEBOOK_COLUMNS = (
    "annotator",
    "article_id",
    "article_title",
    "claims",
    "decided",
    "compared",
    "agreement",
    "kappa",
)


@dataclass(frozen=True, slots=True)
class StudentAgreement:
    """One student against the answer key, on the live claims in scope.

    `decided`: claims the student decided; `compared`: those the key decided too;
    `agreement`: the percent (0 to 100, one decimal) of the compared claims on which
    the student's verdict is the key's, None when none was compared; `kappa`: Cohen's
    kappa on the compared claims, in [-1, 1], three decimals, None when none was
    compared."""

    annotator: str
    decided: int
    compared: int
    agreement: float | None
    kappa: float | None


class ClaimDisagreement(TypedDict):
    """One claim someone (a student, or the key) decided: how the class split on it.
    A row of `factmark compare --format csv`.

    `claim`: "A/N", claim N of article A as the reader numbers it (dismissed and
    orphaned claims count in N); `claim_id` and `article_id`: the database ids; `text`:
    the claim as stored; `key`: the key's verdict, None when the key has none;
    `verified`, `disputed`, `unsourced`: how many students gave each verdict;
    `students`: how many students decided it (the sum of those three); `disagreement`:
    the share of those students away from the majority verdict, three decimals: 0.0
    when they all agree (or none decided), at most 0.667 (three verdicts split
    evenly)."""

    claim: str
    claim_id: int
    article_id: int
    text: str
    key: str | None
    verified: int
    disputed: int
    unsourced: int
    students: int
    disagreement: float


@dataclass(frozen=True, slots=True)
class ClassAgreement:
    """The class's agreement among students (answer keys left out).

    `students`: students who decided a claim in scope; `claims`: claims decided by at
    least one student; `paired`: claims decided by two or more, the only ones alpha and
    AC1 compare; `krippendorff_alpha`: Krippendorff's nominal alpha, at most 1, three
    decimals; `gwet_ac1`: Gwet's AC1 over the three verdicts, at most 1, three
    decimals. Each is None when undefined (no claim paired, or every paired verdict the
    same for alpha)."""

    students: int
    claims: int
    paired: int
    krippendorff_alpha: float | None
    gwet_ac1: float | None


@dataclass(frozen=True, slots=True)
class Comparison:
    """What `compare` finds, on one article or on every one.

    `key`: the answer key compared with, None when there is no answer key;
    `key_decided`: the live claims the key decided; `students`: each student against
    the key, by name; `claims`: every live claim anyone decided, most disputed first
    (by `disagreement`, then by more students, then by id); `class_`: the class's
    agreement."""

    key: str | None
    key_decided: int
    students: tuple[StudentAgreement, ...]
    claims: tuple[ClaimDisagreement, ...]
    class_: ClassAgreement

    def as_dict(self) -> dict[str, object]:
        """The figures as `factmark compare --format json` gives them: the fields as
        keys in this order, `class_` as "class", every value plain JSON data."""
        return {
            "key": self.key,
            "key_decided": self.key_decided,
            "students": [asdict(student) for student in self.students],
            "claims": [dict(claim) for claim in self.claims],
            "class": asdict(self.class_),
        }


class GradebookRow(TypedDict):
    """One student's work on one article against the answer key: a row of `factmark
    export --gradebook`, keyed by GRADEBOOK_COLUMNS.

    `annotator`: the student; `article_id` and `article_title`: the article;
    `claims`: its live claims (neither dismissed nor orphaned); `decided`, `compared`,
    `agreement` (percent) and `kappa`: as in StudentAgreement, on that article."""

    annotator: str
    article_id: int
    article_title: str
    claims: int
    decided: int
    compared: int
    agreement: float | None
    kappa: float | None


@dataclass(slots=True)
class _Decided:
    """Current verdicts on live claims: claim id -> {annotator: verdict}, and claim id
    -> article id."""

    verdicts: dict[int, dict[str, str]]
    article: dict[int, int]


def _decided(store: Store, article_id: int | None = None) -> _Decided:
    """Every current verdict on the live claims of one article, or of every one."""
    sql = """
        SELECT cv.claim_id, c.article_id, cv.annotator, cv.verdict FROM current_verdicts cv
        JOIN claims c ON c.id = cv.claim_id
        WHERE cv.verdict IS NOT NULL AND NOT c.dismissed AND NOT c.orphaned
    """
    params: list[int] = []
    if article_id is not None:
        sql += " AND c.article_id = ?"
        params.append(article_id)
    found = _Decided({}, {})
    for claim_id, article, annotator, verdict in store.conn.execute(sql, params):
        found.verdicts.setdefault(claim_id, {})[annotator] = verdict
        found.article[claim_id] = article
    return found


def _answer_key(store: Store, key: str | None) -> tuple[str | None, set[str]]:
    """The key to compare with (`key`, else the answer key with the most verdicts, the
    first by name among equals, else None) and every answer key's name. Raises
    StoreError when `key` is not an answer key."""
    all_keys = keys(store)
    if not key and len(all_keys) > 1:  # one key (the usual) is chosen without a count
        held = {
            name: store.conn.execute(
                "SELECT count(verdict) FROM current_verdicts WHERE annotator = ?", [name]
            ).fetchone()[0]
            for name in all_keys
        }
        return min(all_keys, key=lambda name: (-held[name], name)), set(all_keys)
    if not key:
        return (all_keys[0] if all_keys else None), set(all_keys)
    key = gate.annotator(key)
    if key not in all_keys:
        raise StoreError(f"{key!r} is not an answer key (make one with: factmark key add NAME)")
    return key, set(all_keys)


def _against_key(
    decided: dict[int, str], key: dict[int, str]
) -> tuple[int, int, float | None, float | None]:
    """A student's verdicts (claim id -> verdict) against the key's: how many claims
    decided, how many of those the key decided too, agreement on those (percent, one
    decimal) and Cohen's kappa (None where undefined), as StudentAgreement's fields."""
    pairs = [(verdict, key[claim_id]) for claim_id, verdict in decided.items() if claim_id in key]
    agreement = percent_agreement(pairs)
    return (
        len(decided),
        len(pairs),
        None if agreement is None else round(100 * agreement, 1),
        _round(cohen_kappa(pairs)),
    )


def compare(store: Store, key: str | None = None, article_id: int | None = None) -> Comparison:
    """Students against the answer key (`key`, else the one with the most verdicts),
    claim by claim, and the class's agreement, on every article or on one: see
    Comparison. Raises StoreError for an unknown article, or for a `key` that is not
    an answer key (or whose name the gate refuses)."""
    if article_id is not None and not articles.exists(store, article_id):
        raise StoreError(f"no article {article_id}")
    key, all_keys = _answer_key(store, key)
    decided = _decided(store, article_id)
    key_verdicts = {c: by[key] for c, by in decided.verdicts.items() if key in by}
    by_student: dict[str, dict[int, str]] = {}
    units: dict[int, list[str]] = {}
    for claim_id, by in decided.verdicts.items():
        units[claim_id] = []
        for annotator, verdict in by.items():
            if annotator not in all_keys:
                by_student.setdefault(annotator, {})[claim_id] = verdict
                units[claim_id].append(verdict)
    return Comparison(
        key=key,
        key_decided=len(key_verdicts),
        students=tuple(
            StudentAgreement(student, *_against_key(by_student[student], key_verdicts))
            for student in sorted(by_student)
        ),
        claims=tuple(_per_claim(store, decided, units, key_verdicts, article_id)),
        class_=ClassAgreement(
            students=len(by_student),
            claims=sum(1 for votes in units.values() if votes),
            paired=sum(1 for votes in units.values() if len(votes) > 1),
            krippendorff_alpha=_round(krippendorff_alpha(units)),
            gwet_ac1=_round(gwet_ac1(units, VERDICTS)),
        ),
    )


def _per_claim(
    store: Store,
    decided: _Decided,
    units: dict[int, list[str]],
    key_verdicts: dict[int, str],
    article_id: int | None,
) -> list[ClaimDisagreement]:
    """`compare`'s claims: named as the reader numbers them, with their text; two
    queries, on the articles in scope only."""
    numbers = claims.numbers(
        store, set(decided.article.values()) if article_id is None else article_id
    )
    texts = dict(
        store.conn.execute(
            "SELECT id, text FROM claims WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(units))],
        ).fetchall()
    )
    found = []
    for claim_id, students in units.items():
        votes = Counter(students)
        article, number = numbers[claim_id]
        found.append(
            ClaimDisagreement(
                claim=f"{article}/{number}",
                claim_id=claim_id,
                article_id=article,
                text=texts[claim_id],
                key=key_verdicts.get(claim_id),
                verified=votes["verified"],
                disputed=votes["disputed"],
                unsourced=votes["unsourced"],
                students=len(students),
                # Share of students away from the majority: 0 when all agree.
                disagreement=(
                    round(1 - max(votes.values()) / len(students), 3) if students else 0.0
                ),
            )
        )
    found.sort(key=lambda c: (-c["disagreement"], -c["students"], c["claim_id"]))
    return found


def gradebook(store: Store, key: str | None = None) -> list[GradebookRow]:
    """One GradebookRow per student and article in which the student decided a live
    claim, by student name then article number, against `key` (else the fullest answer
    key by name; with no answer key, nothing is compared). Three queries whatever the
    number of articles. Raises StoreError for a `key` that is not an answer key (or
    whose name the gate refuses)."""
    key, all_keys = _answer_key(store, key)
    decided = _decided(store)
    key_verdicts = {c: by[key] for c, by in decided.verdicts.items() if key in by}
    work: dict[tuple[str, int], dict[int, str]] = {}
    for claim_id, by in decided.verdicts.items():
        article = decided.article[claim_id]
        for annotator, verdict in by.items():
            if annotator not in all_keys:
                work.setdefault((annotator, article), {})[claim_id] = verdict
    about = {
        article: (title, live)
        for article, title, live in store.conn.execute(
            """
            SELECT a.id, a.title, (SELECT count(*) FROM claims c
                                   WHERE c.article_id = a.id AND NOT c.dismissed
                                   AND NOT c.orphaned)
            FROM articles a WHERE a.id IN (SELECT value FROM json_each(?))
            """,
            [json.dumps(sorted({article for _, article in work}))],
        )
    }
    rows = []
    for (student, article), verdicts in sorted(work.items()):
        counted, compared, agreement, kappa = _against_key(verdicts, key_verdicts)
        rows.append(
            GradebookRow(
                annotator=student,
                article_id=article,
                article_title=about[article][0],
                claims=about[article][1],
                decided=counted,
                compared=compared,
                agreement=agreement,
                kappa=kappa,
            )
        )
    return rows


def _round(value: float | None) -> float | None:
    """Three decimals, and never -0.0 (a teacher reads "-0.0" as a disagreement)."""
    return None if value is None else round(value, 3) + 0.0
