"""The reader on long articles: time to open one, app time and SQL statements per key.

    python bench/reader_speed.py [--sizes 1,10l,10p] [--presses N] [--budget SECONDS]
                                 [--show-sql]

Articles (generated; each imported with `factmark import` into a fresh temporary
database, so the detector finds the claims):

    1    1 MB in paragraphs of 500-1,000 characters (nine in ten; 300-1,600 at the
         extremes), a blank line between them, of news-like sentences from
         bench/corpus_gen.py in French and English: about 4,200 claims
    10l  10 MB on ONE line, no newline: short French news sentences with numbers and
         weekdays ("Le ministre a annoncé mardi 3 millions d'euros pour la santé. "):
         about 147,000 claims
    10p  10 MB in paragraphs, as `1`: about 42,000 claims

Each is driven with Pilot at 80x24 (`FactmarkApp(db, annotator, sample)`,
`app.run_test(size=(80, 24), notifications=True)`): Enter in the library opens the
article, then the keys `1 n p space z 2 3` are pressed in that order, round and round,
N times each (default 100). In a round `1` decides a claim (verified) and moves on,
`n`/`p` move, `space` goes to the next pending claim, `z` undoes the `1`, and `2`/`3`
decide (disputed, unsourced): two claims decided per round. `--budget` caps the time
spent pressing keys on one article (default 300 s; the old reader took 16-26 s a
verdict on a 10 MB one-line article): when it runs out, that article stops early and
its summary says so.

The window of a key press runs from just before `pilot.press(key)` to the return of
the last `pilot.pause()` that settles it: after the press Pilot waits for any worker
the key started (`app.workers`), then pauses again and again (at most six times)
until a pause brings no new SQL statement and no widget renders a line, so nothing
one key does spills into the next one's window. Pilot runs the app on this, the main
thread, in the same event loop. Measured for each window:

* **app**, the figure the targets are about: CPU time of the main thread over the
  window (`time.thread_time()`). It counts everything the app does for the key on
  its one thread: dispatch and binding, the action, the CPU part of every SQL
  statement, layout, and the compositor rendering the changed lines. It also counts
  Pilot's own CPU in the window (posting the key, waking every 20 ms in its waits
  for idle, walking the screen's widgets): nothing is subtracted; the **harness
  floor** shows how big that share is: the same figure for a key bound to nothing
  (`f12`, 20 presses), printed beside the results. It leaves out: time spent
  waiting rather than computing, above all the disk flush (fsync) of a verdict's
  COMMIT (the store writes with `synchronous = FULL`; see the disk line below);
  turning a frame into terminal escape sequences and writing them (headless Textual
  does neither); and CPU of other threads (their total is printed when it is not
  negligible). A busy neighbour on the machine does not inflate it.
* **net**: app less the median app of the harness floor measured in the same run:
  the app's own work for the key, Pilot's share taken out.
* **drawn**: wall time from the key to the last line any widget rendered in the
  window (the last call of a `render_line`, timed by wrapping that public method on
  the widget classes in use: `Widget`, `ArticleView` and the classes of the screen's
  widgets). It is what the reader waits for the screen to change, the disk flush and
  Textual's frame pacing (a repaint waits for the 1/60 s update timer) included, the
  terminal left out; usually Pilot's fixed waits are not in it, since the app draws
  while Pilot sleeps. On a loaded machine it includes time the process was
  descheduled. None when nothing rendered (the floor key).
* **frame**: wall time of the whole window, so it includes Pilot's fixed waits
  (`pilot.press` and every `pilot.pause` sleep at least 20 ms while they wait for
  the process to be idle): an upper bound on what a reader waits, and the cost of a
  press in this benchmark.
* **SQL**: statements run on `app.store.conn` (`set_trace_callback`) in the window,
  trigger bodies not counted; `tx` says how many of them only begin or end a
  transaction or savepoint. `--show-sql` prints the statements of the first press of
  each key.
* **disk**: since app leaves the commit's flush out, the flush is measured on its
  own: after the run, 20 one-row write transactions in a scratch database in the
  same folder, with the store's journal mode and `synchronous` (read from
  `app.store.conn`), each COMMIT timed in wall time. Printed with the keys that
  commit and how many COMMITs each runs (median): drawn and frame include that wait,
  app does not.

The open is timed in the same window, from Enter in the library: its figure is the
wall time from Enter to the last line the reader's article view rendered (the last
`ArticleView.render_line` call), printed with its app, frame and SQL.

Only public APIs are used: of factmark, `factmark import`, `FactmarkApp`, its
`ArticleView` and `app.store.conn`; of Textual, Pilot (`press`, `pause`),
`app.workers`, `app.active_bindings`, `app.screen`, `walk_children` and the public
`render_line` of widget classes, wrapped for the run and restored after it; of
Python, `time` and `sqlite3`. The machine and load come first; each article's figures
are printed with the load average and the reference loop (bench/machine.py) before
and after.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_gen import articles
from machine import describe, reference_seconds
from textual.widget import Widget

import factmark.tui.app as app_module
from factmark.tui.app import FactmarkApp
from factmark.tui.article_view import ArticleView

ROOT = Path(__file__).resolve().parent.parent
KEYS = ("1", "n", "p", "space", "z", "2", "3")
WORKER_PATIENCE_S = 300.0
SETTLING_PAUSES = 6
FLOOR_PRESSES = 20
COMMIT_SAMPLES = 20
TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"}
COMMITS = {"COMMIT", "END"}
UNBOUND = ("f12", "f11", "f10", "ctrl+underscore")  # the first one bound to nothing
SIZES = {
    "1": ("1 MB in paragraphs", 1.0, False),
    "10l": ("10 MB on one line", 10.0, True),
    "10p": ("10 MB in paragraphs", 10.0, False),
}


# --- articles -------------------------------------------------------------------


def one_line(megabytes: float, seed: int = 13) -> str:
    """Short French news sentences, each a claim, on one line with no newline."""
    rng = random.Random(seed)
    who = ["Le ministre", "La ministre", "Le gouvernement", "La région", "Le maire"]
    days = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    what = ["la santé", "l'école", "les routes", "la recherche", "le logement", "la police"]
    limit, size, out = int(megabytes * 1e6), 0, []
    while True:
        sentence = (
            f"{rng.choice(who)} a annoncé {rng.choice(days)} {rng.randint(2, 999)} "
            f"millions d'euros pour {rng.choice(what)}. "
        )
        if size + len(sentence.encode()) > limit:
            return "".join(out).rstrip(" ")
        out.append(sentence)
        size += len(sentence.encode())


def in_paragraphs(megabytes: float, seed: int = 7) -> tuple[str, list[int]]:
    """Paragraphs of 500-1,000 characters (nine in ten), a blank line between them,
    under a title; and the paragraphs' lengths."""
    limit = int(megabytes * 1e6)
    title = f"Un long article en paragraphes ({megabytes:g} Mo)"
    pieces: list[str] = []
    size = len(title.encode()) + 2
    current = ""
    count = int(megabytes * 1e6 / 3000) + 10
    for article in articles(count, seed=seed):
        for paragraph in [p for p in article.split("\n")[2:-2] if p]:
            if current and len(current) >= 300 and len(current) + len(paragraph) > 1000:
                pieces.append(current)
                size += len(current.encode()) + 2
                current = ""
            current = f"{current} {paragraph}" if current else paragraph
            if len(current) >= 500:
                pieces.append(current)
                size += len(current.encode()) + 2
                current = ""
            if size >= limit:
                break
        if size >= limit:
            break
    while size > limit:
        size -= len(pieces.pop().encode()) + 2
    return "\n\n".join([title, *pieces]) + "\n", [len(p) for p in pieces]


