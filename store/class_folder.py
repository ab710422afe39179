"""A class folder whose rules the operating system enforces.

A student with a shell can run any program on any file their Unix user can read or
write, so what keeps a class blind is file permissions, not factmark. The folder
`class init` makes, for a teacher T and a class group G (T and the students):

    DIR/                  T:G   drwxr-s---  the class can enter and read; others nothing
      class.toml          T:G   -rw-r-----  marks the folder (teacher, group)
      README.md           T:G               the teacher's steps (never written over)
      teacher.db          T     -rw-------  articles, claims, the answer key, every
                                            student's verdicts once collected
      class.db            T:G   -rw-r-----  published for the class: articles and
                                            claims, and for revealed articles only the
                                            key's verdicts and the class's votes
      submissions/        T:P   drwx-wx-wt  a drop box: students create, cannot list
        alice/            alice:P  drwxr-s---  alice's own folder, her copy in it:
          verdicts.db     alice:P  -rw-r-----  hers to write, the teacher's to read

P is the teacher's private group (theirs alone), so the teacher reads every copy and
no classmate reads any. A copy is a factmark database with a rollback journal, so the
teacher reads it without writing beside it. Whose verdicts a copy holds is its
owner's login, whatever names are written in it (`class_sync.collect`).
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from . import gate
from .errors import StoreError

CLASS_FILE = "class.toml"
TEACHER_DB = "teacher.db"
CLASS_DB = "class.db"
SUBMISSIONS = "submissions"
COPY_NAME = "verdicts.db"

FOLDER_MODE = 0o2750  # setgid: what is made inside stays in the class group
DROP_BOX_MODE = 0o3733  # setgid and sticky: create, never list, never remove another's
COPY_FOLDER_MODE = 0o2750
SHARED_FILE_MODE = 0o640
PRIVATE_FILE_MODE = 0o600


@dataclass(frozen=True)
class ClassFolder:
    """A class folder: `root` (absolute), its teacher's login and the class group."""

    root: Path
    teacher: str
    group: str

    @property
    def teacher_db(self) -> Path:
        """The teacher's database: DIR/teacher.db."""
        return self.root / TEACHER_DB

    @property
    def class_db(self) -> Path:
        """What the class may read, as the teacher published it: DIR/class.db."""
        return self.root / CLASS_DB

    @property
    def submissions(self) -> Path:
        """The drop box of the students' copies: DIR/submissions."""
        return self.root / SUBMISSIONS

    def is_teacher(self) -> bool:
        """True when this process runs as the folder's owner. Raises OSError when the
        folder cannot be read (gone since it was found)."""
        return os.geteuid() == self.root.stat().st_uid

    def describe(self) -> str:
        """The class in one line: its folder, teacher and group."""
        return f"class {gate.path(self.root)} (teacher {self.teacher}, group {self.group})"


