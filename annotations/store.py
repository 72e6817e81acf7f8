"""The annotation store: one TinyDB JSON file, safe against crashes and shared by several processes.

Every change is one read-modify-write under an exclusive ``flock`` on ``<db>.lock``:
the newest file is re-read if another process replaced it, the change is applied,
and the whole file is written to a temporary file that atomically replaces the old one.
The file on disk is therefore always a complete, valid database.

All code opens the database through :func:`open_db`.
"""

from __future__ import annotations

import copy
import errno
import fcntl
import glob
import os
import secrets
import stat
import threading
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from .article import Article
from .model import Annotation

#: The layout version this code writes; files with a newer one are refused.
SCHEMA_VERSION = 1

DEFAULT_DB = "annotations.json"

ANNOTATIONS = "annotations"
ARTICLES = "articles"
META = "meta"
CURSORS = "cursors"
REJECTIONS = "rejections"

#: The fields that identify a document in each table (what a put replaces).
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    ANNOTATIONS: ("id",),
    ARTICLES: ("id",),
    META: ("name",),
    CURSORS: ("article_id", "annotator"),
    REJECTIONS: ("article_id", "annotator", "label", "start", "end"),
}


class DatabaseError(Exception):
    """A database file that must not be opened or written; the message is one line."""


def temp_paths(path: str | Path) -> list[str]:
    """Temporary files left next to *path* by writes that never finished."""
    return glob.glob(glob.escape(str(path)) + ".*.tmp")


def parse(raw: bytes, path: str) -> dict[str, dict[str, dict]] | None:
    """Parse and check a database file's bytes; ``None`` for an empty (new) database."""
    if not raw.strip():
        return None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise DatabaseError(
            f"{path} is damaged (not valid JSON); it was left untouched: "
            f"run 'annotty recover {path}' to write a repaired copy"
        ) from None
    check_layout(data, path)
    return data


def check_layout(data: Any, path: str) -> None:
    """Refuse anything that is not a TinyDB layout this version understands."""
    not_ours = f"{path} is not an annotty database (unexpected layout); it was left untouched"
    if not isinstance(data, dict):
        raise DatabaseError(not_ours)
    for table in data.values():
        if not isinstance(table, dict):
            raise DatabaseError(not_ours)
        for doc_id, doc in table.items():
            if not isinstance(doc, dict) or not doc_id.isdigit():
                raise DatabaseError(not_ours)
    for doc in data.get(META, {}).values():
        version = doc.get("value") if doc.get("name") == "schema_version" else None
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise DatabaseError(
                f"{path} was written by a newer annotty (schema {version}; this one reads up to "
                f"{SCHEMA_VERSION}); it was left untouched: upgrade annotty to open it"
            )


