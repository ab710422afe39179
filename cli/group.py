"""The `factmark` group: its default command, its usage, unknown commands and `help`.

`factmark [PATHS...]` means `factmark open [PATHS...]`, as sqlite-utils and Posting
take a default command: when the first word after the group's own options is not a
command, `open` goes before it. Then every path must exist (a path that does not
exist is opened only after `open`): a word that is neither a command nor a file is a
usage error naming the closest command (`exprot`: "did you mean 'factmark export'?"),
before anything is opened or made.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any

import click
from click.exceptions import NoSuchCommand

from .output import quiet_broken_pipe, warn

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem
from .params import CONTEXT, epilog

DEFAULT = "open"
IMPLIED = "factmark.implied_open"  # in ctx.meta: `open` was not typed
# The group's own options: those taking a value, and those that act and exit.
_VALUED = ("--db", "--annotator")
_EAGER = ("-h", "--help", "--version")


class Group(click.Group):
    """A group listing its commands in the order they were added."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


class OneLine(click.UsageError):
    """A usage error told in one line; exit 2."""

    def show(self, file: Any = None) -> None:
        warn(self.message)


class NotACommand(OneLine):
    """A word that is neither a command nor an existing file, told in one line with
    the command it may be a slip for; exit 2."""

    def __init__(self, word: str, commands: Iterable[str]) -> None:
        from factmark.corpus.safe_text import file_name

        close = closest(word, commands)
        hint = f"did you mean 'factmark {close}'? " if close else ""
        super().__init__(
            f"'{file_name(word)}' is neither a command nor a file; {hint}see 'factmark "
            "--help' (a missing file can be named after 'factmark open')"
        )


def closest(word: str, commands: Iterable[str]) -> str | None:
    """The command `word` is most likely a slip for, if any is close."""
    import difflib

    close = difflib.get_close_matches(word, list(commands), n=1)
    return close[0] if close else None


class FactmarkGroup(Group):
    """The `factmark` group: `open` when no command is named (see the module's
    docstring), and a usage line for both forms. Its commands are `lazy`: name ->
    (module of this package, the command's name there, its line in the list), each
    module loaded when one of its commands is first asked for."""

    def __init__(self, *args: Any, lazy: Mapping[str, tuple[str, str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.lazy)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:  # --help and --version write as the line is read
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:
            raise _reader_gone() from None
        except OSError as exc:
            raise _unwritable(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise _reader_gone() from None
        except OSError as exc:  # help written by a command's own --help
            raise _unwritable(exc) from None

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self.lazy:
            module, attribute, line = self.lazy[name]
            command = getattr(import_module(f".{module}", __package__), attribute)
            command.short_help = line
            self.add_command(command, name)
        return self.commands.get(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, line) for name, (_, _, line) in self.lazy.items()])

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        at = _after_own_options(args)
        if at == len(args):  # no word but the group's options
            if not (ctx.resilient_parsing or any(a in _EAGER for a in args)):
                args = [*args, DEFAULT]
        elif at < len(args) and args[at] not in self.lazy:  # (past the end: a value missing)
            word = args[at]
            if not ctx.resilient_parsing and word not in ("-", "--"):  # stdin; paths follow
                if word.startswith("-"):
                    self._check_option(ctx, word, args[at + 1 :])
                elif not os.path.exists(word):
                    raise NotACommand(word, self.lazy)
            args = [*args[:at], DEFAULT, *args[at:]]
            ctx.meta[IMPLIED] = True
        return super().parse_args(ctx, args)

    def _check_option(self, ctx: click.Context, word: str, rest: list[str]) -> None:
        """An option before any command word is the reader's (`open`'s): raises OneLine
        when it is no option at all (`factmark -V`), or when a command follows
        (`factmark --stay config`: the option belongs after the command's name)."""
        reader = self.get_command(ctx, DEFAULT)
        assert reader is not None
        known = [o for p in reader.params for o in (*p.opts, *p.secondary_opts)]
        known += [*_VALUED, *_EAGER]
        if word.split("=", 1)[0] not in known:
            close = closest(word, known)
            hint = f"did you mean '{close}'? " if close else ""
            raise OneLine(f"no such option: {word}; {hint}see 'factmark --help'")
        command = next((w for w in rest if w in self.lazy), None)
        if command is not None:
            raise OneLine(
                f"'{word}' comes before the command '{command}': put a command's options "
                f"after its name (see 'factmark {command} --help')"
            )

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """Commands, and files too where a word is not an option: `factmark sto<Tab>`
        completes `story.txt`, as `factmark story.txt` opens it. The files come first:
        click's bash script, on reading them, drops what it had gathered, and then
        offers files only where nothing else matches (so `ex<Tab>` is `export`)."""
        from click.shell_completion import CompletionItem  # loaded only to complete

        found = super().shell_complete(ctx, incomplete)
        if incomplete.startswith("-"):
            return found
        return [CompletionItem(incomplete, type="file"), *found]

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] [PATHS]...")
        formatter.write_usage(ctx.command_path, "[OPTIONS] COMMAND [ARGS]...", "   or: ")


