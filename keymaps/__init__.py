"""Key bindings as TOML files: `{binding id: "key1,key2"}`, applied with `App.set_keymap`.

Standalone: it knows nothing of the app, so a keymap can be checked before the app
starts, against the binding ids the app declares.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


class KeymapError(ValueError):
    """A keymap that cannot be used, worded for the person who wrote it."""


def builtin_names() -> list[str]:
    return sorted(
        Path(p.name).stem for p in resources.files(__name__).iterdir() if p.name.endswith(".toml")
    )


def load(name_or_path: str, known_ids: Iterable[str]) -> dict[str, str]:
    """Read a built-in keymap by name, or a TOML file by path, and check its binding ids."""
    if name_or_path in builtin_names():
        source = resources.files(__name__).joinpath(f"{name_or_path}.toml")
        label = f"keymap {name_or_path!r}"
    else:
        source = Path(name_or_path)
        label = str(source)
        if not source.is_file():
            raise KeymapError(f"{label}: no such keymap (built-in: {', '.join(builtin_names())})")
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise KeymapError(f"{label}: not valid TOML ({exc})") from None
    keymap: dict[str, str] = {}
    known = set(known_ids)
    for binding_id, keys in data.get("keys", {}).items():
        if binding_id not in known:
            raise KeymapError(f"{label}: unknown action id {binding_id!r}")
        if isinstance(keys, str):
            keys = [keys]
        if not keys or not all(isinstance(k, str) and k.strip() for k in keys):
            raise KeymapError(f"{label}: {binding_id!r} needs a key or a list of keys")
        keymap[binding_id] = ",".join(k.strip() for k in keys)
    return keymap