def import_article(text: str, folder: Path, name: str) -> tuple[Path, float, str]:
    """`factmark import` into a fresh database; its path, the import's wall time, and
    the number of claims stored."""
    path, db = folder / f"{name}.txt", folder / f"{name}.db"
    path.write_text(text, encoding="utf-8")
    script = Path(sys.executable).with_name("factmark")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "factmark"]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "import", "--db", str(db), str(path)], capture_output=True, text=True
    )
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"import failed: {done.stdout}{done.stderr}")
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            claims = f"{conn.execute('SELECT count(*) FROM claims').fetchone()[0]:,}"
    except sqlite3.Error:
        claims = "?"
    return db, took, claims


# --- measuring ------------------------------------------------------------------


class Renders:
    """Counts the lines widgets render, and when the last one (and the article
    view's last one) was rendered, by wrapping the public `render_line` of the widget
    classes in use; `restore()` puts the originals back."""

    def __init__(self) -> None:
        self.count = 0
        self.last: float | None = None
        self.view_last: float | None = None  # the last line of an ArticleView
        self.originals: dict[type, object] = {}

    def reset(self) -> None:
        self.count = 0
        self.last = self.view_last = None

    def wrap(self, cls: type) -> None:
        if cls in self.originals or "render_line" not in cls.__dict__:
            return
        original = cls.__dict__["render_line"]
        renders = self

        def render_line(widget, y):
            strip = original(widget, y)
            renders.count += 1
            renders.last = time.perf_counter()
            if isinstance(widget, ArticleView):
                renders.view_last = renders.last
            return strip

        self.originals[cls] = original
        cls.render_line = render_line

    def watch(self, screen) -> None:
        """Wrap every public class of the screen's widgets that defines `render_line`."""
        for node in screen.walk_children(with_self=True):
            for cls in type(node).__mro__:
                if not cls.__name__.startswith("_"):
                    self.wrap(cls)

    def restore(self) -> None:
        for cls, original in self.originals.items():
            cls.render_line = original
        self.originals.clear()