def login() -> str:
    """This process's Unix login name: whose copy it writes in a class. Raises
    StoreError when the user has none."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        raise StoreError(f"user {os.geteuid()} has no login name; a class needs one") from None


def read(root: Path) -> ClassFolder:
    """The class folder at `root`. Raises StoreError when it is not one."""
    if sys.version_info >= (3, 11):  # only a class pays for the import
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    root = Path(root).absolute()
    marker = root / CLASS_FILE
    try:
        if not stat.S_ISREG(marker.lstat().st_mode):
            raise StoreError(f"{gate.path(marker)}: not a regular file")
        with open(marker, "rb") as source:
            fields = tomllib.load(source)
    except FileNotFoundError:
        raise StoreError(f"{gate.path(root)}: not a class folder (no {CLASS_FILE})") from None
    except PermissionError:
        raise StoreError(
            f"{gate.path(root)}: this class folder is not open to you "
            "(ask the teacher to add you to the class group)"
        ) from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StoreError(f"{gate.path(marker)}: cannot read ({exc})") from None
    teacher, group = fields.get("teacher"), fields.get("group")
    if not isinstance(teacher, str) or not isinstance(group, str):
        raise StoreError(f"{gate.path(marker)}: needs a teacher and a group")
    return ClassFolder(root, teacher, group)


def find(working: Path, environ: os._Environ[str] | dict[str, str]) -> ClassFolder | None:
    """The class a command acts on: `$FACTMARK_CLASS`, else the folder holding
    `class.toml` at or above `working` when this user owns it (a teacher in their
    class folder; a student names their class with FACTMARK_CLASS, so a folder someone
    else made never captures them). None outside any class. Raises StoreError for a
    FACTMARK_CLASS that is not a class folder."""
    named = environ.get("FACTMARK_CLASS", "").strip()
    if named:
        return read(Path(named))
    for folder in (working, *working.parents):
        marker = folder / CLASS_FILE
        try:
            owner = folder.stat().st_uid
            if not marker.is_file():
                continue
        except OSError:
            continue
        return read(folder) if owner == os.geteuid() else None
    return None


# --- creating a class ------------------------------------------------------------------


@dataclass(frozen=True)
class Created:
    """What `init` did: the folder, whether it wrote README.md, and one line for each
    thing the teacher should know (a mode changed, students who may not run factmark)."""

    folder: ClassFolder
    readme_written: bool
    notes: list[str]


def init(directory: Path, group: str, *, existing: bool = False) -> Created:
    """Make `directory` a class folder for group `group`, owned by this user (the
    teacher). Refuses a folder with anything in it unless `existing`, and then says
    which modes it changed; never writes over or through a file there. The caller
    fills teacher.db and publishes class.db. Returns what it did (Created). Raises
    StoreError in one line: no such group, the teacher not in it or their primary
    group not theirs alone, a folder that is not empty or not theirs, a file already
    there, or what the system refused."""
    teacher = login()
    class_gid = _class_group(group, teacher)
    private_gid = _private_group(teacher, class_gid)
    root = Path(directory).absolute()
    notes = []
    try:
        if root.is_symlink() or (root.exists() and not root.is_dir()):
            raise StoreError(f"{gate.path(root)}: not a folder; a class needs its own folder")
        if root.exists():
            info = root.stat()
            if info.st_uid != os.geteuid():
                raise StoreError(f"{gate.path(root)}: belongs to another user")
            if any(root.iterdir()) and not existing:
                raise StoreError(
                    f"{gate.path(root)}: not empty; a class needs a folder of its own "
                    "(or add --existing to make this one a class folder)"
                )
            before = stat.filemode(info.st_mode)
        else:
            root.mkdir(mode=0o700, parents=True)
            before = None
        os.chown(root, -1, class_gid)
        os.chmod(root, FOLDER_MODE)
        if before is not None and stat.S_IMODE(root.stat().st_mode) != stat.S_IMODE(info.st_mode):
            notes.append(
                f"{gate.path(root)}: mode changed from {before} to "
                f"{stat.filemode(root.stat().st_mode)} (group {group})"
            )
        _new_file(root / CLASS_FILE, _marker(teacher, group), SHARED_FILE_MODE)
        _new_file(root / TEACHER_DB, "", PRIVATE_FILE_MODE)
        box = root / SUBMISSIONS
        box.mkdir(mode=0o700)
        os.chown(box, -1, private_gid)
        os.chmod(box, DROP_BOX_MODE)
    except OSError as exc:
        raise StoreError(f"{gate.path(exc.filename or root)}: {exc.strerror}") from None
    folder = ClassFolder(root, teacher, group)
    readme = _new_file(root / "README.md", teacher_readme(folder), SHARED_FILE_MODE)
    notes += runnable_by_the_class()
    return Created(folder, readme, notes)


def _marker(teacher: str, group: str) -> str:
    return (
        "# A factmark class folder: see README.md beside this file.\n"
        f'teacher = "{_toml_escape(teacher)}"\ngroup = "{_toml_escape(group)}"\n'
    )


def _toml_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _new_file(path: Path, text: str, mode: int) -> bool:
    """Create `path` with `text` and exactly `mode` (whatever the umask); False, writing
    nothing, when something is there (never followed: it may be a planted link)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        if path.name == "README.md":
            return False
        raise StoreError(f"{gate.path(path)}: already there; left as it is") from None
    with open(fd, "w", encoding="utf-8") as out:
        os.fchmod(fd, mode)
        out.write(text)
    return True


