"""The JSON exports: JSON Lines, W3C Web Annotation and schema.org ClaimReview.

Each shape is checked against its specification, by checks written from it (no
network: the JSON-LD contexts are not fetched): the W3C Web Annotation Data Model
(https://www.w3.org/TR/annotation-model/; its MUSTs as the W3C's own test suite,
web-platform-tests/annotation-model, states them) and schema.org's ClaimReview, Claim
and Rating (https://schema.org/ClaimReview), and every selector finds its claim again
in the stored text.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import uuid
from pathlib import Path

import pytest

from factmark.corpus.anchoring import Quote, locate
from factmark.corpus.safe_text import clean
from factmark.store import (
    articles,
    claim_review,
    claims,
    export,
    json_output,
    jsonl_export,
    verdicts,
    web_annotation,
)
from factmark.store.database import Store
from factmark.store.exported_claims import exported_claims
from tests.helpers import reader_claim
from tests.store import test_export

tricky_db = test_export.tricky_db  # a database of cells in the wrong types

# Model 3.3.5: the motivations and purposes the W3C defines.
MOTIVATIONS = {
    "assessing", "bookmarking", "classifying", "commenting", "describing", "editing",
    "highlighting", "identifying", "linking", "moderating", "questioning", "replying",
    "tagging",
}  # fmt: skip
AGENT_TYPES = {"Person", "Organization", "Software"}  # model 3.3.2
# xsd:dateTime with a time zone (model 3.3.1: "SHOULD have a timezone"); factmark's is UTC.
DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z")
# An absolute URI (RFC 3986: a scheme, a colon, then no white space).
URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
# schema.org's Date or DateTime (ISO 8601).
SCHEMA_DATE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?"
)

# The properties schema.org defines for each type used (https://schema.org/TYPE: its
# own and those of the types it comes from), as far as an export may use them.
THING = {"@type", "@id", "name", "alternateName", "description", "identifier", "url", "sameAs"}
CREATIVE_WORK = THING | {
    "author", "citation", "dateCreated", "dateModified", "datePublished", "headline",
    "inLanguage", "isBasedOn", "publisher", "text",
}  # fmt: skip
REVIEW = CREATIVE_WORK | {
    "itemReviewed", "reviewAspect", "reviewBody", "reviewRating", "associatedClaimReview",
    "associatedMediaReview", "associatedReview", "negativeNotes", "positiveNotes",
}  # fmt: skip
SCHEMA = {
    "ClaimReview": REVIEW | {"claimReviewed", "@context"},
    "Claim": CREATIVE_WORK | {"appearance", "claimInterpreter", "firstAppearance"},
    "CreativeWork": CREATIVE_WORK,
    "Rating": THING
    | {"author", "bestRating", "ratingExplanation", "ratingValue", "reviewAspect", "worstRating"},
    "Person": THING | {"givenName", "familyName"},
}

NOTE = "Faux : le ministère dit 2,1 %.\nVoir la note."
LINK = "https://example.org/insee?q=1&x=é"


@pytest.fixture
def judged(sample_db: Path) -> dict:
    """The sample corpus with verdicts of every kind: a verdict changed (alice, with a
    note and a link), one with a note (bob), a note alone (bob), a verdict cleared
    (carol: nothing left to export), and verdicts on a claim a reader added, a
    dismissed claim, a claim labelled in another tool and an orphaned claim. Returns
    those claims' ids."""
    with Store.open(sample_db) as store:
        first, second, third = (c["id"] for c in claims.for_article(store, 1)[:3])
        verdicts.record(store, first, "alice", "disputed", note=NOTE, evidence_url=LINK)
        verdicts.record(store, first, "alice", "verified")
        verdicts.record(store, first, "bob", "unsourced", note="Aucune source.")
        verdicts.record(store, second, "bob", None, note="À revoir.")
        verdicts.record(store, third, "carol", "verified")
        verdicts.record(store, third, "carol", None)
        added = reader_claim(store, 2)
        verdicts.record(store, added, "alice", "verified", note="Vérifié.")
        dismissed = claims.for_article(store, 3)[0]["id"]
        claims.set_dismissed(store, dismissed, True)
        verdicts.record(store, dismissed, "bob", "disputed", note="Pas une affirmation.")
        imported = claims.for_article(store, 4)[0]["id"]
        orphan = claims.for_article(store, 5)[0]
        length = len(articles.get(store, 5)["text"])
        with store.write():
            store.conn.execute(
                "UPDATE claims SET origin = 'reader', score = NULL, cues = ? WHERE id = ?",
                [json.dumps(["imported:doccano", "label:CLAIM"]), imported],
            )
            store.conn.execute(
                'UPDATE claims SET orphaned = 1, start = ?, "end" = ? WHERE id = ?',
                [length, length + len(orphan["text"]), orphan["id"]],
            )
        verdicts.record(store, imported, "alice", "unsourced", note="Label importé.")
        verdicts.record(store, orphan["id"], "alice", "disputed", note="Perdue.")
    return {
        "first": first,
        "second": second,
        "cleared": third,
        "added": added,
        "dismissed": dismissed,
        "imported": imported,
        "orphan": orphan["id"],
    }


