"""`factmark key`, `reveal` and `unreveal`: the answer keys, and which articles the class
is shown them on."""

from __future__ import annotations

import click

from .command import EXIT_OK, Call, command
from .group import Group
from .output import article_line, say
from .params import CONTEXT, Article, common_params, epilog, find_article

key = Group(
    "key",
    help="Answer keys: the teacher's verdicts, with notes as explanations. In a class "
    "folder, only the teacher may add or remove one; anyone may list them.",
    params=common_params(),
    subcommand_metavar="ACTION [ARGS]...",
    epilog=epilog(
        ["factmark key add $USER", "factmark key list"],
        "0 done, 1 the database refused or not the teacher, 2 a usage error",
    ),
    context_settings=CONTEXT,
)


def _key_action(name: str, becomes: str) -> click.Command:
    """`key add` or `key remove`: make NAME an answer key, or a student again."""

    @command(
        name,
        help=f"Make NAME {becomes}.",
        examples=[f"factmark key {name} alice"],
        exits="0 done, 1 the database refused or not the teacher, 2 a usage error",
    )
    @click.argument("name", metavar="NAME", help="An annotator's name.")
    def action(call: Call, name: str) -> int:
        from factmark.store import classroom, gate, roster
        from factmark.store.database import Store
        from factmark.store.errors import StoreError

        folder = call.place.folder if call.place else None
        if folder is not None and call.action == "add" and folder.is_teacher():
            # A student made a key would have their work left out of the comparison.
            student = roster.student_named(folder, gate.annotator(name))
            if student is not None:
                raise StoreError(f"{student[0]!r} is {student[1]}: a key needs another name")
        with Store.open(call.db, create=False) as store:
            normalised = classroom.set_key(store, name, call.action == "add")
        say(f"{normalised} is {becomes}")
        return EXIT_OK

    return action


key.add_command(_key_action("add", "an answer key"))
key.add_command(_key_action("remove", "a student"))


@command(
    "list",
    help="List the answer keys, one a line.",
    examples=["factmark key list"],
    exits="0 listed, 1 the database refused, 2 a usage error",
)
def key_list(call: Call) -> int:
    from factmark.store import classroom
    from factmark.store.database import Store

    with Store.open(call.db, readonly=True) as store:
        say("\n".join(classroom.keys(store)) or "no answer keys yet")
    return EXIT_OK


key.add_command(key_list)


def one_or_all(ctx: click.Context, params: dict) -> None:
    """ARTICLE or --all, exactly one of them. Raises click.UsageError."""
    if (params["article"] is None) == (not params["every"]):
        raise click.UsageError("name one ARTICLE, or --all", ctx)


ARTICLE_HELP = (
    "The article's number as the library shows it (5 or 005), or part of its title (any "
    "case, accents as typed) that only it matches."
)
REVEAL_EXITS = "0 done, 1 no article or several match, or not the teacher, 2 a usage error"


@command(
    "reveal",
    help="Show the class the answer key's verdicts and explanations, and how the class "
    "voted, on an article (or on every one): until then a student sees only their own "
    "verdicts, and outside a class a reader sees others' once they decided every claim.",
    examples=["factmark reveal 5", "factmark reveal bluff", "factmark reveal --all"],
    exits=REVEAL_EXITS,
    before=one_or_all,
)
@click.argument("article", required=False, type=Article(), metavar="[ARTICLE]", help=ARTICLE_HELP)
@click.option("--all", "every", is_flag=True, help="Every article.")
def reveal(call: Call, article: str | None, every: bool) -> int:
    """Reveal an article, or every one, and say which were revealed already."""
    from factmark.store import classroom
    from factmark.store.database import Store

    with Store.open(call.db, create=False) as store:
        if every:
            count = len(classroom.reveal(store, None, call.annotator()))
            say(
                f"revealed {_articles(count)} to the class; every article is revealed now"
                if count
                else "every article was revealed already"
            )
            return EXIT_OK
        assert article is not None
        named = find_article(store, article)
        done = classroom.reveal(store, named.id, call.annotator())
    say(
        article_line("revealed ", named)
        if done
        else article_line("", named, " was revealed already")
    )
    return EXIT_OK


@command(
    "unreveal",
    help="Take a reveal back, on an article or on every one: students then see others' "
    "verdicts only where they decided every claim. Their own verdicts stay as they are.",
    examples=["factmark unreveal 5", "factmark unreveal --all"],
    exits=REVEAL_EXITS,
    before=one_or_all,
)
@click.argument("article", required=False, type=Article(), metavar="[ARTICLE]", help=ARTICLE_HELP)
@click.option("--all", "every", is_flag=True, help="Every article.")
def unreveal(call: Call, article: str | None, every: bool) -> int:
    """Take a reveal back, or every one, and say when there was none."""
    from factmark.store import classroom
    from factmark.store.database import Store

    with Store.open(call.db, create=False) as store:
        if every:
            count = len(classroom.unreveal(store, None))
            say(f"unrevealed {_articles(count)}" if count else "no article was revealed")
            return EXIT_OK
        assert article is not None
        named = find_article(store, article)
        done = classroom.unreveal(store, named.id)
    say(
        article_line("unrevealed ", named) if done else article_line("", named, " was not revealed")
    )
    return EXIT_OK


def _articles(count: int) -> str:
    return "1 article" if count == 1 else f"{count} articles"
