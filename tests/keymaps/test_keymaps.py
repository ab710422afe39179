"""Keymap files: loaded, checked before the app starts, and applied to the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from factmark.keymaps import KeymapError, builtin_names, load
from factmark.tui.app import FactmarkApp, binding_ids
from factmark.tui.reader import ReaderScreen
from tests.helpers import SAMPLE, factmark


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_keymaps_name_only_real_actions(name: str) -> None:
    keymap = load(name, binding_ids())
    assert keymap and set(keymap) <= binding_ids()


@pytest.mark.parametrize(
    "text, message",
    [
        ('[keys]\n"reader.explode" = "x"\n', "unknown action id 'reader.explode'"),
        ("[keys\n", "not valid TOML"),
        ('[keys]\n"reader.back" = []\n', "needs a key"),
    ],
)
def test_bad_keymap_files_are_refused_with_a_clear_message(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(KeymapError, match=message):
        load(str(path), binding_ids())


def test_cli_refuses_a_bad_keymap_before_the_app_starts(tmp_path: Path) -> None:
    result = factmark("--keymap", str(tmp_path / "nope.toml"))
    assert result.returncode == 1
    assert "no such keymap" in result.stderr.decode()


async def test_a_user_keymap_rebinds_keys_in_the_app(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[keys]\n"library.open" = "o"\n"reader.back" = "b"\n')
    factmark("import", str(SAMPLE), "--db", str(db_path))
    app = FactmarkApp(db_path, "tester", SAMPLE, keymap=load(str(path), binding_ids()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("b")
        assert not isinstance(app.screen, ReaderScreen)
