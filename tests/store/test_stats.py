"""`factmark stats` reads whatever the append-only verdict log holds: a date an older
merge or a hand edit stored cannot be taken out again, so it must not stop the stats."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.helpers import SAMPLE, factmark

SEED = SAMPLE / "000_31e52ad88bccfe9c.txt"
# Three of alice's verdicts, 30 s and 70 s apart: a median of 50 s per decided claim.
TIMES = ("2026-01-05T10:00:00.000000Z", "2026-01-05T10:00:30Z", "2026-01-05T10:01:40.000000Z")
BAD_DATES = {
    "words": "yesterday",
    "local-time": "2026-01-05 10:00:45",
    "offset": "2026-01-05T10:00:45+01:00",
    "no-such-day": "2026-02-30T10:00:45.000000Z",
    "number": 1767607245,
    "blob": b"\xff\xfe",
}


@pytest.fixture
def db(db_path: Path) -> Path:
    """The seed article with alice's three verdicts, written as factmark writes them
    (one without the fraction of a second)."""
    assert factmark("import", str(SEED), "--db", str(db_path)).returncode == 0
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("INSERT INTO annotators VALUES ('alice', 0, '2026-01-05T09:00:00Z')")
        for n, at in enumerate(TIMES, 1):
            conn.execute(
                "INSERT INTO verdicts (id, claim_id, annotator, verdict, created_at, action) "
                "VALUES (?, ?, 'alice', 'verified', ?, 'set')",
                [f"e{n}", n, at],
            )
    conn.close()
    return db_path


def stats_json(db: Path) -> dict:
    result = factmark("stats", "--format", "json", "--db", str(db))
    assert result.returncode == 0 and not result.stderr, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("case", BAD_DATES)
def test_a_bad_date_in_the_log_is_left_out_of_the_medians(db: Path, case: str) -> None:
    conn = sqlite3.connect(db)
    with conn:  # a new event between alice's, then an old one rewritten
        conn.execute(
            "INSERT INTO verdicts (id, claim_id, annotator, verdict, created_at, action) "
            "VALUES ('bad', 4, 'alice', 'disputed', ?, 'set')",
            [BAD_DATES[case]],
        )
        conn.execute("DROP TRIGGER verdicts_no_update")
        conn.execute("UPDATE verdicts SET created_at = ? WHERE id = 'e1'", [BAD_DATES[case]])
    conn.close()

    table = factmark("stats", "--db", str(db))
    assert table.returncode == 0 and not table.stderr, table.stderr
    assert "median time per decided claim: 70 s" in table.stdout.decode()
    figures = stats_json(db)
    assert figures["events"] == 4 and figures["median_seconds_per_claim"] == 70.0


def test_dates_with_and_without_a_fraction_both_count(db: Path) -> None:
    figures = stats_json(db)
    assert figures["median_seconds_per_claim"] == 50.0
    assert figures["per_article"][0]["median_seconds_per_claim"] == 50.0


def test_the_table_fits_an_80_column_terminal(tmp_path: Path) -> None:
    """Over SSH at 80x24: every line of `stats` fits, long titles cut with an ellipsis."""
    article = tmp_path / "long.txt"
    title = "Un titre très long " * 8
    article.write_text(
        f"{title}\n\nLe gouvernement a annoncé lundi un plan de 3 milliards d'euros.\n",
        encoding="utf-8",
    )
    db = tmp_path / "f.db"
    assert factmark("import", str(article), "--db", str(db)).returncode == 0
    table = factmark("stats", "--db", str(db), env={"COLUMNS": "80"})
    lines = table.stdout.decode().splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert any(line.rstrip().endswith("…") and "Un titre très long" in line for line in lines)
