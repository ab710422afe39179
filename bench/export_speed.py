"""How fast `factmark export` writes the current verdicts as CSV, against a bare baseline.

    python bench/export_speed.py [--verdicts N] [--rounds R] [--factmark PATH]
                                 [--before PATH] [--work DIR]

Builds (once, and keeps in DIR, default a folder under /tmp) a database holding N
current verdicts (default 1,000,000): the schema comes from `Store.open`, the rows
from bulk SQL `executemany` in one transaction, since a million `verdicts.record`
calls would take an hour. Two annotators decide every claim, 20 claims an article;
one verdict in ten has an older event it supersedes, so the `current_verdicts` view
has work to do. Most notes are empty (NULL) or plain; one verdict in ten has a note
that is quoted, multi-line, non-ASCII or formula-like ("=HYPERLINK(...)", "-3 %",
"@agency"), and one article title in 97 starts with "+": every batch of rows the
export screens holds cells it must neutralise.

Then times, interleaved in R paired rounds (default 5, the order alternating), two
commands that each start a Python process and write the CSV to a file:

- factmark: `factmark export --db DB -o FILE`, as a user runs it;
- baseline: Python's sqlite3 module and csv.writer (CRLF, text quoted, as factmark's
  writer) on exactly the query and columns factmark's export reads, with no
  neutralisation of formulas or control characters.

With `--before PATH`, an older factmark is timed in the same rounds too. Prints the
machine (bench/machine.py) and its load average before each round, the min/median/max
wall time of each command, and the throughput ratio (baseline time / factmark time:
1.0 means as fast as the baseline, the goal is >= 0.9).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe

CLAIMS_PER_ARTICLE = 20
ANNOTATORS = ("ann", "bob")

# The query factmark's export of current verdicts runs (store/export.py), written out
# here so that the baseline stays what it is whatever factmark's code becomes.
QUERY = """
    SELECT a.id AS article_id, a.title AS article_title, a.path AS article_path,
           a.language, c.id AS claim_id, c.start AS claim_start, c."end" AS claim_end,
           c.text AS claim_text, v.verdict, v.annotator, v.note, v.evidence_url,
           v.created_at AS decided_at, v.id AS event_id
    FROM current_verdicts v
    JOIN claims c ON c.id = v.claim_id
    JOIN articles a ON a.id = c.article_id
    WHERE (:annotator IS NULL OR v.annotator = :annotator)
      AND coalesce(v.verdict, v.note, v.evidence_url) IS NOT NULL
    ORDER BY a.id, c.start, c.id, v.annotator, v.created_at, v.rowid
"""

BASELINE = f"""
import csv, sqlite3, sys
conn = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
cursor = conn.execute({QUERY!r}, {{"annotator": None}})
with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    out.write(",".join(d[0] for d in cursor.description) + "\\r\\n")
    csv.writer(out, lineterminator="\\r\\n", quoting=csv.QUOTE_NONNUMERIC).writerows(cursor)
