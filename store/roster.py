"""The class roster: students who sign in through the browser (`factmark serve`), and
the copies their sessions write.

Students without a Unix account cannot own a file in the drop box, so the teacher's
server writes for them, and what keeps them apart is a password each one holds:

    DIR/roster.db        T  -rw-------  name, scrypt hash, wrong tries: the teacher's alone
    DIR/served/          T  drwx------  one copy per student served in the browser
      NAME.db            T  -rw-------  a class copy as a student's drop-box copy is

A password is made by `add` or `reset`, shown once, and kept only as an scrypt hash
(standard library, a random salt per student, compared in constant time). A name is
never locked: a lock would let any classmate keep another out with a few wrong tries,
and would tell them which names are on the roster. Guessing is slowed where it is
made instead: each try costs an scrypt (about 50 ms), and a session pauses after a
wrong one and ends after a few (tui/sign_in.py). Against 12 characters of 31 (59 bits)
even every session of a full server guessing at once (20 tries a second) would need
about 10^8 years on average. Wrong tries are counted for the teacher's `roster list`.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import sqlite3
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from factmark.corpus.safe_text import file_name

from . import gate
from .class_folder import PRIVATE_FILE_MODE, ClassFolder
from .errors import StoreError

ROSTER_FILE = "roster.db"
SERVED = "served"
SERVED_MODE = 0o700

# scrypt's cost: 16 MiB of memory and about 50 ms per try on a 2-core machine.
SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES = 2**14, 8, 1, 32
# Passwords students type: no 0/O, 1/l/I; 12 of 31 letters and digits, about 59 bits.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 12
MAX_ROSTER_NAME = 40

_SCHEMA = """
CREATE TABLE IF NOT EXISTS roster (
    name TEXT PRIMARY KEY,
    hash TEXT NOT NULL,          -- scrypt$N$r$p$salt-hex$key-hex
    created_at TEXT NOT NULL,    -- UTC ISO 8601, when the password was made
    failures INTEGER NOT NULL DEFAULT 0    -- wrong passwords since the last right one
)
"""


@dataclass(frozen=True)
class Student:
    """A roster entry as `listing` gives it: the name, when its password was made (UTC
    ISO 8601), wrong passwords since the last right one, and whether a copy exists."""

    name: str
    created_at: str
    failures: int
    has_copy: bool


class SignInRefused(StoreError):
    """A sign-in refused: "wrong name or password", the same for an unknown name."""


def roster_path(folder: ClassFolder) -> Path:
    """The roster file of `folder`: DIR/roster.db."""
    return folder.root / ROSTER_FILE


def served_copy(folder: ClassFolder, name: str) -> Path:
    """Where the copy of the roster's `name` is, or will be: DIR/served/NAME.db."""
    return folder.root / SERVED / f"{name}.db"


def check_name(name: str) -> str:
    """A roster name as stored: normalised by the gate (NFC, spaces at its ends gone),
    then only letters (with their accents and vowel signs), digits, '.', '-' and '_' (it
    names a file and is typed at sign-in), starting with a letter or a digit, at most
    MAX_ROSTER_NAME characters. Raises StoreError saying why not: a control or
    formatting character is refused, not dropped, so the name added is the one typed."""
    if len(name.strip()) > MAX_ROSTER_NAME:
        raise StoreError(f"a roster name has at most {MAX_ROSTER_NAME} characters")
    normal = gate.annotator(name)
    if (
        normal != unicodedata.normalize("NFC", name.strip())
        or not normal[0].isalnum()
        or not all(c.isalnum() or c in ".-_" or unicodedata.category(c)[0] == "M" for c in normal)
    ):
        raise StoreError(
            f"{file_name(name.strip())}: a roster name is letters, digits, '.', '-' and "
            "'_', starting with a letter or a digit"
        )
    return normal


def same_name(one: str, other: str) -> bool:
    """Whether two names are one person's on the roster: equal ignoring case and the
    forms a character may take (NFKC: a full-width "ａｌｉｃｅ" is "alice")."""
    return folded(one) == folded(other)


def folded(name: str) -> str:
    """A name as `same_name` compares it."""
    return unicodedata.normalize("NFKC", name).casefold()


