"""Nothing stored is lost on import: every article of a feed is kept, one bad file or
line costs only itself, a full disk keeps what was saved, and odd files and folders
are each reported in one line instead of hanging or crashing the import."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

from factmark.store import articles, claims, verdicts
from factmark.store.database import Store
from factmark.store.files import MAX_DEPTH
from factmark.store.ingest import import_paths
from tests.helpers import (
    FACTMARK,
    factmark,
    needs_root,
    tiny_filesystem,
    without_root_override,
)

BODIES = [
    "Le maire a dépensé 4 millions d'euros en 2022 pour la piscine municipale.",
    "Le chômage a baissé de 2 % en un an, selon l'Insee, qui publiait mardi ses chiffres.",
    "La dette publique a atteint 3 000 milliards d'euros à la fin de l'année 2023.",
]


def feed(path: Path, count: int) -> Path:
    """A JSON Lines feed of the first `count` articles, none with an "id"."""
    lines = [json.dumps({"title": f"Article {n}", "text": BODIES[n]}) for n in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_import(db: Path, *paths: str | Path, **options) -> tuple[int, list[str]]:
    result = factmark("import", "--db", str(db), *map(str, paths), **options)
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    return result.returncode, err.splitlines()


def titles(db: Path) -> list[str]:
    with Store.open(db, readonly=True) as store:
        return [r[0] for r in store.conn.execute("SELECT title FROM articles ORDER BY id")]


def assert_sound(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


# --- JSON Lines: every record without an id is an article of its own ----------------


def test_every_line_of_a_feed_without_ids_is_kept(db_path: Path, tmp_path: Path) -> None:
    rc, err = run_import(db_path, feed(tmp_path / "feed.jsonl", 3))
    assert rc == 0 and err[-1] == "3 imported, 0 unchanged, 0 updated, 0 refused"
    assert titles(db_path) == ["Article 0", "Article 1", "Article 2"]
    rc, err = run_import(db_path, tmp_path / "feed.jsonl")
    assert err[-1] == "0 imported, 3 unchanged, 0 updated, 0 refused"


def test_a_growing_feed_keeps_its_judged_article_and_verdict(db_path: Path, tmp_path: Path) -> None:
    path = feed(tmp_path / "feed.jsonl", 1)
    run_import(db_path, path)
    with Store.open(db_path) as store:
        (judged,) = [c["id"] for c in claims.for_article(store, 1)][:1]
        verdicts.record(store, judged, "alice", "disputed", note="checked the budget")

    feed(path, 3)
    rc, err = run_import(db_path, path)
    assert rc == 0 and err[-1] == "2 imported, 1 unchanged, 0 updated, 0 refused"
    assert titles(db_path) == ["Article 0", "Article 1", "Article 2"]
    with Store.open(db_path, readonly=True) as store:
        claim = claims.get(store, judged)
        assert claim["article_id"] == 1 and not claim["orphaned"]
        assert claim["text"] in articles.get(store, 1)["text"]
        assert verdicts.current(store, judged, "alice")["note"] == "checked the budget"


# --- one bad line, one bad file, costs only itself ----------------------------------


def test_lines_json_cannot_read_or_too_large_cost_only_themselves(
    db_path: Path, tmp_path: Path
) -> None:
    good = [json.dumps({"id": f"ok{n}", "text": body}) for n, body in enumerate(BODIES)]
    huge = json.dumps({"id": "huge", "text": "Le ministre a parlé. " * 600_000})
    bad = [
        '{"text": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"text": "Le ministre a parlé.", "id": ' + "9" * 5000 + "}",
        huge,
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([good[0], *bad, good[1], good[2]]) + "\n", encoding="utf-8")
    rc, err = run_import(db_path, path)
    assert rc == 1
    assert err[:3] == [
        f"factmark: {path}:2: not valid JSON (nested too deeply)",
        f"factmark: {path}:3: not valid JSON (Exceeds the limit (4300 digits) for integer "
        "string conversion)",
        f"factmark: {path}:4: too large for an article ({len(huge) / 1e6:.1f} MB; "
        "the limit is 10 MB)",
    ]
    assert err[-1] == "3 imported, 0 unchanged, 0 updated, 3 refused"


def test_an_article_the_database_refuses_costs_only_itself(db_path: Path, tmp_path: Path) -> None:
    # Another tool's trigger refuses one article: the rest of the batch must land.
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(
        "CREATE TRIGGER no_poison BEFORE INSERT ON articles WHEN NEW.title = 'Poison' "
        "BEGIN SELECT RAISE(ABORT, 'poisoned articles are not welcome'); END"
    )
    conn.close()
    folder = tmp_path / "in"
    folder.mkdir()
    for n, body in enumerate(BODIES):
        (folder / f"{n}.txt").write_text(f"Titre {n}\n\n{body}\n", encoding="utf-8")
    (folder / "1b.txt").write_text(f"Poison\n\n{BODIES[0]} Encore.\n", encoding="utf-8")
    rc, err = run_import(db_path, folder)
    assert rc == 1
    problems = [line for line in err if line.startswith("factmark: ")]
    assert problems == [
        f'factmark: {folder}/1b.txt: could not store "Poison" '
        "(IntegrityError: poisoned articles are not welcome)"
    ]
    assert err[-1] == "3 imported, 0 unchanged, 0 updated, 1 refused"
    assert titles(db_path) == ["Titre 0", "Titre 1", "Titre 2"]
    assert_sound(db_path)


@needs_root
def test_a_full_disk_stops_the_import_and_keeps_what_was_committed(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(600):
        (folder / f"a{i:03}.txt").write_text(
            f"Le ministre a annoncé mardi {i} milliards d'euros pour la santé.\n"
        )
    with tiny_filesystem(tmp_path / "full", "512k") as full:
        with Store.open(full / "f.db") as store:
            report = import_paths(store, [str(folder)])  # returns, does not raise
            stored = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert report.stopped is not None and "disk is full" in report.stopped
        assert 0 < len(report.imported) == stored < 600
        assert report.refused == [] and report.failed
        assert "the import stopped" in report.summary()
        assert report.summary().startswith(f"{stored} imported, 0 unchanged, 0 updated, 0 refused")
        assert_sound(full / "f.db")


# --- re-anchoring an edited article ------------------------------------------------

REPEATED = "Le ministre du Travail a affirmé que le chômage avait baissé de 12 % en un an."


def edited_pair(tmp_path: Path) -> tuple[Path, str, str]:
    """An article that repeats a sentence (body and a box), and its edit, where the
    body's occurrence is corrected."""
    old = (
        "Le chômage recule\n\n"
        f"Selon les chiffres publiés lundi, {REPEATED} Les syndicats contestent ce chiffre.\n\n"
        f"À retenir\n\n{REPEATED}\n"
    )
    new = old.replace(
        f"lundi, {REPEATED}", "lundi, le ministre a corrigé son chiffre: 8 % en un an."
    )
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "article.txt"
    path.write_text(old, encoding="utf-8")
    return path, old, new


