"""`factmark class roster`: the students who sign in through the browser (`factmark
serve`), each with a password shown once and kept only as a hash (store/roster.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .command import EXIT_OK, Call, command
from .group import Group
from .output import aligned, say
from .params import CONTEXT, common_params, epilog

if TYPE_CHECKING:
    from factmark.store.class_folder import ClassFolder

EXITS = "0 done, 1 not a class folder's teacher or the name refused, 2 a usage error"

roster = Group(
    "roster",
    help="The class roster: the students who sign in to `factmark serve` in a browser. "
    "Each gets a password, shown once; only its scrypt hash is kept, in roster.db in the "
    "class folder, which only the teacher can read. Run in the class folder (or with "
    "FACTMARK_CLASS set), as its teacher.",
    params=common_params(),
    subcommand_metavar="ACTION [ARGS]...",
    epilog=epilog(
        [
            "factmark class roster add alice     # prints alice's password, once",
            "factmark class roster list",
            "factmark class roster reset alice   # a new password; the old one stops",
            "factmark class roster remove alice",
        ],
        EXITS,
    ),
    context_settings=CONTEXT,
)


def teachers_class() -> ClassFolder:
    """The class this command acts on, when this user is its teacher. Raises StoreError."""
    from factmark.store import class_folder
    from factmark.store.errors import StoreError

    folder = class_folder.find(Path.cwd(), os.environ)
    if folder is None:
        raise StoreError(
            "not in a class folder: run this in your class folder, or with FACTMARK_CLASS set"
        )
    if not folder.is_teacher():
        raise StoreError(
            f"{folder.describe()}: only the teacher ({folder.teacher}) can see or change "
            "the class roster"
        )
    return folder


def _shown(name: str, password: str, what: str) -> None:
    say(f"{name}: {what} {password}")
    say(
        f"(shown this once: give it to {name}, who signs in at the page `factmark serve` "
        f"prints; a new one: factmark class roster reset {name})"
    )


NAME_HELP = "The student's name at sign-in and on their verdicts: letters, digits, '.', '-', '_'."


@command(
    "add",
    help="Put NAME on the roster and print their password, once.",
    examples=["factmark class roster add alice"],
    exits=EXITS,
)
@click.argument("name", metavar="NAME", help=NAME_HELP)
def roster_add(call: Call, name: str) -> int:
    from factmark.store import roster

    folder = teachers_class()
    added, password = roster.add(folder, name, roster.names_taken(folder))
    _shown(added, password, "password")
    if roster.served_copy(folder, added).exists():
        say(
            f"({added} has signed in before, and was removed: the verdicts in their copy "
            f"are this {added}'s now)"
        )
    return EXIT_OK


@command(
    "reset",
    help="A new password for NAME, printed once; the old one stops working.",
    examples=["factmark class roster reset alice"],
    exits=EXITS,
)
@click.argument("name", metavar="NAME", help=NAME_HELP)
def roster_reset(call: Call, name: str) -> int:
    from factmark.store import roster

    found, password = roster.reset(teachers_class(), name)
    _shown(found, password, "new password")
    return EXIT_OK


@command(
    "remove",
    help="Take NAME off the roster: they can no longer sign in. Their verdicts stay.",
    examples=["factmark class roster remove alice"],
    exits=EXITS,
)
@click.argument("name", metavar="NAME", help=NAME_HELP)
def roster_remove(call: Call, name: str) -> int:
    from factmark.store import roster

    say(f"{roster.remove(teachers_class(), name)} is off the roster (their verdicts stay)")
    return EXIT_OK


@command(
    "list",
    help="The roster, one student a line: name, when their password was made, "
    "wrong passwords since their last sign-in, and whether they have signed in yet.",
    examples=["factmark class roster list"],
    exits=EXITS,
)
def roster_list(call: Call) -> int:
    from factmark.store import roster

    students = roster.listing(teachers_class())
    if not students:
        say("no one on the roster yet: factmark class roster add NAME")
        return EXIT_OK
    rows = [("name", "password made (UTC)", "wrong tries", "signed in")]
    for student in students:
        made = student.created_at.replace("T", " ").removesuffix("+00:00")
        worked = "yes" if student.has_copy else "not yet"
        rows.append((student.name, made, f"{student.failures} wrong", worked))
    say(aligned(rows))
    return EXIT_OK


for action in (roster_add, roster_list, roster_reset, roster_remove):
    roster.add_command(action)
