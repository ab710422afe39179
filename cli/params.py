"""What commands take: the types that check a value as the command line is read, the
options every command shares, and the examples and exit codes that end each command's
help.

A value a type refuses is a usage error (exit 2) before anything is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from factmark.store.article_names import ArticleName
    from factmark.store.database import Store

# Every command's: `-h` is `--help`, as it was.
CONTEXT = {"help_option_names": ["-h", "--help"]}
# Files and folders as given: one that is missing or unreadable is the command's to
# report, in one line, while the rest of a batch goes on. Completed as file names.
PATH = click.Path(readable=False)


class _Database(click.Path):
    """A database's file name: never empty (`--db "$UNSET"` must not fall back to the
    default database)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value == "":
            self.fail("an empty name: name a database file", param, ctx)
        return super().convert(value, param, ctx)


DATABASE = _Database(readable=False)


def epilog(examples: Sequence[str], exits: str) -> str:
    """The end of a command's help: its examples, one a line as typed, then what each
    exit code means."""
    shown = "\n".join(f"  {example}" for example in examples)
    return f"\b\nExamples:\n{shown}\n\nExit codes: {exits}."


def common_params() -> list[click.Parameter]:
    """--db and --annotator, which every command and group takes, so that they go
    before or after a command's name (the last one given counts). Fresh ones each time:
    a click parameter belongs to one command."""
    return [
        click.Option(
            ["--db"],
            metavar="PATH",
            type=DATABASE,
            help="The database file (default: $FACTMARK_DB, else config.toml's, else "
            "factmark.db in the user data dir).",
        ),
        click.Option(
            ["--annotator"],
            metavar="NAME",
            type=Annotator(),
            help="Whose verdicts (default: $FACTMARK_ANNOTATOR, else config.toml's, else "
            "your login name).",
        ),
    ]


articles_argument = click.argument(
    "paths",
    nargs=-1,
    required=True,
    type=PATH,
    metavar="PATHS...",
    help="Article files or folders; '-' reads standard input.",
)

glob_option = click.option(
    "--glob",
    metavar="PATTERN",
    help="In folders, the files whose name matches PATTERN (default: every file in a "
    "format factmark reads: .txt, .md, .html, .json, .jsonl...).",
)


class Annotator(click.ParamType):
    """An annotator's name as typed; one the store would refuse (nothing left once
    cleaned, or too long) is a usage error, not "every annotator"."""

    name = "name"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        from factmark.store import gate
        from factmark.store.errors import StoreError

        try:
            gate.annotator(value)
        except StoreError as exc:
            self.fail(f"{value!r}: {exc}", param, ctx)
        return value


class Score(click.ParamType):
    """A score from 0 to 1, as a float."""

    name = "score"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        try:
            score = float(value)
        except (TypeError, ValueError):
            score = -1.0
        if not 0 <= score <= 1:  # NaN too
            self.fail(f"{value!r} is not a score from 0 to 1", param, ctx)
        return score


class Article(click.ParamType):
    """An article as commands name it: the number the library shows (`004` is 4), or
    part of its title (see store.article_names), kept as typed. A number no article
    can have, or nothing, is a usage error."""

    name = "article"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        from factmark.store.article_names import number
        from factmark.store.errors import StoreError

        if not str(value).strip():
            self.fail("name an article by its number or part of its title", param, ctx)
        try:
            number(value)
        except StoreError as exc:
            self.fail(str(exc), param, ctx)
        return value


def find_article(store: Store, name: str) -> ArticleName:
    """The article `name` (an Article value) names in `store` (store.article_names.find);
    a search matching several is reported with its titles cut to fit the line. Raises
    StoreError."""
    from factmark.store import article_names
    from factmark.store.errors import StoreError

    from .output import several_line

    try:
        return article_names.find(store, name)
    except article_names.SeveralArticles as several:
        raise StoreError(several_line(several)) from None
