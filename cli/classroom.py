"""`factmark class init` and `factmark compare`: a class folder the operating system
guards, and the class's verdicts against the answer key (docs/classroom.md)."""

from __future__ import annotations

from pathlib import Path

import click

from .command import EXIT_OK, Call, command, sample_corpus
from .group import Group
from .output import compare_table, say, stdout_text, warn
from .params import CONTEXT, Article, common_params, epilog, find_article
from .roster import roster

class_ = Group(
    "class",
    help="Prepare a class folder: the teacher's to write, the class group's to read, with "
    "a drop box where each student writes only their own copy. Unix modes enforce it, "
    "not factmark (docs/classroom.md).",
    params=common_params(),
    subcommand_metavar="ACTION [ARGS]...",
    epilog=epilog(
        ["factmark class init /srv/factmark/class1 --group class1 --sample"],
        "0 done, 1 the folder or group refused, 2 a usage error",
    ),
    context_settings=CONTEXT,
)


@command(
    "init",
    help="Make DIR a class folder: yours to write, the class group's to read, with a drop "
    "box where each student writes only their own copy, and a README.md with the steps "
    "(one already there is kept). Students then add `export FACTMARK_CLASS=DIR` to their "
    "~/.profile.",
    examples=[
        "factmark class init /srv/factmark/class1 --group class1 --sample",
        "factmark class init ~/class2 --group class2 --existing",
    ],
    exits="0 ready, 1 the folder or group refused, 2 a usage error",
)
@click.argument("directory", metavar="DIR", help="A new or empty folder (see --existing).")
@click.option(
    "--group", required=True, metavar="GROUP", help="The Unix group of the students and you."
)
@click.option("--sample", is_flag=True, help="Import the sample corpus into it.")
@click.option(
    "--existing",
    is_flag=True,
    help="Use DIR although it holds files (its modes change, and are reported).",
)
def class_init(call: Call, directory: str, group: str, sample: bool, existing: bool) -> int:
    from factmark.store import class_folder, class_sync, gate
    from factmark.store.database import Store

    from .reading import import_into

    made = class_folder.init(Path(directory), group, existing=existing)
    folder = made.folder
    with Store.open(folder.teacher_db) as store:
        if sample:
            import_into(store, [str(sample_corpus())], None)
        class_sync.publish(store, folder)
    for note in made.notes:
        warn(note)
    readme = "README.md" if made.readme_written else "the README.md already there was kept"
    say(f"{folder.describe()} ready: {gate.path(folder.root)}/ ({readme})")
    say(f"students add to ~/.profile: export FACTMARK_CLASS={gate.path(folder.root)}")
    return EXIT_OK


class_.add_command(class_init)
class_.add_command(roster)


@command(
    "compare",
    help="The students against the answer key, and the class's agreement: each student's "
    "agreement with the key (percent and Cohen's kappa), the class's (Krippendorff's "
    "alpha, Gwet's AC1), and the claims the class split on most, first: discussion "
    "prompts. Claims are named 5/3 (article 5, claim 3) as the reader counts them.",
    examples=[
        "factmark compare",
        "factmark compare --article 5 --format csv > article5.csv",
        "factmark compare --key alice --format json",
    ],
    exits="0 shown, 1 the database refused or no such article, 2 a usage error",
)
@click.option(
    "--key", metavar="NAME", help="The answer key (default: the one with the most verdicts)."
)
@click.option(
    "--article",
    type=Article(),
    metavar="ARTICLE",
    help="One article: its number, or part of its title (case-insensitive).",
)
@click.option(
    "--format",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table: for people; csv and json: for other tools, with the claim's database id.",
)
def compare(call: Call, key: str | None, article: str | None, format: str) -> int:
    from factmark.store import comparison
    from factmark.store.database import Store

    with Store.open(call.db, readonly=True) as store:
        named = find_article(store, article) if article is not None else None
        figures = comparison.compare(store, key, named.id if named else None)
    if format == "json":
        import json

        shown = {"id": named.id, "title": named.title} if named else None
        say(json.dumps({"article": shown, **figures.as_dict()}, ensure_ascii=False, indent=2))
    elif format == "csv":
        from factmark.corpus.vocabulary import VERDICT_NAMES
        from factmark.store.export import write_rows

        # Each claim as the reader names it ("A/N"), then its id.
        columns = ("claim", "claim_id", "article_id", "key", *VERDICT_NAMES)
        columns += ("students", "disagreement", "text")
        with stdout_text() as out:
            write_rows(out, columns, figures.claims)
    else:
        say(compare_table(figures, named))
    return EXIT_OK
