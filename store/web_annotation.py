"""The W3C Web Annotation export (`factmark export --format webannotation`): one JSON-LD
document, an AnnotationCollection whose one page holds an Annotation per claim and
annotator.

Specifications: the Web Annotation Data Model (https://www.w3.org/TR/annotation-model/,
"the model" below) and Vocabulary (https://www.w3.org/TR/annotation-vocab/), in the
JSON-LD serialisation their context defines (http://www.w3.org/ns/anno.jsonld). A
collection with its first page embedded is what the Web Annotation Protocol
(https://www.w3.org/TR/annotation-protocol/) serves a container as, and one JSON-LD
document any JSON-LD processor reads; the annotations are streamed, one a line.

- The collection (model 5.1): `id`, `type` "AnnotationCollection", `label`, `total`
  (the number of annotations) and `first`, the page (model 5.2): `id`, `type`
  "AnnotationPage", `partOf`, `startIndex` 0 and `items`. Their ids are `urn:uuid:`
  UUIDs made from the annotations' ids (`collection_id`): the same annotations, the
  same ids. Written as the annotations stream, `id`, `partOf` and `total` come after
  the items.
- An Annotation (model 3.1) for each annotator's verdict on a claim, and with `every`
  one for each claim nobody (or not `annotator`) decided:
  - `id`: `annotation_id`, a `urn:uuid:` UUID (RFC 9562 version 5) of the article's
    SHA-256, the claim's offsets and the annotator's name: the same in every export,
    and in every database holding that verdict (a merge keeps it);
  - `motivation` (model 3.3.5): "assessing" for a verdict, "commenting" for a note
    alone, "linking" for a link alone, "highlighting" for a claim nobody decided (the
    detector's, or a reader's, highlight);
  - `creator` (model 3.3.2): the annotator, {"type": "Person", "nickname": NAME} (FOAF's
    nick: a login or chosen name, what factmark knows), or for an undecided claim the
    detector found, {"type": "Software", "name": "factmark"}; none for an undecided
    claim a reader added (who added it is not stored); `generator`: factmark;
  - `created`, `modified` (model 3.3.1, xsd:dateTime in UTC): the annotator's first and
    newest events on the claim (`modified` only when they differ); the claim's own
    creation for an undecided claim;
  - `body` (model 3.2): a list of the bodies there are: the verdict, a TextualBody with
    `purpose` "assessing" and the verdict's word as `value`; the note, a TextualBody
    with `purpose` "commenting"; the evidence link, a SpecificResource with `purpose`
    "linking" and the link as `source`; and a TextualBody with `purpose` "tagging" for
    what marks the claim: "dismissed" (a reader said it is not a claim), "reader-added"
    or "imported" (labelled in another tool), "orphaned" (it lost its place when the
    article was edited). No `body` when there is none (model 3.2: 0 or more);
  - `target` (model 4): a SpecificResource whose `source` is the article's own web
    link, else the `ni:` URI (RFC 6920, "Naming Things with Hashes") of the SHA-256 of
    the file it was imported from (`ni:///sha-256;` and the digest in base64url, no
    padding: the `sha256` of `--format jsonl` in hex), with two selectors for the one
    span (model 4.2: each an alternative): a TextQuoteSelector (model 4.2.4: `exact`,
    and the `prefix` and `suffix` of up to 32 characters where there is context) and a
    TextPositionSelector (model 4.2.5: `start`, `end`), whose offsets count Unicode
    code points, as the model says and as Python indexes a str, in the text factmark
    read from the article (an HTML page's main text, say): on the live page the quote
    is the selector to trust. An orphaned claim has its quote alone.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import TextIO, TypedDict

from . import gate, json_output
from .database import Store
from .exported_claims import AnnotatorVerdict, ExportedClaim, exported_claims
from .json_output import as_text

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# The namespace of factmark's annotation ids: uuid5(NAMESPACE_URL, "urn:factmark:annotation").
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:factmark:annotation")
LABEL = "factmark: claims and verdicts"


class Agent(TypedDict, total=False):
    """A creator or generator (model 3.3.2): `type` "Person" or "Software", and its
    `nickname` or `name`."""

    type: str
    name: str
    nickname: str


class Body(TypedDict, total=False):
    """A body (model 3.2): a TextualBody (`value`, `format`, `language`) or a
    SpecificResource (`source`), with its `purpose` (model 3.3.5)."""

    type: str
    purpose: str
    value: str
    format: str
    language: str
    source: str


class Selector(TypedDict, total=False):
    """A TextQuoteSelector (`exact`, `prefix`, `suffix`) or a TextPositionSelector
    (`start`, `end`: code points), model 4.2.4 and 4.2.5."""

    type: str
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


class Target(TypedDict):
    """A SpecificResource (model 4): the article as `source` (an IRI), and its
    `selector`s for the claim."""

    source: str
    selector: list[Selector]


class Annotation(TypedDict, total=False):
    """An Annotation (model 3.1), as the module's docstring describes it."""

    id: str
    type: str
    motivation: str
    creator: Agent
    generator: Agent
    created: str
    modified: str
    body: list[Body]
    target: Target


def annotation_id(sha256: str, start: object, end: object, annotator: str | None) -> str:
    """The IRI of the annotation of a claim (the article's SHA-256 in hex, the claim's
    offsets as stored) by `annotator`, or of the claim alone with None: `urn:uuid:` and
    uuid5(NAMESPACE, "SHA256:START-END:ANNOTATOR"), or "SHA256:START-END"."""
    name = f"{sha256}:{start}-{end}" + ("" if annotator is None else f":{annotator}")
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, name)}"