def new_password() -> str:
    """A fresh password: PASSWORD_LENGTH characters of ALPHABET in groups of four
    joined by '-' (typed with or without them)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(PASSWORD_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, PASSWORD_LENGTH, 4))


def hash_password(password: str) -> str:
    """The scrypt hash of `password` with a new random salt, as the roster stores it:
    'scrypt$N$r$p$salt-hex$key-hex'."""
    salt = secrets.token_bytes(16)
    key = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${key.hex()}"


def password_matches(password: str, stored: str) -> bool:
    """True when `password` hashes to `stored` (compared in constant time); False for
    anything else, a damaged hash included."""
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt":
            return False
        found = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
        return hmac.compare_digest(found, bytes.fromhex(key))
    except ValueError:
        return False


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    typed = _typed(password).encode("utf-8")
    return hashlib.scrypt(typed, salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=KEY_BYTES)


def _typed(password: str) -> str:
    """A password as compared: without the '-' and spaces a student may type or not."""
    return "".join(c for c in password.strip().lower() if c not in "- ")


# A hash no password matches, checked for unknown names so that they cost a wrong
# password's time.
_NOBODY = hash_password(secrets.token_hex(16))


# --- the roster file -------------------------------------------------------------------


@contextlib.contextmanager
def _opened(folder: ClassFolder, *, create: bool) -> Iterator[sqlite3.Connection]:
    """The roster of `folder`, in one transaction. Raises StoreError when it is not this
    user's own regular file, or does not exist and `create` is False."""
    path = roster_path(folder)
    if create:
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            os.fchmod(fd, PRIVATE_FILE_MODE)
            os.close(fd)
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise StoreError(
            f"{folder.describe()}: no roster yet (factmark class roster add NAME)"
        ) from None
    except OSError as exc:
        raise StoreError(f"{gate.path(path)}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
        raise StoreError(f"{gate.path(path)}: not the teacher's own file; left as it is")
    if stat.S_IMODE(info.st_mode) & 0o077:
        raise StoreError(
            f"{gate.path(path)}: readable by others ({stat.filemode(info.st_mode)}); "
            f"chmod 600 {gate.path(path)}"
        )
    try:
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"{gate.path(path)}: cannot open ({exc})") from None
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(_SCHEMA)
        yield conn
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise StoreError(f"{gate.path(path)}: {exc}") from None
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()


SSH_STUDENT = "a student who works over SSH"
SERVED_STUDENT = "a student who signs in to `factmark serve`"


def students(folder: ClassFolder) -> dict[str, str]:
    """Everyone who works in the class as a student, each with how (SSH_STUDENT: the
    class group's members and the owners of drop-box copies, but not its teacher;
    SERVED_STUDENT: the roster). None of them may be made an answer key: their work
    would be left out of what the class is compared on. Raises StoreError."""
    return _ssh_students(folder) | {student.name: SERVED_STUDENT for student in listing(folder)}


def _ssh_students(folder: ClassFolder) -> dict[str, str]:
    """The class group's members and the owners of drop-box copies, but its teacher (a
    member of the group too), each as SSH_STUDENT. Raises StoreError."""
    from .class_folder import copies, members

    found = dict.fromkeys(members(folder), SSH_STUDENT)
    found |= dict.fromkeys((login for login, _ in copies(folder)[0]), SSH_STUDENT)
    found.pop(folder.teacher, None)
    return found


def student_named(folder: ClassFolder, name: str) -> tuple[str, str] | None:
    """(the student's own spelling, how they work) when `name` is a student of the
    class (`students`, compared by `same_name`), else None. Raises StoreError."""
    return _clash(name, students(folder))


def names_taken(folder: ClassFolder) -> dict[str, str]:
    """The names that are someone else's in the class, each with what it is ("an
    answer key"): the teacher, the answer keys, and the students who work over SSH (the
    class group's members, the owners of drop-box copies). Verdicts are kept by name:
    a roster name among these would merge two people's work, or make a student a key.
    Raises StoreError, and sqlite3.Error for a teacher's database that cannot be read."""
    from . import classroom
    from .database import Store

    taken = _ssh_students(folder)
    with Store.open(folder.teacher_db, readonly=True) as store:
        taken |= dict.fromkeys(classroom.keys(store), "an answer key")
    taken[folder.teacher] = "the teacher"
    return taken


def _clash(name: str, taken: dict[str, str]) -> tuple[str, str] | None:
    """(the other's name, what they are) when `name` is one of `taken`, ignoring case."""
    return next(((other, what) for other, what in taken.items() if same_name(other, name)), None)


def add(folder: ClassFolder, name: str, taken: dict[str, str]) -> tuple[str, str]:
    """Put `name` on the roster with a new password: (the name as stored, the password,
    to show once; a name whose served copy is there already, from before a removal, is
    stored as that copy's). `taken`: what `names_taken` gives; names are compared as
    on the roster (`same_name`). Raises StoreError for a name `check_name` refuses, one taken, or
    one already on the roster."""
    name = check_name(name)
    clash = _clash(name, taken)
    if clash is not None:
        raise StoreError(f"{clash[0]!r} is {clash[1]}: a student in the browser needs another name")
    password = new_password()
    with _opened(folder, create=True) as conn:
        found = _named(conn, name)
        if found is not None:
            raise StoreError(
                f"{found[0]!r} is on the roster already (a new password: factmark class "
                f"roster reset {found[0]})"
            )
        # Added again after a removal, in another case: the same student, whose copy
        # (served/NAME.db) goes on under its first spelling, not a second student.
        name = next((n for n, _ in served_copies(folder) if same_name(n, name)), name)
        conn.execute(
            "INSERT INTO roster (name, hash, created_at) VALUES (?, ?, ?)",
            [name, hash_password(password), _now()],
        )
    return name, password


def _named(conn: sqlite3.Connection, name: str) -> tuple[str, str] | None:
    """(name as stored, hash) of the roster entry `name` stands for, ignoring case."""
    for stored, hashed in conn.execute("SELECT name, hash FROM roster"):
        if same_name(stored, name):
            return stored, hashed
    return None