def claim_at(store: Store, article_id: int, start: int, end: int) -> int:
    for claim in claims.for_article(store, article_id):
        if (claim["start"], claim["end"]) == (start, end):
            return claim["id"]
    with store.write():  # claims never overlap: a reader's claim replaces detections
        store.conn.execute(
            'DELETE FROM claims WHERE article_id = ? AND start < ? AND "end" > ?',
            [article_id, end, start],
        )
    return claims.add(store, article_id, start, end, origin="reader")


def test_a_repeated_sentence_corrected_once_keeps_each_verdict_where_it_belongs(
    db_path: Path, tmp_path: Path
) -> None:
    path, old, new = edited_pair(tmp_path)
    run_import(db_path, path)
    body, box = old.index(REPEATED), old.rindex(REPEATED)
    with Store.open(db_path) as store:
        first = claim_at(store, 1, body, body + len(REPEATED))
        second = claim_at(store, 1, box, box + len(REPEATED))
        verdicts.record(store, first, "alice", "disputed", note="paragraph 1")
        verdicts.record(store, second, "alice", "verified", note="the box")

    path.write_text(new, encoding="utf-8")
    (path.parent / "other.txt").write_text(f"Autre\n\n{BODIES[2]}\n", encoding="utf-8")
    rc, err = run_import(db_path, path.parent)
    assert rc == 0
    assert err[-1] == (
        "1 imported, 0 unchanged, 1 updated, 0 refused; "
        "1 claim with reader work not found in the edited text, kept as orphans"
    )
    with Store.open(db_path, readonly=True) as store:
        text = articles.get(store, 1)["text"]
        kept, lost = claims.get(store, second), claims.get(store, first)
        assert (kept["start"], kept["orphaned"]) == (new.rindex(REPEATED), 0)
        assert text[kept["start"] : kept["end"]] == REPEATED
        assert verdicts.current(store, second, "alice")["note"] == "the box"
        assert lost["orphaned"] == 1 and lost["text"] == REPEATED
        assert verdicts.current(store, first, "alice")["note"] == "paragraph 1"
    assert_sound(db_path)