@dataclass
class Sample:
    key: str
    app: float  # CPU seconds of the main thread over the window
    drawn: float | None  # wall, key to the last line rendered (None: nothing rendered)
    view: float | None  # wall, key to the last line the article view rendered
    frame: float  # wall, the whole window, Pilot's waits included
    others: float  # CPU seconds of other threads over the window
    sql: int
    control: int  # of `sql`, statements that only begin or end a transaction or savepoint
    commits: int  # of `control`, COMMIT (or END)
    statements: list[str]


@dataclass
class Probe:
    """Times key presses on the running app: CPU, renders and SQL statements."""

    renders: Renders = field(default_factory=Renders)
    sql: int = 0
    control: int = 0
    commits: int = 0
    statements: list[str] = field(default_factory=list)

    def attach(self, app: FactmarkApp) -> bool:
        self.renders.wrap(Widget)
        self.renders.wrap(ArticleView)
        self.renders.watch(app.screen)
        conn = getattr(getattr(app, "store", None), "conn", None)
        if conn is None:
            return False
        conn.set_trace_callback(self._statement)
        return True

    def _statement(self, sql: str) -> None:
        if sql.lstrip().startswith("--"):  # "-- TRIGGER name": a trigger's body
            return
        self.sql += 1
        verb = sql.split(None, 1)[0].upper()
        self.control += verb in TRANSACTION_CONTROL
        self.commits += verb in COMMITS
        self.statements.append(" ".join(sql.split()))

    async def press(self, pilot, key: str) -> Sample:
        self.renders.reset()
        self.statements.clear()
        self.sql = self.control = self.commits = 0
        app = pilot.app
        running = set(app.workers)
        start, cpu, process = time.perf_counter(), time.thread_time(), time.process_time()
        await pilot.press(key)
        started = [w for w in app.workers if w not in running]  # work the key left running
        if started:
            await asyncio.wait_for(app.workers.wait_for_complete(started), WORKER_PATIENCE_S)
        for _ in range(SETTLING_PAUSES):  # until a pause brings no render and no SQL
            seen = (self.renders.count, self.sql)
            await pilot.pause()
            if (self.renders.count, self.sql) == seen:
                break
        end, end_cpu, end_process = time.perf_counter(), time.thread_time(), time.process_time()
        last, view_last = self.renders.last, self.renders.view_last
        return Sample(
            key,
            app=end_cpu - cpu,
            drawn=None if last is None else last - start,
            view=None if view_last is None else view_last - start,
            frame=end - start,
            others=max(0.0, (end_process - process) - (end_cpu - cpu)),
            sql=self.sql,
            control=self.control,
            commits=self.commits,
            statements=list(self.statements),
        )


@dataclass
class Run:
    opened: Sample | None = None
    floor: list[Sample] = field(default_factory=list)
    floor_key: str = ""
    samples: list[Sample] = field(default_factory=list)
    capped: str = ""
    counted_sql: bool = True
    journal: str = ""  # the store's journal mode and synchronous setting
    synchronous: int | None = None
    commit: list[float] = field(default_factory=list)  # seconds, scratch COMMITs
    seconds: float = 0.0


