"""`factmark import-verdicts` of annotations: Web Annotation JSON-LD (factmark's own
export, and other tools') and Hypothesis exports, placed on the stored articles by
their quotes, with orphans counted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from factmark.store import claims, verdicts
from factmark.store.database import Store
from tests.helpers import SAMPLE, factmark


def _state(db: Path) -> dict:
    """Every current verdict, note and link, by (claim text, annotator); and the texts
    of the dismissed and of the reader's claims."""
    with Store.open(db) as store:
        rows = store.conn.execute(
            "SELECT c.text, v.annotator, v.verdict, v.note, v.evidence_url FROM verdicts v "
            "JOIN claims c ON c.id = v.claim_id ORDER BY v.created_at, v.rowid"
        ).fetchall()
        dismissed = {r[0] for r in store.conn.execute("SELECT text FROM claims WHERE dismissed")}
        added = {
            r[0] for r in store.conn.execute("SELECT text FROM claims WHERE origin = 'reader'")
        }
    current = {(r[0], r[1]): tuple(r[2:]) for r in rows}
    return {"current": current, "dismissed": dismissed, "added": added}


def _import(db: Path, file: Path, *args: str):
    return factmark("import-verdicts", "--db", str(db), str(file), *args)


@pytest.fixture
def worked(sample_db: Path) -> Path:
    """The sample corpus with verdicts, notes and a link by two annotators, a claim a
    reader added and one dismissed."""
    with Store.open(sample_db) as store:
        first, second, third = (c["id"] for c in claims.for_article(store, 1)[:3])
        verdicts.record(
            store, first, "alice", "disputed", note="Chiffre faux.", evidence_url="https://a.org/x"
        )
        verdicts.record(store, first, "bob", "verified")
        verdicts.record(store, second, "bob", "unsourced", note="Aucune source.")
        claims.set_dismissed(store, third, True)
        start, _ = _free_span(store, 2)
        reader = claims.add(store, 2, start, start + 30, origin="reader")
        verdicts.record(store, reader, "alice", "verified")
        undecided, _ = _free_span(store, 3)  # a reader's claim nobody has judged yet
        claims.add(store, 3, undecided, undecided + 30, origin="reader")
    return sample_db


def _free_span(store: Store, article_id: int, size: int = 30) -> tuple[int, str]:
    """The first stretch of `size` characters of an article's text, within one line,
    that no claim overlaps: (its start, its text)."""
    text = store.conn.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()[0]
    taken = claims.positions(store, article_id)
    start = next(
        i
        for i in range(len(text) - size)
        if "\n" not in text[i : i + size]
        and not any(s < i + size and i < e for s, e in zip(taken.starts, taken.ends, strict=True))
    )
    return start, text[start : start + size]


