"""`factmark export --format doccano|labelstudio|prodigy`: the articles with their claims
as labelled spans, in each tool's published shape, and back through `factmark import`
with the same spans and labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factmark.store import claims, verdicts
from factmark.store.database import Store
from tests.helpers import factmark

TOOLS = {"doccano": "doccano", "labelstudio": "label-studio", "prodigy": "prodigy"}
# An article with a character past U+FFFF before its claim: Label Studio counts it twice.
FACE = "\U0001f600"
ASTRAL = (
    f"Le ministre {FACE} a parlé hier soir.\nLe chômage a baissé de 3 % en 2023, selon l'Insee."
)


@pytest.fixture
def labelled(sample_db: Path, tmp_path: Path) -> Path:
    """The sample corpus and ASTRAL (article 6): alice disputes article 1's first claim,
    alice and bob verify its second, its third is dismissed, and alice finds ASTRAL's
    claim unsourced."""
    feed = tmp_path / "astral.jsonl"
    feed.write_text(json.dumps({"text": ASTRAL, "title": "Astral"}) + "\n", encoding="utf-8")
    assert factmark("import", "--db", str(sample_db), str(feed)).returncode == 0
    with Store.open(sample_db) as store:
        first, second, third = (c["id"] for c in claims.for_article(store, 1)[:3])
        verdicts.record(store, first, "alice", "disputed", note="Non.")
        verdicts.record(store, second, "alice", "verified")
        verdicts.record(store, second, "bob", "verified")
        claims.set_dismissed(store, third, True)
        (chômage,) = (c for c in claims.for_article(store, 6) if "chômage" in c["text"])
        verdicts.record(store, chômage["id"], "alice", "unsourced")
    return sample_db


def export(db: Path, fmt: str, *args: str) -> bytes:
    result = factmark("export", "--db", str(db), "--format", fmt, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def records(fmt: str, data: bytes) -> list[dict]:
    text = data.decode("utf-8")
    if fmt == "labelstudio":
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines()]


def spans(fmt: str, record: dict) -> tuple[str, list[tuple[int, int, str]]]:
    """A record's text and its spans (start, end, label) as the tool reads them."""
    if fmt == "doccano":
        return record["text"], [tuple(span) for span in record["label"]]
    if fmt == "prodigy":
        return record["text"], [(s["start"], s["end"], s["label"]) for s in record["spans"]]
    found = [
        (result["value"]["start"], result["value"]["end"], label)
        for annotation in record["annotations"]
        for result in annotation["result"]
        for label in result["value"]["labels"]
    ]
    return record["data"]["text"], found


def quoted(fmt: str, text: str, start: int, end: int) -> str:
    """text[start:end] as the tool counts: Label Studio in UTF-16 code units."""
    if fmt != "labelstudio":
        return text[start:end]
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def expected(db: Path, every: bool) -> set[tuple[str, str]]:
    """(claim text, label) for every claim the export should label."""
    found = set()
    with Store.open(db, readonly=True) as store:
        for article in range(1, 7):
            for claim in claims.for_article(store, article):
                events = (verdicts.current(store, claim["id"], who) for who in ("alice", "bob"))
                held = {event["verdict"] for event in events if event and event["verdict"]}
                if claim["dismissed"] and (held or every):
                    found.add((claim["text"], "not a claim"))
                elif held:
                    found |= {(claim["text"], verdict) for verdict in held}
                elif every:
                    found.add((claim["text"], "claim"))
    return found


@pytest.mark.parametrize("every", [False, True], ids=["decided", "all"])
@pytest.mark.parametrize("fmt", TOOLS)
def test_each_tools_format_has_its_published_shape(labelled: Path, fmt: str, every: bool) -> None:
    found: set[tuple[str, str]] = set()
    for record in records(fmt, export(labelled, fmt, *(["--all"] if every else []))):
        text, placed = spans(fmt, record)
        assert isinstance(text, str) and placed
        for start, end, label in placed:
            assert type(start) is int and type(end) is int and 0 <= start < end
            found.add((quoted(fmt, text, start, end), label))
        if fmt == "doccano":
            assert all(len(span) == 3 for span in record["label"])
        elif fmt == "prodigy":
            assert record["answer"] == "accept" and isinstance(record["meta"], dict)
        else:
            for annotation in record["annotations"]:
                ids = [result["id"] for result in annotation["result"]]
                assert len(ids) == len(set(ids))  # a region's id is unique in its annotation
                for result in annotation["result"]:
                    assert (result["from_name"], result["to_name"], result["type"]) == (
                        "label",
                        "text",
                        "labels",
                    )
                    value = result["value"]
                    assert quoted(fmt, text, value["start"], value["end"]) == value["text"]
    assert found == expected(labelled, every)
    assert ("Le chômage a baissé de 3 % en 2023, selon l'Insee.", "unsourced") in found


def test_label_studio_counts_offsets_as_javascript_does(labelled: Path) -> None:
    (task,) = [
        task
        for task in records("labelstudio", export(labelled, "labelstudio"))
        if task["data"]["text"] == ASTRAL
    ]
    (annotation,) = task["annotations"]
    (result,) = annotation["result"]
    start = ASTRAL.index("Le chômage")
    assert result["value"]["start"] == start + 1  # the face is two UTF-16 code units


def test_bobs_labels_alone_with_annotator(labelled: Path) -> None:
    found = {
        label
        for record in records("doccano", export(labelled, "doccano", "--annotator", "bob"))
        for *_, label in spans("doccano", record)[1]
    }
    assert found == {"verified"}


@pytest.mark.parametrize("fmt", TOOLS)
def test_each_tools_format_comes_back_through_import_with_its_spans_and_labels(
    labelled: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / ("tasks.json" if fmt == "labelstudio" else f"{fmt}.jsonl")
    assert factmark("export", "--db", str(labelled), "--format", fmt, "--all", "-o", str(out))
    again = tmp_path / "again.db"
    result = factmark("import", "--db", str(again), str(out))
    assert result.returncode == 0, result.stderr
    assert "6 imported" in result.stderr.decode()
    brought = set()
    with Store.open(again, readonly=True) as store:
        for article in range(1, 7):
            for claim in claims.for_article(store, article):
                if f"imported:{TOOLS[fmt]}" in claim["cues"]:
                    labels = {
                        cue[len("label:") :] for cue in claim["cues"] if cue.startswith("label:")
                    }
                    brought |= {(claim["text"], label) for label in labels}
                    assert not claim["dismissed"]
        dismissed = next(text for text, label in expected(labelled, True) if label == "not a claim")
        # The dismissed claim is no claim there either: not brought, and no detection kept.
        assert all(
            c["text"] != dismissed for a in range(1, 7) for c in claims.for_article(store, a)
        )
    assert brought == {pair for pair in expected(labelled, True) if pair[1] != "not a claim"}


def test_history_is_refused_by_the_tools_formats(tmp_path: Path) -> None:
    result = factmark("export", "--db", str(tmp_path / "x.db"), "--format", "prodigy", "--history")
    assert result.returncode == 2
    assert "cannot go with --history" in result.stderr.decode()
    assert not (tmp_path / "x.db").exists()
