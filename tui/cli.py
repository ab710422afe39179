"""The `factmark` command line.

Each command imports what it needs when it runs: `--help` loads neither SQLite nor
Textual, and only `open` (the default) loads Textual, so `import`, `export` and `stats`
stay fast and work where no terminal UI could run.
"""

from __future__ import annotations

import argparse
import getpass
import io
import os
import sys
from collections.abc import Callable, Sequence
from functools import partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from factmark.store.errors import StoreError

from . import place, settings
from .console import say, warn
from .glyphs import wants_ascii
from .progress import ProgressBar

if TYPE_CHECKING:
    from factmark.store.article_names import ArticleName
    from factmark.store.database import Store
    from factmark.store.ingest import ImportReport

# Terminals whose fonts may lack ○ ✓ ✗: claim glyphs fall back to ASCII there.
COMMANDS = (
    "open",
    "import",
    "detect",
    "redetect",
    "export",
    "stats",
    "class",
    "key",
    "reveal",
    "unreveal",
    "import-verdicts",
    "compare",
    "merge",
    "check",
    "config",
)
EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


def config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path("factmark", appauthor=False)


def login_name() -> str:
    """The user's login name, the annotator when no setting names one."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name, e.g. in a bare container
        return "reader"


def sample_corpus() -> Path:
    return Path(str(resources.files("factmark.sample_corpus")))


def _common_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--db and --annotator, accepted before or after the command's name."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="database file (default: $FACTMARK_DB, else config.toml's, else factmark.db "
        "in the user data dir)",
    )
    parser.add_argument(
        "--annotator",
        metavar="NAME",
        default=default,
        help="whose verdicts (default: $FACTMARK_ANNOTATOR, else config.toml's, else the "
        "login name)",
    )


def _score(value: str) -> float:
    try:
        score = float(value)
    except ValueError:
        score = -1.0
    if not 0 <= score <= 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a score from 0 to 1")
    return score


def _article(value: str) -> str:
    """An article as commands name it: the number the library shows (`004` is 4), or
    part of its title (see store.article_names); a number no article can have, or
    nothing, is a usage error."""
    from factmark.store.article_names import number

    if not value.strip():
        raise argparse.ArgumentTypeError("name an article by its number or part of its title")
    try:
        number(value)
    except StoreError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def _glob_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--glob",
        metavar="PATTERN",
        help="in folders, import the files whose name matches PATTERN (default: every "
        ".txt, .md, .html, .htm and .jsonl file)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factmark",
        usage="factmark [--db PATH] [--annotator NAME] [PATHS...] | factmark COMMAND ...",
        description="Read the news critically: highlight claims, mark each one verified, "
        "disputed or unsourced, and keep every verdict. With PATHS, import them and open "
        "the reader.",
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    _common_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        _common_options(sub, suppress=True)
        return sub

    open_ = command("open", "import PATHS (if any) and open the reader (the default command)")
    open_.add_argument("paths", nargs="*", metavar="PATHS", help="article files or folders")
    _glob_option(open_)
    open_.add_argument("--sample", action="store_true", help="import the sample corpus first")
    open_.add_argument(
        "--keymap",
        metavar="NAME|PATH",
        help="default, vim, simple, or a TOML keymap file (your overrides in "
        "keymap.toml in the config dir are applied on top)",
    )
    open_.add_argument(
        "--no-mouse",
        dest="mouse",
        action="store_const",
        const=False,
        help="leave the mouse to the terminal (its own text selection works)",
    )
    open_.add_argument(
        "--stay",
        action="store_true",
        default=None,
        help="stay on a claim after deciding it (default: go to the next pending)",
    )
    open_.add_argument(
        "--ascii",
        action="store_true",
        default=None,
        help="ASCII claim glyphs (automatic on linux and vt100 terminals)",
    )
    open_.add_argument(
        "--theme",
        metavar="NAME",
        help="a Textual theme: textual-dark, textual-light, ansi-dark, ansi-light...",
    )

    command(
        "config",
        "show each setting in force and where it comes from (option, environment, "
        "config.toml in the config dir or $FACTMARK_CONFIG, default)",
    )

    import_ = command("import", "import article files or folders ('-' reads standard input)")
    import_.add_argument("paths", nargs="+", metavar="PATHS")
    _glob_option(import_)

    detect_ = command("detect", "print the claims found in files, without any database")
    detect_.add_argument("paths", nargs="+", metavar="PATHS")
    detect_.add_argument("--format", choices=["jsonl", "text"], default="text")
    detect_.add_argument(
        "--threshold",
        type=_score,
        default=None,
        metavar="SCORE",
        help="the score (0 to 1) from which a sentence is a claim (default: the detector's)",
    )
    detect_.add_argument("--all", action="store_true", help="every sentence, with its score")
    _glob_option(detect_)

    command(
        "redetect",
        "run the current detector again on every stored article, keeping "
        "every claim that has a verdict or was added by a reader",
    )

    export_ = command("export", "export verdicts as CSV (to standard output by default)")
    export_.add_argument("--format", choices=["csv"], default="csv")
    export_.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (written whole, then moved into place; never the database)",
    )
    export_.add_argument(
        "--delimiter",
        choices=[",", ";", "tab"],
        default=",",
        metavar="',' | ';' | tab",
        help="the cell separator: ';' for spreadsheets set to French or German (default ',')",
    )
    export_.add_argument(
        "--excel",
        action="store_true",
        help="start with a byte-order mark so spreadsheet programs read accents right",
    )
    export_.add_argument(
        "--history", action="store_true", help="every verdict event, not only current verdicts"
    )
    export_.add_argument(
        "--template",
        action="store_true",
        help="an answer key to fill in: a row for every claim not dismissed, decided or "
        "not, with your verdicts (--annotator's) filled in; read it back with import-verdicts",
    )

    export_.add_argument(
        "--gradebook",
        action="store_true",
        help="one row per student and article: decided, agreement with the key",
    )
    export_.add_argument("--key", metavar="NAME", help="the answer key for --gradebook")

    class_ = command("class", "prepare a class folder the operating system guards")
    class_actions = class_.add_subparsers(dest="class_action", metavar="ACTION", required=True)
    init = class_actions.add_parser(
        "init",
        help="make DIR a class folder: yours to write, the class group's to read, with a "
        "drop box where each student writes only their own copy",
    )
    init.add_argument("directory", metavar="DIR", help="a new or empty folder")
    init.add_argument(
        "--group", required=True, metavar="GROUP", help="the Unix group of the students and you"
    )
    init.add_argument("--sample", action="store_true", help="import the sample corpus into it")
    init.add_argument(
        "--existing",
        action="store_true",
        help="use DIR although it holds files (its mode changes, and is reported)",
    )
    _common_options(init, suppress=True)

    key_ = command("key", "answer keys: the teacher's verdicts, with notes as explanations")
    key_actions = key_.add_subparsers(dest="key_action", metavar="ACTION", required=True)
    for name, help_ in (("add", "make NAME an answer key"), ("remove", "make NAME a student")):
        action = key_actions.add_parser(name, help=help_)
        action.add_argument("name", metavar="NAME")
        _common_options(action, suppress=True)
    _common_options(key_actions.add_parser("list", help="list the answer keys"), suppress=True)

    for name, help_ in (
        ("reveal", "show the class the key and everyone's verdicts on an article"),
        ("unreveal", "take a reveal back: students then see others' verdicts only "
         "where they decided every claim"),
    ):  # fmt: skip
        which = command(name, help_).add_mutually_exclusive_group(required=True)
        which.add_argument(
            "article",
            nargs="?",
            type=_article,
            metavar="ARTICLE",
            help="the article's number, or part of its title (case-insensitive)",
        )
        which.add_argument("--all", action="store_true", help="every article")

    import_verdicts_ = command(
        "import-verdicts",
        "read verdicts from CSV (the export format or export --template's; a verdict and "
        "claim_id or claim, article/claim, at least), for example an answer key written "
        "in a spreadsheet",
    )
    import_verdicts_.add_argument("file", metavar="FILE.csv")

    compare_ = command("compare", "students against the key, and the class's agreement")
    compare_.add_argument("--key", metavar="NAME", help="the answer key (default: the first)")
    compare_.add_argument(
        "--article",
        type=_article,
        metavar="ARTICLE",
        help="one article: its number, or part of its title (case-insensitive)",
    )
    compare_.add_argument("--format", choices=["table", "csv", "json"], default="table")

    merge_ = command("merge", "bring in another factmark database's articles and verdicts")
    merge_.add_argument("others", nargs="+", metavar="OTHER.db")
    merge_.add_argument(
        "--with-roles",
        action="store_true",
        help="also bring the other file's answer keys (and their verdicts) and reveals; "
        "without it, merge brings work only",
    )

    stats_ = command("stats", "claims and verdicts, per article and for the corpus")
    stats_.add_argument("--format", choices=["table", "json"], default="table")
    command(
        "check",
        "check the database whole without writing to it (header, application id, "
        "schema version and SQLite's quick_check); opening it checks all but the last",
    )
    return parser


class _Version(argparse.Action):
    """--version, reading the package's metadata only when asked."""

    def __init__(self, option_strings: list[str], dest: str, help: str) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        say(f"factmark {_version()}")
        parser.exit()