def _exported(db: Path, tmp_path: Path) -> Path:
    out = tmp_path / "annotations.jsonld"
    result = factmark(
        "export", "--db", str(db), "--format", "webannotation", "--all", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    return out


def _fresh(tmp_path: Path, corpus: Path = SAMPLE, name: str = "other.db") -> Path:
    db = tmp_path / name
    assert factmark("import", "--db", str(db), str(corpus)).returncode == 0
    return db


def test_a_web_annotation_export_brings_every_verdict_back_and_a_second_time_nothing(
    worked: Path, tmp_path: Path
) -> None:
    exported = _exported(worked, tmp_path)
    other = _fresh(tmp_path)
    result = _import(other, exported)
    assert result.returncode == 0, result.stderr
    want = _state(worked)
    assert _state(other) == want
    assert len(want["current"]) == 4 and want["dismissed"] and want["added"]
    summary = result.stderr.decode()
    assert summary.startswith("4 verdicts imported, 0 unchanged, 2 claims added")
    assert "0 orphaned" in summary and "0 refused" in summary
    again = _import(other, exported)
    assert again.returncode == 0
    assert again.stderr.decode().startswith("0 verdicts imported, 4 unchanged")
    assert _state(other) == want


def test_annotations_find_their_claims_again_in_an_edited_article(
    worked: Path, tmp_path: Path
) -> None:
    """The target's source (the content's hash) names no article once it is edited, and
    its offsets moved: the quote finds the article and the place."""
    exported = _exported(worked, tmp_path)
    edited = tmp_path / "edited"
    shutil.copytree(SAMPLE, edited)
    with Store.open(worked) as store:
        first = store.conn.execute("SELECT path FROM articles WHERE id = 1").fetchone()[0]
    page = edited / Path(first).name
    lines = page.read_text(encoding="utf-8").split("\n")
    lines.insert(3, "Un paragraphe ajouté après coup, qui déplace tout le reste du texte.\n")
    page.write_text("\n".join(lines), encoding="utf-8")
    other = _fresh(tmp_path, edited)
    result = _import(other, exported)
    assert result.returncode == 0, result.stderr
    assert _state(other)["current"] == _state(worked)["current"]


def _hypothesis(quote: str, prefix: str = "", **fields) -> dict:
    """An annotation as Hypothesis's API gives it."""
    return {
        "id": "hX" + str(abs(hash(quote)) % 10**6),
        "created": "2026-11-30T10:00:00.000000+00:00",
        "updated": "2026-11-30T10:00:00.000000+00:00",
        "user": "acct:carol@hypothes.is",
        "uri": "https://example.org/un-article-en-ligne",
        "text": "",
        "tags": [],
        "group": "__world__",
        "target": [
            {
                "source": "https://example.org/un-article-en-ligne",
                "selector": [
                    {"type": "RangeSelector", "startContainer": "/p[2]", "startOffset": 0},
                    {"type": "TextPositionSelector", "start": 9999, "end": 10020},
                    {"type": "TextQuoteSelector", "exact": quote, "prefix": prefix, "suffix": ""},
                ],
            }
        ],
        "document": {"title": ["Un article"]},
        **fields,
    }


def test_a_hypothesis_export_lands_by_quote_with_replies_page_notes_and_orphans_counted(
    sample_db: Path, tmp_path: Path
) -> None:
    with Store.open(sample_db) as store:
        claim = claims.for_article(store, 1)[0]
        inside = claim["text"].split()[2:6]  # a few words of a claim: the claim is meant
    words = " ".join(inside)
    export = {
        "export_date": "2026-11-30T10:00:00Z",
        "export_userid": "acct:carol@hypothes.is",
        "annotations": [
            _hypothesis(claim["text"], tags=["Disputed", "économie"], text="Voir le rapport."),
            _hypothesis(words, user="acct:dan@hypothes.is", tags=["verified"]),
            _hypothesis("un passage qu'aucun article ne contient", tags=["verified"]),
            _hypothesis(claim["text"], references=["hX1"], text="Je suis d'accord."),
            {**_hypothesis("x"), "target": [{"source": "https://example.org/un-article-en-ligne"}]},
        ],
    }
    file = tmp_path / "hypothesis.json"
    file.write_text(json.dumps(export), encoding="utf-8")
    result = _import(sample_db, file)
    assert result.returncode == 1  # an orphan: a verdict did not come back
    lines = result.stderr.decode().splitlines()
    assert lines[0] == (
        f"factmark: {file}: annotation 3: no stored article is "
        "'https://example.org/un-article-en-ligne' or holds its quote \"un passage "
        "qu'aucun article ne contient\""
    )
    assert lines[-1] == (
        "2 verdicts imported, 0 unchanged, 1 orphaned (quote not found), 0 refused, "
        "2 skipped (replies or page notes)"
    )
    state = _state(sample_db)["current"]
    assert state[(claim["text"], "carol")] == ("disputed", "Voir le rapport.", None)
    assert state[(claim["text"], "dan")] == ("verified", None, None)


def _annotation(exact: str, **fields) -> dict:
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "creator": {"type": "Person", "nickname": "eve"},
        "body": [{"type": "TextualBody", "purpose": "assessing", "value": "disputed"}],
        "target": {"source": "urn:x", "selector": {"type": "TextQuoteSelector", "exact": exact}},
        **fields,
    }


