"""`factmark serve`: the class's reader in the browser, for students without a Unix
account (see cli/web.py for the server, cli/session.py for one session)."""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys

import click

from .command import EXIT_BAD_INPUT, EXIT_OK, Call, command
from .output import say, warn

DEFAULT_PORT = 8419
MISSING = (
    "factmark serve needs textual-serve: pip install 'factmark[serve]' "
    "(installed with pipx: pipx inject factmark textual-serve; with uv: "
    "uv tool install 'factmark[serve]')"
)


def is_loopback(host: str) -> bool:
    """True for an address or name of this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def address(host: str, port: int) -> str:
    """The page's address as a browser elsewhere types it: a name or address as given,
    and for every address of this machine (0.0.0.0, ::) the machine's name, said so."""
    try:
        everywhere = ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        everywhere = False
    if everywhere:
        import socket

        return f"http://{socket.gethostname()}:{port}/ (or any address of this machine)"
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


def exposure(host: str, port: int, place: str) -> str:
    """The warning for a server others can reach: what they reach, and how."""
    return (
        f"serving on {host}:{port}, not this machine alone: anyone who can reach it gets "
        f"the sign-in of {place} and can try its students' passwords (slowed down, never "
        "shown), and names, passwords and verdicts cross the network in plain HTTP "
        "unless a TLS proxy is in front"
    )


@command(
    "serve",
    help="Serve the class's reader in the browser, for students without a Unix account: "
    "each browser session asks for a name and password from the class roster (`factmark "
    "class roster add NAME`), then reads as that student, blind as over SSH, their "
    "verdicts in their own copy that `compare`, `reveal` and the gradebook collect. On "
    "this machine only (127.0.0.1) unless --host says otherwise. Runs in the class "
    "folder, as its teacher, until ctrl+c. Needs the `serve` extra.",
    examples=[
        "factmark serve                        # http://127.0.0.1:8419/",
        "factmark serve --port 9000",
        "factmark serve --host 0.0.0.0         # the school network: see the warning",
    ],
    exits="0 stopped (ctrl+c), 1 not a class folder's teacher, textual-serve not installed "
    "or the address in use, 2 a usage error",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="ADDRESS",
    help="Where to listen: another address than this machine's own is served with a "
    "warning of what it exposes.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="The port (0: any free one, printed).",
)
@click.option(
    "--max-sessions",
    type=click.IntRange(1),
    default=40,
    show_default=True,
    help="Browser sessions at once (each is a process of about 65 MB).",
)
def serve(call: Call, host: str, port: int, max_sessions: int) -> int:
    place = call.place
    if place is None or place.folder is None or not place.teacher:
        warn(
            "factmark serve serves a class: run it as its teacher in the class folder, or "
            "with FACTMARK_CLASS set (see `factmark class init --help`)"
        )
        return EXIT_BAD_INPUT
    try:
        from .web import Sessions
        from .web import serve as run_server
    except ImportError:
        warn(MISSING)
        return EXIT_BAD_INPUT
    import asyncio

    from factmark.store import gate, roster

    folder = place.folder
    if not roster.listing(folder):
        warn("no one on the roster yet: factmark class roster add NAME")
    local = is_loopback(host)
    session = f"exec {shlex.quote(sys.executable)} -m factmark.cli.session {os.getpid()}"
    sessions = Sessions(f"{session} {shlex.quote(str(folder.root))}", max_sessions, local)

    def ready(bound: int) -> None:
        if not local:  # with the port bound: --port 0 takes one only now
            warn(exposure(host, bound, folder.describe()))
        say(f"serving {folder.describe()} (ctrl+c stops) at")
        say(f"  {address(host, bound)}")  # a line of its own: never cut at the terminal's edge
        sys.stdout.flush()

    try:
        asyncio.run(run_server(sessions, host, port, ready))
    except OSError as exc:
        # The system's words, without the address it repeats ("('127.0.0.1', 8419)").
        warn(f"{gate.field(host)}:{port}: {exc.strerror or str(exc).split(':')[-1].strip()}")
        return EXIT_BAD_INPUT
    return EXIT_OK
