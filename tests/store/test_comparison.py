"""compare and the gradebook: claims named as the reader names them, header counts
that mean what they say, work that grows with the library only linearly, and the
gradebook written as the export is."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rich.cells import cell_len

from factmark.store import claims, comparison, verdicts
from factmark.store.database import Store
from factmark.tui.model import ReaderModel
from tests.helpers import SAMPLE, factmark, reader_claim

SENTENCE = "Le ministre a annoncé mardi {} milliards d'euros pour la santé."


def library(db: Path, count: int) -> Path:
    """`db` with `count` one-claim articles, a key and a student who decided every
    claim (the key agreeing on every other one), through the real commands."""
    feed = db.with_name(f"{db.stem}.jsonl")
    feed.write_text(
        "".join(
            json.dumps({"id": str(i), "title": f"Santé {i}", "text": SENTENCE.format(i)}) + "\n"
            for i in range(1, count + 1)
        ),
        encoding="utf-8",
    )
    assert factmark("import", "--db", str(db), str(feed)).returncode == 0
    assert factmark("key", "add", "teacher", "--db", str(db)).returncode == 0
    with Store.open(db) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM claims ORDER BY id")]
        assert len(ids) == count
        with store.write():
            for i, claim_id in enumerate(ids):
                verdicts.record(store, claim_id, "carol", "verified")
                if i % 2:
                    verdicts.record(store, claim_id, "teacher", "disputed")
    return db


def work(db: Path, measure) -> tuple[int, int]:
    """(SQL statements, SQLite virtual machine steps / 10) that `measure(store)` costs:
    counts that do not depend on the machine's load."""
    statements: list[str] = []
    steps = 0

    def step() -> int:
        nonlocal steps
        steps += 1
        return 0  # go on

    with Store.open(db, readonly=True) as store:
        store.conn.set_trace_callback(statements.append)
        store.conn.set_progress_handler(step, 10)
        measure(store)
        store.conn.set_trace_callback(None)
        store.conn.set_progress_handler(None, 0)
    return len(statements), steps


def test_the_gradebook_costs_the_same_statements_and_linear_work_for_twice_the_articles(
    tmp_path: Path,
) -> None:
    small, large = library(tmp_path / "n.db", 100), library(tmp_path / "2n.db", 200)
    rows = {}

    def gradebook(db: Path):
        def run(store: Store) -> None:
            rows[db] = comparison.gradebook(store)

        return work(db, run)

    (small_statements, small_steps), (large_statements, large_steps) = (
        gradebook(small),
        gradebook(large),
    )
    assert (len(rows[small]), len(rows[large])) == (100, 200)
    assert small_statements == large_statements <= 4
    # Comparing article by article made this 4 (quadratic); linear work makes it 2.
    assert large_steps / small_steps < 2.5, (small_steps, large_steps)


def test_compare_on_one_article_reads_that_article_only(tmp_path: Path) -> None:
    small, large = library(tmp_path / "n.db", 100), library(tmp_path / "2n.db", 200)
    costs = [
        work(db, lambda store: comparison.compare(store, article_id=7)) for db in (small, large)
    ]
    assert costs[0][0] == costs[1][0]
    assert costs[1][1] <= costs[0][1] * 1.1 + 1, costs


def test_compare_names_claims_as_the_reader_numbers_them(tmp_path: Path) -> None:
    db = tmp_path / "class.db"
    assert factmark("import", "--db", str(db), str(SAMPLE)).returncode == 0
    with Store.open(db) as store:
        # A reader's claim takes the place of the third detected one: the highest id,
        # third in the text. A dismissed claim before it still counts, as in the reader.
        added = reader_claim(store, 2, 2)
        first = claims.for_article(store, 2)[0]["id"]
        claims.set_dismissed(store, claims.for_article(store, 2)[1]["id"], True)
        for claim_id in (first, added, claims.for_article(store, 3)[4]["id"]):
            verdicts.record(store, claim_id, "alice", "disputed")
            verdicts.record(store, claim_id, "bob", "verified")

    def reader_names(store: Store, claim_ids: list[int]) -> dict[int, str]:
        names = {}
        for claim_id in claim_ids:
            model = ReaderModel(store, "someone")
            assert model.open(claims.article_of(store, claim_id))
            assert model.go_to(claim_id)
            names[claim_id] = f"{model.article_id}/{model.index + 1}"
        return names

    shown = json.loads(factmark("compare", "--db", str(db), "--format", "json").stdout)
    rows = list(
        csv.DictReader(
            io.StringIO(factmark("compare", "--db", str(db), "--format", "csv").stdout.decode())
        )
    )
    table = factmark("compare", "--db", str(db)).stdout.decode()
    with Store.open(db, readonly=True) as store:
        expected = reader_names(store, [c["claim_id"] for c in shown["claims"]])
    assert expected[added] == "2/3" and expected[first] == "2/1"
    assert {c["claim_id"]: c["claim"] for c in shown["claims"]} == expected
    assert {int(r["claim_id"]): r["claim"] for r in rows} == expected
    for name in expected.values():
        assert f" {name} " in table
    # A teacher over SSH at 80 columns: every line fits, claims cut to the room left.
    narrow = factmark("compare", "--db", str(db), env={"COLUMNS": "80"}).stdout.decode()
    assert max(cell_len(line) for line in narrow.splitlines()) <= 80


