"""`factmark export`: the verdicts, an answer key to fill in, or the gradebook, as CSV.

To standard output, or to a file written through `store.writing.output` (whole to a
temporary file, then moved into place; never the database).
"""

from __future__ import annotations

import os
import sys
from functools import partial
from pathlib import Path

import click

from .command import EXIT_OK, EXIT_USAGE, Call, command
from .output import say, stdout_text, warn


@command(
    "export",
    help="Export verdicts as CSV (RFC 4180, UTF-8, CRLF line ends) to standard output, or "
    "to FILE with -o: one row per claim and annotator with the current verdict. Every "
    "text cell is quoted, and a cell a spreadsheet would run as a formula is shown as "
    "text.",
    examples=[
        "factmark export -o verdicts.csv",
        "factmark export --history --annotator alice | less",
        "factmark export --template -o key.csv --excel --delimiter ';'",
        "factmark export --gradebook -o grades.csv",
    ],
    exits="0 written, 1 the database or the output file refused, 2 a usage error "
    "(--template with --gradebook or --history)",
)
@click.option(
    "--format",
    type=click.Choice(["csv"]),
    default="csv",
    show_default=True,
    help="The file format: CSV.",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    type=click.Path(readable=False),
    help="Write to FILE (written whole, then moved into place; never the database); '-' "
    "is standard output.",
)
@click.option(
    "--delimiter",
    type=click.Choice([",", ";", "tab"]),
    default=",",
    show_default=True,
    help="The cell separator: ';' for spreadsheets set to French or German.",
)
@click.option(
    "--excel",
    is_flag=True,
    help="Start with a byte-order mark, so spreadsheet programs read accents right.",
)
@click.option("--history", is_flag=True, help="Every verdict event, not only current verdicts.")
@click.option(
    "--template",
    is_flag=True,
    help="An answer key to fill in: a row for every claim not dismissed, decided or not, "
    "with your verdicts (--annotator's) filled in; read it back with import-verdicts.",
)
@click.option(
    "--gradebook",
    is_flag=True,
    help="One row per student and article: claims decided, agreement with the key.",
)
@click.option("--key", metavar="NAME", help="The answer key for --gradebook (default: the first).")
def export(
    call: Call,
    format: str,
    output: str | None,
    delimiter: str,
    excel: bool,
    history: bool,
    template: bool,
    gradebook: bool,
    key: str | None,
) -> int:
    from factmark.store import export as csv
    from factmark.store.database import Store

    separator = "\t" if delimiter == "tab" else delimiter
    if template and (gradebook or history):
        warn("export: --template cannot go with --gradebook or --history")
        return EXIT_USAGE
    with Store.open(call.db, readonly=True) as store:
        if template:
            from factmark.store import template as sheet

            write = partial(
                csv.write_rows,
                columns=sheet.COLUMNS,
                rows=sheet.rows(store, call.annotator()),
                delimiter=separator,
            )
        elif gradebook:
            from factmark.store.comparison import GRADEBOOK_COLUMNS
            from factmark.store.comparison import gradebook as grades

            write = partial(
                csv.write_rows,
                columns=GRADEBOOK_COLUMNS,
                rows=grades(store, key),
                delimiter=separator,
            )
        else:
            write = partial(
                csv.write_verdicts,
                store=store,
                history=history,
                annotator=call.annotator() if call.annotator_option else None,
                delimiter=separator,
                # The output file's own folder, for the part a second process writes.
                scratch=None if output in (None, "-") else Path(os.path.realpath(output)).parent,
            )

        encoding = "utf-8-sig" if excel else "utf-8"
        if output in (None, "-"):  # "-" is standard output, as usual
            with stdout_text(encoding) as out:
                write(out)
            return EXIT_OK
        from factmark.store.writing import output as replacing

        # A class's key and grades stay the teacher's, even inside the class folder.
        private = call.place is not None and call.place.teacher
        with replacing(output, protect=[call.db], encoding=encoding, private=private) as out:
            count = write(out)
    written = "1 row" if count == 1 else f"{count} rows"
    alone = " (readable by you alone)" if private else ""
    say(f"{written} written to {output}{alone}", file=sys.stderr)
    return EXIT_OK
