"""The schema.org ClaimReview export (`factmark export --format claimreview`): a JSON
array of ClaimReview objects in JSON-LD, one for each verdict that has a note.

Specification: https://schema.org/ClaimReview (a Review: https://schema.org/Review, a
CreativeWork), its `reviewRating` a https://schema.org/Rating, its `itemReviewed` a
https://schema.org/Claim. Each object carries its own `@context` "https://schema.org",
so any one of them can be published alone (in a page's `<script
type="application/ld+json">`); the array is the form a JSON-LD processor reads as a
whole. The objects are streamed, one a line. Only properties schema.org defines for
each type are used:

- `@id`: `review_id`, a `urn:uuid:` UUID of the article's SHA-256, the claim's offsets
  and the annotator: the same in every export (JSON-LD's node identifier);
- `claimReviewed` (ClaimReview): the claim's words;
- `itemReviewed` (Review): the Claim (https://schema.org/Claim): its `appearance`, the
  article as a CreativeWork (`url` when it has one, `headline`: its title, and
  `inLanguage` when known), and `datePublished`, the article's date when it is an ISO
  8601 date (schema.org's Date or DateTime);
- `author` (CreativeWork): the annotator, a Person with their `name`;
- `datePublished` (CreativeWork): when the annotator's verdict was saved (their newest
  event on the claim, ISO 8601 UTC);
- `reviewRating` (Review): a Rating with the verdict's word as `alternateName` (Thing)
  and factmark's own scale (no shared scale exists): `ratingValue` 3 verified, 2
  unsourced, 1 disputed, `bestRating` 3, `worstRating` 1. "unsourced" judges the
  sourcing, not the truth: a claim the article gives no adequate source for, that
  may be true or false; `ratingExplanation` (Rating) says each verdict's meaning in
  words, and that, so it travels with the data;
- `reviewBody` (Review): the note: a review needs one, so verdicts without a note are
  left out;
- `citation` (CreativeWork): the evidence link, as a CreativeWork with that `url`. No
  `url` of the review's own: factmark publishes no page; add it when you do.

A claim a reader dismissed (not a claim), or one an edit took out of its article
(orphaned), has no review.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from typing import TextIO, TypedDict

from factmark.corpus.vocabulary import VERDICTS

from . import gate, json_output
from .database import Store
from .exported_claims import AnnotatorVerdict, ExportedClaim, exported_claims
from .json_output import as_text
from .web_annotation import NAMESPACE

CONTEXT = "https://schema.org"
# factmark's scale: the verdict's ratingValue (bestRating 3, worstRating 1).
RATINGS = {"verified": 3, "unsourced": 2, "disputed": 1}
BEST, WORST = max(RATINGS.values()), min(RATINGS.values())
# Each verdict's meaning in words, in the data itself: a reader of ratingValue alone
# would take "unsourced" (2 of 3) for "half true".
EXPLANATIONS = {
    verdict.name: verdict.meaning
    + ("; this judges the sourcing, not the truth" if verdict.name == "unsourced" else "")
    for verdict in VERDICTS
}

# A https://schema.org/Rating: the verdict's word and factmark's scale.
Rating = TypedDict(
    "Rating",
    {
        "@type": str,
        "alternateName": str,
        "ratingValue": int,
        "bestRating": int,
        "worstRating": int,
        "ratingExplanation": str,
    },
)

# A https://schema.org/CreativeWork: the article, or the evidence.
Work = TypedDict(
    "Work",
    {"@type": str, "url": str, "headline": str, "inLanguage": str},
    total=False,
)

# A https://schema.org/Claim: where it appears, and when.
ClaimItem = TypedDict(
    "ClaimItem",
    {"@type": str, "appearance": Work, "datePublished": str},
    total=False,
)

# A https://schema.org/Person: the annotator.
Person = TypedDict("Person", {"@type": str, "name": str})

# A https://schema.org/ClaimReview, as the module's docstring says.
ClaimReview = TypedDict(
    "ClaimReview",
    {
        "@context": str,
        "@type": str,
        "@id": str,
        "claimReviewed": str,
        "itemReviewed": ClaimItem,
        "author": Person,
        "datePublished": str,
        "reviewRating": Rating,
        "reviewBody": str,
        "citation": Work,
    },
    total=False,
)


def review_id(sha256: str, start: object, end: object, annotator: str) -> str:
    """The review's IRI: `urn:uuid:` and uuid5(NAMESPACE, "claimreview:SHA256:START-
    END:ANNOTATOR") (the article's SHA-256 in hex, the claim's offsets as stored)."""
    name = f"claimreview:{sha256}:{start}-{end}:{annotator}"
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, name)}"


def reviews(item: ExportedClaim) -> list[ClaimReview]:
    """The reviews of a claim: one per annotator whose verdict has a note; none for a
    dismissed claim, nor for an orphaned one (an edit took it out of the article the
    review would name as where it appears)."""
    if item.claim["dismissed"] or item.claim["orphaned"]:
        return []  # not a claim, or no longer in the article it would name
    return [
        _review(item, held)
        for held in item.verdicts
        if held.current["verdict"] in RATINGS and held.current["note"] is not None
    ]


def _review(item: ExportedClaim, held: AnnotatorVerdict) -> ClaimReview:
    article, claim, event = item.article, item.claim, held.current
    verdict = str(event["verdict"])
    appearance = Work({"@type": "CreativeWork"})
    if isinstance(article["url"], str) and gate.is_web_link(article["url"]):
        appearance["url"] = article["url"]
    appearance["headline"] = as_text(article["title"])
    if article["language"] and article["language"] != gate.UNDETERMINED:
        appearance["inLanguage"] = article["language"]
    reviewed = ClaimItem({"@type": "Claim", "appearance": appearance})
    published = iso_date(article["published"])
    if published is not None:
        reviewed["datePublished"] = published
    review = ClaimReview(
        {
            "@context": CONTEXT,
            "@type": "ClaimReview",
            "@id": review_id(article["sha256"], claim["start"], claim["end"], held.annotator),
            "claimReviewed": as_text(claim["text"]),
            "itemReviewed": reviewed,
            "author": Person({"@type": "Person", "name": held.annotator}),
            "datePublished": event["created_at"],
            "reviewRating": Rating(
                {
                    "@type": "Rating",
                    "alternateName": verdict,
                    "ratingValue": RATINGS[verdict],
                    "bestRating": BEST,
                    "worstRating": WORST,
                    "ratingExplanation": EXPLANATIONS[verdict],
                }
            ),
            "reviewBody": as_text(event["note"]),
        }
    )
    link = event["evidence_url"]
    if isinstance(link, str) and gate.is_web_link(link):
        review["citation"] = Work({"@type": "CreativeWork", "url": link})
    return review


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(value: object) -> str | None:
    """`value` when it is an ISO 8601 date (2020-09-27) or date and time
    (2020-09-27T08:00:00+02:00, ...Z), else None: the article's `published` is kept as
    its source gave it."""
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    if len(value) > 10 and value[10] != "T":
        return None
    try:
        if len(value) == 10:
            date.fromisoformat(value)
        else:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value


def all_reviews(store: Store, *, annotator: str | None = None) -> Iterator[ClaimReview]:
    """The reviews of the claims `exported_claims` gives, in its order."""
    for item in exported_claims(store, annotator=annotator):
        yield from reviews(item)


def write(out: TextIO, store: Store, *, annotator: str | None = None) -> int:
    """Write the JSON array of reviews to `out` and LF; return how many. Raises what
    SQLite raises, and what writing to `out` raises (OSError)."""
    return json_output.write_array(out, all_reviews(store, annotator=annotator))