def _class_group(group: str, teacher: str) -> int:
    try:
        entry = grp.getgrnam(group)
    except KeyError:
        raise StoreError(
            f"no group {group!r}: make it and add the students first "
            f"(sudo groupadd {group}; sudo usermod -aG {group} {teacher}; "
            f"sudo usermod -aG {group} STUDENT...)"
        ) from None
    if entry.gr_gid not in os.getgroups() and entry.gr_gid != os.getegid() and os.geteuid():
        raise StoreError(
            f"you are not in group {group!r}: sudo usermod -aG {group} {teacher}, then log in again"
        )
    return entry.gr_gid


def _private_group(teacher: str, class_gid: int) -> int:
    """The teacher's own group, which the drop box belongs to: no one else may be in
    it, or they could read every student's copy."""
    gid = pwd.getpwnam(teacher).pw_gid
    entry = grp.getgrgid(gid)
    others = {m for m in entry.gr_mem if m != teacher}
    others |= {p.pw_name for p in pwd.getpwall() if p.pw_gid == gid and p.pw_name != teacher}
    if gid == class_gid or others:
        raise StoreError(
            f"your primary group {entry.gr_name!r} is not yours alone "
            f"({', '.join(sorted(others)) or 'it is the class group'}): the students' "
            "copies are readable by that group, so a class needs a teacher whose primary "
            "group holds no one else (as useradd makes by default)"
        )
    return gid


def members(folder: ClassFolder) -> set[str]:
    """The logins of the class group (by its member list or as their primary group):
    the students who work over SSH. Empty when the group is gone."""
    try:
        entry = grp.getgrnam(folder.group)
    except KeyError:
        return set()
    return {*entry.gr_mem, *(p.pw_name for p in pwd.getpwall() if p.pw_gid == entry.gr_gid)}


def runnable_by_the_class() -> list[str]:
    """One line for each reason another user could not run this factmark: a folder on
    the way to its Python or its code that others cannot enter, or a file they cannot
    read. Empty when everyone can."""
    found = []
    for target in (Path(sys.executable), Path(__file__).resolve().parent):
        for place in (target, *target.parents):
            try:
                mode = place.stat().st_mode
            except OSError:
                continue
            needed = stat.S_IXOTH if stat.S_ISDIR(mode) else stat.S_IROTH
            if not mode & needed:
                found.append(
                    f"students may not be able to run factmark: {gate.path(place)} is "
                    f"{stat.filemode(mode)} (install it for every user: see the README, "
                    "'A server for a class')"
                )
                break
    return found


# --- a student's copy -------------------------------------------------------------------


def copy_path(folder: ClassFolder, name: str) -> Path:
    """Where the copy of the student whose login is `name` is, or will be:
    submissions/NAME/verdicts.db."""
    return folder.submissions / name / COPY_NAME


def own_copy(folder: ClassFolder) -> tuple[Path, bool]:
    """This student's copy in the drop box, and whether it is new (the caller creates
    the database in it). The folder is made on first use; a folder or copy someone
    else made under this student's name is refused, never used. Raises StoreError."""
    name = login()
    place = folder.submissions / name
    try:
        # Made with a umask, not a chmod: the kernel drops the setgid bit a folder
        # inherits when someone outside its group chmods it, and then the copy would
        # leave the teacher's group.
        mask = os.umask(0o027)
        try:
            place.mkdir(mode=COPY_FOLDER_MODE & 0o777)
        except FileExistsError:
            pass
        finally:
            os.umask(mask)
        _owned(place, stat.S_ISDIR, folder)
        copy = place / COPY_NAME
        try:
            fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            _owned(copy, stat.S_ISREG, folder)
            return copy, False
        os.fchmod(fd, SHARED_FILE_MODE)
        os.close(fd)
        return copy, True
    except PermissionError:
        raise StoreError(
            f"{folder.describe()}: you cannot write in its drop box "
            "(ask the teacher to add you to the class group)"
        ) from None
    except OSError as exc:
        raise StoreError(f"{gate.path(exc.filename or place)}: {exc.strerror}") from None


