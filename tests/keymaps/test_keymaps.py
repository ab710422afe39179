"""Keymaps: built-ins are valid, bad files are refused before the app starts, and the
app obeys the active keys."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from factmark.keymaps import KeymapError, builtin_names, load
from factmark.store import verdicts
from factmark.store.database import Store
from factmark.tui.app import FactmarkApp
from factmark.tui.bindings import binding_contexts
from factmark.tui.reader import ReaderScreen
from tests.e2e.terminal import Terminal
from tests.helpers import FACTMARK, SAMPLE, factmark, without_root_override


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_keymaps_are_valid(name: str) -> None:
    keymap = load(name, binding_contexts())
    known = {i for ids in binding_contexts().values() for i in ids}
    assert keymap and set(keymap) <= known


def test_default_keymap_is_the_apps_own_keys() -> None:
    """keymaps/default.toml names every action a keymap can change, with the keys the
    app binds it to: the file people copy to make their own says what the app does."""
    bound = {i: keys for ids in binding_contexts().values() for i, keys in ids.items()}
    assert load("default", binding_contexts()) == bound


@pytest.mark.parametrize(
    "text, message",
    [
        ('[keys]\n"reader.explode" = "x"\n', "unknown action id 'reader.explode'"),
        ("[keys\n", "not valid TOML"),
        ('[keys]\n"reader.back" = []\n', "needs a key"),
        ('[keys]\n"reader.dismiss" = "n"\n', "key 'n' is bound twice in the reader"),
    ],
)
def test_bad_keymap_files_are_refused_with_a_clear_message(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(KeymapError, match=message):
        load(str(path), binding_contexts())


def test_user_overrides_apply_on_top_of_the_named_keymap(tmp_path: Path) -> None:
    user = tmp_path / "keymap.toml"
    user.write_text('[keys]\n"reader.dismiss" = "k"\n')
    keymap = load("default", binding_contexts(), user)
    assert keymap["reader.dismiss"] == "k" and keymap["reader.verified"] == "1,v"


def test_cli_refuses_a_bad_keymap_before_the_app_starts(tmp_path: Path) -> None:
    """A bad keymap or theme is a setting that cannot be used: one line naming where it
    was set (the option, the variable, config.toml), exit 2, as every setting."""
    result = factmark("--keymap", str(tmp_path / "nope.toml"))
    assert result.returncode == 2
    assert result.stderr.decode().startswith("factmark: option --keymap: ")
    assert "no such keymap" in result.stderr.decode()
    bad = tmp_path / "bad.toml"
    bad.write_text('[keys]\n"reader.undo" = "v"\n')
    result = factmark("--keymap", str(bad))
    assert result.returncode == 2 and "bound twice" in result.stderr.decode()
    config = tmp_path / "config.toml"
    config.write_text('theme = "nope"\n')
    result = factmark("open", env={"FACTMARK_CONFIG": str(config)})
    assert result.returncode == 2
    assert f"{config}: unknown theme 'nope'" in result.stderr.decode()


def test_a_fault_in_the_users_overrides_names_their_file(tmp_path: Path) -> None:
    user = tmp_path / "keymap.toml"
    user.write_text('[keys]\n"reader.explode" = "k"\n')
    with pytest.raises(KeymapError, match=f"^{user} \\(over default\\): unknown action id"):
        load("default", binding_contexts(), user)


async def _press_and_check(db_path: Path, keymap: str, keys: list[str], verdict: str) -> None:
    factmark("import", str(SAMPLE), "--db", str(db_path))
    app = FactmarkApp(db_path, "tester", SAMPLE, keymap=load(keymap, binding_contexts()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press(*keys)
        claim = app.screen.model.claim(1).id
    with Store.open(db_path, readonly=True) as store:
        assert verdicts.current(store, claim, "tester")["verdict"] == verdict


async def test_vim_keymap_moves_with_j_and_undoes_with_u(db_path: Path) -> None:
    await _press_and_check(db_path, "vim", ["j", "2", "u", "k", "j", "3"], "unsourced")


async def test_simple_keymap_moves_with_arrows(db_path: Path) -> None:
    await _press_and_check(db_path, "simple", ["right", "2"], "disputed")


async def test_default_keymap_keys(db_path: Path) -> None:
    await _press_and_check(db_path, "default", ["n", "u"], "unsourced")


# --- problems with the files themselves: one line naming the file, never a traceback ---


@pytest.mark.parametrize(
    "content, message",
    [
        (b'keys = "x"\n', '"keys" must be a table of binding ids'),
        (b'[keys]\n"reader.verified" = "\xff"\n', "not UTF-8 text"),
        (b"\xff\xfe[\x00k\x00e\x00y\x00s\x00]\x00", "not UTF-8 text"),
        (b'[keys]\n"reader.verified" = "\\u001b]0;x\\u0007"\n', "needs a key"),
    ],
    ids=["keys-not-a-table", "bad-bytes", "utf16", "control-characters"],
)
def test_a_keymap_file_that_cannot_be_used_is_one_line_naming_it(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "mine.toml"
    path.write_bytes(content)
    with pytest.raises(KeymapError, match=message) as refused:
        load(str(path), binding_contexts())
    assert str(path) in str(refused.value) and "\n" not in str(refused.value)


def test_a_folder_given_as_a_keymap_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(KeymapError, match="is a folder, not a keymap file"):
        load(str(tmp_path), binding_contexts())


def test_an_unreadable_keymap_file_is_one_line(tmp_path: Path) -> None:
    keymap = tmp_path / "locked.toml"
    keymap.write_text('[keys]\n"reader.verified" = "1"\n')
    keymap.chmod(0)
    result = subprocess.run(
        without_root_override(FACTMARK, "--db", str(tmp_path / "f.db"), "--keymap", str(keymap)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"factmark: option --keymap: {keymap}: cannot read (Permission denied)"
    ]


def test_an_unreadable_config_folder_does_not_keep_factmark_from_starting(
    tmp_path: Path,
) -> None:
    """The user's keymap.toml is optional: a config folder factmark may not look into
    (say, a HOME of someone else's) is skipped, and the app starts with its keys."""
    config = tmp_path / "config"
    (config / "factmark").mkdir(parents=True)
    (config / "factmark" / "keymap.toml").write_text('[keys]\n"reader.verified" = "k"\n')
    (config / "factmark").chmod(0)
    if os.geteuid() == 0:  # someone else's: one's own unreadable config is an error
        os.chown(config / "factmark", 65534, 65534)
    db = tmp_path / "f.db"
    factmark("import", str(SAMPLE), "--db", str(db))
    env = {"TERM": "xterm-256color", "PATH": os.environ["PATH"], "LANG": "C.UTF-8"}
    env.update(XDG_CONFIG_HOME=str(config), HOME=str(tmp_path), FACTMARK_ANNOTATOR="k")
    terminal = Terminal(without_root_override(FACTMARK, "--db", str(db)), env)
    try:
        terminal.wait_for(lambda s: "sorted by" in s)
        terminal.keys("Enter")
        terminal.wait_for(lambda s: "why" in s)
        terminal.keys("1")  # the default key, since the override could not be read
        terminal.wait_for(lambda s: "1/17 decided" in s)
    finally:
        terminal.close()
        (config / "factmark").chmod(0o755)