def write_atomically(path: str, payload: bytes | list[bytes | memoryview], mode: int | None = None) -> os.stat_result:
    """Write *payload* (bytes, or pieces to concatenate) to a temporary file beside *path*,
    make it durable, then rename it over *path*. Returns the stat of the new file.
    """
    tmp = f"{path}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644 if mode is None else mode)
    try:
        try:
            if mode is not None:
                os.fchmod(fd, mode)  # keep the old file's permissions, whatever the umask
            _write_all(fd, [payload] if isinstance(payload, bytes) else payload)
            os.fsync(fd)
            written = os.fstat(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(os.path.dirname(os.path.abspath(path)))
    return written


def _write_all(fd: int, pieces: list[bytes | memoryview]) -> None:
    # writev hands the pieces to the kernel without first joining them into one big copy.
    for first in range(0, len(pieces), _IOV_MAX):
        group = pieces[first:first + _IOV_MAX]
        done = os.writev(fd, group)
        size = sum(map(len, group))
        if done < size:  # a short write: finish this group the plain way
            rest = memoryview(b"".join(group))[done:]
            while rest:
                rest = rest[os.write(fd, rest):]


def fsync_dir(directory: str) -> None:
    """Make a rename in *directory* durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_IOV_MAX = os.sysconf("SC_IOV_MAX") if "SC_IOV_MAX" in os.sysconf_names else 1024


def _encode_doc(doc_id: str, doc: dict) -> bytes:
    # The leading comma lets a table be written as its fragments back to back (the first one sliced).
    return b',"' + doc_id.encode() + b'":' + orjson.dumps(doc)


class AtomicJSONStorage(Storage):
    """TinyDB storage: orjson, atomic replace, and a parsed copy reused while the file is unchanged.

    Between :meth:`begin` and :meth:`commit` TinyDB's reads and writes go to memory only,
    so a batch of changes costs one file write. Each document's serialised bytes are
    kept, so a write re-encodes only the documents that changed.
    """

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        #: Goes up each time the file is (re)loaded from disk, so callers can drop what they derived from it.
        self.generation = 0
        self._data: dict[str, dict[str, dict]] | None = None
        self._stamp: tuple[int, int, int, int] | None = None
        # Holding the file we last saw open stops its inode number being reused
        # by a later version, which would fool the stat comparison.
        self._pinned: int | None = None
        self._in_batch = False
        self._changed = False
        # Per table: the table dict the fragments were made from, and id -> encoded document.
        self._fragments: dict[str, tuple[dict, dict[str, bytes]]] = {}
        self._dirty: dict[str, set[str]] = {}

    # -- TinyDB's Storage API -------------------------------------------------

    def read(self) -> dict[str, dict[str, dict]] | None:
        if self._in_batch:
            return self._data
        return self.refresh()

    def write(self, data: dict[str, dict[str, dict]]) -> None:
        if data is not self._data:
            self._fragments.clear()
        self._data = data
        if self._in_batch:
            self._changed = True
        else:
            self._save()

    def close(self) -> None:
        self._forget()

    # -- batching and change tracking ------------------------------------------

    def refresh(self) -> dict[str, dict[str, dict]] | None:
        """The current content, re-read only if the file changed since it was last seen."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            if self._stamp is not None or self._data is not None:
                self._forget()
                self.generation += 1
            return None
        except IsADirectoryError:
            raise DatabaseError(f"{self.path} is a folder, not a database file") from None
        except OSError as exc:
            raise DatabaseError(f"{self.path}: cannot read ({exc.strerror})") from None
        try:
            st = os.fstat(fd)
            stamp = (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)
            if stamp == self._stamp:
                os.close(fd)  # the descriptor already held (self._pinned) is the same file
                return self._data
            with os.fdopen(os.dup(fd), "rb") as handle:
                raw = handle.read()
            data = parse(raw, self.path)
        except BaseException:
            os.close(fd)
            raise
        self._forget()
        self._data, self._stamp, self._pinned = data, stamp, fd
        self.generation += 1
        return data

    def begin(self) -> None:
        self.refresh()
        self._in_batch, self._changed = True, False

    def commit(self) -> None:
        """Write what the batch changed, if anything; on failure memory is dropped and the file is kept."""
        self._in_batch = False
        if self._changed:
            self._changed = False
            self._save()

    def abort(self) -> None:
        """Throw away the batch: the next read loads the file as it is on disk."""
        self._in_batch = self._changed = False
        self._forget()
        self.generation += 1

    def mark(self, table: str, doc_id: str) -> None:
        """Note that a document of *table* was (or may have been) changed in place."""
        self._dirty.setdefault(table, set()).add(doc_id)

    def file_mode(self) -> int | None:
        try:
            return stat.S_IMODE(os.stat(self.path).st_mode)
        except FileNotFoundError:
            return None

    def _forget(self) -> None:
        if self._pinned is not None:
            os.close(self._pinned)
        self._data = self._stamp = self._pinned = None
        self._fragments.clear()
        self._dirty.clear()

    def _save(self) -> None:
        data = self._data or {}
        try:
            payload = self._serialise(data)
            written = write_atomically(self.path, payload, self.file_mode())
            pinned = os.open(self.path, os.O_RDONLY)
        except BaseException:
            self._forget()
            self.generation += 1
            raise
        if self._pinned is not None:
            os.close(self._pinned)
        self._pinned = pinned
        self._stamp = (written.st_dev, written.st_ino, written.st_mtime_ns, written.st_size)

    def _serialise(self, data: dict[str, dict[str, dict]]) -> list[bytes | memoryview]:
        pieces: list[bytes | memoryview] = []
        for name, table in data.items():
            fragments = list(self._table_fragments(name, table).values())
            pieces.append((b"{" if not pieces else b",") + orjson.dumps(name) + b":{")
            if fragments:
                pieces.append(memoryview(fragments[0])[1:])
                pieces.extend(fragments[1:])
            pieces.append(b"}")
        for name in set(self._fragments) - set(data):
            del self._fragments[name]
        self._dirty.clear()
        pieces.append(b"}" if pieces else b"{}")
        return pieces

    def _table_fragments(self, name: str, table: dict[str, dict]) -> dict[str, bytes]:
        known = self._fragments.get(name)
        if known is None or known[0] is not table:
            fragments = {doc_id: _encode_doc(doc_id, doc) for doc_id, doc in table.items()}
            self._fragments[name] = (table, fragments)
            return fragments
        fragments = known[1]
        for doc_id in self._dirty.get(name, ()):
            if doc_id in table:
                fragments[doc_id] = _encode_doc(doc_id, table[doc_id])
            else:
                fragments.pop(doc_id, None)
        return fragments


class _TrackedDocs(MutableMapping):
    """The table dict as TinyDB's updaters want it (int ids), reporting each touched document."""

    def __init__(self, raw: dict[str, dict], on_touch: Callable[[str], None]) -> None:
        self._raw = raw
        self._on_touch = on_touch

    def __getitem__(self, doc_id: int) -> dict:
        doc = self._raw[str(doc_id)]
        self._on_touch(str(doc_id))  # TinyDB's update changes the returned document in place
        return doc

    def __setitem__(self, doc_id: int, doc: dict) -> None:
        self._raw[str(doc_id)] = doc
        self._on_touch(str(doc_id))

    def __delitem__(self, doc_id: int) -> None:
        del self._raw[str(doc_id)]
        self._on_touch(str(doc_id))

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self._raw

    def __iter__(self) -> Iterator[int]:
        return (int(doc_id) for doc_id in self._raw)

    def __len__(self) -> int:
        return len(self._raw)


class _TrackedTable(Table):
    """A TinyDB table that changes the stored dict in place instead of copying it twice per change."""

    def _update_table(self, updater: Callable[[dict], None]) -> None:
        storage = self._storage
        assert isinstance(storage, AtomicJSONStorage)
        tables = storage.read()
        if tables is None:
            tables = {}
        raw = tables.setdefault(self.name, {})
        updater(_TrackedDocs(raw, lambda doc_id: storage.mark(self.name, doc_id)))  # type: ignore[arg-type]
        storage.write(tables)
        self.clear_cache()


class _Database(TinyDB):
    table_class = _TrackedTable


@dataclass(frozen=True)
class Op:
    """One change for :meth:`Store.apply`: a document put into (or deleted from) a table.

    Every op replaces the state of one keyed document, so of several ops with the same
    :attr:`key` only the last matters; that is what lets a save queue coalesce them.
    """

    kind: str  # "put" or "delete"
    table: str
    doc: dict

    @property
    def key(self) -> tuple:
        return (self.table, *(self.doc[f] for f in KEY_FIELDS[self.table]))

    @classmethod
    def put(cls, ann: Annotation) -> "Op":
        return cls("put", ANNOTATIONS, ann.to_doc())

    @classmethod
    def delete(cls, ann_id: str) -> "Op":
        return cls("delete", ANNOTATIONS, {"id": ann_id})

    @classmethod
    def put_article(cls, article: Article) -> "Op":
        return cls("put", ARTICLES, {"id": article.id, "source": article.source, "title": article.title, "text": article.text})

    @classmethod
    def cursor(cls, article_id: str, annotator: str, offset: int) -> "Op":
        return cls("put", CURSORS, {"article_id": article_id, "annotator": annotator, "offset": offset})

    @classmethod
    def rejection(cls, article_id: str, annotator: str, label: str, start: int, end: int) -> "Op":
        doc = {"article_id": article_id, "annotator": annotator, "label": label, "start": start, "end": end}
        return cls("put", REJECTIONS, doc)


def coalesce(ops: list[Op]) -> list[Op]:
    """The same changes with every op superseded by a later one on the same document left out."""
    last: dict[tuple, Op] = {}
    for op in ops:
        last.pop(op.key, None)  # re-insert so the survivor keeps its latest position
        last[op.key] = op
    return list(last.values())


class Store:
    """The annotation database. Each changing call is one locked read-modify-write of the file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._storage = AtomicJSONStorage(path)
        self._db = _Database(storage=lambda: self._storage)
        self._mutex = threading.RLock()  # flock does not exclude threads sharing one descriptor
        self._lock_fd: int | None = None
        self._indexes: dict[str, dict[tuple, int]] = {}
        self._indexed_generation = -1
        with self._mutex:
            self._storage.refresh()  # refuses a damaged or foreign file before anything is touched
            self._remove_stale_temp_files()

    # -- changes ----------------------------------------------------------------

    def apply(self, ops: list[Op]) -> None:
        """Apply *ops* in order, in one locked write."""
        with self._locked():
            for op in ops:
                self._apply_one(op)

    def add(self, ann: Annotation) -> None:
        self.apply([Op.put(ann)])

    def update(self, ann: Annotation) -> None:
        """Replace the annotation with the same id (or add it if another process deleted it)."""
        self.apply([Op.put(ann)])

    def delete(self, ann_id: str) -> None:
        self.apply([Op.delete(ann_id)])

    def put_article(self, article: Article) -> None:
        self.apply([Op.put_article(article)])

    def set_cursor(self, article_id: str, annotator: str, offset: int) -> None:
        self.apply([Op.cursor(article_id, annotator, offset)])

    def add_rejection(self, article_id: str, annotator: str, label: str, start: int, end: int) -> None:
        self.apply([Op.rejection(article_id, annotator, label, start, end)])

    # -- queries ------------------------------------------------------------------

    def get(self, ann_id: str) -> Annotation | None:
        doc = self._find(ANNOTATIONS, (ann_id,))
        return None if doc is None else Annotation.from_doc(copy.deepcopy(doc))

    def annotations(self, article_id: str | None = None) -> list[Annotation]:
        """Annotations of one article (or all), sorted by start then end."""
        found = [
            Annotation.from_doc(copy.deepcopy(doc))
            for doc in self._docs(ANNOTATIONS)
            if article_id is None or doc.get("article_id") == article_id
        ]
        return sorted(found, key=lambda ann: (ann.start, ann.end))

    def article(self, article_id: str) -> Article | None:
        doc = self._find(ARTICLES, (article_id,))
        if doc is None:
            return None
        return Article(id=doc["id"], source=doc["source"], title=doc["title"], text=doc["text"])

    def articles(self) -> list[Article]:
        """Every article the database holds, in the order they were added."""
        return [Article(id=doc["id"], source=doc["source"], title=doc["title"], text=doc["text"])
                for doc in self._docs(ARTICLES)]

    def cursor(self, article_id: str, annotator: str) -> int | None:
        doc = self._find(CURSORS, (article_id, annotator))
        return None if doc is None else doc["offset"]

    def rejections(self, article_id: str, annotator: str) -> set[tuple[str, int, int]]:
        return {
            (doc["label"], doc["start"], doc["end"])
            for doc in self._docs(REJECTIONS)
            if doc.get("article_id") == article_id and doc.get("annotator") == annotator
        }

    def schema_version(self) -> int | None:
        doc = self._find(META, ("schema_version",))
        return None if doc is None else doc["value"]

    def close(self) -> None:
        with self._mutex:
            self._db.close()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._mutex:
            if self._lock_fd is None:
                self._lock_fd = os.open(self.path + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            try:
                self._storage.begin()
                try:
                    self._sync_with_file()
                    yield
                    if self._find(META, ("schema_version",)) is None:
                        self._apply_one(Op("put", META, {"name": "schema_version", "value": SCHEMA_VERSION}))
                except BaseException:
                    self._storage.abort()
                    raise
                try:
                    self._storage.commit()
                except BaseException:
                    self._sync_with_file()
                    raise
            finally:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _sync_with_file(self) -> None:
        """After the file was (re)loaded, drop everything TinyDB and this store derived from the old one."""
        if self._indexed_generation == self._storage.generation:
            return
        for table in self._db._tables.values():
            table._next_id = None  # another process may have used the ids we were about to hand out
            table.clear_cache()
        self._indexes.clear()
        self._indexed_generation = self._storage.generation

    def _index(self, table: str) -> dict[tuple, int]:
        index = self._indexes.get(table)
        if index is None:
            fields = KEY_FIELDS[table]
            raw = (self._storage.read() or {}).get(table, {})
            index = {tuple(doc.get(f) for f in fields): int(doc_id) for doc_id, doc in raw.items()}
            self._indexes[table] = index
        return index

    def _docs(self, table: str) -> list[dict]:
        """The stored documents of *table* as they are now (shared: copy before handing out mutable parts)."""
        with self._mutex:
            return list((self._storage.read() or {}).get(table, {}).values())

    def _find(self, table: str, key: tuple) -> dict | None:
        with self._mutex:
            self._storage.read()
            self._sync_with_file()
            doc_id = self._index(table).get(key)
            if doc_id is None:
                return None
            return (self._storage.read() or {}).get(table, {}).get(str(doc_id))

    def _apply_one(self, op: Op) -> None:
        table = self._db.table(op.table)
        index = self._index(op.table)
        key = op.key[1:]
        doc_id = index.get(key)
        if op.kind == "delete":
            if doc_id is not None:
                table.remove(doc_ids=[doc_id])
                del index[key]
        elif op.kind == "put":
            if doc_id is None:
                index[key] = table.insert(op.doc)
            else:
                table.update(op.doc, doc_ids=[doc_id])
        else:
            raise ValueError(f"unknown op kind: {op.kind}")

    def _remove_stale_temp_files(self) -> None:
        """Delete temporary files of writes that crashed; only safe while holding the lock."""
        leftovers = temp_paths(self.path)
        if not leftovers:
            return
        try:
            if self._lock_fd is None:
                self._lock_fd = os.open(self.path + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return  # a read-only place: nothing can be written or removed here anyway
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        try:
            for leftover in temp_paths(self.path):  # again: a writer may have finished meanwhile
                try:
                    os.unlink(leftover)
                except OSError as exc:
                    if exc.errno != errno.ENOENT:
                        break
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)


def open_db(path: str | Path = DEFAULT_DB) -> Store:
    """Open (or start) the database at *path*. Raises :class:`DatabaseError` for a file it must not touch,
    or one it could never write."""
    # Absolute, so the file stays the same one whatever the working directory becomes.
    path = os.path.abspath(path)
    if os.path.isdir(path):
        raise DatabaseError(f"{path} is a folder, not a database file")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise DatabaseError(f"cannot keep a database at {path}: the folder {folder} does not exist")
    return Store(path)
