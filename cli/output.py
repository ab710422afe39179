"""What the command line prints, and how.

Every line goes through `say`: what factmark prints comes partly from outside (titles,
names, notes, file names), so each line is cleaned of terminal escape sequences and
control characters on the way out, whatever the database holds, and a terminal whose
encoding lacks ✓ ✗ · (an ASCII locale, PYTHONIOENCODING=ascii) gets ASCII stand-ins
instead of a UnicodeEncodeError. CSV and JSON Lines go to standard output through
`stdout_text`. A reader that closes the pipe early (`factmark export | head`) is no
error: `quiet_broken_pipe` is the one place that says so. The tables of `stats`,
`compare` and `config` are made here too, titles cut to the terminal's width.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from factmark.store.article_names import ArticleName, SeveralArticles
    from factmark.store.comparison import Comparison
    from factmark.store.stats import Summary

# The punctuation factmark itself prints, and its ASCII stand-ins (the states' glyphs
# come from the vocabulary: see `_ascii_stand_ins`).
_PUNCTUATION = {"…": "...", "→": "->", "—": "-", "–": "-"}
ERROR_PREFIX = "factmark: "  # what `warn` puts before a problem
MIN_TITLE = 12  # cells a title keeps, however narrow the terminal
SHOWN_CLAIMS = 15  # the claims `compare`'s table lists: the discussion prompts


def say(text: str = "", *, file: TextIO | None = None) -> None:
    """Print `text` and a newline to `file` (standard output by default), guarded."""
    from factmark.corpus.safe_text import clean

    stream = file if file is not None else sys.stdout
    line = fit(clean(text), stream.encoding or "utf-8")
    print(line, file=stream, flush=stream is sys.stderr)


def warn(text: str) -> None:
    """One line to standard error, prefixed `factmark: `."""
    say(ERROR_PREFIX + text, file=sys.stderr)


def fit(text: str, encoding: str) -> str:
    """`text` as `encoding` can show it: ASCII stand-ins, then `?` for the rest."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        text = text.translate(_ascii_stand_ins())
        text = text.encode(encoding, "replace").decode(encoding)
    except LookupError:  # an encoding Python does not know
        text = text.encode("ascii", "replace").decode("ascii")
    return text


def columns() -> int:
    """The terminal's width: $COLUMNS, else the terminal standard output is, else 80.
    As shutil.get_terminal_size, which is not imported for it: `shutil` loads zlib, bz2
    and lzma, some 6 ms, a third of what `factmark --help` may spend beyond importing
    click (docs/benchmarks.md)."""
    try:
        width = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        width = 0
    if width <= 0:
        try:
            width = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):  # no terminal
            width = 0
    return width or 80


def help_width() -> int:
    """The width click gives help: the terminal's, at most 80 columns, less 2, and at
    least 50."""
    return max(min(columns(), 80) - 2, 50)


class _Closed(io.RawIOBase):
    """A standard stream the process was started without (`1>&-`): the first write
    fails as writing to a closed descriptor does, named for the stream; later writes
    (a flush at exit) are dropped, the failure having been reported."""

    def __init__(self, name: str, *, silent: bool = False) -> None:
        super().__init__()
        self.stream_name = name
        self.failed = silent  # a silent one drops every write

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if not self.failed:
            self.failed = True
            raise OSError(errno.EBADF, "closed when factmark started", self.stream_name)
        return len(data)


def stand_in_closed_streams() -> None:
    """Give a missing standard output a stream that fails on the first write (so a
    command says its output went nowhere, in one line), and a missing standard error
    one that drops what is written (nowhere to say anything; the exit status says)."""
    if sys.stdout is None:
        raw = _Closed("standard output")
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(raw), "utf-8", line_buffering=True)
    if sys.stderr is None:
        raw = _Closed("standard error", silent=True)
        sys.stderr = io.TextIOWrapper(io.BufferedWriter(raw), "utf-8")


