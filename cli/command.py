"""How every command runs: the settings in force, the place it works in, and the exit
status its problems give.

`command()` makes a click command of a handler `handler(call, **params) -> int`: the
command takes --db and --annotator too, and when it runs its settings are resolved
(option > environment > config.toml > default, see settings.py), its place is found (a
database, or a class folder, see place.py) and checked, and the handler runs there.
A problem is one line on standard error and an exit status: 0 success, 1 bad input
or a partial failure, 2 a usage error, 130 interrupted.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from .output import quiet_broken_pipe, warn
from .params import CONTEXT, common_params, epilog

if TYPE_CHECKING:
    from .place import Place
    from .settings import Resolved

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

Handler = Callable[..., int]


def config_dir() -> Path:
    """The user's config dir (`~/.config/factmark/` on Linux)."""
    from platformdirs import user_config_path

    return user_config_path("factmark", appauthor=False)


def login_name() -> str:
    """The user's login name, the annotator when no setting names one."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name, e.g. in a bare container
        return "reader"


def sample_corpus() -> Path:
    """The folder of the sample articles shipped with factmark."""
    from importlib import resources

    return Path(str(resources.files("factmark.sample_corpus")))


@dataclass
class Call:
    """One command as it runs: its name and action (`key add`: "key", "add"), the
    --db and --annotator given (the last one on the line), the settings in force, and
    the place it works in (None until found)."""

    command: str
    action: str | None
    db_option: str | None
    annotator_option: str | None
    settings: list[Resolved] = field(default_factory=list)
    place: Place | None = None

    @property
    def db(self) -> Path:
        """The database the command works on (see place.resolve)."""
        return self.place.db if self.place else Path(self.db_option or "factmark.db")

    def annotator(self) -> str:
        """--annotator, else the setting, else the login name, normalised as the store
        writes it; in a class, a student is always their login."""
        from factmark.store import gate

        from . import place

        configured = next(s.value for s in self.settings if s.setting.key == "annotator")
        chosen = self.annotator_option or configured or login_name()
        return place.annotator(self.place, gate.annotator(str(chosen)))


def command(
    name: str,
    *,
    help: str,
    examples: Sequence[str],
    exits: str,
    before: Callable[[click.Context, dict[str, Any]], None] | None = None,
    uses_place: bool = True,
) -> Callable[[Handler], click.Command]:
    """A decorator making `handler(call, **params) -> int` the command `name`, its
    parameters the click decorators below it, then --db and --annotator. `before`
    checks the parameters before anything else (raising click.UsageError); a command
    that does not `uses_place` is handed its settings only (`config`)."""

    def make(handler: Handler) -> click.Command:
        def callback(**params: Any) -> None:
            ctx = click.get_current_context()
            del params["db"], params["annotator"]  # read from every level by run()
            if before is not None:
                before(ctx, params)
            ctx.exit(run(ctx, handler, params, uses_place=uses_place))

        params = [*reversed(getattr(handler, "__click_params__", [])), *common_params()]
        return click.Command(
            name,
            callback=callback,
            params=params,
            help=help,
            epilog=epilog(examples, exits),
            context_settings=CONTEXT,
        )

    return make


def run(ctx: click.Context, handler: Handler, params: dict[str, Any], *, uses_place: bool) -> int:
    """Run `handler` as the command `ctx` names, in its place; its exit status."""
    from . import settings

    names = _names(ctx)
    call = Call(names[0], names[1] if len(names) > 1 else None, *_given(ctx))
    given = {"db": call.db_option, "annotator": call.annotator_option}
    given |= {k: v for k, v in params.items() if _typed(ctx, k)}
    try:
        call.settings = settings.resolve(given, os.environ, config_dir())
    except settings.SettingsError as exc:
        warn(str(exc))
        return EXIT_USAGE
    configured_db = None
    for item in call.settings:
        attribute = item.setting.attribute
        if attribute == "db":
            if item.source not in ("default", f"${item.setting.env}") and not call.db_option:
                configured_db = str(settings.expand(item.value))
        elif attribute in params:
            params[attribute] = item.value
    if not uses_place:
        return handler(call, **params)
    adds_articles = bool(params.get("paths") or params.get("sample"))
    return _in_place(call, configured_db, adds_articles, lambda: handler(call, **params))


def _in_place(call: Call, configured_db: str | None, adds_articles: bool, go: Handler) -> int:
    """Find the command's place, check it may run there (`adds_articles`: whether it
    imports first), and run `go` there: a problem is one line and exit 1 (an interrupt
    130; a closed pipe is no problem)."""
    import sqlite3

    from factmark.store.errors import StoreError

    from . import place

    try:
        call.place = place.resolve(
            call.command, call.db_option, os.environ, Path.cwd(), configured_db
        )
        place.check(call.place, call.command, call.action, adds_articles)
        return place.around(call.place, call.command, go)
    except StoreError as exc:
        warn(str(exc))
        return EXIT_BAD_INPUT
    except sqlite3.Error as exc:  # one line, whatever SQLite says
        from factmark.store.database import describe

        warn(str(describe(exc, call.db)))
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `factmark stats | head` is fine
        quiet_broken_pipe()
        return EXIT_OK
    except OSError as exc:
        warn(f"{exc.filename or call.db}: {exc.strerror or exc}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _names(ctx: click.Context) -> list[str]:
    """The command's words after `factmark`: ["stats"], ["key", "add"]."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return names[::-1]


def _given(ctx: click.Context) -> tuple[str | None, str | None]:
    """--db and --annotator as given at any level (`factmark --db A stats --db B`):
    the last one typed, None when neither was."""
    found: dict[str, str | None] = {"db": None, "annotator": None}
    level: click.Context | None = ctx
    while level is not None:
        for name in found:
            if found[name] is None:
                found[name] = level.params.get(name)
        level = level.parent
    return found["db"], found["annotator"]


def _typed(ctx: click.Context, name: str) -> bool:
    """Whether the parameter `name` was given on the command line (not its default)."""
    return ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE
