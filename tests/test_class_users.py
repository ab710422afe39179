"""A class folder as real Unix users: a teacher and students, each running factmark
(and Python's sqlite3) as themselves on one machine.

factmark is installed once for every user, as the README's server install does (a
virtual environment of the system's Python, outside any home folder). The users and
the group are made for the run and removed after it. Root only: CI runs as root.
"""

from __future__ import annotations

import grp
import json
import secrets
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal, decided
from tests.helpers import needs_root, source_copy

pytestmark = [needs_root, pytest.mark.build]  # installs the checkout for every user

SYSTEM_PYTHON = "/usr/bin/python3"


def open_folder() -> Path:
    """A new folder every user may enter (pytest's own are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="factmark-class-", dir="/tmp"))
    folder.chmod(0o755)
    return folder


@pytest.fixture(scope="module")
def shared_install() -> Iterator[Path]:
    """factmark installed where every user can run it: `pip install` of this checkout
    into a venv of the system's Python, in a folder everyone may enter."""
    if not Path(SYSTEM_PYTHON).exists():
        pytest.fail(f"{SYSTEM_PYTHON} is needed to install factmark for every user")
    place = open_folder()
    subprocess.run([SYSTEM_PYTHON, "-m", "venv", str(place / "factmark")], check=True)
    sources = source_copy(place / "sources")
    subprocess.run(
        [str(place / "factmark" / "bin" / "pip"), "install", "--quiet", str(sources)],
        check=True,
        capture_output=True,
    )
    yield place / "factmark" / "bin"
    shutil.rmtree(place)


