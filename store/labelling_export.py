"""The labelling tools' formats (`factmark export --format doccano|labelstudio|prodigy`):
one record per article, its whole text and its claims as labelled character spans, in
the shape each tool imports for span labelling, and that factmark's own import reads
back (corpus/json_formats.py).

A span's labels are the verdicts given it ("verified", "disputed", "unsourced"), once
each whoever gave them: `annotator` keeps one annotator's. The claims are those the
other exports hold (store/exported_claims.py): those with a verdict, and with `every`
every claim, a claim no one decided labelled "claim". A claim a reader dismissed is
labelled "not a claim" whatever its verdicts (a label factmark's import, like a team's
guidelines, takes for no claim; see corpus/data/common/not_claim_labels.txt). A claim
with no label (only a note or a link), or one an edit took out of its article, is no
span. Offsets count Unicode code points, as
Python does (text[start:end] is the span), except Label Studio's, which count UTF-16
code units, as its JavaScript does; each of its spans carries its text besides.

- doccano, sequence labelling, JSON Lines
  (https://doccano.github.io/doccano/tutorial/#import-dataset): `{"text", "label":
  [[start, end, "verified"], ...]}`, and the article's `title`, `url`, `published`,
  `language` as metadata.
- Label Studio, a JSON array of tasks
  (https://labelstud.io/guide/task_format): `{"data": {"text", "title", "url",
  "published", "language"}, "annotations": [{"result": [{"id", "from_name": "label",
  "to_name": "text", "type": "labels", "value": {"start", "end", "text", "labels"}}]}]}`,
  an annotation per annotator (the tool's own way to hold several), for the labelling
  config `<Labels name="label" toName="text">` over `<Text name="text" value="$text">`.
- Prodigy, JSON Lines (https://prodi.gy/docs/api-interfaces#spans_manual): `{"text",
  "spans": [{"start", "end", "label"}], "meta": {"title", "url", "published",
  "language"}, "answer": "accept"}`; a span with two labels is two spans.

Annotators' names are not written: the tools name their own users. factmark's jsonl
and webannotation formats carry them.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from typing import Any, TextIO

from factmark.corpus.vocabulary import VERDICT_NAMES

from . import json_output
from .database import Store
from .exported_claims import ExportedClaim, exported_claims

FORMATS = ("doccano", "labelstudio", "prodigy")
# The labels of a claim nobody decided (with `every`) and of one a reader dismissed.
CLAIM, NOT_A_CLAIM = "claim", "not a claim"
LABELS = (*VERDICT_NAMES, CLAIM, NOT_A_CLAIM)
_META = ("title", "url", "published", "language")


def labels(item: ExportedClaim, every: bool) -> tuple[str, ...]:
    """A claim's labels (see the module's docstring), in LABELS order; () for none."""
    if item.claim["dismissed"]:
        return (NOT_A_CLAIM,)
    given = {held.current["verdict"] for held in item.verdicts}
    found = tuple(name for name in LABELS if name in given)
    return found or ((CLAIM,) if every else ())


def records(
    store: Store, fmt: str, *, every: bool = False, annotator: str | None = None
) -> Iterator[dict[str, Any]]:
    """The records of format `fmt` (one of FORMATS), one per article with a span, by
    article id. Raises ValueError for an unknown format, and what SQLite raises."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown labelling format {fmt!r}")
    items = exported_claims(store, every=every, annotator=annotator)
    for _, claims in groupby(items, key=lambda item: item.article["id"]):
        placed = [item for item in claims if item.placed and labels(item, every)]
        if not placed:
            continue
        article = placed[0].article
        row = store.conn.execute("SELECT text FROM articles WHERE id = ?", [article["id"]])
        text: str = row.fetchone()[0]
        meta = {name: article[name] for name in _META if article[name]}  # type: ignore[literal-required]
        if fmt == "doccano":
            spans = [
                [item.claim["start"], item.claim["end"], name]
                for item in placed
                for name in labels(item, every)
            ]
            yield {"text": text, "label": spans, **meta}
        elif fmt == "prodigy":
            spans = [
                {"start": item.claim["start"], "end": item.claim["end"], "label": name}
                for item in placed
                for name in labels(item, every)
            ]
            yield {"text": text, "spans": spans, "meta": meta, "answer": "accept"}
        else:
            yield {"data": {"text": text, **meta}, "annotations": _annotations(text, placed, every)}


def _annotations(text: str, placed: list[ExportedClaim], every: bool) -> list[dict[str, Any]]:
    """Label Studio's annotations of one article: one per annotator with a verdict in
    it, and one more for the spans no annotator labelled (undecided or dismissed)."""
    by_annotator: dict[str | None, list[dict[str, Any]]] = {}
    for item in placed:
        start, end = item.claim["start"], item.claim["end"]
        region = {"start": _utf16(text, start), "end": _utf16(text, end), "text": text[start:end]}
        given = [held for held in item.verdicts if held.current["verdict"]]
        if item.claim["dismissed"] or not given:
            by_annotator.setdefault(None, []).append(_result(region, labels(item, every), item))
            continue
        for held in given:
            result = _result(region, (held.current["verdict"],), item)
            by_annotator.setdefault(held.annotator, []).append(result)
    return [{"result": results} for results in by_annotator.values()]


def _result(region: dict[str, Any], names: tuple[str, ...], item: ExportedClaim) -> dict[str, Any]:
    return {
        "id": f"claim{item.claim['id']}",  # a region's id, unique in its annotation
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {**region, "labels": list(names)},
    }


def _utf16(text: str, offset: int) -> int:
    """A code-point offset into `text` in UTF-16 code units (a character past U+FFFF
    is two)."""
    return offset + sum(1 for character in text[:offset] if ord(character) > 0xFFFF)


def write(
    out: TextIO, store: Store, fmt: str, *, every: bool = False, annotator: str | None = None
) -> int:
    """Write format `fmt` to `out` (JSON Lines for doccano and Prodigy, a JSON array for
    Label Studio), every string cleaned as `json_output` does; return the number of
    records (articles). Raises ValueError for an unknown format, what SQLite raises,
    and what writing to `out` raises (OSError)."""
    found = records(store, fmt, every=every, annotator=annotator)
    if fmt == "labelstudio":
        return json_output.write_array(out, found)
    return json_output.write_lines(out, found)