def _written(write, db: Path, **options) -> str:
    out = io.StringIO(newline="")
    with Store.open(db, readonly=True) as store:
        write(out, store, **options)
    return out.getvalue()


def _lines(db: Path, **options) -> list[dict]:
    text = _written(jsonl_export.write, db, **options)
    assert text.endswith("\n") and "\r" not in text
    return [json.loads(line) for line in text.split("\n")[:-1]]


def _collection(db: Path, **options) -> dict:
    text = _written(web_annotation.write, db, **options)
    assert text.endswith("}\n")
    return json.loads(text)


def _reviews(db: Path, **options) -> list[dict]:
    return json.loads(_written(claim_review.write, db, **options))


# JSON Lines ---------------------------------------------------------------------------


CLAIM_KEYS = {
    "id", "start", "end", "text", "prefix", "suffix", "score", "cues", "attributed",
    "source", "vague_source", "origin", "dismissed", "orphaned", "created_at",
}  # fmt: skip
ARTICLE_KEYS = {
    "id", "path", "title", "url", "sha256", "language", "published", "source", "author",
    "external_id",
}  # fmt: skip
VERDICT_KEYS = {"annotator", "verdict", "note", "evidence_url", "decided_at", "event_id"}


def test_a_line_per_claim_holding_a_verdict_a_note_or_a_link(judged: dict, sample_db: Path) -> None:
    lines = _lines(sample_db)
    ids = [line["claim"]["id"] for line in lines]
    expected = {judged[name] for name in judged if name != "cleared"}
    assert set(ids) == expected and len(ids) == len(expected)
    with Store.open(sample_db, readonly=True) as store:
        for line in lines:
            assert set(line) == {"article", "claim", "verdicts"}
            assert set(line["article"]) == ARTICLE_KEYS and set(line["claim"]) == CLAIM_KEYS
            claim, article = line["claim"], line["article"]
            stored = articles.get(store, article["id"])
            assert {key: stored[key] for key in ARTICLE_KEYS} == article
            kept = claims.get(store, claim["id"])
            assert claim["text"] == kept["text"] and claim["cues"] == list(kept["cues"])
            if claim["orphaned"]:
                assert claim["start"] is None and claim["end"] is None
            else:  # offsets in code points, as Python indexes the stored text
                assert stored["text"][claim["start"] : claim["end"]] == claim["text"]
            assert line["verdicts"], "a line holds a verdict, a note or a link"
            for held in line["verdicts"]:
                assert set(held) == VERDICT_KEYS
                assert DATE_TIME.fullmatch(held["decided_at"])
                assert held["verdict"] in (*verdicts.VERDICTS, None)
            names = [held["annotator"] for held in line["verdicts"]]
            assert names == sorted(names)
    first = next(line for line in lines if line["claim"]["id"] == judged["first"])
    assert [(v["annotator"], v["verdict"]) for v in first["verdicts"]] == [
        ("alice", "verified"),
        ("bob", "unsourced"),
    ]
    assert first["verdicts"][0]["note"] == NOTE and first["verdicts"][0]["evidence_url"] == LINK
    origins = {line["claim"]["id"]: line["claim"]["origin"] for line in lines}
    assert origins[judged["added"]] == "reader" and origins[judged["imported"]] == "imported"
    assert origins[judged["first"]] == "detector"
    marked = {line["claim"]["id"] for line in lines if line["claim"]["dismissed"]}
    assert marked == {judged["dismissed"]}