def _version() -> str:
    """The version, and whether detection was compiled at install (see setup.py)."""
    from importlib import metadata

    from factmark.corpus import compiled

    try:
        version = metadata.version("factmark")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"{version} (detection {'compiled' if compiled() else 'in pure Python'})"


def _with_default_command(argv: list[str]) -> list[str]:
    """`factmark [opts] PATHS` means `factmark open [opts] PATHS`."""
    pre = argparse.ArgumentParser(add_help=False)
    _common_options(pre, suppress=False)
    _, rest = pre.parse_known_args(argv)
    positionals = [a for a in rest if not a.startswith("-")]
    if positionals and positionals[0] in COMMANDS:
        return argv
    if any(a in ("-h", "--help", "--version") for a in rest):
        return argv
    return ["open", *argv]


def _not_a_path(paths: list[str]) -> str | None:
    """Without `open`, every path must exist (a broken link does not): the one that
    does not, told as the command it may be a slip for ("exprot": "export"), in one
    line; None if all do."""
    import difflib

    missing = next((p for p in paths if not os.path.exists(p)), None)
    if missing is None:
        return None
    from factmark.corpus.safe_text import file_name

    close = difflib.get_close_matches(missing, COMMANDS, n=1)
    hint = f"did you mean 'factmark {close[0]}'? " if close else ""
    return (
        f"'{file_name(missing)}' is neither a command nor a file; {hint}"
        "see 'factmark --help' (a missing file can be named after 'factmark open')"
    )


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    if given[:1] == ["help"]:  # as git and pip take it
        given = [*given[1:], "--help"]
    with_command = _with_default_command(given)
    parser = build_parser()
    args = parser.parse_args(with_command)
    if with_command is not given and (problem := _not_a_path(args.paths)):
        warn(problem)
        return EXIT_USAGE
    try:
        in_force = settings.resolve(vars(args), os.environ, config_dir())
    except settings.SettingsError as exc:
        warn(str(exc))
        return EXIT_USAGE
    if args.command == "config":
        return run_config(in_force)
    configured_db = _apply(args, in_force)
    import sqlite3

    try:
        args.place = place.resolve(args.command, args.db, os.environ, Path.cwd(), configured_db)
        adds_articles = bool(getattr(args, "paths", None) or getattr(args, "sample", False))
        place.check(args.place, args.command, getattr(args, "key_action", None), adds_articles)
        return place.around(args.place, args.command, lambda: _RUN[args.command](args))
    except StoreError as exc:
        warn(str(exc))
        return EXIT_BAD_INPUT
    except sqlite3.Error as exc:  # one line, whatever SQLite says
        from factmark.store.database import describe

        warn(str(describe(exc, _db_path(args))))
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `factmark stats | head` is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        warn(f"{exc.filename or _db_path(args)}: {exc.strerror or exc}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


def _apply(args: argparse.Namespace, in_force: list[settings.Resolved]) -> str | None:
    """Set each setting the command takes on `args`; return the database config.toml
    names, which a class folder and $FACTMARK_DB come before (see place.resolve). The
    annotator an option did not name goes to `args.configured_annotator`: `--annotator`
    alone means "only this annotator's" or "as this annotator" to some commands."""
    configured_db = None
    for item in in_force:
        name = item.setting.attribute
        if name == "db":
            if item.source not in ("default", f"${item.setting.env}") and args.db is None:
                configured_db = str(settings.expand(item.value))
        elif name == "annotator":
            args.configured_annotator = item.value
        elif hasattr(args, name):
            setattr(args, name, item.value)
    return configured_db


def run_config(in_force: list[settings.Resolved]) -> int:
    """Each setting, its value and where it comes from, one a line."""
    from platformdirs import user_data_path

    from factmark.corpus.safe_text import one_line

    defaults = {
        "database": f"{user_data_path('factmark', appauthor=False) / 'factmark.db'}",
        "annotator": f"{login_name()} (your login name)",
        "theme": "Textual's default",
    }
    rows = []
    for item in in_force:
        value = item.value
        if isinstance(value, bool):
            value = "true" if value else "false"
        shown = one_line(str(defaults.get(item.setting.key, "") if value is None else value))
        rows.append((item.setting.key, shown, item.source))
    key_width = max(len(key) for key, _, _ in rows)
    value_width = max(len(value) for _, value, _ in rows)
    for key, value, source in rows:
        say(f"{key:<{key_width}}  {value:<{value_width}}  {one_line(source)}")
    path = settings.config_path(os.environ, config_dir())
    say(f"config file: {one_line(str(path))}{'' if path.is_file() else ' (none)'}")
    return EXIT_OK


def _db_path(args: argparse.Namespace) -> Path:
    """The database the command works on (see place.resolve)."""
    found = getattr(args, "place", None)
    return found.db if found else Path(args.db or "factmark.db")


def _annotator(args: argparse.Namespace) -> str:
    """--annotator, else the default, normalised as the store writes it; in a class,
    a student is always their login."""
    from factmark.store import gate

    chosen = args.annotator or getattr(args, "configured_annotator", None) or login_name()
    return place.annotator(args.place, gate.annotator(chosen))


def _import(store: Store, paths: list[str], glob: str | None) -> ImportReport:
    """Import with a progress bar on a terminal, then one line per problem and a summary."""
    from factmark.store.ingest import import_paths

    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    report = import_paths(store, paths, glob=glob, progress=bar)
    if bar:
        bar.close()
    for line in (*report.refused, *report.notes):
        warn(line)
    say(report.summary(), file=sys.stderr)
    return report


def run_import(args: argparse.Namespace) -> int:
    from factmark.store.database import Store

    with Store.open(_db_path(args)) as store:
        report = _import(store, args.paths, args.glob)
    return EXIT_BAD_INPUT if report.failed else EXIT_OK


def run_open(args: argparse.Namespace) -> int:
    from factmark.keymaps import USER_FILE, KeymapError, load
    from factmark.store.database import Store
    from factmark.tui.bindings import binding_contexts

    try:
        keymap = load(args.keymap, binding_contexts(), config_dir() / USER_FILE)
    except KeymapError as exc:
        warn(str(exc))
        return EXIT_BAD_INPUT
    if args.theme:  # checked before anything is imported or made, as the keymap is
        from textual.theme import BUILTIN_THEMES

        if args.theme not in BUILTIN_THEMES:
            warn(f"unknown theme {args.theme!r} (try: {', '.join(sorted(BUILTIN_THEMES))})")
            return EXIT_USAGE
    paths = [*args.paths, *([str(sample_corpus())] if args.sample else [])]
    with Store.open(_db_path(args)) as store:  # opened once: the app reads it too
        if paths:
            _import(store, paths, args.glob)
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            warn(
                "the reader needs a terminal (standard input and output are not one); "
                "to import without reading: factmark import PATHS"
            )
            return EXIT_BAD_INPUT
        return _read(args, store, keymap)


def _read(args: argparse.Namespace, store: Store, keymap: dict[str, str]) -> int:
    from factmark.tui.app import FactmarkApp

    try:
        app = FactmarkApp(
            db_path=_db_path(args),
            annotator=_annotator(args),
            sample=sample_corpus(),
            keymap=keymap,
            stay=args.stay,
            ascii_glyphs=wants_ascii(os.environ.get("TERM"), args.ascii),
            theme=args.theme,
            store=store,
        )
    except ValueError as exc:
        warn(str(exc))
        return EXIT_BAD_INPUT
    app.run(mouse=args.mouse)
    return app.return_code or EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from factmark.store import export
    from factmark.store.database import Store

    delimiter = "\t" if args.delimiter == "tab" else args.delimiter
    if args.template and (args.gradebook or args.history):
        warn("export: --template cannot go with --gradebook or --history")
        return EXIT_USAGE
    with Store.open(_db_path(args), readonly=True) as store:
        if args.template:
            from factmark.store import template

            rows = template.rows(store, _annotator(args))
            write = partial(
                export.write_rows, columns=template.COLUMNS, rows=rows, delimiter=delimiter
            )
        elif args.gradebook:
            from factmark.store.comparison import GRADEBOOK_COLUMNS, gradebook

            write = partial(
                export.write_rows,
                columns=GRADEBOOK_COLUMNS,
                rows=gradebook(store, args.key),
                delimiter=delimiter,
            )
        else:
            annotator = _annotator(args) if args.annotator else None
            write = partial(
                export.write_verdicts,
                store=store,
                history=args.history,
                annotator=annotator,
                delimiter=delimiter,
                # The output file's own folder, for the part a second process writes.
                scratch=None
                if args.output in (None, "-")
                else Path(os.path.realpath(args.output)).parent,
            )

        encoding = "utf-8-sig" if args.excel else "utf-8"
        if args.output not in (None, "-"):  # "-" is standard output, as usual
            from factmark.store.writing import output

            # A class's key and grades stay the teacher's, even inside the class folder.
            private = args.place.teacher
            with output(
                args.output, protect=[_db_path(args)], encoding=encoding, private=private
            ) as out:
                count = write(out)
            written = "1 row" if count == 1 else f"{count} rows"
            alone = " (readable by you alone)" if private else ""
            say(f"{written} written to {args.output}{alone}", file=sys.stderr)
        else:
            _to_stdout(write, encoding)
    return EXIT_OK


def _to_stdout(write: Callable[[TextIO], object], encoding: str = "utf-8") -> None:
    """Run `write` on standard output as `encoding` text with the line ends it writes."""
    out = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, newline="")
    try:
        write(out)
        out.flush()
    except BrokenPipeError:  # `factmark export | head` is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    finally:
        out.detach()


