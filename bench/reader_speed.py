"""The reader on a long article: time to open it, and to move to the next claim.

    python bench/reader_speed.py [MEGABYTES] [CLAIMS]     (default 1 MB, 5,000 claims)

Builds one article of that size with that many claims in a temporary database, then
drives the app with Pilot (headless, 120x40): the time from Enter in the library to
the article's rows rendered, and for each of 300 presses of `n`, the time until the
article view has rendered its rows again. Prints the open time and the next-claim
median and p95.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_gen import articles

from factmark.corpus.article import Article, Claim, sha256_of
from factmark.store import articles as stored_articles
from factmark.store import claims
from factmark.store.database import Store
from factmark.tui.app import FactmarkApp
from factmark.tui.article_view import ArticleView

ROOT = Path(__file__).resolve().parent.parent


def long_article(megabytes: float, count: int) -> tuple[str, list[Claim]]:
    text = ""
    for piece in articles(int(megabytes * 1e6 / 4000) + 1, seed=7):
        text += piece + "\n"
        if len(text.encode()) >= megabytes * 1e6:
            break
    spans, position = [], 0
    for line in text.split("\n"):  # claims never cross a line break
        cuts = [position, *(position + m.end() for m in re.finditer(r"[.,] ", line))]
        spans += [(a, b - 1) for a, b in pairwise(cuts) if b - 1 > a]
        position += len(line) + 1
    step = max(1, len(spans) // count)
    found = [Claim(a, b, 0.8, ("number",)) for a, b in spans[::step][:count]]
    return text, found


async def measure(db: Path) -> tuple[float, list[float]]:
    """Times until the article view has rendered its rows for the new state: the
    moment the repaint is ready to be written to the terminal."""
    rendered: list[float] = []
    render_line = ArticleView.render_line

    def timed(self, y):  # the view's rows are rendered as part of each repaint
        strip = render_line(self, y)
        rendered.append(time.perf_counter())
        return strip

    ArticleView.render_line = timed
    app = FactmarkApp(db, "bench", ROOT / "sample_corpus")
    async with app.run_test(size=(120, 40)) as pilot:
        start = time.perf_counter()
        await pilot.press("enter")
        await pilot.pause()
        opened = max(rendered) - start
        moves = []
        for _ in range(300):
            rendered.clear()
            start = time.perf_counter()
            await pilot.press("n")
            await pilot.pause()
            moves.append(max(rendered) - start)
    ArticleView.render_line = render_line
    return opened, moves


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    text, found = long_article(megabytes, count)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "long.db"
        with Store.open(db) as store:
            article = Article("long.txt", "A long article", text, sha256_of(text.encode()))
            saved = stored_articles.save(store, article)
            claims.add_detected(store, saved.article_id, text, found)
        opened, moves = asyncio.run(measure(db))
    moves.sort()
    print(f"article: {len(text.encode()) / 1e6:.2f} MB, {len(found)} claims")
    print(f"open (enter to painted reader): {opened * 1000:.0f} ms")
    print(
        f"next claim: median {statistics.median(moves) * 1000:.1f} ms, "
        f"p95 {moves[int(len(moves) * 0.95)] * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