def test_history_gives_every_event_and_the_annotator_filter_keeps_theirs(
    judged: dict, sample_db: Path
) -> None:
    lines = _lines(sample_db, history=True)
    cleared = next(line for line in lines if line["claim"]["id"] == judged["cleared"])
    (carol,) = cleared["verdicts"]
    assert carol["verdict"] is None  # cleared now: with --history it is there
    assert [e["verdict"] for e in carol["history"]] == ["verified", None]
    first = next(line for line in lines if line["claim"]["id"] == judged["first"])
    alice = first["verdicts"][0]
    assert [e["verdict"] for e in alice["history"]] == ["disputed", "verified"]
    assert alice["history"][-1]["id"] == alice["event_id"]
    assert {e["action"] for e in alice["history"]} == {"set"}

    bob = _lines(sample_db, annotator="bob")
    assert {line["claim"]["id"] for line in bob} == {
        judged["first"],
        judged["second"],
        judged["dismissed"],
    }
    assert {held["annotator"] for line in bob for held in line["verdicts"]} == {"bob"}


def test_every_claim_is_a_line_and_dismissed_added_and_imported_ones_say_so(
    judged: dict, sample_db: Path
) -> None:
    lines = _lines(sample_db, every=True)
    with Store.open(sample_db, readonly=True) as store:
        live = store.conn.execute("SELECT count(*) FROM claims WHERE NOT orphaned").fetchone()[0]
    assert len(lines) == live + 1  # and the orphan, which holds a verdict
    by_id = {line["claim"]["id"]: line["claim"] for line in lines}
    assert by_id[judged["dismissed"]]["dismissed"] is True
    assert by_id[judged["added"]]["origin"] == "reader"
    assert by_id[judged["imported"]]["origin"] == "imported"
    assert by_id[judged["orphan"]]["orphaned"] is True
    undecided = [line for line in lines if not line["verdicts"]]
    assert undecided and all(not line["claim"]["orphaned"] for line in undecided)
    # Only alice's verdicts, and every claim still.
    alice = _lines(sample_db, every=True, annotator="alice")
    assert len(alice) == live + 1
    assert {held["annotator"] for line in alice for held in line["verdicts"]} == {"alice"}


# W3C Web Annotation -------------------------------------------------------------------


def check_collection(document: dict) -> list[dict]:
    """The MUSTs of the model's sections 5.1 and 5.2 on a collection with its first
    page embedded; its annotations."""
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert document["type"] == "AnnotationCollection"
    assert URI.fullmatch(document["id"])
    assert isinstance(document["label"], str)
    page = document["first"]
    assert page["type"] == "AnnotationPage" and URI.fullmatch(page["id"])
    assert page["partOf"] == document["id"] and page["startIndex"] == 0
    assert "next" not in page and "last" not in document  # one page holds them all
    assert isinstance(document["total"], int) and document["total"] == len(page["items"])
    for annotation in page["items"]:
        check_annotation(annotation)
    return page["items"]


def check_annotation(annotation: dict) -> None:
    """An Annotation as the model says (3.1 to 4.2.5), as factmark writes one."""
    assert annotation["type"] == "Annotation"
    assert "@context" not in annotation  # the collection's holds
    iri = uuid.UUID(annotation["id"].removeprefix("urn:uuid:"))
    assert annotation["id"] == f"urn:uuid:{iri}" and iri.version == 5
    assert annotation["motivation"] in MOTIVATIONS
    for agent in ("creator", "generator"):
        if agent in annotation:
            assert annotation[agent]["type"] in AGENT_TYPES
            assert isinstance(annotation[agent].get("name", annotation[agent].get("nickname")), str)
    assert DATE_TIME.fullmatch(annotation["created"])
    if "modified" in annotation:
        assert DATE_TIME.fullmatch(annotation["modified"])
        assert annotation["modified"] > annotation["created"]
    for body in annotation.get("body", []):
        assert body["purpose"] in MOTIVATIONS
        if body["type"] == "TextualBody":
            assert isinstance(body["value"], str) and body["value"]
            assert body.get("format", "text/plain") == "text/plain"
        else:
            assert body["type"] == "SpecificResource" and URI.fullmatch(body["source"])
    if "body" in annotation:
        assert annotation["body"], "no body is no `body`, not an empty list"
    target = annotation["target"]
    assert URI.fullmatch(target["source"])
    quote, *position = target["selector"]
    assert quote["type"] == "TextQuoteSelector" and isinstance(quote["exact"], str)
    assert all(
        isinstance(quote[key], str) and quote[key] for key in ("prefix", "suffix") if key in quote
    )
    if position:
        (place,) = position
        assert place["type"] == "TextPositionSelector"
        assert type(place["start"]) is int and type(place["end"]) is int
        assert 0 <= place["start"] <= place["end"]