"""

NOTES = (
    None,
    None,
    None,
    "Confirmed by the ministry's press release.",
    'The figure is "about 3 billion", not 3.4; see page 2, table 1.',
    "Two sources disagree:\nLe Monde says 12 %\nthe agency says 9 %",
    "Chiffre repris par l'AFP ; vérifié auprès du ministère (réponse écrite).",
    '=HYPERLINK("http://example.org","source")',
    "-3 % on the year, not +3 %",
    "@agency confirmed on 2026-11-02",
    "Источник: Росстат, таблица 4 — 漢字 and emoji 🧐",
)
PLAIN = (None, None, None, "Confirmed by the ministry's press release.", "Figure checked.")
URLS = (None, None, "https://example.org/report.pdf", "https://example.org/a?q=1&lang=fr")
VERDICTS = ("verified", "disputed", "unsourced", "verified", None)
OLDER = "2026-11-01T00:00:00.000000Z"  # before every current event
TEXT = "Le ministre a annoncé mardi {} milliards d'euros pour la santé, selon le communiqué."


def build(db: Path, verdicts: int) -> None:
    """A database with `verdicts` current verdicts (see the module's docstring)."""
    from factmark.store.database import Store

    claims = -(-verdicts // len(ANNOTATORS))
    articles = -(-claims // CLAIMS_PER_ARTICLE)
    partial = db.with_name(db.name + ".partial")
    partial.unlink(missing_ok=True)
    with Store.open(partial) as store:
        conn = store.conn
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO annotators (name, created_at) VALUES (?, '2026-11-01T08:00:00Z')",
            [(name,) for name in ANNOTATORS],
        )
        conn.executemany(
            "INSERT INTO articles (id, path, title, language, text, sha256, imported_at) "
            "VALUES (?, ?, ?, ?, ?, ?, '2026-11-01T08:00:00Z')",
            (
                (
                    a,
                    f"/home/ann/articles/{a:06d}.txt",
                    f"Santé : le budget {a}, « record »" if a % 97 else f"+{a} % for health",
                    "fr" if a % 3 else "en",
                    "x" * 120 * CLAIMS_PER_ARTICLE,
                    f"{a:064x}",
                )
                for a in range(1, articles + 1)
            ),
        )
        conn.executemany(
            'INSERT INTO claims (id, article_id, start, "end", text, origin, created_at) '
            "VALUES (?, ?, ?, ?, ?, 'detector', '2026-11-01T08:00:00Z')",
            (
                (c, (c - 1) // CLAIMS_PER_ARTICLE + 1, s, s + len(TEXT.format(c)), TEXT.format(c))
                for c in range(1, claims + 1)
                for s in [((c - 1) % CLAIMS_PER_ARTICLE) * 120]
            ),
        )

        def events():
            made = 0
            for c in range(1, claims + 1):
                for k, name in enumerate(ANNOTATORS):
                    if made == verdicts:
                        return
                    i = c * len(ANNOTATORS) + k
                    day = f"2026-11-{2 + i % 27:02d}T{i % 24:02d}:{i % 60:02d}:{i % 59:02d}"
                    if i % 10 == 0:  # an older event, superseded by the current one
                        yield (str(uuid.uuid4()), c, name, "disputed", None, None, OLDER)
                    verdict = VERDICTS[i % len(VERDICTS)]
                    note = NOTES[i // 10 % len(NOTES)] if i % 10 == 3 else PLAIN[i % len(PLAIN)]
                    if verdict is None and note is None:
                        note = "Undecided: waiting for the agency's answer."
                    url = URLS[i % len(URLS)]
                    yield (
                        str(uuid.uuid4()),
                        c,
                        name,
                        verdict,
                        note,
                        url,
                        day + f".{i % 10**6:06d}Z",
                    )
                    made += 1

        conn.executemany(
            "INSERT INTO verdicts (id, claim_id, annotator, verdict, note, evidence_url, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            events(),
        )
        conn.execute("COMMIT")
    partial.rename(db)


def run(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def lines(path: Path) -> int:
    """Rows in a CSV file whose cells may hold line breaks (not CRLF, which ends rows)."""
    count, last = 0, b""
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            count += chunk.count(b"\r\n") + (last == b"\r" and chunk[:1] == b"\n")
            last = chunk[-1:]
    return count


def spread(times: list[float]) -> str:
    return (
        f"min {min(times):.2f} s, median {statistics.median(times):.2f} s, max {max(times):.2f} s"
    )


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verdicts", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    beside = Path(sys.executable).with_name("factmark")
    parser.add_argument("--factmark", default=str(beside) if beside.exists() else "factmark")
    parser.add_argument("--before", help="another factmark (an older version) to time too")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "fm-export"))
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    db = work / f"verdicts-{args.verdicts}-v2.db"
    print(describe())
    print(load())
    if not db.exists():
        start = time.perf_counter()
        build(db, args.verdicts)
        print(f"built {db} in {time.perf_counter() - start:.1f} s")
    print(f"database: {db} ({db.stat().st_size / 1e6:.0f} MB), {args.verdicts:,} current verdicts")
    mine, theirs = work / "factmark.csv", work / "baseline.csv"
    factmark = [args.factmark, "export", "--db", str(db), "-o", str(mine)]
    baseline = [sys.executable, "-c", BASELINE, str(db), str(theirs)]
    commands = {"factmark": factmark, "baseline": baseline}
    if args.before:
        commands["before"] = [args.before, *factmark[1:-1], str(work / "before.csv")]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(args.rounds):
        order = list(commands) if round_ % 2 == 0 else list(reversed(commands))
        took = {}
        for name in order:
            took[name] = run(commands[name])
            times[name].append(took[name])
        print(
            f"round {round_ + 1}: "
            + ", ".join(f"{name} {took[name]:.2f} s" for name in commands)
            + f", ratio {took['baseline'] / took['factmark']:.2f}; {load()}"
        )
    rows = lines(mine) - 1, lines(theirs) - 1
    if rows[0] != rows[1]:
        sys.exit(f"the two files differ in rows: factmark {rows[0]}, baseline {rows[1]}")
    print(f"rows exported: {rows[0]:,} ({mine.stat().st_size / 1e6:.0f} MB)")
    print(f"factmark export: {spread(times['factmark'])}")
    print(f"baseline:        {spread(times['baseline'])}")
    if args.before:
        print(f"before:          {spread(times['before'])}")
        before = sorted(b / f for f, b in zip(times["before"], times["baseline"], strict=True))
        print(f"throughput ratio of before: median of rounds {statistics.median(before):.2f}")
    medians = statistics.median(times["baseline"]) / statistics.median(times["factmark"])
    ratios = sorted(b / f for f, b in zip(times["factmark"], times["baseline"], strict=True))
    print(
        f"throughput ratio (baseline time / factmark time): median of rounds "
        f"{statistics.median(ratios):.2f} (min {ratios[0]:.2f}, max {ratios[-1]:.2f}); "
        f"of medians {medians:.2f}"
    )
    print(describe())
    print(load())


if __name__ == "__main__":
    main()