def run_class(args: argparse.Namespace) -> int:
    from factmark.store import class_folder, class_sync, gate
    from factmark.store.database import Store

    made = class_folder.init(Path(args.directory), args.group, existing=args.existing)
    folder = made.folder
    with Store.open(folder.teacher_db) as store:
        if args.sample:
            _import(store, [str(sample_corpus())], None)
        class_sync.publish(store, folder)
    for note in made.notes:
        warn(note)
    readme = "README.md" if made.readme_written else "the README.md already there was kept"
    say(f"{folder.describe()} ready: {gate.path(folder.root)}/ ({readme})")
    say(f"students add to ~/.profile: export FACTMARK_CLASS={gate.path(folder.root)}")
    return EXIT_OK


def run_key(args: argparse.Namespace) -> int:
    from factmark.store import classroom
    from factmark.store.database import Store

    if args.key_action == "list":
        with Store.open(_db_path(args), readonly=True) as store:
            say("\n".join(classroom.keys(store)) or "no answer keys yet")
        return EXIT_OK
    with Store.open(_db_path(args)) as store:
        name = classroom.set_key(store, args.name, args.key_action == "add")
    say(f"{name} is {'an answer key' if args.key_action == 'add' else 'a student'}")
    return EXIT_OK


def _named(store: Store, name: str) -> ArticleName:
    """The article `name` names (store.article_names.find); a search matching several
    is reported with its titles cut to fit the line. Raises StoreError."""
    from factmark.store import article_names

    from .class_output import several_line

    try:
        return article_names.find(store, name)
    except article_names.SeveralArticles as several:
        raise StoreError(several_line(several)) from None