def _article_text(store: Store, source: str) -> str:
    """The stored text of the article a target's `source` names (RFC 6920 `ni:`)."""
    digest = source.removeprefix("ni:///sha-256;")
    sha256 = base64.urlsafe_b64decode(digest + "=" * (-len(digest) % 4)).hex()
    found = articles.find_by_sha256(store, sha256)
    assert found is not None, source
    return articles.get(store, found)["text"]


def test_the_collection_is_the_models_and_every_selector_finds_its_claim(
    judged: dict, sample_db: Path
) -> None:
    items = check_collection(_collection(sample_db))
    assert len(items) == 7  # alice and bob on the first claim, and one each on five more
    with Store.open(sample_db, readonly=True) as store:
        for annotation in items:
            target = annotation["target"]
            text = _article_text(store, target["source"])
            quote = target["selector"][0]
            exact, prefix, suffix = quote["exact"], quote.get("prefix", ""), quote.get("suffix", "")
            if len(target["selector"]) == 1:  # the orphan: its quote alone
                assert exact == claims.get(store, judged["orphan"])["text"]
                continue
            start, end = target["selector"][1]["start"], target["selector"][1]["end"]
            assert text[start:end] == exact
            # Found again from the quote alone, by anyone: at the same offsets.
            assert text.find(prefix + exact + suffix) == start - len(prefix)
            assert locate(text, Quote(exact, prefix, suffix)) == (start, end)


def test_an_annotation_says_the_verdict_the_note_the_link_and_who_when(
    judged: dict, sample_db: Path
) -> None:
    items = _collection(sample_db)["first"]["items"]
    with Store.open(sample_db, readonly=True) as store:
        first = claims.get(store, judged["first"])
        sha256 = articles.get(store, 1)["sha256"]
        events = verdicts.history(store, judged["first"], "alice")
    name = f"{sha256}:{first['start']}-{first['end']}:alice"
    (alice,) = [
        a for a in items if a["id"] == f"urn:uuid:{uuid.uuid5(web_annotation.NAMESPACE, name)}"
    ]
    assert alice["motivation"] == "assessing"
    assert alice["creator"] == {"type": "Person", "nickname": "alice"}
    assert (
        alice["created"] == events[0]["created_at"]
        and alice["modified"] == events[-1]["created_at"]
    )
    text = {"type": "TextualBody", "format": "text/plain"}
    assert alice["body"] == [
        {**text, "purpose": "assessing", "value": "verified", "language": "en"},
        {**text, "purpose": "commenting", "value": NOTE},
        {"type": "SpecificResource", "purpose": "linking", "source": LINK},
    ]
    digest = base64.urlsafe_b64encode(bytes.fromhex(sha256)).decode().rstrip("=")
    assert alice["target"]["source"] == f"ni:///sha-256;{digest}"
    note_alone = [a for a in items if a["motivation"] == "commenting"]
    assert [b["value"] for a in note_alone for b in a["body"]] == ["À revoir."]
    tags = {
        tuple(b["value"] for b in a["body"] if b["purpose"] == "tagging")
        for a in items
        if any(b["purpose"] == "tagging" for b in a["body"])
    }
    assert tags == {("dismissed",), ("reader-added",), ("imported",), ("orphaned",)}


def test_an_article_with_a_link_is_the_target_by_its_link(judged: dict, sample_db: Path) -> None:
    with Store.open(sample_db) as store, store.write():
        store.conn.execute("UPDATE articles SET url = 'https://news.example/bluff' WHERE id = 1")
    items = _collection(sample_db)["first"]["items"]
    sources = {a["target"]["source"] for a in items}
    assert "https://news.example/bluff" in sources
    assert all(s.startswith(("https://news.example/", "ni:///sha-256;")) for s in sources)