def reset(folder: ClassFolder, name: str) -> tuple[str, str]:
    """A new password for `name` (the old one stops working, wrong tries are forgotten):
    (the name as stored, the password, to show once). Raises StoreError for a name not on
    the roster."""
    password = new_password()
    with _opened(folder, create=False) as conn:
        name = _on_roster(conn, name)
        conn.execute(
            "UPDATE roster SET hash = ?, created_at = ?, failures = 0 WHERE name = ?",
            [hash_password(password), _now(), name],
        )
    return name, password


def _on_roster(conn: sqlite3.Connection, name: str) -> str:
    """The roster's own spelling of `name`. Raises StoreError when it is not there."""
    found = _named(conn, check_name(name))
    if found is None:
        raise StoreError(f"{gate.annotator(name)!r} is not on the roster")
    return found[0]


def remove(folder: ClassFolder, name: str) -> str:
    """Take `name` off the roster: they can no longer sign in. Their copy and the
    verdicts collected from it stay. Returns the name as stored; raises StoreError for
    a name not on the roster."""
    with _opened(folder, create=False) as conn:
        name = _on_roster(conn, name)
        conn.execute("DELETE FROM roster WHERE name = ?", [name])
    return name


def listing(folder: ClassFolder) -> list[Student]:
    """Everyone on the roster, by name; empty when there is no roster yet."""
    if not roster_path(folder).exists():
        return []
    with _opened(folder, create=False) as conn:
        rows = conn.execute(
            "SELECT name, created_at, failures FROM roster ORDER BY lower(name), name"
        ).fetchall()
    return [Student(n, c, f, served_copy(folder, n).exists()) for n, c, f in rows]


def password_token(folder: ClassFolder, name: str) -> str | None:
    """What changes whenever the password of `name` (any case) does, by `reset`,
    `remove` or `add` again: None when they are not on the roster. A session notes it
    at sign-in and ends when it changes. Raises StoreError when the roster cannot be
    read."""
    try:
        name = check_name(name)  # as typed at sign-in: "  Alice " is alice
    except StoreError:
        return None
    with _opened(folder, create=False) as conn:
        found = _named(conn, name)
    return None if found is None else hashlib.sha256(found[1].encode()).hexdigest()


def sign_in(folder: ClassFolder, name: str, password: str) -> str:
    """The roster name `name` stands for when `password` is theirs. Raises
    SignInRefused, with one message for an unknown name and a wrong password (each
    costs the same scrypt); a wrong try is counted for a roster name. Past the right
    password, a name someone else has taken in the class since it was put on the
    roster (`names_taken`) is refused too, saying so."""
    wrong = SignInRefused("wrong name or password")
    try:
        name = check_name(name)
    except StoreError:
        password_matches(password, _NOBODY)
        raise wrong from None
    with _opened(folder, create=False) as conn:
        found = _named(conn, name)
        if found is None:
            password_matches(password, _NOBODY)
            raise wrong
        name, stored = found
        right = password_matches(password, stored)
        conn.execute(
            "UPDATE roster SET failures = CASE WHEN ? THEN 0 ELSE failures + 1 END WHERE name = ?",
            [right, name],
        )
    if not right:
        raise wrong
    clash = _clash(name, names_taken(folder))
    if clash is not None:
        raise SignInRefused(
            f"{name} is also {clash[1]} in this class: ask your teacher for another name"
        )
    return name


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# --- the served copies ------------------------------------------------------------------


def own_served_copy(folder: ClassFolder, name: str) -> Path:
    """The copy of the roster's `name`, its folder and file made on first use, this
    user's alone (0700, 0600); never through a link. Raises StoreError."""
    place = folder.root / SERVED
    try:
        with contextlib.suppress(FileExistsError):
            place.mkdir(mode=SERVED_MODE)
        info = place.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
            raise StoreError(f"{gate.path(place)}: not the teacher's own folder; left as it is")
        os.chmod(place, SERVED_MODE)  # the class group's setgid bit is not wanted here
        copy = served_copy(folder, name)
        with contextlib.suppress(FileExistsError):
            fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            os.fchmod(fd, PRIVATE_FILE_MODE)
            os.close(fd)
        if not stat.S_ISREG(copy.lstat().st_mode):
            raise StoreError(f"{gate.path(copy)}: not a regular file; left as it is")
    except OSError as exc:
        raise StoreError(f"{gate.path(exc.filename or place)}: {exc.strerror}") from None
    return copy


def served_copies(folder: ClassFolder) -> list[tuple[str, Path]]:
    """(roster name, path) of every copy in DIR/served/ whose name is a roster name's
    form, by name; regular files only, never through a link. Empty when none was made."""
    place = folder.root / SERVED
    found = []
    try:
        entries = sorted(place.iterdir())
    except OSError:
        return []
    for path in entries:
        if path.suffix != ".db" or not path.is_file() or path.is_symlink():
            continue
        try:
            name = check_name(path.stem)
        except StoreError:
            continue
        if name == path.stem:
            found.append((name, path))
    return found