def store_settings(app: FactmarkApp) -> tuple[str, int | None]:
    """The store's journal mode and `synchronous` (0-3), or ("", None)."""
    conn = getattr(getattr(app, "store", None), "conn", None)
    if conn is None:
        return "", None
    return (
        str(conn.execute("PRAGMA journal_mode").fetchone()[0]),
        int(conn.execute("PRAGMA synchronous").fetchone()[0]),
    )


def commit_times(folder: Path, journal: str, synchronous: int) -> list[float]:
    """Wall seconds of COMMIT_SAMPLES one-row write transactions' COMMITs in a scratch
    database in `folder`, with the store's journal mode and synchronous setting."""
    path = folder / "commit-probe.db"
    times = []
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        if journal.isalpha():
            conn.execute(f"PRAGMA journal_mode = {journal}")
        conn.execute(f"PRAGMA synchronous = {int(synchronous)}")
        conn.execute("CREATE TABLE IF NOT EXISTS t (n INTEGER)")
        for n in range(COMMIT_SAMPLES + 1):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t VALUES (?)", (n,))
            start = time.perf_counter()
            conn.execute("COMMIT")
            if n:  # the first one creates the journal
                times.append(time.perf_counter() - start)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return times


async def drive(db: Path, presses: int, budget: float) -> Run:
    run = Run()
    app = FactmarkApp(db, "bench", ROOT / "sample_corpus")
    probe = Probe()
    try:
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await pilot.pause()
            run.journal, run.synchronous = store_settings(app)
            run.counted_sql = probe.attach(app)
            library = app.screen
            run.opened = await probe.press(pilot, "enter")
            if app.screen is library:
                sys.exit("Enter in the library did not open the article")
            probe.renders.watch(app.screen)
            bound = set(app.active_bindings)
            run.floor_key = next(k for k in UNBOUND if k not in bound)
            for _ in range(FLOOR_PRESSES):
                run.floor.append(await probe.press(pilot, run.floor_key))
            started = time.perf_counter()
            for _ in range(presses):
                for key in KEYS:
                    if time.perf_counter() - started > budget:
                        run.capped = (
                            f"stopped by the {budget:.0f} s budget after {len(run.samples)} presses"
                        )
                        break
                    run.samples.append(await probe.press(pilot, key))
                if run.capped:
                    break
            run.seconds = time.perf_counter() - started
    finally:
        probe.renders.restore()
    if run.synchronous is not None:
        run.commit = commit_times(db.parent, run.journal, run.synchronous)
    return run