def test_compare_header_counts_what_its_labels_say(db_path: Path) -> None:
    assert factmark("import", "--db", str(db_path), str(SAMPLE)).returncode == 0
    assert factmark("key", "add", "teacher", "--db", str(db_path)).returncode == 0
    with Store.open(db_path) as store:
        a, b, c, d, e = (x["id"] for x in claims.for_article(store, 1)[:5])
        for annotator, decided in (
            ("teacher", {a: "verified", b: "disputed", c: "unsourced"}),
            ("alice", {b: "disputed", c: "verified", d: "verified"}),
            ("bob", {d: "disputed", e: "unsourced"}),
        ):
            for claim_id, verdict in decided.items():
                verdicts.record(store, claim_id, annotator, verdict)
    figures = json.loads(
        factmark("compare", "--db", str(db_path), "--format", "json").stdout.decode()
    )
    # The key decided 3; students decided b, c, d, e (4); only d was decided by two.
    assert (figures["key"], figures["key_decided"]) == ("teacher", 3)
    assert {k: figures["class"][k] for k in ("students", "claims", "paired")} == {
        "students": 2,
        "claims": 4,
        "paired": 1,
    }
    assert [(s["annotator"], s["decided"], s["compared"]) for s in figures["students"]] == [
        ("alice", 3, 2),
        ("bob", 2, 0),
    ]
    table = factmark("compare", "--db", str(db_path)).stdout.decode().splitlines()
    assert table[0] == "key: teacher, 3 claims decided"
    # A second key, first by name but empty, is not the one compared with by default.
    assert factmark("key", "add", "answers", "--db", str(db_path)).returncode == 0
    again = factmark("compare", "--db", str(db_path)).stdout.decode().splitlines()
    assert again[0] == "key: teacher, 3 claims decided"
    chosen = factmark("compare", "--db", str(db_path), "--key", "answers").stdout.decode()
    assert chosen.startswith("key: answers, 0 claims decided")
    assert table[1] == "class: 2 students, 4 claims decided by at least one, 1 by two or more"
    assert table[2].startswith("  agreement on that 1: Krippendorff's alpha")


def test_the_gradebook_is_written_as_the_export_is(tmp_path: Path) -> None:
    db = tmp_path / "class.db"
    article = tmp_path / "article.txt"
    article.write_text(
        "Chômage : le ministre se félicite\n\n"
        "Le ministre du Travail a affirmé que le chômage a baissé de 3 % en 2023.\n",
        encoding="utf-8",
    )
    assert factmark("import", "--db", str(db), str(article)).returncode == 0
    with Store.open(db) as store:
        verdicts.record(store, claims.for_article(store, 1)[0]["id"], "student1", "verified")
    for extra in ((), ("--gradebook",)):
        out = tmp_path / f"out{len(extra)}.csv"
        result = factmark("export", "--db", str(db), "--excel", "-o", str(out), *extra)
        assert result.returncode == 0, result.stderr
        assert result.stderr.decode() == f"1 row written to {out}\n"
        written = out.read_bytes()
        assert written.startswith(b"\xef\xbb\xbf") and "Chômage".encode() in written
        to_stdout = factmark("export", "--db", str(db), "--excel", *extra).stdout
        assert to_stdout == written
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_a_figure_rounded_to_zero_is_never_negative_zero() -> None:
    assert str(comparison._round(-0.0001)) == "0.0"  # "-0.0" reads as a disagreement
