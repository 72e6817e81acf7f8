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
