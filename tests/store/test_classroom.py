"""The classroom through the command line: keys, blind work and reveal, CSV verdicts,
compare, gradebook, merge, class directories and many writers at once."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest

from factmark.store import claims, classroom, stats, verdicts
from factmark.store.database import Store
from tests.helpers import SAMPLE, factmark, start_writer

SEED = SAMPLE / "000_31e52ad88bccfe9c.txt"


@pytest.fixture
def db(db_path: Path) -> Path:
    factmark("import", str(SEED), "--db", str(db_path))
    return db_path


def claim_ids(db: Path, count: int) -> list[int]:
    with Store.open(db, readonly=True) as store:
        return [c["id"] for c in claims.for_article(store, 1)][:count]


def decide(db: Path, annotator: str, decisions: dict[int, str], note: str | None = None) -> None:
    with Store.open(db) as store:
        for claim_id, verdict in decisions.items():
            verdicts.record(store, claim_id, annotator, verdict, note=note)


def run(db: Path, *args: str) -> subprocess.CompletedProcess:
    return factmark(*args, "--db", str(db))


def test_students_are_blind_until_they_finish_or_the_teacher_reveals(db: Path) -> None:
    assert run(db, "key", "add", "teacher").returncode == 0
    ids = claim_ids(db, 100)
    decide(db, "teacher", {ids[0]: "disputed"}, note="the ministry denied it")
    decide(db, "alice", {ids[0]: "verified"})
    with Store.open(db) as store:
        assert classroom.is_revealed(store, 1, "teacher")
        assert not classroom.is_revealed(store, 1, "alice")
        for claim_id in ids[1:]:
            verdicts.record(store, claim_id, "alice", "unsourced")
        assert classroom.is_revealed(store, 1, "alice")  # every claim decided
        assert not classroom.is_revealed(store, 1, "bob")
    assert run(db, "reveal", "1", "--annotator", "teacher").returncode == 0
    with Store.open(db) as store:
        assert classroom.is_revealed(store, 1, "bob")
        seen = classroom.others_on(store, ids[0])
    assert seen.keys == [classroom.KeyVerdict("teacher", "disputed", "the ministry denied it")]
    assert seen.votes == {"verified": 1}


def test_compare_matches_a_hand_computation(db: Path) -> None:
    run(db, "key", "add", "teacher")
    a, b, c, d = claim_ids(db, 4)
    decide(db, "teacher", {a: "verified", b: "disputed", c: "unsourced", d: "unsourced"})
    decide(db, "alice", {a: "verified", b: "disputed", c: "unsourced", d: "verified"})
    decide(db, "bob", {a: "verified", b: "unsourced", c: "unsourced"})
    result = run(db, "compare", "--format", "json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    by_name = {s["annotator"]: s for s in figures["students"]}
    # alice vs key: 3 of 4 agree. Alice: v 2/4, d 1/4, u 1/4; key: v 1/4, d 1/4, u 2/4.
    # pe = 2/16 + 1/16 + 2/16 = 5/16; kappa = (3/4 - 5/16) / (11/16) = 7/11 = 0.636.
    assert (by_name["alice"]["agreement"], by_name["alice"]["kappa"]) == (75.0, 0.636)
    # bob vs key on 3 claims: 2 agree. Bob: v 1/3, u 2/3; key: v 1/3, d 1/3, u 1/3.
    # pe = 1/9 + 2/9 = 1/3; kappa = (2/3 - 1/3) / (2/3) = 1/2.
    assert (by_name["bob"]["agreement"], by_name["bob"]["kappa"]) == (66.7, 0.5)
    # Students only: a: [v, v], b: [d, u], c: [u, u], d: [v] (left out of alpha).
    # o_vv = 2, o_du = o_ud = 1, o_uu = 2; n_v = 2, n_d = 1, n_u = 3, n = 6.
    # alpha = 1 - 5 * 2 / (2 * (2*1 + 2*3 + 1*3)) = 1 - 10/22 = 6/11 = 0.545.
    # AC1: pa = (1 + 0 + 1)/3 = 2/3; pi_v = (1 + 0 + 0 + 1)/4 = 1/2, pi_d = (0 + 1/2)/4 =
    # 1/8, pi_u = (1/2 + 1)/4 = 3/8; pe = (1/2)(16/64 + 7/64 + 15/64) = 19/64;
    # AC1 = (2/3 - 19/64) / (45/64) = (71/192) * (64/45) = 71/135 = 0.526.
    # Decided by a student: a, b, c, d; by two (what alpha and AC1 compare): a, b, c.
    assert figures["class"] == {
        "students": 2,
        "claims": 4,
        "paired": 3,
        "krippendorff_alpha": 0.545,
        "gwet_ac1": 0.526,
    }
    # The most disputed claim first: b split between d and u.
    assert figures["claims"][0]["claim_id"] == b
    table = run(db, "compare").stdout.decode()
    assert "Krippendorff's alpha 0.545" in table and "most disputed" in table


def test_gradebook_has_one_row_per_student_and_article(db: Path) -> None:
    run(db, "key", "add", "teacher")
    a, b = claim_ids(db, 2)
    decide(db, "teacher", {a: "verified", b: "disputed"})
    decide(db, "alice", {a: "verified", b: "verified"})
    rows = list(csv.DictReader(io.StringIO(run(db, "export", "--gradebook").stdout.decode())))
    assert [(r["annotator"], r["article_id"], r["decided"], r["agreement"]) for r in rows] == [
        ("alice", "1", "2", "50.0")
    ]


def test_import_verdicts_reads_the_export_back_and_reports_bad_rows(
    db: Path, tmp_path: Path
) -> None:
    a, b, c = claim_ids(db, 3)
    sheet = tmp_path / "key.csv"
    sheet.write_text(
        "claim_id,verdict,note,evidence_url\n"
        f"{a},verified,'=1+1 is not a formula,https://example.org/a\n"
        f"{b},maybe,,\n"
        "999999,disputed,,\n"
        f'{c},Disputed,"two\nlines",\n'
        f"{a},verified,x,not a link\n",
        encoding="utf-8-sig",
    )
    result = run(db, "import-verdicts", str(sheet), "--annotator", "teacher")
    err = result.stderr.decode()
    assert result.returncode == 1
    assert f"{sheet}:3: unknown verdict 'maybe'" in err
    assert f"{sheet}:4: no claim 999999" in err
    assert f"{sheet}:7: not a web link" in err
    assert "2 verdicts imported, 0 unchanged, 3 rows refused" in err
    with Store.open(db, readonly=True) as store:
        first = verdicts.current(store, a, "teacher")
        assert (first["verdict"], first["note"]) == ("verified", "=1+1 is not a formula")
        assert verdicts.current(store, c, "teacher")["note"] == "two\nlines"
    again = run(db, "import-verdicts", str(sheet), "--annotator", "teacher")
    assert "0 verdicts imported, 2 unchanged" in again.stderr.decode()


def test_export_then_import_verdicts_round_trips(db: Path, tmp_path: Path) -> None:
    a, b = claim_ids(db, 2)
    decide(db, "alice", {a: "unsourced", b: "disputed"}, note="-5% is wrong")
    out = tmp_path / "alice.csv"
    run(db, "export", "-o", str(out), "--excel")
    other = tmp_path / "other.db"
    factmark("import", str(SEED), "--db", str(other))
    result = factmark("import-verdicts", str(out), "--db", str(other))
    assert result.returncode == 0, result.stderr
    with Store.open(other, readonly=True) as store:
        got = verdicts.current(store, a, "alice")
    assert (got["verdict"], got["note"]) == ("unsourced", "-5% is wrong")


def test_merge_adds_work_once_and_reports_conflicts(db: Path, tmp_path: Path) -> None:
    laptop = tmp_path / "laptop.db"
    factmark("import", str(SEED), str(SAMPLE / "003_28a4533ba83c704f.txt"), "--db", str(laptop))
    with Store.open(laptop) as store:
        offline = [c["id"] for c in claims.for_article(store, 1)][:2]
        for claim_id in offline:
            verdicts.record(store, claim_id, "dan", "verified")
        verdicts.record(store, offline[0], "alice", "disputed")
    decide(db, "alice", {claim_ids(db, 1)[0]: "verified"})

    first = factmark("merge", str(laptop), "--db", str(db))
    assert first.returncode == 0, first.stderr
    err = first.stderr.decode()
    assert "1 articles" in err and "3 verdict events" in err and "1 conflicts" in err
    second = factmark("merge", str(laptop), "--db", str(db))
    assert "0 articles, 0 claims, 0 verdict events" in second.stderr.decode()
    with Store.open(db, readonly=True) as store:
        assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        assert verdicts.current(store, claim_ids(db, 1)[0], "dan")["verdict"] == "verified"
        # Both of alice's events are kept; the newest (the laptop's) is current.
        assert len(verdicts.history(store, claim_ids(db, 1)[0], "alice")) == 2


def test_stats_report_median_time_per_decided_claim(db: Path) -> None:
    ids = claim_ids(db, 3)
    with Store.open(db) as store:
        store.db["annotators"].insert({"name": "alice", "created_at": "x"})
        for claim_id, at in zip(ids, ("10:00:00", "10:00:30", "10:01:40"), strict=True):
            store.db["verdicts"].insert(
                {
                    "id": f"e{claim_id}",
                    "claim_id": claim_id,
                    "annotator": "alice",
                    "verdict": "verified",
                    "created_at": f"2026-01-05T{at}.000000Z",
                }
            )
        figures = stats.summary(store)
    # Gaps of 30 s and 70 s between alice's verdicts: the median is 50 s.
    assert figures.median_seconds_per_claim == 50.0
    assert figures.per_article[0].median_seconds_per_claim == 50.0


def test_compare_and_reveal_name_articles_that_exist(db: Path) -> None:
    for command in (["compare", "--article", "999"], ["reveal", "999"]):
        result = factmark(*command, "--db", str(db))
        assert result.returncode == 1 and result.stderr.decode().strip() == (
            "factmark: no article 999"
        )
    huge = factmark("reveal", "99999999999999999999999", "--db", str(db))
    assert huge.returncode == 2 and b"Traceback" not in huge.stderr


def test_a_class_writing_at_once_loses_nothing(db: Path) -> None:
    students = [f"student{i}" for i in range(8)]
    procs = [start_writer(db, s, 40, stderr=subprocess.PIPE) for s in students]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and "locked" not in err, err
    with Store.open(db, readonly=True) as store:
        assert store.conn.execute("SELECT count(*) FROM verdicts").fetchone()[0] == 8 * 40


def test_claims_are_numbered_as_the_reader_counts_them(tmp_path: Path) -> None:
    """`article/claim`: the claim's place in text order among all its article's
    claims, dismissed ones included, exactly as the reader's `5/18` counter."""
    from factmark.tui.model import ReaderModel

    db = tmp_path / "n.db"
    factmark("import", str(SAMPLE), "--db", str(db))
    with Store.open(db) as store:
        article_id = 2
        model = ReaderModel(store, "reader")
        model.open(article_id)
        dismissed = model.ids[1]
        claims.set_dismissed(store, dismissed, True)
        numbers = claims.numbers(store, article_id)
        for index, claim_id in enumerate(model.ids):
            assert numbers[claim_id] == (article_id, index + 1)
            assert claims.by_number(store, article_id, index + 1) == claim_id
        assert claims.by_number(store, article_id, len(model.ids) + 1) is None
        assert claims.by_number(store, article_id, 0) is None
        assert set(claims.numbers(store)) >= set(numbers)