def run_reveal(args: argparse.Namespace) -> int:
    """Reveal an article, or every one, and say which were revealed already."""
    from factmark.store import classroom
    from factmark.store.database import Store

    from .class_output import article_line

    with Store.open(_db_path(args)) as store:
        if args.all:
            count = len(classroom.reveal(store, None, _annotator(args)))
            say(
                f"revealed {_articles(count)} to the class; every article is revealed now"
                if count
                else "every article was revealed already"
            )
            return EXIT_OK
        named = _named(store, args.article)
        done = classroom.reveal(store, named.id, _annotator(args))
    say(
        article_line("revealed ", named)
        if done
        else article_line("", named, " was revealed already")
    )
    return EXIT_OK


def run_unreveal(args: argparse.Namespace) -> int:
    """Take a reveal back, or every one, and say when there was none."""
    from factmark.store import classroom
    from factmark.store.database import Store

    from .class_output import article_line

    with Store.open(_db_path(args)) as store:
        if args.all:
            count = len(classroom.unreveal(store, None))
            say(f"unrevealed {_articles(count)}" if count else "no article was revealed")
            return EXIT_OK
        named = _named(store, args.article)
        done = classroom.unreveal(store, named.id)
    say(
        article_line("unrevealed ", named) if done else article_line("", named, " was not revealed")
    )
    return EXIT_OK