def _owned(path: Path, kind: object, folder: ClassFolder) -> None:
    info = path.lstat()
    if not kind(info.st_mode):  # type: ignore[operator]
        what = "a folder" if kind is stat.S_ISDIR else "a regular file"
        raise StoreError(
            f"{gate.path(path)}: not {what}; ask your teacher ({folder.teacher}) to move it away"
        )
    if info.st_uid != os.geteuid():
        raise StoreError(
            f"{gate.path(path)}: made by {_owner(info.st_uid)}, not by you; ask your "
            f"teacher ({folder.teacher}) to remove it"
        )


def _owner(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"user {uid}"


def copies(folder: ClassFolder) -> tuple[list[tuple[str, Path]], list[str]]:
    """(owner's login, path) of every student's copy in the drop box, for the teacher:
    a copy counts only as its owner's, in a folder of theirs, and never through a link;
    and one line for each entry that is not such a copy, or not under its owner's name
    (the teacher moves it away: `mv`, as the drop box's owner). Raises StoreError when
    the drop box cannot be listed."""
    found, problems = [], []
    try:
        entries = sorted(folder.submissions.iterdir())
    except OSError as exc:
        raise StoreError(f"{gate.path(folder.submissions)}: {exc.strerror}") from None
    for place in entries:
        copy = place / COPY_NAME
        shown = gate.path(place)
        try:
            where = place.lstat()
        except OSError:
            continue
        owner = _owner(where.st_uid)
        if not stat.S_ISDIR(where.st_mode):
            problems.append(f"{shown}: not a student's folder; left out")
            continue
        if owner != place.name:
            problems.append(
                f"{shown}: made by {owner}, not {place.name} "
                f"(mv it away so that {place.name} can work)"
            )
        try:
            what = copy.lstat()
        except OSError:
            continue  # a folder made a moment ago, its copy not yet
        if not stat.S_ISREG(what.st_mode) or what.st_uid != where.st_uid:
            problems.append(f"{gate.path(copy)}: not a copy its folder's owner made; left out")
        elif where.st_uid != os.geteuid():
            found.append((owner, copy))
    return found, problems


TEACHER_README = """# This class's factmark folder

Teacher: {teacher}. Class group: `{group}` (the students and you).

What the operating system enforces here: the students can read `class.db` (the
articles, and for revealed articles only your key and the class's votes) and write
only their own copy in `submissions/`; they cannot list that folder, read another
student's copy, read `teacher.db` (your key and everyone's verdicts), reveal, or
become a key.

## Setting up (once)

1. The group: `sudo groupadd {group}`, then `sudo usermod -aG {group} NAME` for
   yourself and each student (they log in again to be in it).
2. Each student adds to their `~/.profile`: `export FACTMARK_CLASS={root}`

## A session

Run these in this folder (or with FACTMARK_CLASS set); each says which class it used.

- Import articles: `factmark import ARTICLES...`
- Write the answer key: `factmark key add {teacher}`, then `factmark` and annotate;
  your notes are the explanations. Or in a spreadsheet: `factmark export --template
  -o key.csv`, fill in `verdict` and `note`, `factmark import-verdicts key.csv`.
- Students run `factmark` and work blind.
- Reveal an article to the class: `factmark reveal 5` (or a word of its title, or
  `--all`); take it back with `factmark unreveal 5`.
- Discuss: `factmark compare`; grades: `factmark export --gradebook -o grades.csv`.
"""


def teacher_readme(folder: ClassFolder) -> str:
    """The README.md `init` writes into `folder`: the teacher's steps, in Markdown."""
    return TEACHER_README.format(
        teacher=folder.teacher, group=folder.group, root=gate.path(folder.root)
    )