def test_ids_are_the_same_in_every_export_and_the_document_too(
    judged: dict, sample_db: Path, tmp_path: Path
) -> None:
    once = _written(web_annotation.write, sample_db, every=True)
    again = _written(web_annotation.write, sample_db, every=True)
    assert once == again
    items = check_collection(json.loads(once))
    ids = [a["id"] for a in items]
    assert len(set(ids)) == len(ids)
    # The collection's id is made from its annotations' ids, as documented.
    expected = uuid.uuid5(web_annotation.NAMESPACE, "".join(f"{i}\n" for i in ids))
    assert json.loads(once)["id"] == f"urn:uuid:{expected}"
    # A new verdict adds an annotation; the others keep their ids.
    with Store.open(sample_db) as store:
        verdicts.record(store, judged["second"], "dave", "verified")
    more = [a["id"] for a in _collection(sample_db, every=True)["first"]["items"]]
    assert set(ids) < set(more) and len(more) == len(ids) + 1


def test_every_claim_adds_a_highlight_for_each_undecided_one(judged: dict, sample_db: Path) -> None:
    items = check_collection(_collection(sample_db, every=True))
    highlights = [a for a in items if a["motivation"] == "highlighting"]
    decided = [a for a in items if a["motivation"] != "highlighting"]
    assert len(decided) == 7
    with Store.open(sample_db, readonly=True) as store:
        undecided = store.conn.execute(
            "SELECT count(*) FROM claims c WHERE NOT orphaned AND NOT EXISTS "
            "(SELECT 1 FROM current_verdicts v WHERE v.claim_id = c.id "
            "AND coalesce(v.verdict, v.note, v.evidence_url) IS NOT NULL)"
        ).fetchone()[0]
    assert len(highlights) == undecided
    assert all(a["creator"] == {"type": "Software", "name": "factmark"} for a in highlights)
    assert all("body" not in a for a in highlights)  # the detector's, none dismissed
    # alice's: her verdicts, and a highlight for every claim she did not decide.
    alice = check_collection(_collection(sample_db, every=True, annotator="alice"))
    assert {a["creator"]["nickname"] for a in alice if a["motivation"] != "highlighting"} == {
        "alice"
    }
    # Her four verdicts; the two claims only bob decided are undecided for her.
    assert sum(a["motivation"] == "highlighting" for a in alice) == undecided + 2
    assert len(alice) == 4 + undecided + 2


def test_an_undecided_claim_a_reader_added_or_dismissed_says_so(sample_db: Path) -> None:
    with Store.open(sample_db) as store:
        added = reader_claim(store, 1)
        dismissed = claims.for_article(store, 2)[0]["id"]
        claims.set_dismissed(store, dismissed, True)
    items = check_collection(_collection(sample_db, every=True))
    tagged = {
        a["target"]["selector"][0]["exact"]: [b["value"] for b in a["body"]]
        for a in items
        if "body" in a
    }
    with Store.open(sample_db, readonly=True) as store:
        assert tagged == {
            claims.get(store, added)["text"]: ["reader-added"],
            claims.get(store, dismissed)["text"]: ["dismissed"],
        }
    reader = next(
        a for a in items if a["target"]["selector"][0]["exact"] in tagged and "creator" not in a
    )
    assert reader["motivation"] == "highlighting"  # who added it is not stored


# schema.org ClaimReview ---------------------------------------------------------------


def check_schema(node: dict) -> None:
    """Every property of `node` and of the nodes in it is one schema.org defines for
    its type."""
    kind = node["@type"]
    assert set(node) <= SCHEMA[kind], set(node) - SCHEMA[kind]
    for value in node.values():
        if isinstance(value, dict):
            check_schema(value)