def _reader_gone() -> click.exceptions.Exit:
    """The reader of the output went away (`factmark --help | head`): as for a
    command's output, quietly, exit 0 (click would say 1)."""
    quiet_broken_pipe()
    return click.exceptions.Exit(0)


def _unwritable(exc: OSError) -> click.exceptions.Exit:
    """Help or a version that could not be written (standard output closed, a full
    disk behind `>`): one line, exit 1."""
    warn(f"{exc.filename or 'standard output'}: {exc.strerror or exc}")
    return click.exceptions.Exit(1)


def _after_own_options(args: list[str]) -> int:
    """Where the first word that is not the group's own option (or its value) is: past
    the end when the last option lacks its value."""
    at = 0
    while at < len(args):
        word = args[at]
        if word in _VALUED:
            at += 2
        elif word in _EAGER or word.startswith(tuple(f"{o}=" for o in _VALUED)):
            at += 1
        else:
            break
    return at


def paths_exist(ctx: click.Context, params: dict[str, Any]) -> None:
    """Without `open` typed, every path must exist (a broken link does not). Raises
    NotACommand for the first that does not."""
    if not ctx.meta.get(IMPLIED):
        return
    missing = next((p for p in params["paths"] if p != "-" and not os.path.exists(p)), None)
    if missing is not None:
        root = ctx.find_root()
        assert isinstance(root.command, click.Group)
        raise NotACommand(missing, root.command.list_commands(root))


def _commands(ctx: click.Context, _: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Completion of `factmark help`: the commands (and the actions of key and class)."""
    from click.shell_completion import CompletionItem

    level = ctx.find_root()
    for name in ctx.params.get("names") or ():
        group = level.command
        command = group.get_command(level, name) if isinstance(group, click.Group) else None
        if command is None:
            return []
        level = click.Context(command, info_name=name, parent=level)
    group = level.command
    if not isinstance(group, click.Group):
        return []
    names = group.list_commands(level)
    return [CompletionItem(name) for name in names if name.startswith(incomplete)]


@click.command(
    "help",
    help="Show the help of factmark, or of COMMAND: `factmark help export` is `factmark "
    "export --help`.",
    epilog=epilog(
        ["factmark help", "factmark help export", "factmark help key add"],
        "0 shown, 2 a usage error (no such command)",
    ),
    context_settings=CONTEXT,
)
@click.argument(
    "names",
    nargs=-1,
    metavar="[COMMAND]...",
    help="A command, and its action for key and class.",
    shell_complete=_commands,
)
@click.pass_context
def help_command(ctx: click.Context, names: tuple[str, ...]) -> None:
    level = ctx.find_root()
    for name in names:
        group = level.command
        if not isinstance(group, click.Group):
            raise click.UsageError(f"'{level.command_path}' has no commands", ctx)
        command = group.get_command(level, name)
        if command is None:
            raise NoSuchCommand(name, possibilities=group.list_commands(level), ctx=ctx)
        level = click.Context(command, info_name=name, parent=level, **command.context_settings)
    click.echo(level.get_help())
