"""`factmark stats` and `factmark check`: what the database holds, and whether it is
sound."""

from __future__ import annotations

import click

from .command import EXIT_OK, Call, command
from .output import say, stats_table


@command(
    "stats",
    help="Claims and verdicts per article and for the corpus: claims, current verdicts of "
    "each kind, annotators, and the median time spent per decided claim.",
    examples=["factmark stats", "factmark stats --format json | jq .articles"],
    exits="0 shown, 1 the database refused, 2 a usage error",
)
@click.option(
    "--format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table: for people; json: the figures, for tools.",
)
def stats(call: Call, format: str) -> int:
    from factmark.store import stats as figures_of
    from factmark.store.database import Store

    with Store.open(call.db, readonly=True) as store:
        figures = figures_of.summary(store)
    if format == "json":
        import json

        say(json.dumps(figures.as_dict(), ensure_ascii=False, indent=2))
    else:
        say(stats_table(figures))
    return EXIT_OK


@command(
    "check",
    help="Check the database whole without writing to it: its header, application id and "
    "schema version, and SQLite's quick_check (0.1 s to over a second on large files; "
    "opening a database checks all but the last). Says `sound`, or what is wrong.",
    examples=["factmark check", "factmark check --db ~/news/factmark.db"],
    exits="0 sound, 1 damaged or not a factmark database, 2 a usage error",
)
def check(call: Call) -> int:
    from factmark.store import database, gate

    database.check(call.db)  # StoreError: one line saying what is wrong
    say(f"{gate.path(call.db)}: sound")
    return EXIT_OK
