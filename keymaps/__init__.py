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
    """A built-in keymap by name, or a TOML file by path: binding id -> "key1,key2".

    Every problem (missing, a folder, unreadable, not UTF-8, not TOML, `keys` not a
    table, a value that is not a key) is one KeymapError naming the file.
    """
    if str(name_or_path) in builtin_names():
        source = resources.files(__name__).joinpath(f"{name_or_path}.toml")
        label = f"keymap {str(name_or_path)!r}"
    else:
        source = Path(name_or_path)
        label = str(source)
        try:
            is_dir = source.is_dir()
            is_file = source.is_file()
        except OSError as exc:
            raise KeymapError(f"{label}: cannot read ({exc.strerror or exc})") from None
        if is_dir:
            raise KeymapError(f"{label}: is a folder, not a keymap file")
        if not is_file:
            raise KeymapError(f"{label}: no such keymap (built-in: {', '.join(builtin_names())})")
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise KeymapError(f"{label}: cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KeymapError(f"{label}: not UTF-8 text (a keymap is a TOML file)") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KeymapError(f"{label}: not valid TOML ({exc})") from None
    table = data.get("keys", {})
    if not isinstance(table, dict):
        raise KeymapError(
            f'{label}: "keys" must be a table of binding ids, like [keys] then '
            '"reader.verified" = "1"'
        )
    keymap: dict[str, str] = {}
    for binding_id, keys in table.items():
        if isinstance(keys, str):
            keys = [keys]
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise KeymapError(f"{label}: {binding_id!r} needs a key or a list of keys")
        names = [k.strip() for entry in keys for k in entry.split(",")]  # "1,v" is two keys
        if not names or not all(map(_is_key, names)):
            raise KeymapError(f"{label}: {binding_id!r} needs a key or a list of keys")
        keymap[binding_id] = ",".join(names)
    return keymap


def _is_key(key: str) -> bool:
    """A key name ("space", "ctrl+s", "1"): printable, without spaces."""
    return bool(key) and key.isprintable() and not any(c.isspace() for c in key)


def load(
    name_or_path: str | Path,
    contexts: dict[str, dict[str, str]],
    user_file: Path | None = None,
) -> dict[str, str]:
    """The keymap to apply: the named one, then the user's overrides, all checked.

    `contexts` maps each context to its binding ids and their default keys.

    The user's file is optional: when its folder cannot even be looked into (no
    permission, for example a HOME that belongs to someone else), it is skipped and
    factmark starts with the named keymap, rather than not at all. A user file that
    exists but cannot be used is an error like any other keymap's.
    """
    keymap = read(name_or_path)
    validate(keymap, contexts, str(name_or_path))
    if user_file is not None and _exists(user_file):
        keymap.update(read(user_file))
        # A fault the overrides bring is named with their file.
        validate(keymap, contexts, f"{user_file} (over {name_or_path})")
    return keymap


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # its folder cannot be searched: there is no file we could read
        return False


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
