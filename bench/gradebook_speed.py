"""How long `factmark export --gradebook` takes as the library grows.

    python bench/gradebook_speed.py [SIZES] [--factmark PATH] [--work DIR]

SIZES is a comma-separated list of article counts (default 3000,6000,20005). Each
database holds that many one-sentence articles (one claim each) and a student's
verdicts on the first 299 claims, as in a class that has read a few hundred articles
of a large library. The databases are built once in DIR (default: a folder under
/tmp) with the `factmark` on PATH, and kept, so that two versions of factmark
(`--factmark`) can be timed on the same files. Prints the wall time of the gradebook
for each size, and the machine's load and reference loop before each run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe

SENTENCE = "Le ministre a annoncé mardi {} milliards d euros pour la santé."
DECIDED = 299


def build(db: Path, count: int, factmark: str) -> None:
    """A database of `count` one-claim articles with one student's verdicts."""
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "articles.jsonl"
        with feed.open("w", encoding="utf-8") as out:
            for i in range(1, count + 1):
                text = SENTENCE.format(i)
                out.write(json.dumps({"id": str(i), "title": f"Santé {i}", "text": text}) + "\n")
        subprocess.run([factmark, "import", "--db", str(db), str(feed)], check=True)
        sheet = Path(tmp) / "verdicts.csv"
        sheet.write_text(
            "claim_id,verdict\n" + "".join(f"{i},verified\n" for i in range(1, DECIDED + 1))
        )
        subprocess.run(
            [factmark, "import-verdicts", "--db", str(db), "--annotator", "carol", str(sheet)],
            check=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="?", default="3000,6000,20005")
    parser.add_argument("--factmark", default=shutil.which("factmark") or "factmark")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "fm-gradebook"))
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    builder = shutil.which("factmark") or args.factmark
    for size in (int(s) for s in args.sizes.split(",")):
        db = work / f"gradebook-{size}.db"
        if not db.exists():
            build(db, size, builder)
        load = os.getloadavg()
        print(f"{describe()}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        start = time.perf_counter()
        subprocess.run(
            [args.factmark, "export", "--gradebook", "--db", str(db)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"{size} articles: gradebook {time.perf_counter() - start:.2f} s", flush=True)


if __name__ == "__main__":
    main()
