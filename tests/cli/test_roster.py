"""The class roster of `factmark serve` (`factmark class roster ...`), its passwords and
its sign-in, through the command line and the store API; the sign-in screen through
Pilot; and what `serve` refuses before it serves anything."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from factmark.store import class_folder, class_sync, roster, verdicts
from factmark.store.database import Store
from tests.helpers import SAMPLE, factmark
from tests.served import add_student, make_class


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_class(tmp_path / "class")


def in_class(root: Path, *args: str) -> subprocess.CompletedProcess:
    return factmark(*args, env={"FACTMARK_CLASS": str(root)})


def test_a_password_is_shown_once_and_kept_only_as_a_salted_hash(root: Path) -> None:
    password = add_student(root, "alice")
    add_student(root, "bob")
    kept = root / "roster.db"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600  # the teacher's alone, as teacher.db
    raw = kept.read_bytes()
    assert password.encode() not in raw and password.replace("-", "").encode() not in raw
    hashes = [line.split("$") for line in _hashes(kept)]
    assert [h[0] for h in hashes] == ["scrypt", "scrypt"]
    assert hashes[0][4] != hashes[1][4]  # a salt each
    listed = in_class(root, "class", "roster", "list").stdout.decode()
    header, *lines = listed.splitlines()
    assert header.split("  ")[0] == "name" and "wrong tries" in header
    assert [line.split()[0] for line in lines] == ["alice", "bob"]
    assert {line.index("0 wrong") for line in lines} == {header.index("wrong tries")}
    assert password not in listed and all(line.endswith("not yet") for line in lines)
    folder = class_folder.read(root)
    assert roster.sign_in(folder, "alice", password) == "alice"
    # Typed without its dashes, or in capitals, it is the same password.
    assert roster.sign_in(folder, "alice", password.replace("-", "").upper()) == "alice"


def _hashes(path: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT hash FROM roster ORDER BY name")]


def test_a_wrong_password_and_an_unknown_name_read_the_same_and_lock_no_one_out(
    root: Path,
) -> None:
    password = add_student(root, "alice")
    folder = class_folder.read(root)
    messages = set()
    for name in ("nobody", "../alice", "alice"):
        with pytest.raises(roster.SignInRefused) as refused:
            roster.sign_in(folder, name, "not-the-password")
        messages.add(str(refused.value))
    # A classmate trying names learns nothing, however often they try one.
    for _ in range(20):
        for name in ("alice", "nobody"):
            with pytest.raises(roster.SignInRefused) as refused:
                roster.sign_in(folder, name, "still-wrong")
            messages.add(str(refused.value))
    assert messages == {"wrong name or password"}
    listed = in_class(root, "class", "roster", "list").stdout.decode()
    assert "21 wrong" in listed  # the teacher sees the tries
    # Nor can they keep alice out: her password still works, typed in any case.
    assert roster.sign_in(folder, "ALICE", password) == "alice"
    assert "0 wrong" in in_class(root, "class", "roster", "list").stdout.decode()
    # The teacher's reset gives a new password; the old one is gone.
    reset = in_class(root, "class", "roster", "reset", "Alice")
    assert reset.returncode == 0
    new = reset.stdout.decode().splitlines()[0].rsplit(" ", 1)[1]
    assert new != password
    assert roster.sign_in(folder, "alice", new) == "alice"
    with pytest.raises(roster.SignInRefused):
        roster.sign_in(folder, "alice", password)


def test_a_removed_student_cannot_sign_in_and_their_verdicts_stay(root: Path) -> None:
    password = add_student(root, "alice")
    folder = class_folder.read(root)
    copy = roster.own_served_copy(folder, roster.sign_in(folder, "alice", password))
    with Store.open(copy) as store:
        class_sync.sync(store, folder)
        claim = store.conn.execute("SELECT min(id) FROM claims").fetchone()[0]
        verdicts.record(store, claim, "alice", "disputed")
    removed = in_class(root, "class", "roster", "remove", "alice")
    assert removed.returncode == 0, removed.stderr
    with pytest.raises(roster.SignInRefused):
        roster.sign_in(folder, "alice", password)
    compared = in_class(root, "compare", "--format", "json")
    assert compared.returncode == 0, compared.stderr
    students = json.loads(compared.stdout)["students"]
    assert [(s["annotator"], s["decided"]) for s in students] == [("alice", 1)]
    assert in_class(root, "class", "roster", "remove", "alice").returncode == 1


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("a/b", "letters, digits"),
        ("..", "letters, digits"),
        (".hidden", "starting with a letter"),
        ("two words", "letters, digits"),
        ("\x1b[31m", "needs a name"),
        ("", "needs a name"),
        ("x" * 41, "at most 40"),
        ("x" * 300, "at most 40"),
        # Refused, not cleaned into another name ("ared", "xy").
        ("a\x1b[31mred", "letters, digits"),
        ("x\x07y", "letters, digits"),
        ("bob\u202e", "letters, digits"),
    ],
)
def test_names_that_cannot_name_a_student_are_refused(root: Path, name: str, why: str) -> None:
    result = in_class(root, "class", "roster", "add", name)
    assert result.returncode == 1
    error = result.stderr.decode()
    assert why in error and error.count("\n") == 1 and "\x1b" not in error
    assert not (root / "served").exists()


def test_a_name_someone_else_has_in_the_class_cannot_be_a_student(root: Path) -> None:
    # Verdicts are kept by name: a roster name that is the teacher's, a key's or an
    # SSH student's login (a member of the class group) would merge two people's work.
    import grp
    import pwd

    ssh_student = pwd.getpwnam("daemon")  # a login whose primary group is the class's
    marker = root / class_folder.CLASS_FILE
    group = grp.getgrgid(ssh_student.pw_gid).gr_name
    marker.write_text(marker.read_text().replace('"class"', f'"{group}"'), encoding="utf-8")
    assert in_class(root, "key", "add", "mrs-key").returncode == 0
    teacher = class_folder.read(root).teacher
    for name, what in [
        ("Mrs-Key", "an answer key"),
        (teacher.upper(), "the teacher"),
        (ssh_student.pw_name.capitalize(), "a student who works over SSH"),
    ]:
        result = in_class(root, "class", "roster", "add", name)
        assert result.returncode == 1
        assert what in result.stderr.decode(), name
    add_student(root, "alice")
    assert in_class(root, "class", "roster", "add", "ALICE").returncode == 1  # once only
    # Nor in full-width letters that read the same (NFKC): "ａｌｉｃｅ", "ＭＲＳ-ＫＥＹ".
    assert (
        in_class(root, "class", "roster", "add", "\uff41\uff4c\uff49\uff43\uff45").returncode == 1
    )
    full_width_key = "".join(chr(ord(c) + 0xFEE0) for c in "MRS") + "-KEY"
    assert (
        "an answer key" in in_class(root, "class", "roster", "add", full_width_key).stderr.decode()
    )
    # Names in any script are names, their vowel signs too.
    assert in_class(root, "class", "roster", "add", "\u0915\u093f\u0930\u0923").returncode == 0
    # Nor can a student of the roster be made a key: their work would be left out.
    made_key = in_class(root, "key", "add", "Alice")
    assert made_key.returncode == 1
    assert "signs in to `factmark serve`" in made_key.stderr.decode()
    # Nor a student who works over SSH.
    made_key = in_class(root, "key", "add", ssh_student.pw_name)
    assert made_key.returncode == 1 and "works over SSH" in made_key.stderr.decode()


def test_a_student_removed_and_added_again_in_capitals_is_the_same_student(root: Path) -> None:
    password = add_student(root, "carol")
    roster.own_served_copy(
        class_folder.read(root), roster.sign_in(class_folder.read(root), "carol", password)
    )
    assert in_class(root, "class", "roster", "remove", "carol").returncode == 0
    again = in_class(root, "class", "roster", "add", "CAROL")
    assert again.returncode == 0
    assert "has signed in before" in again.stdout.decode()
    assert [s.name for s in roster.listing(class_folder.read(root))] == ["carol"]
    assert sorted(p.name for p in (root / "served").iterdir()) == ["carol.db"]


def test_the_teacher_in_the_class_group_is_no_student_and_may_be_the_key(root: Path) -> None:
    import grp
    import os

    teacher = class_folder.read(root).teacher
    group = grp.getgrgid(os.getgid()).gr_name  # a group the teacher is a member of
    marker = root / class_folder.CLASS_FILE
    marker.write_text(marker.read_text().replace('"class"', f'"{group}"'), encoding="utf-8")
    assert teacher not in roster.students(class_folder.read(root))
    made = in_class(root, "key", "add", teacher)
    assert made.returncode == 0, made.stderr


def test_a_merge_with_roles_makes_no_student_of_the_class_a_key(root: Path, tmp_path: Path) -> None:
    # A database where alice is a key, merged by the teacher with --with-roles: her
    # blind verdicts would become what the class is graded against.
    add_student(root, "alice")
    other = tmp_path / "other.db"
    assert factmark("import", "--db", str(other), str(SAMPLE)).returncode == 0
    assert factmark("key", "add", "Alice", "--db", str(other)).returncode == 0
    with Store.open(other) as store:
        from factmark.store import claims

        verdicts.record(store, claims.for_article(store, 1)[0]["id"], "Alice", "verified")
    merged = in_class(root, "merge", str(other), "--with-roles")
    assert merged.returncode == 0, merged.stderr
    assert "not made a key" in merged.stderr.decode()
    assert "a student who signs in to `factmark serve`" in merged.stderr.decode()
    assert "alice" not in in_class(root, "key", "list").stdout.decode().lower()


def test_the_roster_is_the_class_teachers(tmp_path: Path, root: Path) -> None:
    outside = factmark("class", "roster", "list", cwd=tmp_path)
    assert outside.returncode == 1
    assert "not in a class folder" in outside.stderr.decode()
    served = factmark("serve", "--db", str(tmp_path / "x.db"))
    assert served.returncode == 1
    assert "serves a class" in served.stderr.decode()
    # A roster others could read is refused, not used.
    add_student(root, "alice")
    (root / "roster.db").chmod(0o644)
    opened = in_class(root, "class", "roster", "list")
    assert opened.returncode == 1
    assert "readable by others" in opened.stderr.decode()


def test_help_loads_neither_the_web_server_nor_textual_serve() -> None:
    code = (
        "import sys\nfrom factmark.cli import main\n"
        "for args in (['--help'], ['serve', '--help'], ['class', 'roster', '--help']):\n"
        "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('aiohttp', 'textual_serve', 'textual')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert "factmark class roster add alice" in result.stdout  # the examples


def test_serve_says_what_another_host_exposes() -> None:
    from factmark.cli.serve import exposure, is_loopback

    assert all(is_loopback(h) for h in ("127.0.0.1", "127.8.0.1", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.10", "::", "school.example"))
    said = exposure("0.0.0.0", 8419, "class /srv/c")
    assert "class /srv/c" in said and "plain HTTP" in said and "passwords" in said


# --- the sign-in screen, through Pilot --------------------------------------------------


def notices(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every notice shown from now on, as it reaches Textual (past the served app's own
    gate), in order."""
    from textual.app import App

    shown: list[str] = []
    notify = App.notify

    def recording(self: App, message: str, **options: object) -> None:
        shown.append(str(message))
        notify(self, message, **options)

    monkeypatch.setattr(App, "notify", recording)
    return shown