# --- reporting ------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def report(run: Run, show_sql: bool) -> None:
    opened = run.opened
    assert opened is not None
    sql = f"; SQL {opened.sql} ({opened.control} tx)" if run.counted_sql else ""
    shown = f"{ms(opened.view)} ms wall" if opened.view is not None else "NOT rendered"
    print(
        f"  open: {shown}, Enter to the reader's article view rendered; app "
        f"{ms(opened.app)} ms cpu, frame {ms(opened.frame)} ms{sql}"
    )
    floor = [s.app for s in run.floor]
    floor_p50 = percentile(floor, 0.5) if floor else 0.0
    head = (
        f"  {'key':<6}{'presses':>8}{'app p50':>9}{'app p95':>9}{'net p50':>9}{'net p95':>9}"
        f"{'max':>9}"
        f"{'drawn p50':>10}{'drawn p95':>10}{'frame p95':>10}{'SQL':>6}{'range':>8}{'tx':>4}"
    )
    print(head + "\n  " + "-" * (len(head) - 2))
    groups = [(key, [s for s in run.samples if s.key == key]) for key in KEYS]
    for key, samples in [*groups, ("all", run.samples)]:
        if not samples:
            print(f"  {key:<6}{0:>8}")
            continue
        app = [s.app for s in samples]
        drawn = [s.drawn for s in samples if s.drawn is not None]
        counts = sorted(s.sql for s in samples)
        sql = (
            f"{statistics.median(counts):>6g}{f'{counts[0]}-{counts[-1]}':>8}"
            f"{statistics.median(s.control for s in samples):>4g}"
            if run.counted_sql
            else "   not counted"
        )
        print(
            f"  {key:<6}{len(samples):>8}{ms(percentile(app, 0.5)):>9}"
            f"{ms(percentile(app, 0.95)):>9}"
            f"{ms(percentile(app, 0.5) - floor_p50):>9}{ms(percentile(app, 0.95) - floor_p50):>9}"
            f"{ms(max(app)):>9}"
            f"{ms(percentile(drawn, 0.5)) if drawn else '-':>10}"
            f"{ms(percentile(drawn, 0.95)) if drawn else '-':>10}"
            f"{ms(percentile([s.frame for s in samples], 0.95)):>10}{sql}"
        )
    floor_frame = [s.frame for s in run.floor]
    print(
        "  (ms; app: CPU time of the app's thread, key to settled, Pilot's share included;"
        "\n  net: app less the harness floor's median, the app's own work for the key;"
        "\n  max: of app; drawn: wall, key to the last line rendered; frame: wall, key to"
        "\n  settled, Pilot's waits included; SQL: statements per key, median and range;"
        "\n  tx: of them BEGIN, COMMIT, SAVEPOINT, RELEASE)\n"
        f"  harness floor ({run.floor_key}, bound to nothing, {len(floor)} presses): app "
        f"p50 {ms(percentile(floor, 0.5))}, p95 {ms(percentile(floor, 0.95))} ms; frame "
        f"p50 {ms(percentile(floor_frame, 0.5))}, p95 {ms(percentile(floor_frame, 0.95))} ms"
    )
    if run.commit:
        committing = [
            f"{key} ({statistics.median(s.commits for s in samples):g})"
            for key, samples in groups
            if samples and statistics.median(s.commits for s in samples) > 0
        ]
        print(
            f"  disk: a COMMIT in a scratch database beside this one (journal {run.journal}, "
            f"synchronous {run.synchronous}), {len(run.commit)} times: p50 "
            f"{ms(percentile(run.commit, 0.5))}, p95 {ms(percentile(run.commit, 0.95))} ms "
            f"wall;\n  keys that commit (median COMMITs): {', '.join(committing) or 'none'}; "
            "their drawn and frame include it, their app does not"
        )
    frame = sum(s.frame for s in run.samples)
    print(
        f"  {len(run.samples)} presses in {run.seconds:.1f} s "
        f"({ms(frame / max(1, len(run.samples)))} ms a press with Pilot's waits)"
        + (f"; {run.capped}" if run.capped else "")
    )
    others, own = sum(s.others for s in run.samples), sum(s.app for s in run.samples)
    if others > max(0.005, 0.02 * own):
        print(
            f"  NOTE: other threads used {ms(others)} ms of CPU during the keys' windows "
            f"({ms(own)} ms on the app's thread); app leaves it out"
        )
    if show_sql and run.counted_sql:
        for key in KEYS:
            first = next((s for s in run.samples if s.key == key), None)
            if first is not None:
                print(f"  SQL of the first {key!r} ({first.sql} statements):")
                for statement in first.statements:
                    print(f"    {statement[:110]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10l,10p", help="articles: 1, 10l, 10p")
    parser.add_argument("--presses", type=int, default=100, help="presses of each key")
    parser.add_argument(
        "--budget", type=float, default=300.0, help="seconds of key presses per article"
    )
    parser.add_argument(
        "--show-sql", action="store_true", help="print the SQL of the first press of each key"
    )
    args = parser.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    if unknown := [s for s in sizes if s not in SIZES]:
        parser.error(f"unknown size {', '.join(unknown)} (choose from {', '.join(SIZES)})")
    began = time.perf_counter()
    print(describe())
    print(f"{load()}; code measured: {Path(app_module.__file__).resolve().parent.parent}")
    print(
        f"Pilot at 80x24; keys {' '.join(KEYS)} in turn, {args.presses} presses each; times in ms"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            name, megabytes, single = SIZES[size]
            if single:
                text, shape = one_line(megabytes), "no newline"
            else:
                text, lengths = in_paragraphs(megabytes)
                shape = (
                    f"{len(lengths):,} paragraphs of {min(lengths)}-{max(lengths)} "
                    f"characters (median {statistics.median(lengths):.0f})"
                )
            db, took, claims = import_article(text, Path(tmp), f"article-{size}")
            print(
                f"\n{size}: {name}: {len(text.encode()) / 1e6:.2f} MB, {shape}, "
                f"{claims} claims; `factmark import` {took:.1f} s"
            )
            print(f"  before: {load()}; reference loop {reference_seconds():.2f} s")
            run = asyncio.run(drive(db, args.presses, args.budget))
            report(run, args.show_sql)
            print(f"  after: {load()}; reference loop {reference_seconds():.2f} s")
    print(f"\nwhole run: {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
