"""The `factmark` command line, on click: the group (group.py), one module per group of
commands, and what they share (command.py, params.py, output.py).

Loading it loads click, the group and what the commands share: a command's module
loads when the command runs, shows its help or is completed, and imports what the
command needs as it runs. So `--help` loads neither SQLite nor Textual, and only
`open` (the default command) loads the app: `import`, `detect`, `export` and `stats`
stay fast and work where no terminal UI could run.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from .group import FactmarkGroup
from .output import help_width, say, stand_in_closed_streams
from .params import CONTEXT, common_params, epilog

# Every command, in the order `factmark --help` lists them: the module defining it
# and its name there, loaded only when the command runs, shows its help or is
# completed; and the line the list gives it, so that listing them loads none.
COMMANDS = {
    "open": ("reading", "open_", "Import PATHS, if any, and open the reader (the default)."),
    "import": ("reading", "import_", "Import article files or folders ('-' reads standard input)."),
    "detect": ("detect", "detect", "Print the claims found in files, without any database."),
    "redetect": ("reading", "redetect", "Run the current detector again on the stored articles."),
    "export": (
        "export",
        "export",
        "Export verdicts: CSV, JSON Lines, JSON-LD, labelled spans.",
    ),
    "stats": ("stats", "stats", "Claims and verdicts, per article and for the corpus."),
    "class": ("classroom", "class_", "Prepare a class folder the operating system guards."),
    "key": ("keys", "key", "Answer keys: the teacher's verdicts and explanations."),
    "reveal": ("keys", "reveal", "Show the class the key and the votes on an article."),
    "unreveal": ("keys", "unreveal", "Take a reveal back."),
    "import-verdicts": (
        "verdicts",
        "import_verdicts",
        "Read verdicts: CSV (a key), Web Annotation, Hypothesis.",
    ),
    "compare": ("classroom", "compare", "Students against the key, and the class's agreement."),
    "merge": ("verdicts", "merge", "Bring in another factmark database's articles and verdicts."),
    "serve": ("serve", "serve", "Serve the class's reader in the browser, with sign-in."),
    "check": ("stats", "check", "Check the database whole (SQLite's quick_check)."),
    "config": ("config", "config", "Show each setting in force and where it comes from."),
    "help": ("group", "help_command", "Show the help of factmark or of a command."),
}


def _version(ctx: click.Context, _: click.Parameter, asked: bool) -> None:
    """--version: the version, and whether detection was compiled at install (see
    setup.py), read from the package's metadata only when asked."""
    if not asked or ctx.resilient_parsing:
        return
    from importlib import metadata

    from factmark.corpus import compiled

    try:
        version = metadata.version("factmark")
    except metadata.PackageNotFoundError:
        version = "unknown"
    say(f"factmark {version} (detection {'compiled' if compiled() else 'in pure Python'})")
    ctx.exit()


factmark = FactmarkGroup(
    "factmark",
    help="Read the news critically: highlight claims, mark each one verified, disputed or "
    "unsourced, and keep every verdict. With PATHS (files or folders that exist), import "
    "them and open the reader: `factmark PATHS` is `factmark open PATHS`.",
    params=[
        *common_params(),
        click.Option(
            ["--version"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_version,
            help="Show the version, and whether detection is compiled, and exit.",
        ),
    ],
    epilog=epilog(
        [
            "factmark --sample               # open the reader on the sample articles",
            "factmark news/ story.md         # import them, then open the reader",
            "factmark import feed.jsonl      # import without opening the reader",
            "factmark export -o verdicts.csv",
            "factmark help export            # the same as: factmark export --help",
        ],
        "0 success, 1 bad input or a partial failure (one file of a batch refused: the "
        "rest is still imported), 2 a usage error (a mistyped command, or a path that "
        "does not exist unless it comes after `open`: nothing is opened or made)",
    ),
    context_settings=CONTEXT,
    lazy=COMMANDS,
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on `argv` (default: the process's arguments) as the program
    `factmark`; its exit status (0 success, 1 bad input or a partial failure, 2 a usage
    error). Shell completion answers here too (`_FACTMARK_COMPLETE`, see README.md)."""
    stand_in_closed_streams()
    try:
        factmark.main(args=argv, prog_name="factmark", terminal_width=help_width())
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else int(done.code is not None)
    return 0
