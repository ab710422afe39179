"""`factmark merge`: a student's laptop database brings work into the class database,
never power (answer keys, reveals), never raw terminal bytes, never broken references,
whatever factmark version made it and wherever it is read from.

The laptops are made with ordinary factmark commands; hostile content is written into
them with the sqlite3 module, as a student with a shell could."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from factmark.corpus.safe_text import clean
from factmark.store.schema import APPLICATION_ID, MIGRATIONS
from tests.helpers import FACTMARK, SAMPLE, factmark, sha256

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
    write(laptop, "INSERT INTO annotators VALUES (?, 0, '2020')", f"k{esc}")
    for event, claim, note, link in (
        ("e1", 1, f"note {esc}\x1b[31mred", "javascript:alert(1)"),
        ("e2", 2, "\u202enote", "file:///etc/passwd"),
        ("e3", 3, None, "https://example.org/source"),
    ):
        write(
            laptop,
            "INSERT INTO verdicts (id, claim_id, annotator, verdict, note, evidence_url, "
            "created_at, action) VALUES (?, ?, ?, 'verified', ?, ?, '2030-01-01', 'set')",
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
        "VALUES (999, 0, 5, 'ghost', 'detector', '2020')",
        "1 claim points to a missing article",
    ),
    "verdict-claim": (
        "INSERT INTO verdicts (id, claim_id, annotator, verdict, created_at, action) "
        "VALUES ('g', 424242, 'tester', 'verified', '2030', 'set')",
        "1 verdict event points to a missing claim",
    ),
    "verdict-annotator": (
        "INSERT INTO verdicts (id, claim_id, annotator, verdict, created_at, action) "
        "VALUES ('g', 1, 'ghost', 'verified', '2030', 'set')",
        "1 verdict event names a missing annotator",
    ),
    "verdict-reverts": (
        "INSERT INTO verdicts (id, claim_id, annotator, verdict, created_at, action, reverts) "
        "VALUES ('g', 1, 'tester', NULL, '2030', 'undo', 'nowhere')",
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
        "VALUES (1, 'piscine.txt', 'La piscine', 'fr', ?, 'old-sha', '2020')",
        [text],
    )
    conn.execute(
        'INSERT INTO claims (id, article_id, start, "end", text, origin, created_at) '
        "VALUES (1, 1, 0, ?, ?, 'detector', '2020')",
        [len(text), text],
    )
    conn.execute("INSERT INTO annotators VALUES ('aaron', 0, '2020')")
    conn.execute(
        "INSERT INTO verdicts (id, claim_id, annotator, verdict, created_at, action) "
        "VALUES ('old-1', 1, 'aaron', 'disputed', '2020-01-01', 'set')"
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


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to act as another user"
)
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