def quiet_broken_pipe() -> None:
    """After the reader of standard output went away (`factmark stats | head`): point
    standard output at /dev/null, so that nothing written or flushed later fails."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@contextmanager
def stdout_text(encoding: str = "utf-8", newline: str = "") -> Iterator[TextIO]:
    """Standard output as `encoding` text that writes the line ends it is given (""
    keeps CSV's CRLF), flushed at the end. A reader that closes the pipe early ends
    the output quietly: the block stops there and no error is raised."""
    out = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, newline=newline)
    try:
        yield out
        out.flush()
    except BrokenPipeError:
        quiet_broken_pipe()
    except OSError as exc:  # a full disk behind `> file`: say it is the output's
        if exc.filename is None:
            exc.filename = "standard output"
        raise
    finally:
        out.detach()


def stats_table(figures: Summary) -> str:
    """`stats`'s figures (see `store.stats.summary`): two lines for the corpus, then one
    per article."""
    v = figures.verdicts
    seconds = figures.median_seconds_per_claim
    lines = [
        f"{figures.articles} articles, {figures.claims} claims, "
        f"{figures.annotators} annotators, {figures.events} verdict events",
        f"current verdicts: {v['verified']} verified, {v['disputed']} disputed, "
        f"{v['unsourced']} unsourced",
        "median time per decided claim: " + (f"{seconds:.0f} s" if seconds is not None else "-"),
    ]
    if figures.per_article:
        lines += [
            "",
            f"{'id':>4}  {'lang':4}  {'claims':>6}  {_verdict_columns(4)}  "
            f"{'people':>6}  {'s/claim':>7}  title",
        ]
        from factmark.tui.layout import shorten

        for row in figures.per_article:
            per = row.median_seconds_per_claim
            figures_line = (
                f"{row.id:>4}  {row.language:4}  {row.claims:>6}  "
                f"{row.verified:>4} {row.disputed:>4} {row.unsourced:>4}  "
                f"{row.annotators:>6}  {'-' if per is None else f'{per:.0f}':>7}  "
            )
            lines.append(figures_line + shorten(row.title, _room(figures_line)))
    return "\n".join(lines)


def aligned(rows: Sequence[Sequence[str]]) -> str:
    """Rows of cells (each one line of text) in columns two spaces apart, each as wide as
    its widest cell in terminal cells (a CJK character is two); the last column is not
    padded."""
    from rich.cells import cell_len

    from factmark.corpus.safe_text import one_line

    shown = [[one_line(cell) for cell in row] for row in rows]
    widths = [max(cell_len(row[i]) for row in shown) for i in range(len(shown[0]))]

    def padded(cell: str, width: int) -> str:
        return cell + " " * (width - cell_len(cell))

    return "\n".join("  ".join([*map(padded, row[:-1], widths[:-1]), row[-1]]) for row in shown)


def _room(line_without_titles: str, titles: int = 1) -> int:
    """Cells each of `titles` titles may take so that the line fits the terminal."""
    from factmark.tui.layout import cells

    free = columns() - 1 - cells(line_without_titles)
    return max(MIN_TITLE, free // titles)


def article_line(before: str, named: ArticleName, after: str = "") -> str:
    """`before`, then `5 "Title"`, then `after`: the title (untrusted) cleaned and cut
    to fit one line of the terminal."""
    from factmark.tui.layout import shorten

    room = _room(before + named.label(lambda _: "") + after)
    return before + named.label(lambda title: shorten(title, room)) + after


def several_line(error: SeveralArticles) -> str:
    """The error of a title search that matches several articles, in one line: the
    titles it lists share what the rest of the line leaves."""
    from factmark.store.article_names import LISTED
    from factmark.tui.layout import shorten

    listed = min(len(error.matches), LISTED)
    room = _room(ERROR_PREFIX + error.describe(lambda _: ""), listed)
    return error.describe(lambda title: shorten(title, room))


def compare_table(figures: Comparison, article: ArticleName | None) -> str:
    """`compare`'s figures (see `store.comparison.compare`) as the table a teacher
    reads: what was compared, each student, then the most disputed claims first."""
    from factmark.tui.layout import shorten

    def show(value: object, suffix: str = "") -> str:
        return "-" if value is None else f"{value}{suffix}"

    group = figures.class_
    key = (
        f"key: {figures.key}, {_claims(figures.key_decided)} decided"
        if figures.key
        else "key: none (make one with: factmark key add NAME)"
    )
    lines = [article_line("article: ", article)] if article else []
    lines += [
        key,
        f"class: {group.students} student{'s' if group.students != 1 else ''}, "
        f"{_claims(group.claims)} decided by at least one, {group.paired} by two or more",
        f"  agreement on {'that' if group.paired == 1 else 'those'} {group.paired}: "
        f"Krippendorff's alpha {show(group.krippendorff_alpha)}, "
        f"Gwet's AC1 {show(group.gwet_ac1)}",
        "",
        f"{'student':20} {'decided':>7} {'vs key':>6} {'agree':>7} {'kappa':>6}",
    ]
    for s in figures.students:
        lines.append(
            f"{shorten(s.annotator, 20):20} {s.decided:>7} {s.compared:>6} "
            f"{show(s.agreement, '%'):>7} {show(s.kappa):>6}"
        )
    shown = figures.claims[:SHOWN_CLAIMS]
    name = max([len("claim"), *(len(c["claim"]) for c in shown)])
    lines += [
        "",
        "most disputed claims first (discussion prompts; article/claim as in the reader):",
        f"{'claim':>{name}} {'key':10} {_verdict_columns(3)}  text",
    ]
    for c in shown:
        figures_line = (
            f"{c['claim']:>{name}} {show(c['key']):10} {c['verified']:>3} "
            f"{c['disputed']:>3} {c['unsourced']:>3}  "
        )
        lines.append(figures_line + shorten(c["text"], _room(figures_line)))
    return "\n".join(lines)


def _claims(count: int) -> str:
    return "1 claim" if count == 1 else f"{count} claims"


@cache
def _ascii_stand_ins() -> dict[int, str]:
    """The ASCII the reader draws for each state's glyph, and for our punctuation: what
    an output that cannot hold the glyphs gets (loaded on first use, off `--help`'s path)."""
    from factmark.corpus.vocabulary import STATE_GLYPHS

    return str.maketrans({glyph: plain for glyph, plain in STATE_GLYPHS.values()} | _PUNCTUATION)


def _verdict_columns(width: int) -> str:
    """The verdicts' glyphs as column headings, each right-aligned in `width` cells."""
    from factmark.corpus.vocabulary import VERDICTS

    return " ".join(f"{verdict.glyph:>{width}}" for verdict in VERDICTS)