def _articles(count: int) -> str:
    return "1 article" if count == 1 else f"{count} articles"


def run_import_verdicts(args: argparse.Namespace) -> int:
    from factmark.store.database import Store
    from factmark.store.verdict_import import import_verdicts

    with Store.open(_db_path(args)) as store:
        # In a class the sheet is the user's own: the teacher's key, a student's copy.
        whose = _annotator(args) if args.place.folder else args.annotator
        report = import_verdicts(store, Path(args.file), whose)
    for line in (*report.problems, *report.notes):
        warn(line)
    say(report.summary(), file=sys.stderr)
    return EXIT_BAD_INPUT if report.problems else EXIT_OK


def run_compare(args: argparse.Namespace) -> int:
    from factmark.store import comparison
    from factmark.store.database import Store

    from .class_output import COMPARE_COLUMNS, compare_table

    with Store.open(_db_path(args), readonly=True) as store:
        named = _named(store, args.article) if args.article is not None else None
        figures = comparison.compare(store, args.key, named.id if named else None)
    if args.format == "json":
        import json

        article = {"id": named.id, "title": named.title} if named else None
        say(json.dumps({"article": article, **figures}, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        from factmark.store.export import write_rows

        _to_stdout(lambda out: write_rows(out, COMPARE_COLUMNS, figures["claims"]))
    else:
        say(compare_table(figures, named))
    return EXIT_OK


def run_merge(args: argparse.Namespace) -> int:
    from factmark.store.database import Store
    from factmark.store.merge import merge

    status = EXIT_OK
    # A student's own work, into their copy: their verdicts on the class's claims.
    owner = _annotator(args) if args.place.student else None
    if owner and args.with_roles:
        raise StoreError("--with-roles: keys and reveals are the teacher's in a class")
    with Store.open(_db_path(args)) as store:
        for other in args.others:
            try:
                report = merge(store, Path(other), roles=args.with_roles, owner=owner)
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


def run_stats(args: argparse.Namespace) -> int:
    from factmark.store import stats
    from factmark.store.database import Store

    with Store.open(_db_path(args), readonly=True) as store:
        figures = stats.summary(store)
    if args.format == "json":
        import json

        say(json.dumps(figures, ensure_ascii=False, indent=2))
        return EXIT_OK
    v = figures["verdicts"]
    say(
        f"{figures['articles']} articles, {figures['claims']} claims, "
        f"{figures['annotators']} annotators, {figures['events']} verdict events"
    )
    seconds = figures["median_seconds_per_claim"]
    say(
        f"current verdicts: {v['verified']} verified, {v['disputed']} disputed, "
        f"{v['unsourced']} unsourced; median time per decided claim: "
        + (f"{seconds:.0f} s" if seconds is not None else "-")
    )
    if figures["per_article"]:
        say(
            f"\n{'id':>4}  {'lang':4}  {'claims':>6}  {'✓':>4} {'✗':>4} {'?':>4}  "
            f"{'people':>6}  {'s/claim':>7}  title"
        )
        for row in figures["per_article"]:
            per = row["median_seconds_per_claim"]
            say(
                f"{row['id']:>4}  {row['language']:4}  {row['claims']:>6}  "
                f"{row['verified']:>4} {row['disputed']:>4} {row['unsourced']:>4}  "
                f"{row['annotators']:>6}  {'-' if per is None else f'{per:.0f}':>7}  "
                f"{row['title'][:40]}"
            )
    return EXIT_OK


def run_detect(args: argparse.Namespace) -> int:
    """Claims as JSON Lines (the contract other tools rely on) or readable lines."""
    import json

    from factmark.corpus.article import ArticleError
    from factmark.corpus.claims import THRESHOLD, detect, sentences
    from factmark.corpus.lexicon import detector_languages
    from factmark.corpus.safe_text import clean, file_name
    from factmark.store.files import discover, read_file

    threshold = THRESHOLD if args.threshold is None else args.threshold
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
    refused = 0
    try:
        for item in discover(args.paths, args.glob):
            for article in [item] if isinstance(item, ArticleError) else read_file(item):
                if isinstance(article, ArticleError):
                    warn(str(article))
                    refused += 1
                    continue
                for note in article.notes:
                    warn(note)
                known = article.language in detector_languages()
                if not known:
                    which = (
                        "could not tell the language (too little text)"
                        if article.language == "und"
                        else f"does not know the language {article.language!r}"
                    )
                    warn(
                        f"{file_name(article.path)}: the detector {which} (it knows "
                        f"{', '.join(detector_languages())}): its claims are a guess from "
                        "numbers, names and dates"
                    )
                if args.all:
                    found = sentences(article.text, article.language, article.regions)
                elif threshold == THRESHOLD:
                    found = article.claims  # found when the file was read
                else:
                    found = detect(article.text, article.language, article.regions, threshold)
                for claim in found:
                    text = article.text[claim.start : claim.end]
                    if args.format == "jsonl":
                        record = {
                            "path": article.path,
                            "article": article.external_id or article.path,
                            "language": article.language,
                            "language_known": known,
                            "start": claim.start,
                            "end": claim.end,
                            "text": text,
                            "score": claim.score,
                            "attributed": claim.attributed,
                            "source": claim.source,
                            "vague_source": claim.vague_source,
                            "cues": list(claim.cues),
                        }
                        out.write(clean(json.dumps(record, ensure_ascii=False)) + "\n")
                    else:
                        line = " ".join(text.split())
                        out.write(
                            clean(
                                f"{article.path}:{claim.start}-{claim.end} {claim.score:.2f} "
                                f"[{', '.join(claim.cues)}] {line}"
                            )
                            + "\n"
                        )
        out.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    finally:
        out.detach()
    return EXIT_BAD_INPUT if refused else EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    from factmark.store import gate
    from factmark.store.database import check

    check(_db_path(args))  # StoreError: one line saying what is wrong
    say(f"{gate.path(_db_path(args))}: sound")
    return EXIT_OK


def run_redetect(args: argparse.Namespace) -> int:
    from factmark.store.database import Store
    from factmark.store.detection import redetect

    with Store.open(_db_path(args)) as store:
        report = redetect(store)
    say(report.summary(), file=sys.stderr)
    return EXIT_OK


_RUN = {
    "open": run_open,
    "import": run_import,
    "detect": run_detect,
    "redetect": run_redetect,
    "export": run_export,
    "stats": run_stats,
    "class": run_class,
    "key": run_key,
    "reveal": run_reveal,
    "unreveal": run_unreveal,
    "import-verdicts": run_import_verdicts,
    "compare": run_compare,
    "merge": run_merge,
    "check": run_check,
}
