"""User key overrides, read from ``keys.toml`` in the XDG config dir.

The file maps binding ids to keys, for example::

    [keys]
    next-word = "w,ctrl+right"
    tag-claim = "C"

Every binding in the app has an id; ``?`` lists them with their keys.
"""

from __future__ import annotations

import tomllib
from pathlib import Path


class KeymapError(Exception):
    """The key file cannot be used; the message is one line."""


def config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("annotty")) / "keys.toml"


def load_keymap(path: Path | None = None) -> dict[str, str]:
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise KeymapError(f"{path}: cannot read key file ({exc})") from None
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise KeymapError(f"{path}: [keys] must map binding ids to key strings")
    return {str(k): v for k, v in keys.items()}
