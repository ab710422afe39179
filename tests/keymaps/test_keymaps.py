"""Keymaps: built-ins are valid, bad files are refused before the app starts, and the
app obeys the active keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from factmark.keymaps import KeymapError, builtin_names, load
from factmark.store import verdicts
from factmark.store.database import Store
from factmark.tui.app import FactmarkApp, binding_contexts
from factmark.tui.reader import ReaderScreen
from tests.helpers import SAMPLE, factmark


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_keymaps_are_valid(name: str) -> None:
    keymap = load(name, binding_contexts())
    known = {i for ids in binding_contexts().values() for i in ids}
    assert keymap and set(keymap) <= known


def test_default_keymap_names_every_action() -> None:
    known = {i for ids in binding_contexts().values() for i in ids}
    named = set(load("default", binding_contexts()))
    assert {i for i in known if i.startswith(("reader.", "library.", "app."))} <= named


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
    result = factmark("--keymap", str(tmp_path / "nope.toml"))
    assert result.returncode == 1
    assert "no such keymap" in result.stderr.decode()
    bad = tmp_path / "bad.toml"
    bad.write_text('[keys]\n"reader.undo" = "v"\n')
    result = factmark("--keymap", str(bad))
    assert result.returncode == 1 and "bound twice" in result.stderr.decode()


async def _press_and_check(db_path: Path, keymap: str, keys: list[str], verdict: str) -> None:
    factmark("import", str(SAMPLE), "--db", str(db_path))
    app = FactmarkApp(db_path, "tester", SAMPLE, keymap=load(keymap, binding_contexts()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press(*keys)
        claim = app.screen.claims[1]["id"]
    with Store.open(db_path, readonly=True) as store:
        assert verdicts.current(store, claim, "tester")["verdict"] == verdict


async def test_vim_keymap_moves_with_j_and_undoes_with_u(db_path: Path) -> None:
    await _press_and_check(db_path, "vim", ["j", "2", "u", "k", "j", "3"], "unsourced")


async def test_simple_keymap_moves_with_arrows(db_path: Path) -> None:
    await _press_and_check(db_path, "simple", ["right", "2"], "disputed")


async def test_default_keymap_keys(db_path: Path) -> None:
    await _press_and_check(db_path, "default", ["n", "u"], "unsourced")
