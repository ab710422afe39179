"""`factmark open`, `import` and `redetect`: articles into the database, and the reader.

`open` is the only command that loads the app (Textual), and only once its keymap,
theme and files are checked and imported.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click
from click.shell_completion import CompletionItem

from .command import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, Call, command, config_dir, sample_corpus
from .group import paths_exist
from .output import say, warn
from .params import PATH, articles_argument, glob_option

NO_TERMINAL = (
    "the reader needs a terminal (standard input and output are not one); "
    "to import without reading: factmark import PATHS"
)

if TYPE_CHECKING:
    from factmark.store.database import Store
    from factmark.store.ingest import ImportReport


@command(
    "open",
    help="Import PATHS (if any), then open the reader: the library of every article, "
    "and each article with its claims highlighted, to mark verified, disputed or "
    "unsourced. This is the default command: `factmark PATHS` is `factmark open "
    "PATHS`, except that there every path must exist. The reader needs a terminal; "
    "without one the files are imported and nothing opens (exit 1).",
    examples=[
        "factmark open --sample",
        "factmark open news/ --keymap vim",
        "factmark open story.txt --theme ansi-dark --no-mouse",
    ],
    exits="0 the reader closed, 1 a database refused or no terminal, 2 a usage error (a "
    "theme or keymap that cannot be used, or without `open` a path that does not exist)",
    before=paths_exist,
)
@click.argument(
    "paths",
    nargs=-1,
    type=PATH,
    metavar="[PATHS]...",
    help="Article files or folders to import first; '-' reads standard input.",
)
@glob_option
@click.option("--sample", is_flag=True, help="Import the sample corpus first.")
@click.option(
    "--keymap",
    metavar="NAME|PATH",
    shell_complete=lambda ctx, param, incomplete: [  # files first, as in cli/group.py
        CompletionItem(incomplete, type="file"),
        *(CompletionItem(n) for n in ("default", "vim", "simple") if n.startswith(incomplete)),
    ],
    help="default, vim, simple, or a TOML keymap file (your overrides in keymap.toml in "
    "the config dir are applied on top; default: $FACTMARK_KEYMAP, config.toml's, "
    "default).",
)
@click.option(
    "--mouse/--no-mouse",
    "mouse",
    default=True,
    help="--no-mouse leaves the mouse to the terminal, so its own text selection works "
    "(default: $FACTMARK_MOUSE, config.toml's, the mouse on).",
)
@click.option(
    "--stay/--no-stay",
    default=False,
    help="Stay on a claim after deciding it (default: $FACTMARK_STAY, config.toml's, go "
    "on to the next pending one).",
)
@click.option(
    "--ascii/--no-ascii",
    default=False,
    help="Draw in ASCII only (default: $FACTMARK_ASCII, config.toml's; automatic on "
    "linux, vt100 and other plain terminals).",
)
@click.option(
    "--theme",
    metavar="NAME",
    shell_complete=lambda ctx, param, incomplete: _themes(incomplete),
    help="A Textual theme: textual-dark, textual-light, ansi-dark, ansi-light... "
    "(default: $FACTMARK_THEME, config.toml's, Textual's).",
)
def open_(
    call: Call,
    paths: tuple[str, ...],
    glob: str | None,
    sample: bool,
    keymap: str,
    mouse: bool,
    stay: bool,
    ascii: bool,
    theme: str | None,
) -> int:
    from factmark.keymaps import USER_FILE, KeymapError, load
    from factmark.store.database import Store
    from factmark.tui.bindings import binding_contexts

    # Both checked before anything is imported or made, each named with where it was
    # set (an option, a variable, config.toml) as every other setting is.
    source = {item.setting.key: item.source for item in call.settings}
    try:
        bindings = load(keymap, binding_contexts(), config_dir() / USER_FILE)
    except KeymapError as exc:
        warn(f"{source['keymap']}: {exc}" if source["keymap"] != "default" else str(exc))
        return EXIT_USAGE
    if theme:
        from textual.theme import BUILTIN_THEMES

        if theme not in BUILTIN_THEMES:
            warn(
                f"{source['theme']}: unknown theme {theme!r} "
                f"(try: {', '.join(sorted(BUILTIN_THEMES))})"
            )
            return EXIT_USAGE
    every = [*paths, *([str(sample_corpus())] if sample else [])]
    terminal = sys.stdin.isatty() and sys.stdout.isatty()
    # Nothing to import and nowhere to read, or only typos: no database made for nothing.
    if not (terminal or every):
        warn(NO_TERMINAL)
        return EXIT_BAD_INPUT
    if every and _nothing_there(every):
        return EXIT_BAD_INPUT
    with Store.open(call.db) as store:  # opened once: the app reads it too
        if every:
            import_into(store, every, glob)
        if not terminal:
            warn(NO_TERMINAL)
            return EXIT_BAD_INPUT
        from factmark.tui.app import FactmarkApp
        from factmark.tui.glyphs import wants_ascii

        try:
            app = FactmarkApp(
                db_path=call.db,
                annotator=call.annotator(),
                sample=sample_corpus(),
                keymap=bindings,
                stay=stay,
                ascii_glyphs=wants_ascii(os.environ.get("TERM"), ascii),
                theme=theme,
                store=store,
            )
        except ValueError as exc:
            warn(str(exc))
            return EXIT_BAD_INPUT
        with _drawing_on_the_terminal():
            app.run(mouse=mouse)
    return app.return_code or EXIT_OK


def _themes(incomplete: str) -> list[CompletionItem]:
    """Completion of --theme: Textual's own themes (loaded only to complete)."""
    from textual.theme import BUILTIN_THEMES

    return [CompletionItem(name) for name in sorted(BUILTIN_THEMES) if name.startswith(incomplete)]


