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
    help="Read verdicts from CSV (the export's format or export --template's, with a "
    "verdict and the claim: claim_id, or claim as article/claim; for example an answer "
    "key written in a spreadsheet), or from annotations: W3C Web Annotation JSON-LD "
    "(export --format webannotation's, or another tool's) and Hypothesis exports, placed "
    "on the stored articles by their quotes. Bad rows or annotations are reported and the "
    "good ones land; annotations whose quote is no longer found are counted as orphans. "
    "A CSV in any encoding a spreadsheet saves, separated by ',', ';' or tabs.",
    examples=[
        "factmark import-verdicts key.csv",
        "factmark import-verdicts sheet.csv --annotator alice",
        "factmark import-verdicts hypothesis.json",
    ],
    exits="0 everything read landed, 1 a row or annotation refused or orphaned (the good "
    "ones land) or the database refused, 2 a usage error",
)
@click.argument(
    "file",
    type=PATH,
    metavar="FILE",
    help="The CSV file, or the JSON (or JSON Lines) file of annotations, to read.",
)
def import_verdicts(call: Call, file: str) -> int:
    from factmark.store import annotation_import, gate, verdict_import
    from factmark.store.database import Store

    with Store.open(call.db, create=False) as store:
        # In a class the sheet is the user's own: the teacher's key, a student's copy.
        assert call.place is not None
        whose = call.annotator() if call.place.folder else call.annotator_option
        asked = call.annotator_option
        if call.place.folder and asked and gate.annotator(asked) != whose:
            warn(f"in a class your verdicts are your own ({whose}): --annotator is not used")
        if _is_json(Path(file)):
            report = annotation_import.import_annotations(store, Path(file), whose)
            refused = [*report.problems, *report.orphans]
            for line in report.conflicts:  # read, and one of two verdicts chosen
                warn(line)
        else:
            report = verdict_import.import_verdicts(store, Path(file), whose)
            refused = report.problems
            for line in report.notes:
                warn(line)
    for line in refused:
        warn(line)
    say(report.summary(), file=sys.stderr)
    return EXIT_BAD_INPUT if refused else EXIT_OK


def _is_json(path: Path) -> bool:
    """Whether the file starts as JSON does; a file that cannot be read is left to the
    CSV reader, which says why."""
    from factmark.store.annotation_reading import looks_like_json

    try:
        with path.open("rb") as handle:
            return looks_like_json(handle.read(64))
    except OSError:
        return False


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
    students = None
    if with_roles and call.place.folder is not None:  # a class's students stay students
        from factmark.store.roster import students as class_students

        students = class_students(call.place.folder)
    with Store.open(call.db) as store:
        for other in others:
            try:
                report = merging.merge(
                    store, Path(other), roles=with_roles, owner=owner, students=students
                )
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
