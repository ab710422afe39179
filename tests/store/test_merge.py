"""`factmark merge`: a student's laptop database brings work into the class database,
never power (answer keys, reveals), never raw terminal bytes, never broken references,
whatever factmark version made it and wherever it is read from.

The laptops are made with ordinary factmark commands; hostile content is written into
them with the sqlite3 module, as a student with a shell could."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from factmark.corpus.safe_text import clean
from factmark.store.schema import APPLICATION_ID, MIGRATIONS
from tests.helpers import FACTMARK, SAMPLE, factmark, needs_root, sha256

SEED = SAMPLE / "000_31e52ad88bccfe9c.txt"
OTHER = SAMPLE / "003_28a4533ba83c704f.txt"
HINT = "--with-roles brings keys and reveals"


def run(db: Path, *args: str) -> subprocess.CompletedProcess:
    return factmark(*args, "--db", str(db))


def write(db: Path, sql: str, *params: object) -> None:
    """Write rows the way a student with the sqlite3 shell could: no factmark checks."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def query(db: Path, sql: str, *params: object) -> list[tuple]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def counts(db: Path) -> dict[str, int]:
    tables = ("articles", "claims", "verdicts", "annotators", "reveals")
    found = {t: query(db, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    found["keys"] = query(db, "SELECT count(*) FROM annotators WHERE is_key")[0][0]
    return found


def decide(db: Path, annotator: str, rows: str) -> None:
    """Verdicts through import-verdicts, as a teacher's spreadsheet would bring them."""
    sheet = db.with_name(f"{db.stem}-{annotator}.csv")
    sheet.write_text("claim_id,verdict\n" + rows)
    result = run(db, "import-verdicts", str(sheet), "--annotator", annotator)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def school(tmp_path: Path) -> Path:
    """The class database: one article, the teacher as the key, who disputes claim 1."""
    db = tmp_path / "class.db"
    run(db, "import", str(SEED))
    assert run(db, "key", "add", "teacher").returncode == 0
    decide(db, "teacher", "1,disputed\n")
    return db


@pytest.fixture
def laptop(tmp_path: Path) -> Path:
    """A student's laptop: the class article and one more."""
    db = tmp_path / "laptop.db"
    assert run(db, "import", str(SEED), str(OTHER)).returncode == 0
    return db


def merged(school: Path, *others: Path, roles: bool = False) -> subprocess.CompletedProcess:
    flags = ["--with-roles"] if roles else []
    return run(school, "merge", *map(str, others), *flags)


def test_a_student_brings_work_but_not_keys_or_reveals(school: Path, laptop: Path) -> None:
    assert run(laptop, "key", "add", "aaron").returncode == 0
    assert run(laptop, "reveal", "--all", "--annotator", "aaron").returncode == 0
    decide(laptop, "aaron", "1,verified\n2,verified\n")

    result = merged(school, laptop)
    err = result.stderr.decode()
    assert result.returncode == 0, err
    assert f"aaron is an answer key in {laptop}; not made a key here ({HINT})" in err
    assert "2 reveals not brought" in err
    assert run(school, "key", "list").stdout.decode().split() == ["teacher"]
    after = counts(school)
    assert after["reveals"] == 0 and after["keys"] == 1
    assert after["articles"] == 2 and after["verdicts"] == 3  # the work did come
    compare = run(school, "compare", "--format", "json").stdout.decode()
    assert '"key": "teacher"' in compare


def test_the_teacher_brings_keys_and_reveals_when_asked(school: Path, laptop: Path) -> None:
    assert run(laptop, "key", "add", "aaron").returncode == 0
    assert run(laptop, "reveal", "--all", "--annotator", "aaron").returncode == 0

    result = merged(school, laptop, roles=True)
    err = result.stderr.decode()
    assert result.returncode == 0, err
    assert "aaron made an answer key here" in err and "2 reveals brought" in err
    assert run(school, "key", "list").stdout.decode().split() == ["aaron", "teacher"]
    assert counts(school)["reveals"] == 2


def test_a_student_cannot_rewrite_the_key_under_its_name(school: Path, laptop: Path) -> None:
    decide(laptop, "teacher", "1,verified\n")  # the student signs as the teacher

    result = merged(school, laptop)
    assert result.returncode == 0, result.stderr
    assert "1 verdict event by teacher not brought" in result.stderr.decode()
    key = "SELECT verdict FROM current_verdicts WHERE annotator = 'teacher' AND claim_id = 1"
    assert query(school, key) == [("disputed",)]

    assert merged(school, laptop, roles=True).returncode == 0  # the teacher's own laptop
    assert query(school, key) == [("verified",)]


def test_merged_text_is_cleaned_before_it_reaches_a_terminal(school: Path, laptop: Path) -> None:
    esc = "\x1b]0;PWNED\x07"
    write(
        laptop,
        "UPDATE articles SET title = ?, source = ?, path = ?, sha256 = 'forged' WHERE id = 2",
        f"Titre {esc}\u202eevil",
        f"AFP{esc}",
        f"a{esc}.txt",
    )
    write(laptop, "INSERT INTO annotators VALUES (?, 0, '2020-01-01T08:00:00Z')", f"k{esc}")
    for event, claim, note, link in (
        ("e1", 1, f"note {esc}\x1b[31mred", "javascript:alert(1)"),
        ("e2", 2, "\u202enote", "file:///etc/passwd"),
        ("e3", 3, None, "https://example.org/source"),
    ):
        write(
            laptop,
            "INSERT INTO verdicts (id, claim_id, annotator, verdict, note, evidence_url, "
            "created_at, action) VALUES (?, ?, ?, 'verified', ?, ?, "
            "'2024-01-01T08:00:00.000000Z', 'set')",
            event,
            claim,
            f"k{esc}",
            note,
            link,
        )

    result = merged(school, laptop)
    assert result.returncode == 0, result.stderr
    assert b"\x1b" not in result.stderr
    assert "2 evidence links dropped (not http/https)" in result.stderr.decode()
    for command in (
        ["stats"],
        ["key", "list"],
        ["export"],
        ["export", "--history"],
        ["compare", "--format", "json"],
    ):
        out = run(school, *command).stdout
        assert b"\x1b" not in out and "\u202e".encode() not in out, command
        assert b"PWNED" not in out and b"javascript:" not in out and b"file:" not in out
    for table in ("articles", "claims", "annotators", "verdicts"):
        for row in query(school, f"SELECT * FROM {table}"):
            assert all(clean(v) == v for v in row if isinstance(v, str)), table
    links = query(school, "SELECT id, evidence_url FROM verdicts WHERE annotator = 'k'")
    assert sorted(links) == [("e1", None), ("e2", None), ("e3", "https://example.org/source")]
    assert query(school, "PRAGMA integrity_check") == [("ok",)]

    again = merged(school, laptop).stderr.decode()
    assert "0 articles, 0 claims, 0 verdict events" in again


def test_an_article_whose_text_holds_escapes_is_refused(school: Path, laptop: Path) -> None:
    # Same length, so its claims would still fit: only the gate can tell.
    write(laptop, "UPDATE articles SET text = substr(text, 1, length(text) - 1) || char(7) "
          "WHERE id = 2")  # fmt: skip
    write(laptop, "UPDATE articles SET sha256 = 'forged' WHERE id = 2")
    before = counts(school)

    result = merged(school, laptop)
    err = result.stderr.decode()
    assert result.returncode == 1
    assert "not merged: its text holds control characters" in err and "Traceback" not in err
    assert counts(school)["articles"] == before["articles"]
    assert b"\x07" not in run(school, "export").stdout


def test_claims_must_be_their_articles_text(school: Path, laptop: Path) -> None:
    write(laptop, "UPDATE claims SET text = 'the minister resigned' WHERE id = 1")
    write(laptop, 'UPDATE claims SET start = 100000, "end" = 100010 WHERE id = 2')
    decide(laptop, "aaron", "1,verified\n2,verified\n3,verified\n")

    result = merged(school, laptop)
    err = result.stderr.decode()
    assert result.returncode == 1
    assert "2 claims not brought" in err and "Traceback" not in err
    for text, start, end, claim in query(
        school, 'SELECT a.text, c.start, c."end", c.text FROM claims c JOIN articles a '
        "ON a.id = c.article_id"
    ):  # fmt: skip
        assert text[start:end] == claim
    assert query(school, "SELECT count(*) FROM verdicts WHERE annotator = 'aaron'") == [(1,)]


DANGLING = {
    "claim-article": (
        'INSERT INTO claims (article_id, start, "end", text, origin, created_at) '
        "VALUES (999, 0, 5, 'ghost', 'detector', '2020-01-01T08:00:00Z')",
        "1 claim points to a missing article",
    ),
    "verdict-claim": (
        "INSERT INTO verdicts (id, claim_id, annotator, verdict, created_at, action) "
        "VALUES ('g', 424242, 'tester', 'verified', '2020-01-01T08:00:00Z', 'set')",
        "1 verdict event points to a missing claim",
    ),
    "verdict-annotator": (
        "INSERT INTO verdicts (id, claim_id, annotator, verdict, created_at, action) "
        "VALUES ('g', 1, 'ghost', 'verified', '2020-01-01T08:00:00Z', 'set')",
        "1 verdict event names a missing annotator",
    ),
    "verdict-reverts": (
        "INSERT INTO verdicts (id, claim_id, annotator, verdict, created_at, action, reverts) "
        "VALUES ('g', 1, 'tester', NULL, '2020-01-01T08:00:00Z', 'undo', 'nowhere')",
        "1 verdict event reverts a missing event",
    ),
}


@pytest.mark.parametrize("case", DANGLING)
def test_dangling_references_refuse_the_whole_file(school: Path, laptop: Path, case: str) -> None:
    decide(laptop, "tester", "1,verified\n")
    sql, said = DANGLING[case]
    write(laptop, sql)
    before = counts(school)

    result = merged(school, laptop)
    lines = result.stderr.decode().splitlines()
    assert result.returncode == 1
    assert lines == [f"factmark: {laptop}: damaged: {said}; nothing merged"]
    assert counts(school) == before  # not even the laptop's sound new article


def test_a_refused_file_does_not_stop_the_others(school: Path, laptop: Path, tmp_path) -> None:
    broken = tmp_path / "broken.db"
    shutil.copy(laptop, broken)
    write(broken, DANGLING["claim-article"][0])

    result = merged(school, broken, laptop)
    err = result.stderr.decode()
    assert result.returncode == 1
    assert "damaged" in err and "Traceback" not in err
    assert f"{laptop}: 1 articles" in err
    assert counts(school)["articles"] == 2


def test_claims_follow_their_words_into_another_import_of_the_article(
    school: Path, laptop: Path
) -> None:
    # An older factmark made a slightly different text of the same file (same hash):
    # the laptop's claims sit 2 characters further on.
    write(laptop, "UPDATE articles SET text = '» ' || text WHERE id = 1")
    write(laptop, 'UPDATE claims SET start = start + 2, "end" = "end" + 2 WHERE article_id = 1')
    decide(laptop, "aaron", "1,verified\n2,unsourced\n")
    claims_before = counts(school)["claims"]
    new_claims = query(laptop, "SELECT count(*) FROM claims WHERE article_id = 2")[0][0]

    result = merged(school, laptop)
    assert result.returncode == 0, result.stderr
    assert counts(school)["claims"] == claims_before + new_claims  # only the new article's
    for text, start, end, claim in query(
        school, 'SELECT a.text, c.start, c."end", c.text FROM claims c JOIN articles a '
        "ON a.id = c.article_id"
    ):  # fmt: skip
        assert text[start:end] == claim
    same = "SELECT c.text FROM current_verdicts v JOIN claims c ON c.id = v.claim_id "
    same += "WHERE v.annotator = 'aaron' ORDER BY c.start"
    assert query(school, same) == query(laptop, same)


# A sentence said twice; the edit rewrites the first and moves the second into new
# surroundings, so that neither claim on it can be told from the other: both orphans.
REPEATED = "Le maire a dépensé 3 millions d'euros en 2022 pour la piscine municipale."
BEFORE_EDIT = f"Un titre\n\n{REPEATED}\n\nLe conseil a voté contre.\n\n{REPEATED}\n\nFin.\n"
AFTER_EDIT = (
    "Un titre\n\nLe maire a dépensé 4 millions d'euros en 2023 pour la piscine olympique."
    f"\n\nLe conseil a voté contre.\n\nSelon lui : {REPEATED}, dit-il\n"
)


def edited(db: Path, article: Path, annotator: str, verdicts: tuple[str, str]) -> list[tuple]:
    """`db` with the article before its edit, `annotator`'s verdicts on both copies of
    the repeated sentence, then the edited article at the same path: its orphans."""
    article.write_text(BEFORE_EDIT, encoding="utf-8")
    assert run(db, "import", str(article)).returncode == 0
    copies = [
        claim_id
        for claim_id, text in query(db, "SELECT id, text FROM claims ORDER BY start")
        if text == REPEATED
    ]
    assert len(copies) == 2
    decide(db, annotator, "".join(f"{c},{v}\n" for c, v in zip(copies, verdicts, strict=True)))
    article.write_text(AFTER_EDIT, encoding="utf-8")
    assert run(db, "import", str(article)).returncode == 0
    return query(db, 'SELECT id, start, "end" FROM claims WHERE orphaned = 1 ORDER BY id')


@pytest.mark.parametrize("here", ["edited-with-verdicts", "edited-text-only"])
def test_orphaned_claims_never_land_on_one_claim(tmp_path: Path, here: str) -> None:
    article, school, laptop = (
        tmp_path / "piscine.txt",
        tmp_path / "class.db",
        tmp_path / "laptop.db",
    )
    assert len(edited(laptop, article, "aaron", ("verified", "disputed"))) == 2
    if here == "edited-with-verdicts":  # the class read it before the edit too
        local_orphans = edited(school, article, "bea", ("unsourced", "unsourced"))
        assert len(local_orphans) == 2
    else:
        assert run(school, "import", str(article)).returncode == 0
    before = counts(school)

    result = merged(school, laptop)
    assert result.returncode == 0, result.stderr

    aaron = query(
        school,
        'SELECT v.claim_id, v.verdict, c.orphaned, c.start, c."end", c.text FROM verdicts v '
        "JOIN claims c ON c.id = v.claim_id WHERE v.annotator = 'aaron' ORDER BY v.verdict",
    )
    assert [row[1] for row in aaron] == ["disputed", "verified"]
    assert len({row[0] for row in aaron}) == 2  # one claim each
    for _, _, orphaned, start, end, text in aaron:
        # Orphans stay orphans, past the end of the text: never placed by a guess.
        assert orphaned == 1 and start >= len(AFTER_EDIT) and end > start and text == REPEATED
    if here == "edited-with-verdicts":  # matched to the orphans here by their quotes
        assert sorted(row[0] for row in aaron) == [claim_id for claim_id, _, _ in local_orphans]
        assert counts(school)["claims"] == before["claims"]
    else:  # brought in as orphans
        assert counts(school)["claims"] == before["claims"] + 2
    again = merged(school, laptop).stderr.decode()
    assert "0 articles, 0 claims, 0 verdict events" in again


def test_two_claims_placed_at_one_place_here_are_not_both_brought(
    school: Path, laptop: Path
) -> None:
    # Another import of the article (same hash) where the sentence is said twice: the
    # second copy's words and context fit the one place it has here.
    text = query(school, "SELECT text FROM articles WHERE id = 1")[0][0]
    sentence = query(school, "SELECT text FROM claims WHERE id = 1")[0][0]
    at = text.index(sentence)
    there = text[: at + len(sentence)] + " Bis. " + text[at:]
    second = at + len(sentence) + len(" Bis. ")
    write(laptop, "UPDATE articles SET text = ? WHERE id = 1", there)
    write(laptop, "DELETE FROM claims WHERE article_id = 1")
    for claim_id, start in ((1, at), (2, second)):
        write(
            laptop,
            'INSERT INTO claims (id, article_id, start, "end", text, origin, created_at) '
            "VALUES (?, 1, ?, ?, ?, 'reader', '2024-01-01T08:00:00.000000Z')",
            claim_id,
            start,
            start + len(sentence),
            sentence,
        )
    decide(laptop, "aaron", "1,verified\n2,disputed\n")

    result = merged(school, laptop)
    err = result.stderr.decode()
    assert result.returncode == 1
    assert "1 claim" in err and "another claim of that file was placed at the same place" in err
    on_one = query(school, "SELECT claim_id, verdict FROM verdicts WHERE annotator = 'aaron'")
    assert on_one == [(1, "verified")]


MISDATED = {
    "no-date-form": "yesterday",
    "local-time": "2024-01-01 08:00:00",
    "offset": "2024-01-01T08:00:00+02:00",
    "no-such-day": "2024-02-30T08:00:00Z",
    "future": "2999-01-01T08:00:00.000000Z",
    "number": 1704096000,
}


@pytest.mark.parametrize("case", MISDATED)
def test_misdated_rows_are_refused_and_stats_keeps_working(
    school: Path, laptop: Path, case: str
) -> None:
    decide(laptop, "aaron", "1,verified\n2,disputed\n3,unsourced\n")
    decide(laptop, "bea", "1,verified\n")
    date = MISDATED[case]
    write(laptop, "DROP TRIGGER verdicts_no_update")
    write(laptop, "UPDATE verdicts SET created_at = ? WHERE claim_id = 2", date)
    write(laptop, "UPDATE annotators SET created_at = ? WHERE name = 'bea'", date)
    write(laptop, "UPDATE claims SET created_at = ? WHERE id = 3", date)

    result = merged(school, laptop, roles=True)
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert (
        "1 claim, 1 annotator, 1 verdict event refused: dated in the future or not in UTC "
        "ISO 8601 as factmark writes dates"
    ) in err
    kept = "SELECT claim_id, annotator, created_at FROM verdicts WHERE annotator <> 'teacher'"
    assert [row[:2] for row in query(school, kept)] == [(1, "aaron")]
    for table in ("verdicts", "claims", "annotators"):
        for (stamp,) in query(school, f"SELECT created_at FROM {table}"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", stamp), table
    for output in ("table", "json"):
        stats = run(school, "stats", "--format", output)
        assert stats.returncode == 0 and not stats.stderr, stats.stderr


def test_dates_without_a_fraction_are_brought_in_factmarks_form(school: Path, laptop: Path) -> None:
    decide(laptop, "aaron", "1,verified\n")
    write(laptop, "DROP TRIGGER verdicts_no_update")
    write(laptop, "UPDATE verdicts SET created_at = '2024-03-01T10:00:00Z'")

    assert merged(school, laptop).returncode == 0
    dates = "SELECT created_at FROM verdicts WHERE annotator = 'aaron'"
    assert query(school, dates) == [("2024-03-01T10:00:00.000000Z",)]


def old_schema(path: Path, version: int) -> Path:
    """A database as factmark made it when its schema was at `version`."""
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:version]:
        conn.executescript(script)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    text = "Le maire a dépensé 3 millions d'euros en 2022 pour la piscine."
    conn.execute(
        "INSERT INTO articles (id, path, title, language, text, sha256, imported_at) "
        "VALUES (1, 'piscine.txt', 'La piscine', 'fr', ?, 'old-sha', '2020-01-01T08:00:00Z')",
        [text],
    )
    conn.execute(
        'INSERT INTO claims (id, article_id, start, "end", text, origin, created_at) '
        "VALUES (1, 1, 0, ?, ?, 'detector', '2020-01-01T08:00:00Z')",
        [len(text), text],
    )
    conn.execute("INSERT INTO annotators VALUES ('aaron', 0, '2020-01-01T08:00:00Z')")
    conn.execute(
        "INSERT INTO verdicts (id, claim_id, annotator, verdict, created_at, action) "
        "VALUES ('old-1', 1, 'aaron', 'disputed', '2020-01-01T08:00:00Z', 'set')"
    )
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("version", [1, 2])
def test_files_from_older_factmark_merge_and_stay_untouched(
    school: Path, tmp_path: Path, version: int
) -> None:
    other = old_schema(tmp_path / f"schema{version}.db", version)
    fingerprint = sha256(other)

    result = merged(school, other)
    assert result.returncode == 0, result.stderr
    assert "1 articles, 1 claims, 1 verdict events" in result.stderr.decode()
    assert sha256(other) == fingerprint
    assert query(other, "PRAGMA user_version") == [(version,)]
    assert query(school, "SELECT verdict FROM current_verdicts WHERE annotator = 'aaron'") == [
        ("disputed",)
    ]


@needs_root
def test_reads_a_database_on_read_only_media() -> None:
    # Not under pytest's tmp_path: its folders are root's alone.
    base = Path(tempfile.mkdtemp(prefix="factmark-usb-"))
    try:
        base.chmod(0o755)
        usb, room = base / "usb", base / "class"
        room.mkdir()
        assert run(usb / "laptop.db", "import", str(OTHER)).returncode == 0
        assert run(room / "class.db", "import", str(SEED)).returncode == 0
        shutil.chown(room, "nobody", "nogroup")
        for path in room.iterdir():
            shutil.chown(path, "nobody", "nogroup")
        (usb / "laptop.db").chmod(0o444)
        usb.chmod(0o555)  # like a read-only USB stick: no -shm or -wal can be made here
        before = sorted(p.name for p in usb.iterdir())

        result = subprocess.run(
            ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", FACTMARK, "merge",
             str(usb / "laptop.db"), "--db", str(room / "class.db")],
            capture_output=True,
            env={**os.environ, "HOME": str(room)},
            timeout=120,
        )  # fmt: skip
        err = result.stderr.decode()
        assert result.returncode == 0, err
        assert "damaged" not in err and "1 articles" in err
        assert sorted(p.name for p in usb.iterdir()) == before
        assert counts(room / "class.db")["articles"] == 2
    finally:
        for path in base.rglob("*"):
            if path.is_dir():
                path.chmod(stat.S_IRWXU)
        shutil.rmtree(base)