@contextmanager
def _drawing_on_the_terminal() -> Iterator[None]:
    """Textual draws on standard error (Python's first, `sys.__stderr__`): where that is
    not the terminal (`factmark 2>log`, or closed: `2>&-`) but standard output is,
    standard error is the terminal while the reader runs (the redirection holds again
    after it), so the screen is never left blank."""
    if sys.stderr.isatty() or not sys.stdout.isatty():
        yield
        return
    sys.stderr.flush()
    try:
        redirected: int | None = os.dup(2)
    except OSError:  # closed
        redirected = None
    os.dup2(1, 2)
    closed = sys.__stderr__ is None  # closed when Python started: Textual needs a stream
    if closed:
        sys.__stderr__ = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    try:
        yield
    finally:
        sys.stderr.flush()
        if closed:
            sys.__stderr__.close()
            sys.__stderr__ = None
        if redirected is None:
            os.close(2)
        else:
            os.dup2(redirected, 2)
            os.close(redirected)


def import_into(store: Store, paths: list[str], glob: str | None) -> ImportReport:
    """Import with a progress bar on a terminal, then one line per problem and a summary."""
    from factmark.store.ingest import import_paths

    from .progress import ProgressBar

    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    report = import_paths(store, paths, glob=glob, progress=bar)
    if bar:
        bar.close()
    for line in (*report.refused, *report.notes):
        warn(line)
    say(report.summary(), file=sys.stderr)
    return report


@command(
    "import",
    help="Import article files and folders (walked recursively) into the database: "
    "text, Markdown, HTML, JSON and JSON Lines, and doccano, Label Studio and Prodigy "
    "exports. Importing a file again changes nothing; an edited version updates its "
    "article and keeps every verdict that can be placed again.",
    examples=[
        "factmark import news/",
        "factmark import archive/ --glob '*.md'",
        "curl -s https://example.org/feed.jsonl | factmark import -",
    ],
    exits="0 every file imported or unchanged, 1 a file refused (one line each; the rest "
    "is imported) or the database refused, 2 a usage error",
)
@articles_argument
@glob_option
def import_(call: Call, paths: tuple[str, ...], glob: str | None) -> int:
    from factmark.store.database import Store

    if _nothing_there(paths):
        return EXIT_BAD_INPUT  # and no database made for nothing
    with Store.open(call.db) as store:
        report = import_into(store, list(paths), glob)
    return EXIT_BAD_INPUT if report.failed else EXIT_OK


def _nothing_there(paths: Sequence[str]) -> bool:
    """Whether every one of `paths` names nothing (a typo): then each is said, in one
    line, as the import would."""
    from factmark.store.files import missing

    gone = missing(paths)
    if not gone or len(gone) < len(paths):
        return False
    for line in gone:
        warn(line)
    return True


@command(
    "redetect",
    help="Run the current detector again on every stored article, whatever format it "
    "came from, keeping its title, date and source. New claims are added, and every "
    "claim that has a verdict, was dismissed or was added by a reader is kept.",
    examples=["factmark redetect", "factmark redetect --db class.db"],
    exits="0 done, 1 the database refused, 2 a usage error",
)
def redetect(call: Call) -> int:
    from factmark.store import detection
    from factmark.store.database import Store

    with Store.open(call.db, create=False) as store:
        report = detection.redetect(store)
    say(report.summary(), file=sys.stderr)
    return EXIT_OK