def test_a_review_for_each_verdict_with_a_note_on_a_claim_not_dismissed(
    judged: dict, sample_db: Path
) -> None:
    reviews = _reviews(sample_db)
    with Store.open(sample_db, readonly=True) as store:
        texts = {claims.get(store, judged[n])["text"]: n for n in judged}
    reviewed = sorted((texts[r["claimReviewed"]], r["author"]["name"]) for r in reviews)
    assert reviewed == [
        ("added", "alice"),
        ("first", "alice"),
        ("first", "bob"),
        ("imported", "alice"),
    ]  # not the note alone, the cleared verdict, the dismissed claim, nor the orphan
    for review in reviews:
        check_schema(review)
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert uuid.UUID(review["@id"].removeprefix("urn:uuid:")).version == 5
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and rating["alternateName"] in verdicts.VERDICTS
        assert (rating["bestRating"], rating["worstRating"]) == (3, 1)
        # The meaning travels with the value: "unsourced" (2 of 3) is not "half true".
        assert rating["ratingExplanation"] == claim_review.EXPLANATIONS[rating["alternateName"]]
        if rating["alternateName"] == "unsourced":
            assert "the sourcing, not the truth" in rating["ratingExplanation"]
        assert (
            rating["ratingValue"]
            == {"verified": 3, "unsourced": 2, "disputed": 1}[rating["alternateName"]]
        )
        assert review["author"] == {"@type": "Person", "name": review["author"]["name"]}
        assert DATE_TIME.fullmatch(review["datePublished"])
        assert isinstance(review["reviewBody"], str) and review["reviewBody"]
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["appearance"]["@type"] == "CreativeWork"
        assert item["appearance"]["headline"] and item["appearance"]["inLanguage"] == "fr"
        if "datePublished" in item:
            assert SCHEMA_DATE.fullmatch(item["datePublished"])
    alice = next(
        r
        for r in reviews
        if texts[r["claimReviewed"]] == "first" and r["author"]["name"] == "alice"
    )
    assert alice["reviewRating"]["alternateName"] == "verified" and alice["reviewBody"] == NOTE
    assert alice["citation"] == {"@type": "CreativeWork", "url": LINK}
    assert alice["itemReviewed"]["datePublished"] == "2020-09-27"
    assert [r["author"]["name"] for r in _reviews(sample_db, annotator="bob")] == ["bob"]


@pytest.mark.parametrize(
    "published, kept",
    [
        ("2020-09-27", True),
        ("2020-09-27T08:00:00+02:00", True),
        ("2020-09-27T06:00:00Z", True),
        ("27/09/2020", False),
        ("2020-13-45", False),
        ("2020-09-27 08:00", False),
        ("septembre 2020", False),
        (None, False),
    ],
)
def test_the_claims_date_is_the_articles_when_it_is_an_iso_date(
    published: str | None, kept: bool
) -> None:
    assert claim_review.iso_date(published) == (published if kept else None)


def test_an_empty_export_is_an_empty_array_and_an_empty_collection(sample_db: Path) -> None:
    assert _written(claim_review.write, sample_db) == "[]\n"
    assert _written(jsonl_export.write, sample_db) == ""
    document = _collection(sample_db)
    assert check_collection(document) == [] and document["total"] == 0


# What reaches the file ----------------------------------------------------------------


HOSTILE = "Titre \x1b[2J\x07 \u202eevil\u202c \x9b31m fin\u2028ligne"


@pytest.fixture
def hostile_db(judged: dict, sample_db: Path) -> Path:
    """The judged corpus as a database edited by hand leaves it: a title, a note (a
    new event, the log being append-only), an annotator's name and a claim's words
    holding terminal escapes, BEL, bidi overrides and a line separator."""
    with Store.open(sample_db) as store, store.write():
        store.conn.execute("UPDATE articles SET title = ?", [HOSTILE])
        store.conn.execute(
            "UPDATE claims SET text = text || ? WHERE id = ?", [HOSTILE, judged["orphan"]]
        )
        store.conn.execute(
            "INSERT INTO annotators (name, created_at) VALUES (?, '2026-01-01T00:00:00Z')",
            [HOSTILE],
        )
        store.conn.execute(
            "INSERT INTO verdicts (id, claim_id, annotator, verdict, note, evidence_url, "
            "created_at) VALUES ('hostile', ?, ?, 'disputed', ?, ?, '2099-01-01T00:00:00Z')",
            [judged["first"], HOSTILE, HOSTILE, "javascript:alert(1)\x1b]0;x\x07"],
        )
    return sample_db


@pytest.mark.parametrize(
    "write, options",
    [
        (jsonl_export.write, {}),
        (jsonl_export.write, {"every": True, "history": True}),
        (web_annotation.write, {"every": True}),
        (claim_review.write, {}),
    ],
    ids=["jsonl", "jsonl-all-history", "webannotation-all", "claimreview"],
)
def test_no_escape_sequence_or_bidi_override_reaches_the_file(
    hostile_db: Path, write, options: dict
) -> None:
    text = _written(write, hostile_db, **options)
    raw = text.encode("utf-8")
    assert b"\x1b" not in raw and b"\x07" not in raw and b"\x9b" not in raw
    assert "\u202e".encode() not in raw and "\u202c".encode() not in raw
    assert "\u2028" not in text and "\\u2028" in text  # kept, escaped
    assert not any("\x00" <= c < " " and c not in "\n" for c in text)
    lines = text.split("\n")[:-1] if write is jsonl_export.write else [text]
    shown = json.dumps([json.loads(line) for line in lines], ensure_ascii=False)
    assert clean(HOSTILE) in shown  # what is left of it, U+2028 read back
    if write is not jsonl_export.write:  # not a link: no link in JSON-LD
        assert "javascript:" not in shown