def test_hostile_annotations_are_refused_one_by_one_and_their_text_stays_text(
    sample_db: Path, tmp_path: Path
) -> None:
    with Store.open(sample_db) as store:
        first, second, third = (c["text"] for c in claims.for_article(store, 1)[:3])
    items = [
        _annotation(
            first,
            body=[
                {"type": "TextualBody", "purpose": "assessing", "value": "disputed"},
                {"type": "TextualBody", "value": "note \x1b]52;c;cGF5bG9hZA==\x07\u202eevil"},
            ],
        ),
        _annotation(
            second,
            body=[{"type": "SpecificResource", "purpose": "linking", "source": "javascript:x"}],
        ),
        _annotation(third, creator={"type": "Person", "nickname": "\x1b[31m"}),
        _annotation(third, body=[{"purpose": "assessing", "value": "true"}]),
        "not an annotation",
        _annotation(""),
    ]
    file = tmp_path / "hostile.jsonl"
    file.write_text("\n".join(json.dumps(item) for item in items) + "\n", encoding="utf-8")
    result = _import(sample_db, file)
    assert result.returncode == 1
    shown = result.stderr.decode()
    assert "\x1b" not in shown and "\u202e" not in shown and "Traceback" not in shown
    assert f"factmark: {file}: line 2: evidence link is not a web link" in shown
    assert f"{file}: line 4: unknown verdict 'true'" in shown
    assert f"{file}: line 5: not an annotation" in shown
    assert shown.splitlines()[-1].startswith("1 verdict imported")
    ((note,),) = [v[1:2] for v in _state(sample_db)["current"].values()]
    assert "\x1b" not in note and "\u202e" not in note and note.startswith("note")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"type": "Annotation", ', "not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deep"),
        (b'{"type": "AnnotationPage", "items": 1}', "an annotation page without items"),
        (b'{"type": "AnnotationCollection", "first": "https://e.org/p1"}', "pages are not"),
        ('{"a": "é"}'.encode("latin-1"), "not UTF-8"),
        (b"{}", "no annotations"),
    ],
)
def test_a_file_that_holds_no_annotations_is_one_line_and_changes_nothing(
    sample_db: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    before = _state(sample_db)
    file = tmp_path / "bad.json"
    file.write_bytes(content)
    result = _import(sample_db, file)
    assert result.returncode == 1
    (line,) = result.stderr.decode().splitlines()
    assert str(file) in line and message in line
    assert _state(sample_db) == before


@pytest.mark.parametrize(
    "fmt, says",
    [
        ("jsonl", "factmark's jsonl export, which holds no annotations"),
        ("prodigy", "not annotations: bring them in with factmark import"),
        ("labelstudio", "not annotations: bring them in with factmark import"),
    ],
)
def test_factmarks_other_exports_given_for_annotations_say_what_to_use_in_one_line(
    worked: Path, tmp_path: Path, fmt: str, says: str
) -> None:
    exported = tmp_path / f"export.{fmt}"
    assert factmark("export", "--db", str(worked), "--format", fmt, "-o", str(exported))
    before = _state(worked)
    result = _import(worked, exported)
    assert result.returncode == 1
    (line,) = result.stderr.decode().splitlines()
    assert line.startswith(f"factmark: {exported}: ") and says in line
    assert _state(worked) == before


def test_in_a_class_copy_annotations_land_as_the_student_and_add_no_claim(
    tmp_path: Path,
) -> None:
    """A student's copy: the file's creator (here the teacher's name) decides nothing,
    and claims stay the teacher's."""
    from factmark.store import class_sync, classroom
    from factmark.store.annotation_import import import_annotations
    from factmark.store.class_folder import ClassFolder

    folder = ClassFolder(tmp_path / "class", "teacher", "class")
    folder.root.mkdir()
    factmark("import", str(SAMPLE), "--db", str(folder.teacher_db))
    with Store.open(folder.teacher_db) as teacher:
        classroom.set_key(teacher, "teacher")
        claim = claims.for_article(teacher, 1)[0]
        _, free = _free_span(teacher, 1)
        class_sync.publish(teacher, folder)
    text = claim["text"]
    file = tmp_path / "mine.jsonld"
    items = [
        _annotation(text, creator={"type": "Person", "nickname": "teacher"}),
        _annotation(free),
        _annotation(
            text, body=[{"type": "TextualBody", "purpose": "tagging", "value": "dismissed"}]
        ),
    ]
    file.write_text(json.dumps({"type": "AnnotationPage", "items": items}), encoding="utf-8")
    with Store.open(tmp_path / "copy.db") as copy:
        class_sync.sync(copy, folder)
        report = import_annotations(copy, file, "ann")
        assert report.landed == 1 and report.claims_added == 0
        assert verdicts.current(copy, claim["id"], "ann")["verdict"] == "disputed"
        assert verdicts.current(copy, claim["id"], "teacher") is None
        assert [p.split(": ", 2)[1] for p in report.problems] == ["annotation 2", "annotation 3"]
        assert all("the teacher's to do" in problem for problem in report.problems)
        assert not report.orphans


def _write(tmp_path: Path, document: object, name: str = "a.json") -> Path:
    file = tmp_path / name
    file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return file


def _events(db: Path) -> int:
    with Store.open(db) as store:
        return store.conn.execute("SELECT count(*) FROM verdicts").fetchone()[0]


def test_several_verdicts_of_one_annotator_on_one_claim_keep_the_newest_never_a_mix(
    sample_db: Path, tmp_path: Path
) -> None:
    """Two highlights in one claim, or --annotator over a file of several creators: one
    verdict is chosen (the most recently changed), the other reported; importing the
    file again records nothing."""
    with Store.open(sample_db) as store:
        claim = claims.for_article(store, 1)[0]["text"]
    link = [{"type": "SpecificResource", "purpose": "linking", "source": "https://b.org/2"}]
    older = _annotation(
        claim,
        creator={"nickname": "bob"},
        modified="2026-11-30T10:00:00Z",
        body=[{"purpose": "assessing", "value": "disputed"}, *link],
    )
    newer = _annotation(
        " ".join(claim.split()[1:6]),  # words inside the claim: the same claim
        creator={"nickname": "alice"},
        created="2026-11-30T11:00:00+01:00",  # 10:00 UTC: older still
        body=[{"purpose": "assessing", "value": "unsourced"}],
    )
    newest = _annotation(
        claim,
        creator={"nickname": "alice"},
        modified="2026-11-30T10:30:00Z",
        body=[{"purpose": "oa:assessing", "value": "verified"}],
    )
    file = _write(tmp_path, [older, newer, newest])
    result = _import(sample_db, file, "--annotator", "teacher")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.decode().splitlines()
    assert lines[:2] == [
        f"factmark: {file}: annotation 1: another verdict of teacher on the same claim; "
        "the most recently changed, annotation 3, is kept",
        f"factmark: {file}: annotation 2: another verdict of teacher on the same claim; "
        "the most recently changed, annotation 3, is kept",
    ]
    assert _state(sample_db)["current"] == {(claim, "teacher"): ("verified", None, None)}
    before = _events(sample_db)
    assert _import(sample_db, file, "--annotator", "teacher").returncode == 0
    assert _events(sample_db) == before


def test_annotations_naming_no_article_each_find_theirs_by_quote(
    sample_db: Path, tmp_path: Path
) -> None:
    with Store.open(sample_db) as store:
        first = claims.for_article(store, 1)[0]["text"]
        second = claims.for_article(store, 2)[0]["text"]
        third = claims.for_article(store, 1)[1]["text"]
    items = [_annotation(first), _annotation(second), _annotation(third)]
    for item in items:
        del item["target"]["source"]
    result = _import(sample_db, _write(tmp_path, items))
    assert result.returncode == 0, result.stderr
    assert {text for text, _ in _state(sample_db)["current"]} == {first, second, third}


def test_json_lines_are_read_line_by_line(sample_db: Path, tmp_path: Path) -> None:
    """A line that is not JSON is refused alone; U+2028 inside a string is text, not an
    end of line (jsonlines.org: lines end at LF)."""
    with Store.open(sample_db) as store:
        first, second = (c["text"] for c in claims.for_article(store, 1)[:2])
    note = {"type": "TextualBody", "purpose": "commenting", "value": "a\u2028b"}
    lines = [
        json.dumps(_annotation(first, body=[note]), ensure_ascii=False),
        '{"type": "Annotation", ',
        json.dumps(_annotation(second)),
    ]
    file = tmp_path / "a.jsonl"
    file.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    result = _import(sample_db, file)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines()[0].startswith(f"factmark: {file}: line 2: not JSON")
    assert set(_state(sample_db)["current"]) == {(first, "eve"), (second, "eve")}


def test_a_verdict_is_never_dropped_silently(sample_db: Path, tmp_path: Path) -> None:
    """`purpose` as the model allows it (prefixed, a list) is read; a verdict that is
    not text is refused, not taken for a highlight."""
    with Store.open(sample_db) as store:
        texts = [c["text"] for c in claims.for_article(store, 1)[:3]]
    items = [
        _annotation(texts[0], body=[{"purpose": ["assessing"], "value": "Verified "}]),
        _annotation(
            texts[1], body=[{"purpose": "http://www.w3.org/ns/oa#assessing", "value": "disputed"}]
        ),
        _annotation(texts[2], body=[{"purpose": "assessing", "value": 5}]),
    ]
    result = _import(sample_db, _write(tmp_path, items))
    assert result.returncode == 1
    assert "annotation 3: its assessing body's value is not text" in result.stderr.decode()
    current = _state(sample_db)["current"]
    assert current[(texts[0], "eve")][0] == "verified"
    assert current[(texts[1], "eve")][0] == "disputed"


def test_a_collection_is_read_page_after_page(sample_db: Path, tmp_path: Path) -> None:
    with Store.open(sample_db) as store:
        first, second = (c["text"] for c in claims.for_article(store, 1)[:2])
    collection = {
        "type": "AnnotationCollection",
        "first": {
            "type": "AnnotationPage",
            "items": [_annotation(first)],
            "next": {
                "type": "AnnotationPage",
                "items": [_annotation(second)],
                "next": "https://example.org/page3",
            },
        },
    }
    result = _import(sample_db, _write(tmp_path, collection))
    assert result.returncode == 1
    assert "next page, 'https://example.org/page3', is not in the file" in result.stderr.decode()
    assert len(_state(sample_db)["current"]) == 2


def test_a_selection_with_spaces_around_it_judges_its_claim(
    sample_db: Path, tmp_path: Path
) -> None:
    with Store.open(sample_db) as store:
        claim = claims.for_article(store, 1)[0]
    item = _hypothesis(" " + claim["text"] + " \n", tags=["unsourced"])
    result = _import(sample_db, _write(tmp_path, {"rows": [item]}))
    assert result.returncode == 0, result.stderr
    assert _state(sample_db)["current"] == {(claim["text"], "carol"): ("unsourced", None, None)}


def test_a_utf16_file_is_read_as_json(sample_db: Path, tmp_path: Path) -> None:
    with Store.open(sample_db) as store:
        claim = claims.for_article(store, 1)[0]["text"]
    file = tmp_path / "a.json"
    file.write_bytes(json.dumps([_annotation(claim)]).encode("utf-16"))  # with its BOM
    result = _import(sample_db, file)
    assert result.returncode == 0, result.stderr
    assert (claim, "eve") in _state(sample_db)["current"]


VALUES = [5, -1, 10**30, 1.5, True, None, "", "x", [], {}, [5], {"type": 5}]


def _paths(value: object, path: tuple = ()) -> list[tuple]:
    """Every place in a JSON value: the keys and indices that lead there."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _replaced(value: object, path: tuple, new: object) -> object:
    if not path:
        return new
    copy = json.loads(json.dumps(value))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = new
    return copy


def test_any_field_of_any_json_type_is_a_one_line_refusal_at_worst(
    sample_db: Path, tmp_path: Path
) -> None:
    """Each field of a full Web Annotation and of a Hypothesis row replaced by every
    kind of JSON value: the import reports or lands, never raises; the rest of the file
    lands."""
    from factmark.store.annotation_import import import_annotations

    with Store.open(sample_db) as store:
        texts = [c["text"] for c in claims.for_article(store, 1)[:2]]
    full = _annotation(
        texts[0],
        modified="2026-11-30T10:00:00Z",
        body=[
            {"type": "TextualBody", "purpose": "assessing", "value": "disputed"},
            {"type": "TextualBody", "purpose": "commenting", "value": "Non."},
            {"type": "SpecificResource", "purpose": "linking", "source": "https://a.org"},
            {"type": "TextualBody", "purpose": "tagging", "value": "reader-added"},
        ],
        target={
            "source": "urn:x",
            "selector": [
                {"type": "TextQuoteSelector", "exact": texts[0], "prefix": "", "suffix": ""},
                {"type": "TextPositionSelector", "start": 0, "end": 10},
            ],
        },
    )
    row = _hypothesis(texts[0], tags=["disputed"], text="Voir.")
    good = _annotation(texts[1], creator={"nickname": "witness"})
    with Store.open(sample_db) as store:
        for base, wrap in ((full, list), (row, lambda items: {"rows": items})):
            for path in _paths(base):
                for value in VALUES:
                    document = wrap([_replaced(base, path, value), good])
                    report = import_annotations(store, _write(tmp_path, document), None)
                    assert len(report.problems) + len(report.orphans) <= 1, (path, value)
                    assert verdicts.current(store, claims.for_article(store, 1)[1]["id"], "witness")
        assert store.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
