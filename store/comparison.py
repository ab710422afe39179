"""Students against the answer key, and the class's agreement: `compare` and the
gradebook.

Both read every current verdict on the live claims (neither dismissed nor orphaned) in
scope once, in a fixed number of queries whatever the number of articles, students
and claims; the figures are then counted in one pass. (Comparing article by article
made the gradebook quadratic: 628 s for 20,005 articles.)
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

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
    """The key to compare with (`key`, else the first answer key, else None) and every
    answer key's name. Raises StoreError when `key` is not an answer key."""
    all_keys = keys(store)
    if not key:
        return (all_keys[0] if all_keys else None), set(all_keys)
    key = gate.annotator(key)
    if key not in all_keys:
        raise StoreError(f"{key!r} is not an answer key (make one with: factmark key add NAME)")
    return key, set(all_keys)


def _against_key(decided: dict[int, str], key: dict[int, str]) -> dict:
    """A student's verdicts (claim id -> verdict) against the key's: how many claims
    decided, how many of those the key decided too, agreement on those (percent, one
    decimal) and Cohen's kappa (None where undefined)."""
    pairs = [(verdict, key[claim_id]) for claim_id, verdict in decided.items() if claim_id in key]
    agreement = percent_agreement(pairs)
    return {
        "decided": len(decided),
        "compared": len(pairs),
        "agreement": None if agreement is None else round(100 * agreement, 1),
        "kappa": _round(cohen_kappa(pairs)),
    }


def compare(store: Store, key: str | None = None, article_id: int | None = None) -> dict:
    """Students against the answer key, claim by claim, and the class's agreement, on
    every article or on one.

    Returns a dict: `key` (its name, None without answer keys), `key_decided` (claims
    the key decided); `students`, one dict per student by name (`annotator`,
    `decided`, `compared`: decided by the key too, `agreement` in percent, `kappa`);
    `claims`, one dict per claim anyone decided, most disputed first (`claim`: "A/N"
    as the reader numbers it, `claim_id`, `article_id`, `text`, `key`: the key's
    verdict, the students' count of each verdict, `students`, `disagreement`: the
    share away from the majority); `class` (`students`, `claims`: decided by at least
    one student, `paired`: by two or more, the claims alpha and AC1 compare,
    `krippendorff_alpha`, `gwet_ac1`).
    Raises StoreError for an unknown article or a `key` that is not an answer key."""
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
    return {
        "key": key,
        "key_decided": len(key_verdicts),
        "students": [
            {"annotator": student, **_against_key(by_student[student], key_verdicts)}
            for student in sorted(by_student)
        ],
        "claims": _per_claim(store, decided, units, key_verdicts, article_id),
        "class": {
            "students": len(by_student),
            "claims": sum(1 for votes in units.values() if votes),
            "paired": sum(1 for votes in units.values() if len(votes) > 1),
            "krippendorff_alpha": _round(krippendorff_alpha(units)),
            "gwet_ac1": _round(gwet_ac1(units, VERDICTS)),
        },
    }


def _per_claim(
    store: Store,
    decided: _Decided,
    units: dict[int, list[str]],
    key_verdicts: dict[int, str],
    article_id: int | None,
) -> list[dict]:
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
            {
                "claim": f"{article}/{number}",
                "claim_id": claim_id,
                "article_id": article,
                "text": texts[claim_id],
                "key": key_verdicts.get(claim_id),
                **{v: votes.get(v, 0) for v in VERDICTS},
                "students": len(students),
                # Share of students away from the majority: 0 when all agree.
                "disagreement": (
                    round(1 - max(votes.values()) / len(students), 3) if students else 0.0
                ),
            }
        )
    found.sort(key=lambda c: (-c["disagreement"], -c["students"], c["claim_id"]))
    return found


def gradebook(store: Store, key: str | None = None) -> list[dict]:
    """One row per student and article in which the student decided a claim, by
    student then article number, with the keys of GRADEBOOK_COLUMNS: `claims` is the
    article's live claims, the rest as a student's figures in `compare`, on that
    article. Three queries whatever the number of articles. Raises StoreError for a
    `key` that is not an answer key."""
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
    return [
        {
            "annotator": student,
            "article_id": article,
            "article_title": about[article][0],
            "claims": about[article][1],
            **_against_key(verdicts, key_verdicts),
        }
        for (student, article), verdicts in sorted(work.items())
    ]


def _round(value: float | None) -> float | None:
    """Three decimals, and never -0.0 (a teacher reads "-0.0" as a disagreement)."""
    return None if value is None else round(value, 3) + 0.0