async def signed_in(pilot, password: str) -> None:
    """Sign alice in with `password`, typed as a student types it, and wait for it."""
    await pilot.press(*"alice", "enter", *password, "enter")
    await until(pilot, lambda: pilot.app.reading)


def served_app(root: Path):
    """alice on the roster of the class at `root`, and a browser session's app (not yet
    running, on its sign-in): (the app, alice's password)."""
    from factmark.cli.session import sign_in_to
    from factmark.tui.sign_in import ServedApp

    password = add_student(root, "alice")
    check, place = sign_in_to(root)
    return ServedApp(check, place, SAMPLE, ascii_glyphs=True), password


async def until(pilot, done, seconds: float = 10) -> None:
    """Let the app run until `done()` holds (a sign-in runs in a thread), at most
    `seconds`; the caller asserts what it waited for."""
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await pilot.pause(0.05)


async def test_the_sign_in_screen_opens_the_students_own_copy_only_with_their_password(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factmark.tui import sign_in as screen
    from factmark.tui.library import LibraryScreen

    monkeypatch.setattr(screen, "PAUSE_S", 0)
    app, password = served_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        name, secret = (
            app.screen.query_one("#name", Input),
            app.screen.query_one("#password", Input),
        )
        problem = app.screen.query_one("#problem", Static)
        assert name.has_focus
        await pilot.press(*"alice", "enter")
        assert secret.has_focus
        await pilot.press(*"wrong", "enter")
        await until(pilot, lambda: secret.has_focus)
        assert "wrong name or password" in str(problem.render())
        assert not app.reading and not (root / "served").exists()
        await pilot.press(*password, "enter")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert isinstance(app.screen, LibraryScreen)
        assert app.annotator == "alice"
        assert app.db_path == root / "served" / "alice.db"
        assert secret.value == ""
    assert stat.S_IMODE(os.stat(root / "served").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(app.db_path).st_mode) == 0o600


async def test_the_browser_is_never_shown_a_path_of_the_server(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not in the header, the status line at any width, nor a refusal's notice.
    from factmark.tui.reader import ReaderScreen

    app, password = served_app(root)
    shown = notices(monkeypatch)
    async with app.run_test(size=(200, 30)) as pilot:
        await signed_in(pilot, password)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        await pilot.press("x")  # dismissing a claim: the teacher's, in a class
        await until(pilot, lambda: bool(shown))
        await pilot.press("a")  # adding one too: said at once, with no dialog first
        await until(pilot, lambda: len(shown) == 2)
        assert isinstance(app.screen, ReaderScreen) and "adding a claim" in shown[1]
        shown.append(str(app.screen.query_one("#status").render()))
        shown.append(str(app.screen.query_one("HeaderTitle").render()))
    assert any("the teacher's to do" in text for text in shown), shown
    assert any("class class" in text for text in shown)  # the class, by its name
    assert not any(str(root) in text or str(root.parent) in text for text in shown)


@pytest.mark.parametrize("action", ["reset", "remove"])
async def test_a_reset_or_removal_ends_a_session_signed_in_with_that_password(
    root: Path, monkeypatch: pytest.MonkeyPatch, action: str
) -> None:
    # A teacher who resets a leaked password cuts off whoever signed in with it.
    from factmark.cli.session import sign_in_to
    from factmark.tui import sign_in as screen
    from factmark.tui.sign_in import ServedApp

    monkeypatch.setattr(screen, "STILL_SIGNED_IN_S", 0.1)
    monkeypatch.setattr(screen, "SIGNED_OUT_S", 0.5)
    password = add_student(root, "alice")
    add_student(root, "bob")
    check, place = sign_in_to(root)
    app = ServedApp(check, place, SAMPLE, ascii_glyphs=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await signed_in(pilot, password)
        await pilot.press("enter")  # the reader, where '1' marks a claim
        await pilot.pause(0.3)
        assert app.return_code is None  # signed in, and staying so
        assert in_class(root, "class", "roster", action, "bob").returncode == 0
        await pilot.pause(0.3)
        assert app.return_code is None  # someone else's password changed
        assert in_class(root, "class", "roster", action, "alice").returncode == 0
        # Told why, with the reader's keys out of reach, then the session ends.

        def told() -> str:  # once the notice is on screen
            found = app.screen.query(Static) if app.return_code is None else ()
            return " ".join(str(widget.render()) for widget in found)

        await until(pilot, lambda: isinstance(app.screen, screen.SignedOutScreen))
        await until(pilot, lambda: "Signed out" in told())
        assert "Signed out" in told()
        await pilot.press("1")
        await until(pilot, lambda: app.return_code is not None, seconds=5)
    assert app.return_code == 1
    import sqlite3

    saved = sqlite3.connect(app.db_path).execute("SELECT count(*) FROM verdicts").fetchone()
    assert saved == (0,)  # the '1' after the sign-out reached no claim


def test_a_password_token_is_the_same_for_the_name_however_it_is_typed(root: Path) -> None:
    # A session notes it at sign-in, where the name is typed, and compares it with the
    # roster's own spelling later: "  Alice " must not sign alice out.
    add_student(root, "alice")
    folder = class_folder.read(root)
    token = roster.password_token(folder, "alice")
    assert token is not None and roster.password_token(folder, "  Alice ") == token
    assert roster.password_token(folder, "\uff41lice") == token  # full-width a
    assert roster.password_token(folder, "bob") is None
    in_class(root, "class", "roster", "reset", "alice")
    assert roster.password_token(folder, "alice") not in (None, token)


def test_a_name_taken_in_the_class_since_it_was_put_on_the_roster_cannot_sign_in(
    root: Path,
) -> None:
    # Made a key since (through the store: the command line refuses a roster name),
    # bob's browser verdicts would be a key's.
    from factmark.store import classroom

    password = add_student(root, "bob")
    with Store.open(root / "teacher.db") as store:
        classroom.set_key(store, "Bob")
    with pytest.raises(roster.SignInRefused, match="also an answer key"):
        roster.sign_in(class_folder.read(root), "bob", password)
    with pytest.raises(roster.SignInRefused, match=r"^wrong name or password$"):
        roster.sign_in(class_folder.read(root), "bob", "not-his-password")


async def test_a_database_error_in_the_browser_names_no_server_path(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A disk that fails names its file: the student reads "your copy".
    from factmark.store import verdicts as verdict_log
    from factmark.store.errors import StoreError

    app, password = served_app(root)
    shown = notices(monkeypatch)

    def failing(*_: object, **__: object) -> None:
        raise StoreError(f"{app.db_path}: database error (disk I/O error)")

    async with app.run_test(size=(100, 30)) as pilot:
        await signed_in(pilot, password)
        await pilot.press("enter")
        await pilot.pause()
        monkeypatch.setattr(verdict_log, "record", failing)
        await pilot.press("1")
        await until(pilot, lambda: bool(shown))
    assert "your copy: database error (disk I/O error)" in shown[0]
    assert str(root) not in shown[0]


async def test_a_student_cannot_bring_articles_into_the_class_copy(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sample corpus ('s') beside the class's articles would take the numbers the
    # teacher's next articles have, and the class's claims would land on its text.
    import sqlite3

    app, password = served_app(root)
    shown = notices(monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        await signed_in(pilot, password)
        before = sqlite3.connect(app.db_path).execute("SELECT count(*) FROM articles").fetchone()
        await pilot.press("s")
        await until(pilot, lambda: bool(shown))
    assert "adding articles is the teacher's to do" in shown[0]
    after = sqlite3.connect(app.db_path).execute("SELECT count(*) FROM articles").fetchone()
    assert after == before


async def test_five_wrong_sign_ins_end_the_session(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factmark.tui import sign_in as screen

    monkeypatch.setattr(screen, "PAUSE_S", 0)
    app, password = served_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        name, secret = (
            app.screen.query_one("#name", Input),
            app.screen.query_one("#password", Input),
        )
        for _ in range(screen.MAX_TRIES):
            name.value = ""
            name.focus()
            await pilot.press(*"alice", "enter", *"guess", "enter")
            await until(pilot, lambda: app.return_code is not None or secret.has_focus)
    assert app.return_code == 1
    # The next session signs alice in: a classmate's guesses do not lock her out.
    assert roster.sign_in(class_folder.read(root), "alice", password) == "alice"


async def test_typing_straight_on_after_the_name_lands_in_the_password(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fast typist does not wait for the cursor to move: the keys after Enter, sent
    # in one burst as a browser sends them, are the password's.
    from textual import events

    from factmark.tui.library import LibraryScreen

    app, password = served_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        for character in f"alice\r{password}\r":
            key = "enter" if character == "\r" else character
            app.post_message(events.Key(key, character))
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert app.annotator == "alice"
        # The library's header says who reads, and nothing of the server's paths.

        def header() -> str:  # once the library's header is there
            found = app.screen.query("HeaderTitle")
            return str(found.first().render()) if found else ""

        await until(pilot, lambda: "alice" in header())
        assert "alice" in header() and str(root) not in header()


async def test_a_page_left_without_signing_in_ends_its_session(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pages opened and left (or opened by the dozen) do not hold the server's places.
    from factmark.cli.session import sign_in_to
    from factmark.tui import sign_in as screen
    from factmark.tui.sign_in import ServedApp

    monkeypatch.setattr(screen, "SIGN_IN_S", 0.5)
    check, place = sign_in_to(root)
    app = ServedApp(check, place, SAMPLE, ascii_glyphs=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert str(root) not in app.screen.query_one(".hint", Static).render().plain
        await pilot.press(*"ali")
        await until(pilot, lambda: app.return_code is not None, seconds=5)
    assert app.return_code == 1
