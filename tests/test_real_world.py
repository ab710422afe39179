"""A corpus in the shapes readers bring, checked against what a careful reader says.

Every file in tests/data/real_world/ (wire stories, e-mail newsletters, blog posts,
saved web pages, PDF copies, transcripts, labelling tools' exports, JSON...) is
imported with `factmark import` into a database of its own, and its stored records are
compared with its entry in expected.json, field by field:

- `title`, `published` (ISO date or null), `source`, `author` (null if none) and
  `language`, for each article of the file in import order; a `source` given as a
  list accepts any of its names, and sources and authors compare without regard to
  case or spacing;
- `regions`: each {kind, text} must be a stored region of that kind whose text is
  the given text (spacing, and dashes, bars, colons and full stops at either end,
  aside: "WASHINGTON (Reuters) -" is the dateline "WASHINGTON (Reuters)");
- `claims`: each string must be in the stored text as written (so hard-wrapped files
  must be stored unwrapped) and one claim must cover at least half of it; with
  `claims_exact` (labelling tools' files, whose spans are the reader's decisions) a
  claim must be exactly that span;
- `not_claims`: no claim may overlap the string wherever it stands in the stored text
  (found whatever the line breaks); a string the text does not hold is not a claim.

The expectations describe the articles, not what factmark does today: the per-file
test names each check that fails, and the summary prints the corpus's pass rate.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from factmark.store import articles, claims
from factmark.store.database import Store
from tests.helpers import factmark

DATA = Path(__file__).resolve().parent / "data" / "real_world"
EXPECTED: dict[str, dict] = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))[
    "files"
]
FIELDS = ("title", "published", "source", "author", "language")
# Separators a region's text may or may not carry at its ends ("PARIS (AFP) -").
_REGION_ENDS = " \t\n-–—|:."


@dataclass(frozen=True)
class Check:
    name: str  # "title", "claim: The U.S. Senate...", with "[2] " for a file's 2nd article
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class Stored:
    """One stored article: its row, its regions' kind and text, its live claims."""

    row: dict
    regions: list[tuple[str, str]]
    claims: list[dict]


def _spaced(text: str | None) -> str:
    return " ".join((text or "").split())