def _reference(value: object) -> str:
    """JSON of `value` with every string cleaned, as the module's docstring says."""
    text = json.dumps(json_output.cleaned(value), ensure_ascii=False)
    for character in "<>&\u2028\u2029":
        text = text.replace(character, f"\\u{ord(character):04x}")
    return text


def test_dumps_is_json_of_every_string_cleaned() -> None:
    # Each character alone and between letters, and what a database edited by hand
    # may hold besides: the text of a JSON record is that of its strings cleaned.
    chars = [chr(c) for c in range(0x30000) if c < 0x3000 or c % 7 == 0]
    values = [*chars, *(f"a{c}b" for c in chars), b"\xff\x1b[2J", float("nan"), 1e400, 3]
    for value in values:
        assert json_output.dumps(value) == _reference(value)
    record = {"values": values, "nested": [{"x": v} for v in values[:500]]}
    assert json_output.dumps(record) == _reference(record)
    assert json_output.dumps("a\u2028b") == '"a\\u2028b"'
    # What would end a page's <script type="application/ld+json"> stays inside it.
    assert json_output.dumps("</script><b>&") == '"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"'


def test_a_database_of_cells_in_the_wrong_types_still_exports_json(tricky_db: Path) -> None:
    lines = [json.loads(line) for line in _written(jsonl_export.write, tricky_db).splitlines()]
    assert len(lines) == 7
    document = json.loads(_written(web_annotation.write, tricky_db, every=True))
    assert document["total"] == len(document["first"]["items"]) == 9
    reviews = json.loads(_written(claim_review.write, tricky_db))
    assert len(reviews) == 6
    for review in reviews:
        check_schema(review)
        assert isinstance(review["reviewBody"], str) and isinstance(review["claimReviewed"], str)


# CSV ----------------------------------------------------------------------------------


@pytest.mark.parametrize("history", [False, True])
def test_every_claim_in_csv_is_the_export_and_a_row_for_each_undecided_claim(
    judged: dict, sample_db: Path, history: bool
) -> None:
    with Store.open(sample_db, readonly=True) as store:
        plain = io.StringIO(newline="")
        export.write_verdicts(plain, store, history=history)
        every = io.StringIO(newline="")
        columns = export.HISTORY_COLUMNS if history else export.COLUMNS
        export.write_rows(
            every,
            columns + export.EVERY_CLAIM_COLUMNS,
            export.every_claim_rows(store, history=history),
        )
        live = store.conn.execute("SELECT count(*) FROM claims WHERE NOT orphaned").fetchone()[0]
    rows = list(csv.reader(io.StringIO(every.getvalue(), newline="")))
    width = len(columns)
    assert rows[0] == [*columns, "origin", "dismissed", "orphaned"]
    decided = [row[:width] for row in rows[1:] if row[columns.index("event_id")]]
    assert decided == list(csv.reader(io.StringIO(plain.getvalue(), newline="")))[1:]
    undecided = [row for row in rows[1:] if not row[columns.index("event_id")]]
    claim_ids = {row[columns.index("claim_id")] for row in rows[1:]}
    assert len(claim_ids) == live + 1  # the orphan holds a verdict
    assert all(row[columns.index("verdict")] == "" for row in undecided)
    marks = {row[columns.index("claim_id")]: tuple(row[width:]) for row in rows[1:]}
    assert marks[str(judged["dismissed"])] == ("detector", "1", "0")
    assert marks[str(judged["added"])] == ("reader", "0", "0")
    assert marks[str(judged["imported"])] == ("imported", "0", "0")
    # An edit took the orphan out of its article: a spreadsheet is told so.
    assert marks[str(judged["orphan"])] == ("detector", "0", "1")


def test_the_claims_of_an_export_come_in_the_csvs_order(judged: dict, sample_db: Path) -> None:
    with Store.open(sample_db, readonly=True) as store:
        order = [item.claim["id"] for item in exported_claims(store, every=True)]
        expected = [
            r[0]
            for r in store.conn.execute(
                "SELECT id FROM claims WHERE NOT orphaned OR id = ? ORDER BY article_id, start, id",
                [judged["orphan"]],
            )
        ]
    assert order == expected