def test_a_verdict_is_not_moved_onto_an_unjudged_lookalike(db_path: Path, tmp_path: Path) -> None:
    path, old, new = edited_pair(tmp_path)
    run_import(db_path, path)
    body = old.index(REPEATED)
    with Store.open(db_path) as store:
        judged = claim_at(store, 1, body, body + len(REPEATED))
        verdicts.record(store, judged, "alice", "disputed")
    path.write_text(new, encoding="utf-8")
    rc, err = run_import(db_path, path)
    assert rc == 0 and "1 claim with reader work not found" in err[-1]
    with Store.open(db_path, readonly=True) as store:
        assert claims.get(store, judged)["orphaned"] == 1
        box = new.rindex(REPEATED)
        on_box = [c for c in claims.for_article(store, 1) if c["start"] == box]
        assert all(verdicts.current(store, c["id"], "alice") is None for c in on_box)


def test_claims_moved_onto_each_others_old_places_are_all_kept(
    db_path: Path, tmp_path: Path
) -> None:
    one, two = "Alpha a dit 10 fois non.", "Gamma a dit 20 fois oui."  # the same length
    old = f"Titre\n\n{one} {two} Fin du texte.\n"
    path = tmp_path / "a.txt"
    path.write_text(old, encoding="utf-8")
    run_import(db_path, path)
    with Store.open(db_path) as store:
        first = claim_at(store, 1, old.index(one), old.index(one) + len(one))
        second = claim_at(store, 1, old.index(two), old.index(two) + len(two))
        verdicts.record(store, first, "alice", "verified")
        verdicts.record(store, second, "alice", "disputed")
    # The new sentence is as long as one claim and its space: the first claim's new
    # place is exactly where the second one was.
    new = old.replace(one, f"Beta a dit 30 fois peut. {one}")
    assert new.index(one) == old.index(two)
    path.write_text(new, encoding="utf-8")
    rc, err = run_import(db_path, path)
    assert rc == 0 and err[-1] == "0 imported, 0 unchanged, 1 updated, 0 refused"
    with Store.open(db_path, readonly=True) as store:
        for claim_id, words, verdict in ((first, one, "verified"), (second, two, "disputed")):
            claim = claims.get(store, claim_id)
            assert (claim["start"], claim["orphaned"]) == (new.index(words), 0)
            assert verdicts.current(store, claim_id, "alice")["verdict"] == verdict
    assert_sound(db_path)


# --- folders and file names --------------------------------------------------------


def test_a_fifo_in_a_folder_is_reported_and_never_opened(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "a.txt")  # opening it would wait for a writer for ever
    (folder / "b.txt").write_text(f"Titre\n\n{BODIES[0]}\n", encoding="utf-8")
    rc, err = run_import(db_path, folder, timeout=60)
    assert rc == 1
    assert err == [
        f"factmark: {folder}/a.txt: not a regular file (a fifo), skipped",
        "1 imported, 0 unchanged, 0 updated, 1 refused",
    ]


