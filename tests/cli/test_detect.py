"""`factmark detect` and `factmark redetect`: the JSONL contract and keeping reader work."""

from __future__ import annotations

import json
from pathlib import Path

from factmark.store import claims, verdicts
from factmark.store.database import Store
from tests.helpers import SAMPLE, factmark, reader_claim

FIELDS = {
    "path",
    "article",
    "language",
    "language_known",
    "start",
    "end",
    "text",
    "score",
    "attributed",
    "source",
    "vague_source",
    "cues",
}


def test_jsonl_meets_the_contract_and_indexes_the_stored_text(db_path: Path) -> None:
    result = factmark("detect", str(SAMPLE), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(records) >= 40
    factmark("import", str(SAMPLE), "--db", str(db_path))
    with Store.open(db_path, readonly=True) as store:
        texts = {
            r["path"]: r["text"] for r in store.conn.execute("SELECT path, text FROM articles")
        }
    for record in records:
        assert set(record) == FIELDS
        assert record["text"] == texts[record["path"]][record["start"] : record["end"]]
        assert 0 <= record["score"] <= 1 and record["language"] == "fr"
        assert isinstance(record["attributed"], bool) and isinstance(record["cues"], list)
        assert record["source"] is None or isinstance(record["source"], str)


def test_output_is_byte_for_byte_deterministic() -> None:
    first = factmark("detect", str(SAMPLE), "--format", "jsonl").stdout
    assert first and first == factmark("detect", str(SAMPLE), "--format", "jsonl").stdout


def test_jsonl_records_name_their_article_by_id(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "afp-42",
                "text": "Titre\n\nLe ministre a annoncé mardi "
                "la suppression de 4 500 postes d'ici 2025.",
            }
        )
        + "\n"
    )
    (record,) = [
        json.loads(x)
        for x in factmark("detect", str(path), "--format", "jsonl").stdout.decode().splitlines()
    ]
    assert record["article"] == "afp-42" and record["path"] == str(path)


def test_threshold_and_all_change_what_is_printed() -> None:
    seed = str(SAMPLE / "003_28a4533ba83c704f.txt")
    default = factmark("detect", seed).stdout.decode().splitlines()
    strict = factmark("detect", seed, "--threshold", "0.9").stdout.decode().splitlines()
    every = factmark("detect", seed, "--all").stdout.decode().splitlines()
    assert len(strict) < len(default) < len(every)
    assert factmark("detect", seed, "--threshold", "2").returncode == 2


def test_redetect_keeps_judged_and_reader_claims(db_path: Path) -> None:
    factmark("import", str(SAMPLE / "000_31e52ad88bccfe9c.txt"), "--db", str(db_path))
    with Store.open(db_path) as store:
        detected = claims.for_article(store, 1)
        judged = detected[0]["id"]
        verdicts.record(store, judged, "ann", "unsourced")
        mine = reader_claim(store, 1, 1)
        before = len(detected)
    result = factmark("redetect", "--db", str(db_path))
    assert (
        result.returncode == 0
        and "2 claims with verdicts or added by readers kept" in result.stderr.decode()
    )
    with Store.open(db_path) as store:
        after = {c["id"]: c for c in claims.for_article(store, 1)}
        assert judged in after and mine in after
        # The same detections again, except where the reader's claim took one's place.
        assert len(after) == before and after[mine]["origin"] == "reader"
        assert verdicts.current(store, judged, "ann")["verdict"] == "unsourced"


DUTCH = (
    "De regering heeft gisteren 300 miljoen euro uitgetrokken voor de bouw van nieuwe "
    "woningen in Utrecht en Rotterdam.\n\nDe minister zei dat de plannen al in 2019 waren "
    "aangekondigd en dat de eerste huizen volgend jaar klaar zijn.\n"
)


def test_a_language_the_detector_does_not_know_is_reported_as_such(tmp_path: Path) -> None:
    dutch = tmp_path / "nieuws.txt"
    dutch.write_text(DUTCH, encoding="utf-8")
    result = factmark("detect", str(dutch), str(SAMPLE), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    warnings = result.stderr.decode().splitlines()
    assert len(warnings) == 1
    assert "nieuws.txt" in warnings[0] and "'nl'" in warnings[0] and "guess" in warnings[0]
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    known = {r["language"]: r["language_known"] for r in records}
    assert known == {"nl": False, "fr": True}


def test_a_text_of_one_line_is_judged_as_a_sentence_not_a_title(tmp_path: Path) -> None:
    # A sentence fed alone (a debate turn, a post) has no body for it to head.
    alone = tmp_path / "turn.txt"
    alone.write_text("We created two million jobs in the last four years.\n", encoding="utf-8")
    headed = tmp_path / "story.txt"
    headed.write_text(
        "We created two million jobs in the last four years\n\n"
        "The Labor Department said on Friday that 2.1 million jobs were added since 2021.\n",
        encoding="utf-8",
    )
    result = factmark("detect", "--all", str(alone), str(headed))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    turn = [line for line in lines if line.startswith(str(alone))]
    story = [line for line in lines if line.startswith(str(headed))]
    assert len(turn) == 1 and "[title]" not in turn[0] and " 0.00 " not in turn[0]
    assert "[title]" in story[0]  # where a title stands, it is still one
