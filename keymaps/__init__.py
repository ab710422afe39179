"""Key bindings as TOML files: `[keys]` maps binding ids to keys, applied with
`App.set_keymap`.

Standalone (no Textual): a keymap is checked before the app starts, against the
binding ids the app declares per context (library, reader, dialogs), so a typo or a
key bound twice in one place is a clear error, not a silent dead key.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

USER_FILE = "keymap.toml"


class KeymapError(ValueError):
    """A keymap that cannot be used, worded for the person who wrote it."""


def builtin_names() -> list[str]:
    return sorted(
        Path(p.name).stem for p in resources.files(__name__).iterdir() if p.name.endswith(".toml")
    )


def read(name_or_path: str | Path) -> dict[str, str]:
    """A built-in keymap by name, or a TOML file by path: binding id -> "key1,key2"."""
    if str(name_or_path) in builtin_names():
        source = resources.files(__name__).joinpath(f"{name_or_path}.toml")
        label = f"keymap {str(name_or_path)!r}"
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
    for binding_id, keys in data.get("keys", {}).items():
        if isinstance(keys, str):
            keys = [keys]
        if (
            not isinstance(keys, list)
            or not keys
            or not all(isinstance(k, str) and k.strip() for k in keys)
        ):
            raise KeymapError(f"{label}: {binding_id!r} needs a key or a list of keys")
        keymap[binding_id] = ",".join(k.strip() for k in keys)
    return keymap


def load(
    name_or_path: str | Path,
    contexts: dict[str, dict[str, str]],
    user_file: Path | None = None,
) -> dict[str, str]:
    """The keymap to apply: the named one, then the user's overrides, all checked.

    `contexts` maps each context to its binding ids and their default keys.
    """
    keymap = read(name_or_path)
    if user_file is not None and user_file.is_file():
        keymap.update(read(user_file))
    validate(keymap, contexts, str(name_or_path))
    return keymap


def validate(keymap: dict[str, str], contexts: dict[str, dict[str, str]], label: str) -> None:
    """Unknown binding ids, and keys bound to two actions in one context, are errors."""
    known = {binding_id for defaults in contexts.values() for binding_id in defaults}
    for binding_id in keymap:
        if binding_id not in known:
            raise KeymapError(f"{label}: unknown action id {binding_id!r}")
    for context, defaults in contexts.items():
        seen: dict[str, str] = {}
        for binding_id, default_keys in defaults.items():
            for key in keymap.get(binding_id, default_keys).split(","):
                key = key.strip()
                if key in seen and seen[key] != binding_id:
                    raise KeymapError(
                        f"{label}: key {key!r} is bound twice in the {context}: "
                        f"{seen[key]} and {binding_id}"
                    )
                seen[key] = binding_id
