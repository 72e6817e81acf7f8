"""User settings, read from ``config.toml`` in the XDG config dir.

``[keys]`` maps binding ids to keys; ``[labels]`` adds labels to the label
picker (``t``), each with the key that picks it. For example::

    [keys]
    next-word = "w,ctrl+right"
    tag-claim = "C"

    [labels]
    EVIDENCE = "e"
    OPINION = "o"

Every binding in the app has an id; ``?`` lists them with their keys.
"""

from __future__ import annotations

from pathlib import Path


class KeymapError(Exception):
    """The key file cannot be used; the message is one line."""


def config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("annotty")) / "config.toml"


def load_config(path: Path | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """The user's (keys, labels); both empty when there is no config file."""
    path = path or config_path()
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, {}
    except (OSError, UnicodeDecodeError) as exc:
        raise KeymapError(f"{path}: cannot read the config file ({exc})") from None
    import tomllib  # only when there is a file to parse: start-up time counts

    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        reason = " ".join(str(exc).split())
        raise KeymapError(f"{path}: cannot read the config file ({reason})") from None
    return _string_table(data, "keys", path), _string_table(data, "labels", path)


def _string_table(data: dict, name: str, path: Path) -> dict[str, str]:
    table = data.get(name, {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise KeymapError(f"{path}: [{name}] must map names to strings")
    return {str(k): v for k, v in table.items()}


#: Keys whose Textual names are words, shown as they are called on a keyboard.
_KEY_NAMES = {"escape": "esc", "pagedown": "pgdn", "pageup": "pgup", "delete": "del", "insert": "ins"}
#: Keys shown by their name although a symbol exists for them (a comma would read as a separator).
_KEEP_NAME = {"space", "enter", "tab", "backspace", "left", "right", "up", "down", "home", "end", "comma"}


def describe_key(key: str) -> str:
    """One key as it is typed: ``at`` is ``@``, ``shift+right`` stays ``shift+right``."""
    modifiers, _, name = key.strip().rpartition("+")
    if not name:  # "+" itself, or "ctrl++"
        modifiers, name = modifiers.rstrip("+"), "+"
    shown = _KEY_NAMES.get(name, name)
    if name not in _KEY_NAMES and name not in _KEEP_NAME:
        from textual.keys import format_key

        symbol = format_key(name)
        if len(symbol) == 1 and symbol.isprintable() and not symbol.isspace():
            shown = symbol
    return f"{modifiers}+{shown}" if modifiers else shown


def describe_keys(keys: str) -> str:
    """A binding's comma-separated keys, each as it is typed."""
    return ", ".join(describe_key(key) for key in keys.split(",") if key.strip())