def article_iri(url: object, sha256: object) -> str:
    """The article as a target's `source`: its own web link, else the `ni:` URI (RFC
    6920) of its SHA-256 (hex), else (a hash that is not one, in a database edited by
    hand) a `urn:uuid:` UUID made from what is stored."""
    if isinstance(url, str) and gate.is_web_link(url):
        return url
    try:
        digest = bytes.fromhex(str(sha256))
    except ValueError:
        digest = b""
    if len(digest) == hashlib.sha256().digest_size:
        return "ni:///sha-256;" + base64.urlsafe_b64encode(digest).decode().rstrip("=")
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'article:{sha256}')}"


def annotations(item: ExportedClaim) -> list[Annotation]:
    """The annotations of a claim: one per annotator's verdict, or when it has none
    (an export of every claim), one of the claim alone."""
    target = _target(item)
    tags = _tags(item)
    claim = item.claim
    sha256 = item.article["sha256"]
    if not item.verdicts:
        alone = Annotation(
            id=annotation_id(sha256, claim["start"], claim["end"], None),
            type="Annotation",
            motivation="highlighting",
        )
        if item.origin == "detector":
            alone["creator"] = _factmark()
        alone["generator"] = _factmark()
        alone["created"] = claim["created_at"]
        if tags:
            alone["body"] = tags
        alone["target"] = target
        return [alone]
    return [_of_verdict(item, held, target, tags) for held in item.verdicts]


def _of_verdict(
    item: ExportedClaim, held: AnnotatorVerdict, target: Target, tags: list[Body]
) -> Annotation:
    event = held.current
    verdict, note, link = event["verdict"], event["note"], event["evidence_url"]
    bodies: list[Body] = []
    if verdict:
        bodies.append(
            Body(
                type="TextualBody",
                purpose="assessing",
                value=verdict,
                format="text/plain",
                language="en",
            )
        )
    if note is not None:
        bodies.append(
            Body(type="TextualBody", purpose="commenting", value=as_text(note), format="text/plain")
        )
    if isinstance(link, str) and gate.is_web_link(link):
        bodies.append(Body(type="SpecificResource", purpose="linking", source=link))
    motivation = "assessing" if verdict else "commenting" if note is not None else "linking"
    claim = item.claim
    annotation = Annotation(
        id=annotation_id(item.article["sha256"], claim["start"], claim["end"], held.annotator),
        type="Annotation",
        motivation=motivation,
        creator=Agent(type="Person", nickname=held.annotator),
        generator=_factmark(),
        created=held.since,
    )
    if event["created_at"] != held.since:
        annotation["modified"] = event["created_at"]
    if bodies or tags:
        annotation["body"] = bodies + tags
    annotation["target"] = target
    return annotation


def _factmark() -> Agent:
    return Agent(type="Software", name="factmark")


def _tags(item: ExportedClaim) -> list[Body]:
    """Tagging bodies for what marks the claim: dismissed, added, imported, orphaned."""
    words = []
    if item.claim["dismissed"]:
        words.append("dismissed")
    if item.origin != "detector":
        words.append("reader-added" if item.origin == "reader" else "imported")
    if item.claim["orphaned"]:
        words.append("orphaned")
    return [Body(type="TextualBody", purpose="tagging", value=word) for word in words]


def _target(item: ExportedClaim) -> Target:
    claim = item.claim
    quote = Selector(type="TextQuoteSelector", exact=as_text(claim["text"]))
    if claim["prefix"]:
        quote["prefix"] = as_text(claim["prefix"])
    if claim["suffix"]:
        quote["suffix"] = as_text(claim["suffix"])
    selectors = [quote]
    if item.placed:
        position = Selector(type="TextPositionSelector", start=claim["start"], end=claim["end"])
        selectors.append(position)
    return Target(
        source=article_iri(item.article["url"], item.article["sha256"]), selector=selectors
    )


def all_annotations(
    store: Store, *, every: bool = False, annotator: str | None = None
) -> Iterator[Annotation]:
    """The annotations of the claims `exported_claims` gives, in its order."""
    for item in exported_claims(store, every=every, annotator=annotator):
        yield from annotations(item)


def collection_id(digest: bytes) -> str:
    """The collection's IRI from `digest`, the SHA-1 of NAMESPACE's bytes then each
    annotation id and LF: `urn:uuid:` and uuid5(NAMESPACE, those ids and LFs), as RFC
    9562 (5.5) makes a version 5 UUID."""
    return f"urn:uuid:{uuid.UUID(bytes=digest[:16], version=5)}"


# The collection and its page, up to the page's items (see `write`).
_HEAD = (
    f'{{"@context": {json.dumps(CONTEXT)}, "type": "AnnotationCollection", '
    f'"label": {json.dumps(LABEL)}, '
    '"first": {"type": "AnnotationPage", "startIndex": 0, "items": '
)


def write(out: TextIO, store: Store, *, every: bool = False, annotator: str | None = None) -> int:
    """Write the collection (see the module's docstring) to `out` and LF; return the
    number of annotations. Raises what SQLite raises, and what writing to `out` raises
    (OSError)."""
    hashed = hashlib.sha1(NAMESPACE.bytes, usedforsecurity=False)

    def items() -> Iterator[Annotation]:
        for annotation in all_annotations(store, every=every, annotator=annotator):
            hashed.update(f"{annotation['id']}\n".encode())
            yield annotation

    out.write(_HEAD)
    count = json_output.write_items(out, items())
    collection = collection_id(hashed.digest())
    page = f"urn:uuid:{uuid.uuid5(NAMESPACE, f'page 1 of {collection}')}"
    out.write(
        f', "id": {json.dumps(page)}, "partOf": {json.dumps(collection)}}}'
        f', "total": {count}, "id": {json.dumps(collection)}}}\n'
    )
    return count
