"""Verdicts from CSV files: the export format, or the answer-key template
(store/template.py), read back, so a teacher can write an answer key in a spreadsheet.
A bad row is reported by line number; the good rows land.

A row names its claim by `claim_id`, or by `claim`: `article/claim` as the reader counts
(`5/3`). When it has both they must name the same claim. A `claim` cell that reads as
no `article/claim` (spreadsheets turn `5/3` into a date) leaves `claim_id` to decide.

Spreadsheets save CSV in many dialects: UTF-8 with or without a byte-order mark,
UTF-16, Windows-1252 (Excel's plain "CSV"), with `,`, `;` (French and German Excel)
or tab as the separator. The text is decoded as article import decodes it, and the
separator is the one that makes sense of the header line.

Each row is checked before anything is written, and a refused row never undoes
another: checked rows are committed a few dozen at a time. Problems of the database
itself (a full disk, a read-only file, a lock that stays busy) stop the import,
keeping the rows that already landed, and say where it stopped.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factmark.corpus.article import ArticleError
from factmark.corpus.decoding import MAX_BYTES, decode
from factmark.corpus.safe_text import one_line

from . import claims, gate, verdicts
from .database import Store
from .errors import StoreError
from .export import DELIMITERS, HISTORY_COLUMNS, neutralise
from .files import read_bounded
from .template import COLUMNS as TEMPLATE_COLUMNS

NAMES = ("claim_id", "claim")  # the columns that name a row's claim: one at least
MAX_CELL = 100_000  # characters in a cell factmark reads (a note, a link, a name)
MAX_CLAIM_ID = 2**63 - 1  # SQLite's largest integer
# Rows per transaction: a commit per row would cost a disk flush each (seconds for a
# class's sheet), one for the whole file would hold the class's write lock throughout.
BATCH = 50
HEADER_SEARCH = 10  # rows (a title, a blank row...) that may come before the header
_SEP_LINE = re.compile(r"sep=([,;\t|])[ \t]*(?:\r\n|\r|\n|$)")  # Excel's separator hint
_KNOWN_COLUMNS = frozenset(HISTORY_COLUMNS) | frozenset(TEMPLATE_COLUMNS)
_CLAIM_NUMBER = re.compile(r"([0-9]+)\s*/\s*([0-9]+)")  # article/claim, as in `5/3`
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as io.StringIO(newline="") splits lines


@dataclass
class VerdictImport:
    """What `import_verdicts` did: verdicts that landed, rows that changed nothing
    (`unchanged`) and rows without a verdict (`undecided`, skipped); one line per row
    refused ("FILE:LINE: reason"), and notes ("x.csv: encoding guessed as ...")."""

    landed: int = 0
    unchanged: int = 0
    undecided: int = 0  # rows with an empty verdict cell: skipped, they change nothing
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # "x.csv: encoding guessed as ..."

    def summary(self) -> str:
        """The report in one line."""
        line = (
            f"{self.landed} verdicts imported, {self.unchanged} unchanged, "
            f"{len(self.problems)} rows refused"
        )
        if self.undecided:
            line += f", {self.undecided} rows without a verdict skipped"
        return line


class _Refused(Exception):
    """A row that cannot land; the message says why."""


class _Undecided(Exception):
    """A row whose verdict cell is empty: it changes nothing."""


_UNCLOSED = _Refused("a quote opened here is never closed; the rest of the file was not read")


@dataclass(frozen=True)
class _Row:
    claim_id: int
    annotator: str
    changes: dict[str, Any]  # the verdict, and the note and link when their columns exist


def _cell(value: str | None) -> str | None:
    """A cell as it was before export neutralised it against spreadsheet formulas: the
    apostrophe export puts before a formula (`'=1+1`, `' -5`) goes, any other stays."""
    if value is None:
        return None
    rest = value[1:]
    if value.startswith("'") and not rest.startswith("'") and str(neutralise(rest))[:1] == "'":
        value = rest
    return value.strip()


def import_verdicts(store: Store, path: Path, annotator: str | None) -> VerdictImport:
    """Each row: `claim_id` or `claim` (`article/claim`), `verdict`, and `note`,
    `evidence_url` when those columns exist; other columns (the template's `text`...)
    are not read. The annotator is `annotator`, else the row's own. A row whose verdict
    cell is empty is skipped (an undecided claim: nothing is cleared); a row too short
    to hold its claim and verdict cells is refused, and so is a row whose `claim_id` and
    `claim` name different claims, and a quote never closed (with every row after it).

    Raises StoreError (in one line naming the file) for a file that cannot be read as
    CSV or lacks the columns, and DiskFull, ReadOnly or StoreBusy when the database
    stops taking writes: the rows before have landed, and the message says where it
    stopped.
    """
    name = gate.path(path)
    who = None
    if annotator is not None:
        try:
            who = gate.annotator(annotator)
        except StoreError as exc:
            raise StoreError(f"--annotator {_show(annotator)}: {exc}") from None
    text, note = _read(path, name)
    report = VerdictImport(notes=[f"{name}: {note}"] if note else [])
    with _field_size_limit(len(text) + 1):
        delimiter, skip_first = _dialect(text)
        rows = _rows(text, delimiter, skip_first)
        header = _header(rows)
        columns = _columns(header)
        missing = [] if columns.keys() & set(NAMES) else ["claim_id (or claim)"]
        missing += [] if "verdict" in columns else ["verdict"]
        if missing:
            shown = one_line(", ".join(c for c in header if c.strip())) or "none"
            raise StoreError(
                f"{name}: no {' or '.join(missing)} column (columns: {_shorten(shown, 200)})"
            )
        if who is None and "annotator" not in columns:
            raise StoreError(f"{name}: no annotator column; say whose verdicts with --annotator")
        _refuse_repeated(name, header)
        batch: list[tuple[int, _Row]] = []
        for line, cells in rows:
            where = f"{name}:{line}"
            if isinstance(cells, csv.Error):
                report.problems.append(f"{where}: unreadable CSV row ({cells})")
                continue
            if isinstance(cells, _Refused):
                report.problems.append(f"{where}: {cells}")
                continue
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, or a row of empty cells
            try:
                batch.append((line, _parse(store, cells, columns, len(header), who)))
            except _Refused as exc:
                report.problems.append(f"{where}: {exc}")
                continue
            except _Undecided:
                report.undecided += 1
                continue
            if len(batch) >= BATCH:
                _write(store, batch, report, name)
        _write(store, batch, report, name)
    return report


def _read(path: Path, name: str) -> tuple[str, str | None]:
    """The file's text, decoded as article import decodes, and what to say about its
    decoding (`Decoded.note`); or StoreError in one line."""
    data = read_bounded(
        path, name, MAX_BYTES, "split it, or use `factmark merge` to bring a whole database"
    )
    try:
        decoded = decode(name, data)
    except ArticleError as exc:
        message = str(exc).replace(", not an article", ", not CSV (save the sheet as CSV)")
        raise StoreError(message) from None
    # decode() also cleans the text as a whole, and an escape sequence left open in
    # one cell would swallow every row after it: read the same bytes with the encoding
    # it found, and let the gate clean each cell.
    try:
        if decoded.encoding.startswith("utf-8 ("):  # a few damaged bytes, replaced
            return data.decode("utf-8", errors="replace"), decoded.note
        return data.decode(decoded.encoding), decoded.note
    except (LookupError, UnicodeDecodeError):
        return decoded.text, decoded.note


@contextmanager
def _field_size_limit(limit: int) -> Iterator[None]:
    """Let the csv module read cells of any size: the limits are ours to apply, per row."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, limit))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _dialect(text: str) -> tuple[str, bool]:
    """The separator, and whether the first line is Excel's `sep=` hint to skip.

    The separator is the one that splits the header line into the most known column
    names (`claim_id` or `claim` first): a `;` or a tab inside a note or a title never
    decides.
    """
    hint = _SEP_LINE.match(text)
    if hint:
        return hint.group(1), True

    def score(delimiter: str) -> tuple[bool, int, int]:
        header = _header(_rows(text, delimiter, False))
        names = _columns(header)
        return bool(names.keys() & set(NAMES)), len(names.keys() & _KNOWN_COLUMNS), len(header)

    return max(DELIMITERS, key=score), False


class _Lines:
    """The text's lines for csv.reader, noting when it asks for one past the last: it
    only does inside a row, when a quoted cell is still open at the end of the text."""

    def __init__(self, text: str) -> None:
        self._lines = iter(io.StringIO(text, newline=""))
        self.ended = False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        try:
            return next(self._lines)
        except StopIteration:
            self.ended = True
            raise


def _rows(text: str, delimiter: str, skip_first: bool) -> Iterator[tuple[int, Any]]:
    """(line where the row starts, its cells or the csv.Error it raised), skipping
    blank lines. Quoted cells may span lines; a quote never closed ends the rows with
    (the line it opened on, _UNCLOSED)."""
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if reader.line_num < start:
                return  # nothing left to read past the error
            yield start, exc
            continue
        if lines.ended and cells:  # the last cell ran to the end of the text
            yield start + sum(len(_LINE_BREAK.findall(cell)) for cell in cells[:-1]), _UNCLOSED
            return
        if skip_first:
            skip_first = False
        elif cells:
            yield start, cells


def _header(rows: Iterator[tuple[int, Any]]) -> list[str]:
    """Read up to the header: the first row with a `claim_id` or `claim` cell (a title
    row may come before it), else the first row."""
    first: list[str] | None = None
    for count, (_, cells) in enumerate(rows):
        if isinstance(cells, list):
            if _columns(cells).keys() & set(NAMES):
                return cells
            first = cells if first is None else first
        if count + 1 >= HEADER_SEARCH:
            break
    return first or []


def _refuse_repeated(name: str, header: list[str]) -> None:
    """StoreError if a column factmark reads appears twice: which one the sheet's author
    filled in cannot be told, and taking either would be a guess."""
    names = [cell.strip().lstrip("\ufeff").strip().lower() for cell in header]
    for column in (*NAMES, "verdict", "note", "evidence_url", "annotator"):
        if names.count(column) > 1:
            raise StoreError(f"{name}: the column {column} appears {names.count(column)} times")


def _columns(header: list[str]) -> dict[str, int]:
    """Column name (trimmed, lower case) to its index; the first of a repeated name wins."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        columns.setdefault(cell.strip().lstrip("\ufeff").strip().lower(), index)
    return columns


def _parse(
    store: Store, cells: list[str], columns: dict[str, int], width: int, who: str | None
) -> _Row:
    """Check a row without writing anything; raise _Refused for a row that cannot land,
    _Undecided for one whose verdict cell is empty."""
    named_by = "claim_id" if "claim_id" in columns else "claim"
    needed = max(columns[named_by], columns["verdict"]) + 1
    if len(cells) < needed:
        raise _Refused(
            f"too few cells: {len(cells)} where the header needs {needed} ({named_by}, verdict)"
        )
    stray = [cell for cell in cells[width:] if cell.strip()]
    if stray:
        raise _Refused(
            f"{len(cells)} cells where the header has {width} (an unquoted separator "
            f"inside a cell?); first extra cell {_show(stray[0])}"
        )

    def get(column: str) -> str | None:
        index = columns.get(column)
        if index is None or index >= len(cells):
            return None
        raw = cells[index]
        if len(raw) > MAX_CELL:
            raise _Refused(
                f"the {column} cell has {len(raw):,} characters; the limit is {MAX_CELL:,}"
            )
        return _cell(raw)

    verdict = (get("verdict") or "").lower() or None
    if verdict is None:
        raise _Undecided
    by_id, by_number = get("claim_id") or "", get("claim") or ""
    if not (by_id or by_number):
        raise _Refused(f"no {' or '.join(name for name in NAMES if name in columns)}")
    claim_id = _claim(store, by_id, by_number)
    annotator = who
    if annotator is None:
        try:
            annotator = gate.annotator(get("annotator"))
        except StoreError as exc:
            raise _Refused(f"annotator {_show(get('annotator') or '')}: {exc}") from None
    if verdict not in verdicts.VERDICTS:
        raise _Refused(
            f"unknown verdict {_show(verdict)} (use one of {', '.join(verdicts.VERDICTS)})"
        )
    changes: dict[str, Any] = {"verdict": verdict}
    note = get("note")
    if note is not None:
        changes["note"] = (gate.text(note) or "").strip() or None
    link = get("evidence_url")
    if link is not None:
        if link and not gate.is_web_link(link):
            raise _Refused(f"not a web link: {_show(link)} (expected http:// or https://...)")
        changes["evidence_url"] = link or None
    return _Row(claim_id, annotator, changes)


def _claim(store: Store, claim_id: str, number: str) -> int:
    """The id of the claim a row names by its `claim_id` and `claim` cells (one may be
    empty); _Refused when they name none, or two different claims."""
    found = _CLAIM_NUMBER.fullmatch(number)
    if not claim_id:
        if found is None:
            raise _Refused(
                f"claim {_show(number)} is not article/claim, like 5/3 (if a spreadsheet "
                "made it a date, format the column as text)"
            )
        return _numbered(store, found)
    by_id = _claim_id(store, claim_id)
    if found is not None:
        by_number = _numbered(store, found)
        if by_number != by_id:
            raise _Refused(
                f"claim {found[1]}/{found[2]} is claim_id {by_number}, not {by_id}: "
                "correct one of the two, or empty one"
            )
    return by_id


def _numbered(store: Store, found: re.Match[str]) -> int:
    """The id of claim `article/claim`; _Refused when there is none."""
    article, number = (digits.lstrip("0") or "0" for digits in found.groups())
    fits = max(len(article), len(number)) < len(str(MAX_CLAIM_ID))  # an SQLite integer
    claim_id = claims.by_number(store, int(article), int(number)) if fits else None
    if claim_id is None:
        raise _Refused(f"no claim {_shorten(article, 30)}/{_shorten(number, 30)}")
    return claim_id


def _claim_id(store: Store, value: str) -> int:
    if not (value.isascii() and value.isdigit()):
        raise _Refused(f"claim_id {_show(value)} is not a number")
    digits = value.lstrip("0") or "0"
    if len(digits) > len(str(MAX_CLAIM_ID)) or int(digits) > MAX_CLAIM_ID:
        raise _Refused(f"no claim {_shorten(digits, 30)} (claim ids go up to {MAX_CLAIM_ID})")
    claim_id = int(digits)
    if store.conn.execute("SELECT 1 FROM claims WHERE id = ?", [claim_id]).fetchone() is None:
        raise _Refused(f"no claim {claim_id}")
    return claim_id


def _write(store: Store, batch: list[tuple[int, _Row]], report: VerdictImport, name: str) -> None:
    """Land checked rows in one transaction (each row's event is a savepoint in it).

    Rows are checked before they get here, so what fails now is the database itself:
    the error keeps its kind and one line, and says which rows did not land.
    """
    if not batch:
        return
    landed = unchanged = 0
    try:
        with store.write():
            for _, row in batch:
                if verdicts.record_changes(store, row.claim_id, row.annotator, row.changes):
                    landed += 1
                else:
                    unchanged += 1
    except StoreError as exc:
        if len(exc.args) == 1 and isinstance(exc.args[0], str):
            exc.args = (
                f"{exc.args[0]} (import stopped at {name}:{batch[0][0]}: "
                f"{report.landed} verdicts imported before that line, none from it on)",
            )
        raise
    report.landed += landed
    report.unchanged += unchanged
    batch.clear()


def _show(value: str) -> str:
    """A cell quoted for a one-line message: cleaned, and cut when long."""
    return repr(_shorten(one_line(value), 40))


def _shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
