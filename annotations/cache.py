"""A small on-disk cache of what the pipeline found in an article.

One JSON file per (article id, model, model version, suggester version) under
the XDG cache dir. Least recently used entries are pruned so the cache never
grows without bound. A broken entry is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import orjson

#: Entries kept at most, and total bytes kept at most.
MAX_ENTRIES = 500
MAX_BYTES = 256 * 1024 * 1024


def default_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("annotty")) / "analysis"


class AnalysisCache:
    def __init__(self, directory: Path | None = None, *, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES):
        self.directory = Path(directory) if directory is not None else default_dir()
        self.max_entries = max_entries
        self.max_bytes = max_bytes

    def _path(self, *key: str) -> Path:
        digest = hashlib.sha256("\0".join(key).encode()).hexdigest()
        return self.directory / f"{digest}.json"

    def get(self, *key: str) -> dict | None:
        path = self._path(*key)
        try:
            data = orjson.loads(path.read_bytes())
            os.utime(path)  # mark as recently used
        except (OSError, orjson.JSONDecodeError):
            return None
        return data if isinstance(data, dict) and data.get("key") == list(key) else None

    def put(self, value: dict, *key: str) -> None:
        """Store *value*; a cache that cannot be written is silently skipped (it is only a cache)."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(orjson.dumps({**value, "key": list(key)}))
            os.replace(tmp, self._path(*key))
            self.prune()
        except OSError:
            pass

    def prune(self) -> None:
        entries = []
        for path in self.directory.glob("*.json"):
            try:
                st = path.stat()
            except OSError:
                continue
            entries.append((st.st_mtime_ns, st.st_size, path))
        entries.sort(reverse=True)  # newest first
        total = 0
        for index, (_, size, path) in enumerate(entries):
            total += size
            if index >= self.max_entries or total > self.max_bytes:
                path.unlink(missing_ok=True)
