"""`factmark export`: the verdicts, an answer key to fill in, or the gradebook, as CSV;
the claims and verdicts as JSON Lines, W3C Web Annotation or schema.org ClaimReview
(JSON-LD); or the articles with their claims as labelled spans for doccano, Label
Studio or Prodigy. The formats are written by the store (store/export.py,
jsonl_export.py, web_annotation.py, claim_review.py, labelling_export.py); this module
chooses one and where it goes.

To standard output, or to a file written through `store.writing.output` (whole to a
temporary file, then moved into place; never the database).
"""

from __future__ import annotations

import os
import sys
from functools import partial
from pathlib import Path

import click
from click.core import ParameterSource

from .command import EXIT_OK, Call, command
from .group import OneLine
from .output import say, stdout_text

FORMATS = ("csv", "jsonl", "webannotation", "claimreview", "doccano", "labelstudio", "prodigy")
LABELLING = FORMATS[4:]  # the labelling tools' formats: an article a record
# What each format's count is of, to say how much was written.
COUNTED = {
    "csv": "row",
    "jsonl": "claim",
    "webannotation": "annotation",
    "claimreview": "review",
    **dict.fromkeys(LABELLING, "article"),
}
# The options only the CSV takes, and those the JSON formats take besides -o,
# --annotator and --db; a format refuses the rest.
CSV_ONLY = ("delimiter", "excel", "template", "gradebook", "key")
TAKES = {
    "jsonl": ("history", "every"),
    "webannotation": ("every",),
    "claimreview": (),
    **dict.fromkeys(LABELLING, ("every",)),
}
# Why a JSON format refuses --history or --all.
WHY_NOT = {
    "history": "it holds current verdicts; --format jsonl --history holds every event",
    "every": "a review needs a verdict and a note",
}


def check_options(ctx: click.Context, params: dict) -> None:
    """Refuse what the chosen format cannot do, and the CSV's options that cannot go
    together, before anything is opened: one line, exit 2 (click.UsageError)."""
    fmt = params["format"]
    for name in (*CSV_ONLY, "history", "every"):
        if fmt == "csv" or name in TAKES[fmt] or not params[name]:
            continue
        if ctx.get_parameter_source(name) is not ParameterSource.COMMANDLINE:
            continue
        option = "--all" if name == "every" else f"--{name}"
        if name in CSV_ONLY:
            raise OneLine(f"export: {option} is for --format csv only, not {fmt}")
        raise OneLine(f"export: --format {fmt} cannot go with {option} ({WHY_NOT[name]})")
    if params["template"] and (params["gradebook"] or params["history"]):
        raise OneLine("export: --template cannot go with --gradebook or --history")
    if params["every"] and (params["template"] or params["gradebook"]):
        raise OneLine(
            "export: --all cannot go with --template (which holds every claim already) "
            "or --gradebook"
        )


@command(
    "export",
    help="Export verdicts to standard output, or to FILE with -o. CSV (RFC 4180, UTF-8, "
    "CRLF line ends): one row per claim and annotator with the current verdict; every "
    "text cell is quoted, and a cell a spreadsheet would run as a formula is shown as "
    "text. jsonl: one JSON object per claim, with its article and every annotator's "
    "verdict, note and link. webannotation: a W3C Web Annotation collection (JSON-LD), "
    "an annotation per verdict. claimreview: a JSON array of schema.org ClaimReview "
    "(JSON-LD), one per verdict with a note. doccano, labelstudio, prodigy: one record "
    "per article, its text and its claims as spans labelled with their verdicts, for "
    "those labelling tools. --all adds the claims nobody decided.",
    examples=[
        "factmark export -o verdicts.csv",
        "factmark export --history --annotator alice | less",
        "factmark export --template -o key.csv --excel --delimiter ';'",
        "factmark export --gradebook -o grades.csv",
        "factmark export --format jsonl --all -o claims.jsonl",
        "factmark export --format webannotation -o annotations.jsonld",
        "factmark export --format claimreview --annotator alice",
        "factmark export --format doccano --annotator alice -o alice.jsonl",
        "factmark export --format labelstudio --all -o tasks.json",
        "factmark export --format prodigy -o examples.jsonl",
    ],
    exits="0 written, 1 the database or the output file refused, 2 a usage error (an "
    "option the format does not take, --template with --gradebook, --history or --all)",
    before=check_options,
)
@click.option(
    "--format",
    type=click.Choice(FORMATS),
    default="csv",
    show_default=True,
    metavar="FORMAT",
    help="csv, jsonl (JSON Lines), webannotation (W3C Web Annotation JSON-LD), "
    "claimreview (schema.org ClaimReview JSON-LD), or doccano, labelstudio or prodigy "
    "(span labels). The JSON formats are UTF-8.",
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
    "--all",
    "every",
    is_flag=True,
    help="Every claim, decided or not, dismissed ones too (marked so; CSV adds the "
    "columns origin and dismissed). Not with claimreview.",
)
@click.option(
    "--delimiter",
    type=click.Choice([",", ";", "tab"]),
    default=",",
    show_default=True,
    help="CSV's cell separator: ';' for spreadsheets set to French or German.",
)
@click.option(
    "--excel",
    is_flag=True,
    help="CSV: start with a byte-order mark, so spreadsheet programs read accents right.",
)
@click.option(
    "--history",
    is_flag=True,
    help="Every verdict event, not only current verdicts (csv and jsonl).",
)
@click.option(
    "--template",
    is_flag=True,
    help="CSV: an answer key to fill in: a row for every claim not dismissed, decided or "
    "not, with your verdicts (--annotator's) filled in; read it back with "
    "import-verdicts.",
)
@click.option(
    "--gradebook",
    is_flag=True,
    help="CSV: one row per student and article: claims decided, agreement with the key.",
)
@click.option(
    "--key",
    metavar="NAME",
    help="The answer key for --gradebook (default: the one with the most verdicts).",
)
def export(
    call: Call,
    format: str,
    output: str | None,
    every: bool,
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
    # Whose verdicts: only when --annotator is given, as the CSV always did.
    annotator = call.annotator() if call.annotator_option else None
    with Store.open(call.db, readonly=True) as store:
        if format == "jsonl":
            from factmark.store import jsonl_export

            write = partial(
                jsonl_export.write, store=store, every=every, annotator=annotator, history=history
            )
        elif format == "webannotation":
            from factmark.store import web_annotation

            write = partial(web_annotation.write, store=store, every=every, annotator=annotator)
        elif format == "claimreview":
            from factmark.store import claim_review

            write = partial(claim_review.write, store=store, annotator=annotator)
        elif format in LABELLING:
            from factmark.store import labelling_export

            write = partial(
                labelling_export.write, store=store, fmt=format, every=every, annotator=annotator
            )
        elif template:
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
        elif every:
            columns = csv.HISTORY_COLUMNS if history else csv.COLUMNS
            write = partial(
                csv.write_rows,
                columns=columns + csv.EVERY_CLAIM_COLUMNS,
                rows=csv.every_claim_rows(store, history=history, annotator=annotator),
                delimiter=separator,
            )
        else:
            write = partial(
                csv.write_verdicts,
                store=store,
                history=history,
                annotator=annotator,
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
    noun = COUNTED[format]
    written = f"1 {noun}" if count == 1 else f"{count} {noun}s"
    alone = " (readable by you alone)" if private else ""
    say(f"{written} written to {output}{alone}", file=sys.stderr)
    return EXIT_OK