def _short(text: str, width: int = 60) -> str:
    text = _spaced(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _author(row: dict) -> str | None:
    """The article's author: its own column, else the one its import kept in `extra`."""
    if row.get("author"):
        return row["author"]
    try:
        extra = json.loads(row.get("extra") or "{}")
    except ValueError:
        return None
    author = extra.get("author") if isinstance(extra, dict) else None
    return author if isinstance(author, str) and author.strip() else None


def import_file(name: str, folder: Path, env: dict) -> subprocess.CompletedProcess:
    """Import one corpus file into a database of its own, as a user would."""
    return factmark("import", "--db", str(folder / f"{name}.db"), str(DATA / name), env=env)


def stored_records(
    name: str, folder: Path, result: subprocess.CompletedProcess
) -> tuple[Check, list[Stored]]:
    """Whether the import went cleanly (exit 0, nothing refused, no traceback; notes
    such as "encoding guessed" are fine), and what it stored, read with the store API."""
    lines = result.stderr.decode("utf-8", "replace").splitlines()
    clean = (
        result.returncode == 0
        and bool(lines)
        and lines[-1].endswith(" 0 refused")
        and not any("Traceback" in line for line in lines)
    )
    check = Check("import", clean, f"exit {result.returncode}; " + "; ".join(lines[-3:]))
    db = folder / f"{name}.db"
    if not db.exists():
        return check, []
    found = []
    with Store.open(db, readonly=True) as store:
        for article_id in articles.ids(store):
            row = dict(articles.get(store, article_id) or {})
            text = row.get("text") or ""
            regions = [
                (r["kind"], text[r["start"] : r["end"]])
                for r in articles.regions(store, article_id)
            ]
            live = [c for c in claims.for_article(store, article_id) if not c.get("dismissed")]
            found.append(Stored(row, regions, live))
    return check, found


def field_check(field: str, expected, stored: Stored) -> Check:
    value = _author(stored.row) if field == "author" else stored.row.get(field)
    if field in ("source", "author"):
        wanted = expected if isinstance(expected, list) else [expected]
        ok = any(_spaced(value).casefold() == _spaced(w).casefold() for w in wanted if w) or (
            None in wanted and not _spaced(value)
        )
    elif field == "title":
        ok = _spaced(value) == _spaced(expected)
    else:
        ok = value == expected
    return Check(field, ok, f"expected {expected!r}, stored {value!r}")


def region_check(kind: str, text: str, stored: Stored) -> Check:
    wanted = _spaced(text).strip(_REGION_ENDS)
    same_kind = [t for k, t in stored.regions if k == kind]
    ok = any(_spaced(t).strip(_REGION_ENDS) == wanted for t in same_kind)
    others = [
        f"{k}: {_short(t, 40)!r}"
        for k, t in stored.regions
        if _spaced(t).strip(_REGION_ENDS) == wanted
    ]
    detail = (
        f"stored as {', '.join(others)}"
        if others
        else f"no such region; {kind} regions: {[_short(t, 40) for t in same_kind]}"
    )
    return Check(f"region {kind}: {_short(text)}", ok, detail)


def claim_check(sentence: str, stored: Stored, exact: bool) -> Check:
    name = f"claim: {_short(sentence)}"
    text = stored.row.get("text") or ""
    start = text.find(sentence)
    if start < 0:
        return Check(name, False, "not in the stored text as written (unwrapped, markup read)")
    end = start + len(sentence)
    if exact:
        ok = any(c["text"] == sentence for c in stored.claims)
        near = [c["text"] for c in stored.claims if c["start"] < end and start < c["end"]]
        return Check(name, ok, f"claims there: {[_short(t, 40) for t in near]}")
    overlaps = [(min(end, c["end"]) - max(start, c["start"]), c["text"]) for c in stored.claims]
    best = max([0] + [size for size, _ in overlaps])
    near = [_short(t, 40) for size, t in overlaps if size > 0]
    return Check(
        name, best * 2 >= len(sentence), f"best claim covers {best}/{len(sentence)}: {near}"
    )


def not_claim_check(sentence: str, stored: Stored) -> Check:
    name = f"not claim: {_short(sentence)}"
    text = stored.row.get("text") or ""
    pattern = re.compile(r"\s+".join(map(re.escape, sentence.split())))
    hits = [
        c["text"]
        for m in pattern.finditer(text)
        for c in stored.claims
        if c["start"] < m.end() and m.start() < c["end"]
    ]
    return Check(name, not hits, f"taken as claim: {[_short(t, 50) for t in hits]}")


def article_checks(expected: dict, stored: Stored | None, exact: bool) -> list[Check]:
    """The checks of one expected article; all fail, named alike, if it was not stored."""
    found = stored or Stored({}, [], [])
    checks = [field_check(f, expected[f], found) for f in FIELDS]
    checks += [region_check(r["kind"], r["text"], found) for r in expected["regions"]]
    checks += [claim_check(c, found, exact) for c in expected["claims"]]
    checks += [not_claim_check(c, found) for c in expected["not_claims"]]
    if stored is None:
        return [Check(c.name, False, "article not stored") for c in checks]
    return checks


def file_checks(name: str, imported: Check, stored: list[Stored]) -> list[Check]:
    """Every check of one file, named for the report."""
    entry = EXPECTED[name]
    wanted = entry["articles"]
    results = [
        imported,
        Check(
            "articles", len(stored) == len(wanted), f"expected {len(wanted)}, stored {len(stored)}"
        ),
    ]
    for index, expected in enumerate(wanted):
        prefix = f"[{index + 1}] " if len(wanted) > 1 else ""
        found = stored[index] if index < len(stored) else None
        for check in article_checks(expected, found, entry.get("claims_exact", False)):
            results.append(Check(prefix + check.name, check.ok, check.detail))
    return results


@pytest.fixture(scope="module")
def corpus_checks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Check]]:
    """Every file imported once and checked against its expectations."""
    folder = tmp_path_factory.mktemp("real_world")
    env = {
        "FACTMARK_DB": str(folder / "default.db"),
        "XDG_DATA_HOME": str(folder / "xdg-data"),
        "XDG_CONFIG_HOME": str(folder / "xdg-config"),
    }
    names = sorted(EXPECTED)
    results = [import_file(name, folder, env) for name in names]
    return {
        name: file_checks(name, *stored_records(name, folder, result))
        for name, result in zip(names, results, strict=True)
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_file_is_stored_as_a_careful_reader_reads_it(
    name: str, corpus_checks: dict[str, list[Check]]
) -> None:
    failed = [c for c in corpus_checks[name] if not c.ok]
    if failed:
        report = "\n".join(f"  {name}: {c.name}: {c.detail}" for c in failed)
        shape = EXPECTED[name]["shape"]
        pytest.fail(f"{name} ({shape}): {len(failed)} check(s) fail:\n{report}", pytrace=False)


def test_corpus_pass_rate(
    corpus_checks: dict[str, list[Check]], capsys: pytest.CaptureFixture[str]
) -> None:
    """Prints how much of the corpus factmark reads as a careful reader does: files
    passing every check, and checks passing. The corpus and its expectations must
    describe the same files."""
    on_disk = {p.name for p in DATA.iterdir() if p.is_file() and p.name != "expected.json"}
    assert on_disk == set(EXPECTED), (
        f"files without expectations or missing: {on_disk ^ set(EXPECTED)}"
    )
    assert len(on_disk) >= 30

    lines = []
    files_ok = checks_ok = checks_all = 0
    for name in sorted(EXPECTED):
        results = corpus_checks[name]
        passed = sum(c.ok for c in results)
        files_ok += passed == len(results)
        checks_ok += passed
        checks_all += len(results)
        failing = [c.name for c in results if not c.ok]
        lines.append(f"{passed:3}/{len(results):<3} {name}")
        lines.extend(f"          x {f}" for f in failing)
    files = len(EXPECTED)
    lines.append(
        f"real-world corpus: {files_ok}/{files} files pass every check "
        f"({files_ok / files:.0%}); {checks_ok}/{checks_all} checks pass "
        f"({checks_ok / checks_all:.0%})"
    )
    with capsys.disabled():
        print("\n" + "\n".join(lines))
