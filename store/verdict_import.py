"""Verdicts from CSV files: the export format read back, so a teacher can write an
answer key in a spreadsheet. A bad row is reported by line number; the good rows land."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import verdicts
from .database import Store
from .errors import StoreError
from .export import FORMULA_TRIGGERS

REQUIRED = ("claim_id", "verdict")


@dataclass
class VerdictImport:
    landed: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.landed} verdicts imported, {self.unchanged} unchanged, "
            f"{len(self.problems)} rows refused"
        )


def _cell(value: str | None) -> str | None:
    """A cell as it was before export neutralised it against spreadsheet formulas."""
    if value is None:
        return None
    value = value.strip()
    if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_TRIGGERS):
        value = value[1:]
    return value


def import_verdicts(store: Store, path: Path, annotator: str | None) -> VerdictImport:
    """Each row: `claim_id`, `verdict` (empty clears), and `note`, `evidence_url` when
    those columns exist; the annotator is `annotator`, else the row's own."""
    report = VerdictImport()
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None
    with handle, store.write():
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise StoreError(
                f"{path}: no {' or '.join(missing)} column (columns: "
                f"{', '.join(columns) or 'none'})"
            )
        if annotator is None and "annotator" not in columns:
            raise StoreError(f"{path}: no annotator column; say whose verdicts with --annotator")
        try:
            for row in reader:
                where = f"{path}:{reader.line_num}"
                try:
                    _import_row(store, row, annotator, report)
                except (StoreError, ValueError) as exc:
                    report.problems.append(f"{where}: {exc}")
        except (csv.Error, UnicodeDecodeError) as exc:
            report.problems.append(f"{path}:{reader.line_num}: unreadable CSV ({exc})")
    return report


def _import_row(store: Store, row: dict, annotator: str | None, report: VerdictImport) -> None:
    claim_text = _cell(row.get("claim_id")) or ""
    if not claim_text.isdigit():
        raise ValueError(f"claim_id {claim_text!r} is not a number")
    claim_id = int(claim_text)
    who = annotator or _cell(row.get("annotator"))
    if not who:
        raise ValueError("no annotator")
    verdict = (_cell(row.get("verdict")) or "").lower() or None
    changes: dict[str, Any] = {"verdict": verdict}
    for name in ("note", "evidence_url"):
        if name in row:
            changes[name] = _cell(row[name]) or None
    current = verdicts.current(store, claim_id, who)
    if current and all(current[k] == v for k, v in changes.items()):
        report.unchanged += 1
        return
    verdicts.record(store, claim_id, who, **changes)
    report.landed += 1
