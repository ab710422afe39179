"""`factmark import-verdicts` and `factmark merge`: verdicts from a spreadsheet, and work
from another factmark database."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .command import EXIT_BAD_INPUT, EXIT_OK, Call, command
from .output import say, warn
from .params import PATH


@command(
    "import-verdicts",
    help="Read verdicts from CSV: the export's format or export --template's, with a "
    "verdict and the claim (claim_id, or claim as article/claim) at least; for example "
    "an answer key written in a spreadsheet. Bad rows are reported by line and the good "
    "ones land; a row without a verdict changes nothing. Any encoding a spreadsheet "
    "saves, separated by ',', ';' or tabs.",
    examples=[
        "factmark import-verdicts key.csv",
        "factmark import-verdicts sheet.csv --annotator alice",
    ],
    exits="0 every row read, 1 a row refused (the good ones land) or the database "
    "refused, 2 a usage error",
)
@click.argument("file", type=PATH, metavar="FILE.csv", help="The CSV file to read.")
def import_verdicts(call: Call, file: str) -> int:
    from factmark.store import verdict_import
    from factmark.store.database import Store

    with Store.open(call.db, create=False) as store:
        # In a class the sheet is the user's own: the teacher's key, a student's copy.
        assert call.place is not None
        whose = call.annotator() if call.place.folder else call.annotator_option
        report = verdict_import.import_verdicts(store, Path(file), whose)
    for line in (*report.problems, *report.notes):
        warn(line)
    say(report.summary(), file=sys.stderr)
    return EXIT_BAD_INPUT if report.problems else EXIT_OK


@command(
    "merge",
    help="Bring in another factmark database's articles and verdicts: articles match by "
    "content and verdict events by their id, so merging twice adds nothing. Verdicts on "
    "the same claim in both are reported, and the newest is current. In a class, a "
    "student's file brings their verdicts on the class's claims, as theirs.",
    examples=["factmark merge laptop.db", "factmark merge alice.db bob.db --with-roles"],
    exits="0 merged, 1 a file refused whole (the others merge) or the database refused, "
    "2 a usage error",
)
@click.argument(
    "others",
    nargs=-1,
    required=True,
    type=PATH,
    metavar="OTHER.db...",
    help="The databases to bring in.",
)
@click.option(
    "--with-roles",
    is_flag=True,
    help="Also bring the other files' answer keys (and their verdicts) and reveals; "
    "without it, merge brings work only.",
)
def merge(call: Call, others: tuple[str, ...], with_roles: bool) -> int:
    from factmark.store import merge as merging
    from factmark.store.database import Store
    from factmark.store.errors import StoreError

    assert call.place is not None
    status = EXIT_OK
    # A student's own work, into their copy: their verdicts on the class's claims.
    owner = call.annotator() if call.place.student else None
    if owner and with_roles:
        raise StoreError("--with-roles: keys and reveals are the teacher's in a class")
    with Store.open(call.db) as store:
        for other in others:
            try:
                report = merging.merge(store, Path(other), roles=with_roles, owner=owner)
            except StoreError as exc:  # this file is refused whole; the others still merge
                warn(str(exc))
                status = EXIT_BAD_INPUT
                continue
            for conflict in report.conflicts:
                warn(f"{other}: {conflict}")
            for note in report.notes:
                warn(note)
            say(report.summary(Path(other)), file=sys.stderr)
            if report.refused:
                status = EXIT_BAD_INPUT
    return status