def test_a_pipe_named_on_the_command_line_is_read(db_path: Path) -> None:
    # As `factmark import <(curl ...)` does: the shell names a pipe, /dev/fd/63.
    result = subprocess.run(
        [
            "bash",
            "-c",
            f'"{FACTMARK}" import --db "{db_path}" <(printf "Titre\\n\\n%s\\n" "$1")',
            "bash",
            BODIES[1],
        ],
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert titles(db_path) == ["Titre"]


def test_unreadable_folders_are_reported_one_line_each(db_path: Path, tmp_path: Path) -> None:
    top = tmp_path / "in"
    (top / "sub").mkdir(parents=True)
    (top / "sub" / "a.txt").write_text(f"Caché\n\n{BODIES[0]}\n", encoding="utf-8")
    (top / "ok.txt").write_text(f"Lisible\n\n{BODIES[1]}\n", encoding="utf-8")
    command = [FACTMARK, "import", "--db", str(db_path)]
    (top / "sub").chmod(0)
    try:
        inner = subprocess.run(without_root_override(*command, str(top)), capture_output=True)
        top.chmod(0)
        outer = subprocess.run(without_root_override(*command, str(top)), capture_output=True)
    finally:
        top.chmod(0o755)
        (top / "sub").chmod(0o755)
    assert inner.returncode == 1 and outer.returncode == 1
    assert inner.stderr.decode().splitlines() == [
        f"factmark: {top}/sub: cannot read this folder (Permission denied)",
        "1 imported, 0 unchanged, 0 updated, 1 refused",
    ]
    assert outer.stderr.decode().splitlines() == [
        f"factmark: {top}: cannot read this folder (Permission denied)",
        "0 imported, 0 unchanged, 0 updated, 1 refused",
    ]
    assert titles(db_path) == ["Lisible"]


def test_folders_nested_too_deep_are_reported_not_walked(db_path: Path, tmp_path: Path) -> None:
    top = tmp_path / "in"
    deepest = top.joinpath(*["d"] * (MAX_DEPTH + 1))
    deepest.mkdir(parents=True)
    (top / "d" / "near.txt").write_text(f"Près\n\n{BODIES[0]}\n", encoding="utf-8")
    (deepest / "far.txt").write_text(f"Loin\n\n{BODIES[1]}\n", encoding="utf-8")
    rc, err = run_import(db_path, top)
    assert rc == 1
    assert err == [
        f"factmark: {deepest}: more than {MAX_DEPTH} folders deep, not walked",
        "1 imported, 0 unchanged, 0 updated, 1 refused",
    ]
    assert titles(db_path) == ["Près"]


def test_a_file_name_that_is_not_utf8_imports_and_detects(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(f"Bon\n\n{BODIES[0]}\n", encoding="utf-8")
    bad = os.path.join(os.fsencode(folder), b"bad\xff\xfename.txt")
    with open(bad, "w", encoding="utf-8") as out:
        out.write(f"Mauvais nom\n\n{BODIES[1]}\n")
    rc, err = run_import(db_path, folder)
    assert rc == 0 and err[-1] == "2 imported, 0 unchanged, 0 updated, 0 refused"
    with Store.open(db_path, readonly=True) as store:
        paths = [r[0] for r in store.conn.execute("SELECT path FROM articles ORDER BY path")]
    assert paths == [f"{folder}/bad\\xff\\xfename.txt", f"{folder}/good.txt"]

    detected = factmark("detect", str(folder))
    assert detected.returncode == 0 and b"Traceback" not in detected.stderr
    printed = detected.stdout.decode("utf-8")  # strict: every byte printed is UTF-8
    assert f"{folder}/bad\\xff\\xfename.txt:" in printed


def test_names_that_differ_only_in_hidden_bytes_stay_two_articles(
    db_path: Path, tmp_path: Path
) -> None:
    # "été" and "àtà" in Latin-1, and a name that differs from another only by an
    # escape sequence: each is its own file, so its own article, imported twice or not.
    folder = tmp_path / "in"
    folder.mkdir()
    names = [b"\xe9t\xe9.txt", b"\xe0t\xe0.txt", b"news.txt", b"news\x1b[0m.txt"]
    for n, name in enumerate(names):
        with open(os.path.join(os.fsencode(folder), name), "w", encoding="utf-8") as out:
            out.write(f"Titre {n}\n\n{BODIES[n % 3]} ({n})\n")
    for _ in range(2):
        rc, err = run_import(db_path, folder)
        assert rc == 0 and " 0 updated" in err[-1], err
    assert len(titles(db_path)) == 4


def test_the_same_file_name_from_another_folder_is_another_article(
    db_path: Path, tmp_path: Path
) -> None:
    for n, place in enumerate(("a", "b")):
        (tmp_path / place).mkdir()
        (tmp_path / place / "art.txt").write_text(f"Titre {n}\n\n{BODIES[n]}\n")
    for place in ("a", "b"):  # a relative name, run from each folder
        result = factmark("import", "--db", str(db_path), "art.txt", cwd=tmp_path / place)
        assert result.returncode == 0 and b"1 imported" in result.stderr
    assert titles(db_path) == ["Titre 0", "Titre 1"]


def test_ids_name_articles_within_their_own_feed(db_path: Path, tmp_path: Path) -> None:
    # Two outlets' feeds both number their articles 1, 2...: four articles, and a
    # verdict stays on the article it was given to.
    for outlet, first in (("lemonde", 0), ("liberation", 1)):
        lines = [
            json.dumps({"id": str(n), "title": f"{outlet} {n}", "text": BODIES[(first + n) % 3]})
            for n in (1, 2)
        ]
        (tmp_path / f"{outlet}.jsonl").write_text("\n".join(lines) + "\n")
    run_import(db_path, tmp_path / "lemonde.jsonl")
    with Store.open(db_path) as store:
        judged = claims.for_article(store, 1)[0]
        verdicts.record(store, judged["id"], "alice", "disputed")
    rc, err = run_import(db_path, tmp_path / "liberation.jsonl")
    assert rc == 0 and err[-1].startswith("2 imported, 0 unchanged, 0 updated")
    assert titles(db_path) == ["lemonde 1", "lemonde 2", "liberation 1", "liberation 2"]
    with Store.open(db_path, readonly=True) as store:
        assert claims.get(store, judged["id"])["article_id"] == 1
        assert verdicts.current(store, judged["id"], "alice")["verdict"] == "disputed"

    twice = tmp_path / "twice.jsonl"
    twice.write_text(
        json.dumps({"id": "7", "title": "first", "text": BODIES[0] + " Bis."})
        + "\n"
        + json.dumps({"id": "7", "title": "second", "text": BODIES[1] + " Bis."})
        + "\n"
    )
    rc, err = run_import(db_path, twice)
    assert rc == 1
    assert f"factmark: {twice}:2: id '7' is already used on line 1; not imported" in err
    assert "first" in titles(db_path) and "second" not in titles(db_path)


# --- every stored field passes the gate ---------------------------------------------


def test_jsonl_metadata_is_stored_through_the_gate(db_path: Path, tmp_path: Path) -> None:
    records = [
        {"id": "a", "text": BODIES[0], "language": "[/x]", "url": "javascript:alert(1)"},
        {
            "id": "b",
            "text": BODIES[1],
            "language": "[link=http://evil/]en[/link]",
            "url": "https://example.org/b",
            "title": "Un \x1b]0;titre\x07 propre\nsur une ligne",
            "source": "Agence\tFrance \u202ePWNED",
        },
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    rc, _ = run_import(db_path, path)
    assert rc == 0
    with Store.open(db_path, readonly=True) as store:
        rows = [dict(r) for r in store.conn.execute("SELECT * FROM articles ORDER BY id")]
    assert [(r["language"], r["url"]) for r in rows] == [
        ("und", None),
        ("und", "https://example.org/b"),
    ]
    assert rows[1]["title"] == "Un propre sur une ligne"
    assert rows[1]["source"] == "Agence France PWNED"
