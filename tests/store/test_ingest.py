"""`factmark import`: every kind of input, bad ones one line each, and re-import."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from factmark.cli.progress import ProgressBar
from factmark.store import articles, claims, verdicts
from factmark.store.database import Store
from tests.helpers import SAMPLE, factmark


def stored(db_path: Path) -> list[dict]:
    with Store.open(db_path, readonly=True) as store:
        return [dict(r) for r in store.conn.execute("SELECT * FROM articles ORDER BY id")]


def test_sample_corpus_seed_000_is_stored_as_the_reader_expects(db_path: Path) -> None:
    assert factmark("import", str(SAMPLE), "--db", str(db_path)).returncode == 0
    with Store.open(db_path, readonly=True) as store:
        row = store.conn.execute(
            "SELECT * FROM articles WHERE path LIKE '%000_31e52ad88bccfe9c.txt'"
        ).fetchone()
        assert (row["title"], row["published"], row["language"]) == (
            "Coup de bluff US fait pschiit!",
            "2020-09-27",
            "fr",
        )
        boilerplate = [
            row["text"][r["start"] : r["end"]]
            for r in articles.regions(store, row["id"])
            if r["kind"] == "boilerplate"
        ]
        assert boilerplate == ["Mots clés", "commentaires"]
        # The reader's text is the file's text: nothing cut, so offsets mean what they say.
        original = (SAMPLE / "000_31e52ad88bccfe9c.txt").read_text(encoding="utf-8")
        assert row["text"] == original


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


GOOD = "Un titre\n\nLe ministre a déclaré mardi que 4 500 soldats partiraient.\n"


def test_each_bad_file_gets_one_line_and_the_batch_goes_on(db_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "in"
    bad.mkdir()
    write(bad / "a_empty.txt", b"")
    write(bad / "b_blank.txt", b"  \n \t\n")
    write(bad / "c_image.txt", b"\x89PNG\r\n\x1a\n" + os.urandom(64))
    write(bad / "d_program.txt", b"\x7fELF\x02\x01\x01\x00" + bytes(64))
    write(bad / "e_huge.txt", b"x" * (20 * 1024 * 1024))
    write(bad / "f_lines.jsonl", '{"text": "Titre\\n\\nCorps de texte."}\n{broken\n')
    write(bad / "g_good.txt", GOOD)
    result = factmark("import", str(bad), "--db", str(db_path))

    err = result.stderr.decode().splitlines()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr.decode()
    problems = [line for line in err if line.startswith("factmark: ")]
    expected = {
        "a_empty.txt": "empty file",
        "b_blank.txt": "only blank space",
        "c_image.txt": "PNG image",
        "d_program.txt": "executable",
        "e_huge.txt": "too large",
        "f_lines.jsonl:2": "not valid JSON",
    }
    assert len(problems) == len(expected)
    for name, reason in expected.items():
        assert any(f"{name}: " in p and reason in p for p in problems), (name, problems)
    assert err[-1] == "2 imported, 0 unchanged, 0 updated, 6 refused"
    assert {a["title"] for a in stored(db_path)} == {"Titre", "Un titre"}


def test_legacy_encodings_and_utf16_import_with_accents_right(
    db_path: Path, tmp_path: Path
) -> None:
    text = "Élection à Genève\n\nLe président a déclaré que l'économie était forte, très forte.\n"
    files = [
        write(tmp_path / "cp1252.txt", text.encode("cp1252")),
        write(tmp_path / "latin1.txt", text.replace("É", "E").encode("latin-1")),
        write(tmp_path / "utf16.txt", text.replace("l'é", "l’é").encode("utf-16")),
        write(tmp_path / "crlf.txt", text.replace("\n", "\r\n").replace("forte.", "forte!")),
    ]
    assert factmark("import", *map(str, files), "--db", str(db_path)).returncode == 0
    rows = stored(db_path)
    assert len(rows) == 4
    for row in rows:
        assert "président a déclaré que l" in row["text"] and "\r" not in row["text"]
    assert json.loads(rows[0]["extra"])["encoding"] == "cp1252"


def test_hostile_and_unusual_text_is_stored_safe_and_intact(db_path: Path, tmp_path: Path) -> None:
    body = (
        "Titre\n\n[bold]x[/] [/] [@click=app.quit]x[/] [link=file:///etc/passwd]x[/link]\n"
        "\x1b]0;owned\x07\x1b[2J\x1b]52;c;ZXZpbA==\x07 ok\n"
        "مرحبا بالعالم 🧐 👨\u200d👩\u200d👧 zero\u200bwidth 漢字 e\u0301\n"
    )
    write(tmp_path / "hostile.txt", body)
    assert factmark("import", str(tmp_path / "hostile.txt"), "--db", str(db_path)).returncode == 0
    (row,) = stored(db_path)
    assert "[@click=app.quit]x[/] [link=file:///etc/passwd]x[/link]" in row["text"]
    assert "\x1b" not in row["text"] and "owned" not in row["text"]
    assert "مرحبا بالعالم 🧐 👨\u200d👩\u200d👧 zero\u200bwidth 漢字 e\u0301" in row["text"]


def test_symlink_loop_is_walked_once(db_path: Path, tmp_path: Path) -> None:
    top = tmp_path / "top"
    (top / "sub").mkdir(parents=True)
    write(top / "sub" / "a.txt", GOOD)
    (top / "sub" / "loop").symlink_to(top, target_is_directory=True)
    result = factmark("import", str(top), "--db", str(db_path), timeout=60)
    assert result.returncode == 0, result.stderr
    assert len(stored(db_path)) == 1


def test_glob_picks_files_in_folders(db_path: Path, tmp_path: Path) -> None:
    write(tmp_path / "keep.txt", GOOD)
    write(tmp_path / "skip.md", "# Autre\n\nTexte.\n")
    factmark("import", str(tmp_path), "--glob", "*.txt", "--db", str(db_path))
    assert [r["title"] for r in stored(db_path)] == ["Un titre"]


def test_markdown_html_jsonl_and_stdin_all_import(db_path: Path, tmp_path: Path) -> None:
    write(tmp_path / "n.md", "# Titre md\n\nLe **ministre** a parlé.\n")
    write(
        tmp_path / "p.html",
        "<html><head><title>Page</title></head><body><article>"
        "<h1>Titre html</h1><p>Le ministre a annoncé mardi que 4 500 soldats quitteraient "
        "le pays d'ici janvier, selon un communiqué officiel.</p></article></body></html>",
    )
    write(tmp_path / "b.jsonl", json.dumps({"id": "x1", "title": "Titre jsonl", "text": "Corps."}))
    result = factmark(
        "import", str(tmp_path), "-", "--db", str(db_path), input=b"Titre stdin\n\nCorps.\n"
    )
    assert result.returncode == 0, result.stderr
    titles = {r["title"] for r in stored(db_path)}
    assert titles == {"Titre md", "Titre html", "Titre jsonl", "Titre stdin"}


def test_many_files_import_in_parallel_with_the_same_result(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(80):
        write(
            folder / f"{i:03}.txt",
            f"Titre {i}\n\nLe ministre a déclaré que {i} soldats partaient.\n",
        )
    result = factmark("import", str(folder), "--db", str(db_path))
    assert result.returncode == 0
    assert [r["title"] for r in stored(db_path)] == [f"Titre {i}" for i in range(80)]


def test_reimport_is_a_no_op_and_an_edit_keeps_verdicts(db_path: Path, tmp_path: Path) -> None:
    path = write(
        tmp_path / "a.txt",
        "Titre\n\nPremière phrase vérifiable. Deuxième phrase à juger. "
        "Troisième phrase sans verdict.\n",
    )
    factmark("import", str(path), "--db", str(db_path))
    again = factmark("import", str(path), "--db", str(db_path))
    assert "0 imported, 1 unchanged" in again.stderr.decode()

    with Store.open(db_path) as store:
        text = articles.get(store, 1)["text"]
        judged = claims.add(store, 1, text.index("Deuxième"), text.index(" Troisième"))
        kept = claims.add(
            store, 1, text.index("Première"), text.index(" Deuxième"), origin="reader"
        )
        lost = claims.add(store, 1, text.index("Troisième"), len(text) - 1, origin="reader")
        claims.add(store, 1, 0, 5)  # detector output with no verdict: re-detected, not kept
        verdicts.record(store, judged, "ann", "disputed", note="see source")

    path.write_text(
        "Titre révisé\n\nUn nouveau paragraphe.\n\nPremière phrase vérifiable. "
        "Deuxième phrase à juger. Une fin toute différente.\n"
    )
    result = factmark("import", str(path), "--db", str(db_path))
    assert result.returncode == 0
    assert result.stderr.decode().startswith(
        "0 imported, 0 unchanged, 1 updated, 0 refused; 1 claim with reader work"
    )

    with Store.open(db_path) as store:
        new_text = articles.get(store, 1)["text"]
        by_id = {c["id"]: c for c in claims.for_article(store, 1)}
        assert {judged, kept, lost} <= set(by_id)
        for claim_id in (judged, kept):
            c = by_id[claim_id]
            assert new_text[c["start"] : c["end"]] == c["text"] and not c["orphaned"]
        assert by_id[lost]["orphaned"] == 1
        assert verdicts.current(store, judged, "ann")["note"] == "see source"


def test_jsonl_record_with_the_same_id_updates_its_article(db_path: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    write(feed, json.dumps({"id": "w-1", "text": "Titre\n\nV1."}))
    factmark("import", str(feed), "--db", str(db_path))
    write(feed, json.dumps({"id": "w-1", "text": "Titre\n\nV2."}))  # the feed, re-exported
    result = factmark("import", str(feed), "--db", str(db_path))
    assert "1 updated" in result.stderr.decode()
    (row,) = stored(db_path)
    assert row["external_id"] == "w-1" and row["text"].endswith("V2.")


def test_progress_bar_reaches_the_end() -> None:
    out = io.StringIO()
    bar = ProgressBar(out)
    for done in range(1, 11):
        bar(done, 10)
    bar.close()
    assert out.getvalue().rstrip().endswith("[" + "#" * 30 + "] 10/10 files")


def test_no_progress_bar_when_not_a_terminal(db_path: Path) -> None:
    result = factmark("import", str(SAMPLE), "--db", str(db_path))
    assert "#" not in result.stderr.decode()
