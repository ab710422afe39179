"""Helpers for tests: the real `factmark` command and file fingerprints."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.notifications import Notify

from factmark.store import claims

SAMPLE = Path(__file__).resolve().parent.parent / "sample_corpus"
FACTMARK = str(Path(sys.executable).with_name("factmark"))


def factmark(
    *args: str,
    input: bytes | None = None,
    env: dict | None = None,
    timeout: float = 120,
    cwd: Path | None = None,
    process: bool = False,
) -> subprocess.CompletedProcess:
    """Run `factmark` with `args` as a user would, and what it returned and printed.

    In this process through the command's own entry point (`factmark.cli.main`), with
    standard input, output, error, the environment and the working folder its own for
    the call (click's test isolation); `process=True` runs the installed command as a
    process of its own instead, for what only a process shows: a signal, a terminal,
    a file descriptor written directly, what a fresh interpreter imports."""
    if process:
        return subprocess.run(
            [FACTMARK, *args],
            input=input,
            capture_output=True,
            timeout=timeout,
            env={**os.environ, **(env or {})},
            cwd=cwd,
        )
    from click.testing import CliRunner

    from factmark.cli import main

    with (
        CliRunner().isolation(input=input, env=env) as (out, err, _),
        contextlib.chdir(cwd or Path.cwd()),
    ):
        code = main(list(args))
        sys.stdout.flush()
        sys.stderr.flush()
        return subprocess.CompletedProcess([FACTMARK, *args], code, out.getvalue(), err.getvalue())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# A process saving `count` verdicts on article 1's claims, printing each event id once
# it is saved: args DB ANNOTATOR COUNT.
VERDICT_WRITER = """
import sys
from factmark.store import claims, verdicts
from factmark.store.database import Store
db, annotator, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with Store.open(db) as store:
    ids = [c["id"] for c in claims.for_article(store, 1)]
    for i in range(count):
        event = verdicts.record(store, ids[i % len(ids)], annotator,
                                ("verified", "disputed", "unsourced")[i % 3])
        print(event["id"], flush=True)
"""


def reader_claim(store, article_id: int, index: int = 0) -> int:
    """A claim a reader added to the article, where the detector's `index`-th claim
    (in text order) was: that claim is removed first, as claims never overlap."""
    row = store.conn.execute(
        "SELECT id, start, \"end\" FROM claims WHERE article_id = ? AND origin = 'detector' "
        "ORDER BY start LIMIT 1 OFFSET ?",
        [article_id, index],
    ).fetchone()
    with store.write():
        store.conn.execute("DELETE FROM claims WHERE id = ?", [row[0]])
    return claims.add(store, article_id, row[1], row[2], origin="reader")


def start_writer(db: Path, annotator: str, count: int, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", VERDICT_WRITER, str(db), annotator, str(count)],
        stdout=subprocess.PIPE,
        text=True,
        **popen,
    )


def source_copy(dest: Path) -> Path:
    """A copy of this checkout's sources at `dest`, to build from: a build writes its
    staging folders beside the sources, so two builds of one tree at once (two test
    workers) would race, and a test leaves the checkout as it found it."""
    root = Path(__file__).resolve().parent.parent
    shutil.copytree(
        root,
        dest,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "__pycache__", "*.so", ".*_cache"
        ),
    )
    return dest


def without_root_override(*command: str) -> list[str]:
    """`command` run so that file modes bind: as root, without the capabilities that
    let root read and write past them (on a school server the teacher and students are
    not root)."""
    if os.geteuid() != 0:
        return list(command)
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--", *command]


@contextlib.contextmanager
def tiny_filesystem(folder: Path, size: str = "256k") -> Iterator[Path]:
    """A real filesystem of `size` mounted at `folder` (tmpfs; needs root, as in CI),
    to fill up: a full disk as users meet it."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path) -> Path:
    """Fill the filesystem holding `folder` until not one more byte fits; remove the
    file returned to give the space back."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)
    return filler


# Tests of what only root can set up (a tmpfs to fill, another user's file). CI runs
# as root, so they always run there; elsewhere they say why they did not.
needs_root = pytest.mark.skipif(
    os.geteuid() != 0, reason="needs root (a tmpfs mount, another user's file), as CI has"
)


def judged_sample(db: Path, verdicts: str, annotator: str = "t") -> Path:
    """`db` holding the sample corpus and `verdicts` (CSV lines after the header
    `claim_id,verdict,note`) by `annotator`, through the real commands."""
    assert factmark("import", "--db", str(db), str(SAMPLE)).returncode == 0
    sheet = db.with_name(db.name + ".verdicts.csv")
    sheet.write_text("claim_id,verdict,note\r\n" + verdicts)
    result = factmark("import-verdicts", "--db", str(db), "--annotator", annotator, str(sheet))
    sheet.unlink()
    assert result.returncode == 0, result.stderr
    return db


def article_feed(
    path: Path,
    count: int,
    title: Callable[[int], str] = "Roads {}".format,
    language: Callable[[int], str] = lambda n: "en",
) -> Path:
    """A JSON Lines file of `count` one-sentence articles (ids "0"...), titled `title(n)`
    and declared in `language(n)`: a library of any size to import in one command."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            text = f"The council spent {n} million euros on roads in 2021, the mayor said."
            record = {"id": str(n), "title": title(n), "language": language(n), "text": text}
            out.write(json.dumps(record) + "\n")
    return path


def collect_notifications() -> tuple[list[str], Callable]:
    """The messages of every notification the app shows, and the hook that collects them."""
    seen: list[str] = []

    def hook(message) -> None:
        if isinstance(message, Notify):
            seen.append(message.notification.message)

    return seen, hook


def labelled_set(path: Path) -> list:
    """The labelled articles of a development set (tests/data/claims/*.jsonl), the
    sample corpus's labels read against sample_corpus/."""
    import json

    from factmark.corpus.evaluate import labelled

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return list(labelled(rows, lambda name: (SAMPLE / name).read_text(encoding="utf-8")))