class People:
    """A teacher, three students and their class group, made for the run."""

    def __init__(self, tag: str, bin_dir: Path, root: Path) -> None:
        self.group = f"fmc{tag}"
        self.teacher = f"fmt{tag}"
        self.students = [f"fms{tag}{n}" for n in range(3)]
        self.bin = bin_dir
        self.root = root  # the class folder
        self.homes = root.parent / "homes"

    def make(self) -> None:
        subprocess.run(["groupadd", self.group], check=True)
        self.homes.mkdir(mode=0o755)
        for name in (self.teacher, *self.students):
            home = self.homes / name
            subprocess.run(
                ["useradd", "--user-group", "-G", self.group, "-d", str(home), "-m", name],
                check=True,
            )
        # As a server's admin would: a place for the class that the teacher owns.
        shutil.chown(self.root.parent, self.teacher)

    def remove(self) -> None:
        for name in (self.teacher, *self.students):
            subprocess.run(["userdel", name], check=False, capture_output=True)
        subprocess.run(["groupdel", self.group], check=False, capture_output=True)

    def run(
        self, user: str, *args: str, umask: str = "022", cwd: Path | None = None, **env: str
    ) -> subprocess.CompletedProcess[str]:
        """`args` as `user` (a login shell's environment: HOME, PATH with factmark,
        FACTMARK_CLASS unless given empty), with `umask`."""
        environment = self.environment(user, **env)
        command = ["runuser", "-u", user, "--", "env", "-i"]
        command += [f"{k}={v}" for k, v in environment.items()]
        command += ["sh", "-c", f'umask {umask} && exec "$@"', "sh", *args]
        return subprocess.run(
            command, capture_output=True, text=True, cwd=cwd or self.root.parent, timeout=300
        )

    def environment(self, user: str, **env: str) -> dict[str, str]:
        """A login shell's: HOME, PATH with factmark, FACTMARK_CLASS unless given empty."""
        found = {
            "HOME": str(self.homes / user),
            "PATH": f"{self.bin}:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "FACTMARK_CLASS": str(self.root),
            **env,
        }
        if not found["FACTMARK_CLASS"]:
            del found["FACTMARK_CLASS"]
        return found

    def factmark(self, user: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return self.run(user, "factmark", *args, **env)

    def sqlite(self, user: str, path: Path, sql: str) -> subprocess.CompletedProcess[str]:
        """`sql` on `path` with Python's sqlite3, as `user`: what a student with a shell
        can read."""
        script = (
            "import sqlite3, sys\n"
            "conn = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True)\n"
            "for row in conn.execute(sys.argv[2]): print(*row, sep='|')\n"
        )
        return self.run(user, str(self.bin / "python"), "-c", script, str(path), sql)


@pytest.fixture
def people(shared_install: Path) -> Iterator[People]:
    place = open_folder()
    found = People(secrets.token_hex(3), shared_install, place / "class")
    found.make()
    try:
        yield found
    finally:
        found.remove()
        shutil.rmtree(place)


def sheet(rows: list[tuple[object, ...]], folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text("claim_id,verdict,annotator\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows))
    path.chmod(0o644)
    return path


def init(people: People) -> None:
    made = people.factmark(people.teacher, "class", "init", str(people.root), "--group",
                           people.group, "--sample", FACTMARK_CLASS="")  # fmt: skip
    assert made.returncode == 0, made.stderr


def test_a_blind_round_holds_against_students_with_a_shell(people: People) -> None:
    init(people)
    sheets_folder = people.root.parent
    teacher, (alice, bob, carol) = people.teacher, people.students
    assert people.factmark(teacher, "key", "add", teacher).returncode == 0
    key = sheet([(1, "verified", teacher), (2, "disputed", teacher)], sheets_folder, "key.csv")
    assert people.factmark(teacher, "import-verdicts", str(key)).returncode == 0

    # Students at once, one pretending to be the teacher and a classmate in its sheet.
    sheets = {
        alice: [(1, "verified", alice), (2, "verified", alice)],
        bob: [(1, "disputed", teacher), (2, "disputed", alice)],
        carol: [(1, "unsourced", carol)],
    }
    with ThreadPoolExecutor(len(sheets)) as pool:  # every student at once
        results = list(
            pool.map(
                lambda item: people.factmark(
                    item[0], "import-verdicts", str(sheet(item[1], sheets_folder, f"{item[0]}.csv"))
                ),
                sheets.items(),
            )
        )
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]

    # Annotations from another tool, made out as the teacher's: they land as Carol's.
    claim = people.sqlite(carol, people.root / "class.db", "SELECT text FROM claims WHERE id = 2")
    annotation = {
        "type": "Annotation",
        "creator": {"nickname": teacher},
        "body": {"purpose": "assessing", "value": "verified"},
        "target": {"selector": {"type": "TextQuoteSelector", "exact": claim.stdout.strip()}},
    }
    annotations = sheets_folder / "carol.json"
    annotations.write_text(json.dumps(annotation))
    annotations.chmod(0o644)
    imported = people.factmark(carol, "import-verdicts", str(annotations), "--annotator", teacher)
    assert imported.returncode == 0, imported.stderr
    assert f"your verdicts are your own ({carol}): --annotator is not used" in imported.stderr

    root = people.root
    alice_copy = root / "submissions" / alice / "verdicts.db"
    # Nothing of the key, the teacher's database or a classmate's copy is readable.
    for path in (root / "teacher.db", alice_copy):
        assert people.sqlite(bob, path, "SELECT count(*) FROM verdicts").returncode != 0
    assert people.run(bob, "ls", str(root / "submissions")).returncode != 0
    published = people.sqlite(bob, root / "class.db", "SELECT count(*) FROM verdicts")
    assert published.returncode == 0 and published.stdout.strip() == "0"
    # Nor writable: not another's copy, not the class's.
    assert people.run(bob, "sh", "-c", f"echo x >> {alice_copy}").returncode != 0
    assert people.run(bob, "sh", "-c", f"echo x >> {root / 'class.db'}").returncode != 0
    # Teacher's commands are the teacher's.
    for command in (["reveal", "1"], ["key", "add", bob], ["compare"], ["unreveal", "1"]):
        refused = people.factmark(bob, *command)
        assert refused.returncode != 0, command
        assert "only the teacher" in refused.stderr or "invalid choice" in refused.stderr
    # The roster too, saying what is the teacher's in a whole sentence.
    refused = people.factmark(bob, "class", "roster", "list")
    assert refused.returncode == 1 and refused.stderr.rstrip().endswith("the class roster")

    compared = people.factmark(teacher, "compare", "--format", "json")
    assert compared.returncode == 0, compared.stderr
    figures = json.loads(compared.stdout)
    decided = {s["annotator"]: s["decided"] for s in figures["students"]}
    # Bob's rows count as Bob's, whatever names his sheet gave them.
    assert decided == {alice: 2, bob: 2, carol: 2}

    # The reveal publishes the key and the class's votes, for that article only.
    assert people.factmark(teacher, "reveal", "1").returncode == 0
    votes = people.sqlite(bob, root / "class.db", "SELECT count(*) FROM class_votes")
    assert int(votes.stdout) > 0
    exported = people.factmark(bob, "export")
    assert exported.returncode == 0 and f'"{teacher}"' in exported.stdout
    assert f'"{alice}"' not in exported.stdout


def test_a_copy_made_under_another_name_is_refused_not_used(people: People) -> None:
    init(people)
    alice, bob = people.students[:2]
    squat = people.root / "submissions" / alice
    assert people.run(bob, "mkdir", str(squat)).returncode == 0
    refused = people.factmark(alice, "stats")
    assert refused.returncode == 1
    assert f"made by {bob}" in refused.stderr and "Traceback" not in refused.stderr


def test_class_init_keeps_the_class_to_itself_whatever_the_umask(people: People) -> None:
    made = people.run(people.teacher, "factmark", "class", "init", str(people.root),
                      "--group", people.group, umask="077", FACTMARK_CLASS="")  # fmt: skip
    assert made.returncode == 0, made.stderr
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in people.root.iterdir()}
    assert stat.S_IMODE(people.root.stat().st_mode) == 0o2750  # setgid, no one else
    assert modes["teacher.db"] == 0o600
    assert modes["class.db"] == 0o640 and modes["class.toml"] == 0o640
    assert all(not mode & 0o007 for name, mode in modes.items() if name != "submissions")
    assert grp.getgrgid(people.root.stat().st_gid).gr_name == people.group
    # The students can read what is theirs to read.
    student = people.students[0]
    assert people.factmark(student, "stats").returncode == 0
    assert people.group in (people.root / "README.md").read_text()


def test_class_init_leaves_an_existing_folder_and_its_files_alone(people: People) -> None:
    home = people.root
    home.mkdir(mode=0o700)
    shutil.chown(home, people.teacher)
    (home / ".bashrc").write_text("export PS1=x\n")
    refused = people.factmark(people.teacher, "class", "init", str(home), "--group",
                              people.group, FACTMARK_CLASS="")  # fmt: skip
    assert refused.returncode == 1 and "not empty" in refused.stderr
    assert stat.S_IMODE(home.stat().st_mode) == 0o700

    victim = home.parent / "victim.txt"
    victim.write_text("precious")
    (home / "README.md").symlink_to(victim)
    told = people.factmark(people.teacher, "class", "init", str(home), "--group",
                           people.group, "--existing", FACTMARK_CLASS="")  # fmt: skip
    assert told.returncode == 0, told.stderr
    assert "mode changed from drwx------" in told.stderr
    assert victim.read_text() == "precious"
    assert "already there was kept" in told.stdout


def test_the_teacher_in_the_class_folder_needs_no_database_path(people: People) -> None:
    init(people)
    added = people.run(people.teacher, "factmark", "key", "add", people.teacher,
                       cwd=people.root, FACTMARK_CLASS="")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert str(people.root / "teacher.db") in added.stderr
    listed = people.factmark(people.students[0], "key", "list")
    assert listed.stdout.strip() == people.teacher


def test_two_students_mark_claims_in_the_reader_at_once_each_in_their_own_name(
    people: People,
) -> None:
    """Over terminals (tmux at 80x24), as in a session over SSH: each student's
    verdict lands in their own copy, and the teacher's compare sees both."""
    init(people)
    alice, bob = people.students[:2]
    terminals = {}
    try:
        for student in (alice, bob):
            login = [f"{k}={v}" for k, v in people.environment(student).items()]
            login.append("TERM=xterm-256color")
            command = ["runuser", "-u", student, "--", "env", "-i", *login, "factmark"]
            terminals[student] = Terminal(command, {"TERM": "xterm-256color"})
        for student, key in ((alice, "1"), (bob, "2")):
            terminal = terminals[student]
            terminal.wait_for(lambda screen: "Claims" in screen)
            terminal.keys("Enter")
            terminal.wait_for(decided(0))
            terminal.keys(key)
            terminal.wait_for(decided(1))
        for terminal in terminals.values():
            terminal.keys("q", "q")
            terminal.wait_for(lambda s, terminal=terminal: terminal.dead(), timeout=15)
    finally:
        for terminal in terminals.values():
            terminal.close()
    compared = people.factmark(people.teacher, "compare", "--format", "json")
    decided_by = {s["annotator"]: s["decided"] for s in json.loads(compared.stdout)["students"]}
    assert decided_by == {alice: 1, bob: 1}


def test_the_teachers_sheets_stay_the_teachers_and_bad_copies_are_named(people: People) -> None:
    init(people)
    teacher, (alice, bob, _) = people.teacher, people.students
    assert people.factmark(teacher, "key", "add", teacher).returncode == 0
    # The class README's steps, run in the class folder (which passes its group on).
    for sheet_args in (["--template"], ["--gradebook"]):
        made = people.run(teacher, "factmark", "export", *sheet_args, "-o", "sheet.csv",
                          cwd=people.root, FACTMARK_CLASS="")  # fmt: skip
        assert made.returncode == 0, made.stderr
        assert stat.S_IMODE((people.root / "sheet.csv").stat().st_mode) == 0o600
        assert people.run(alice, "cat", str(people.root / "sheet.csv")).returncode != 0
    # A fifo and a folder squatted under a classmate's name, in the drop box.
    assert people.run(bob, "mkfifo", str(people.root / "submissions" / "pipe")).returncode == 0
    assert people.run(bob, "mkdir", str(people.root / "submissions" / alice)).returncode == 0
    compared = people.factmark(teacher, "compare")
    assert compared.returncode == 0
    assert "submissions/pipe: not a student's folder; left out" in compared.stderr
    assert f"made by {bob}, not {alice}" in compared.stderr
