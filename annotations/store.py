"""The annotation store: one TinyDB JSON file, safe against crashes and shared by several processes.

Every change is one read-modify-write under an exclusive ``flock`` on ``<db>.lock``:
the newest file is re-read if another process replaced it, the change is applied,
and the whole file is written to a temporary file that atomically replaces the old one.
The file on disk is therefore always a complete, valid database.

All code opens the database through :func:`open_db`.

Several people may share one file, so no change overwrites a colleague's silently:

- Every annotation op carries the revision it was based on. ``Op.put(ann)`` creates
  (refused if the id exists, live or deleted); ``Op.put(ann, base_rev=N)`` edits rev N;
  ``Op.delete(ann_id, base_rev=N, by=name)`` leaves a tombstone ``{id, article_id,
  deleted: true, deleted_by, deleted_at, rev: N+1}``; ``Op.restore(ann, base_rev=T)``
  brings back an annotation whose tombstone is at rev T (an undo of its delete).
  The stored rev always goes up (``Op.rev``). Cursor, rejection and article ops are
  last-writer-wins.
- ``Store.apply(ops) -> {ann_id: rev}`` is all or nothing: if any annotation op finds
  another state than its base, nothing of the call is written and :class:`Conflict`
  (a :class:`DatabaseError`) lists each such op with what the file holds now
  (``ConflictItem(op, theirs)``, theirs an ``Annotation``, a ``Tombstone`` or ``None``).
  The same op applied again (a retried save) is no conflict.
- ``created_by`` / ``created`` are taken from the stored document on every edit.
- Tombstones are hidden from :meth:`Store.annotations`, :meth:`Store.get`, counts and
  exports; :meth:`Store.tombstones` lists them.
- :meth:`Store.poll` returns an :class:`~annotations.changes.ExternalChange` naming what
  other processes changed since the last poll (never this process's writes), or ``None``;
  while the file is unchanged it costs one ``stat``.
- Schema 2: the first write to an older file copies it to ``<db>.v1.bak`` (or the next
  free ``<db>.v1-N.bak``) before anything is written; version-1 files read as they are.
"""

from __future__ import annotations

import errno
import fcntl
import gc
import glob
import os
import secrets
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from . import jsoncodec, schema
from .article import Article, sanitise_line
from .changes import ExternalChange, Fingerprint, compare, cursor_key, fingerprint, mark, rejection_key
from .model import Annotation, Tombstone, now

#: The layout version this code writes; files with a newer one are refused.
SCHEMA_VERSION = 2

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

    def __init__(self, message: str) -> None:
        # Messages carry file names, which may hold anything: no control character reaches a terminal.
        super().__init__(sanitise_line(message))


class NewerSchema(DatabaseError):
    """A database written by a newer annotty: nothing here may write it, not even a repaired copy."""


class FolderChanged(DatabaseError):
    """The database's folder is no longer the one opened (replaced, or something mounted over it).

    Writing would put changes into another database, so nothing is written; retrying cannot help.
    """


#: What a path is when it is not a regular file, for refusals.
_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def check_regular(st: os.stat_result, path: str, what: str = "a database file") -> None:
    """Refuse anything but a regular file: a FIFO blocks, a device streams for ever, neither can be replaced."""
    if not stat.S_ISREG(st.st_mode):
        raise DatabaseError(f"{path} is {_KINDS.get(stat.S_IFMT(st.st_mode), 'not a regular file')}, not {what}")


def open_regular(path: str) -> int:
    """A read-only descriptor on the regular file *path*; :class:`DatabaseError` for anything else."""
    # Look before opening: opening a device can have effects, and a FIFO without a writer blocks.
    check_regular(os.stat(path), path)
    # O_NONBLOCK: even a FIFO swapped in after the look cannot hang the open; the fstat then refuses it.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    try:
        check_regular(os.fstat(fd), path)
    except BaseException:
        os.close(fd)
        raise
    return fd


def temp_paths(path: str | Path) -> list[str]:
    """Temporary files left next to *path* by writes that never finished."""
    return glob.glob(glob.escape(str(path)) + ".*.tmp")


@contextmanager
def no_collection() -> Iterator[None]:
    """Keep the cyclic garbage collector out of a parse: JSON makes no cycles, and each of its runs
    walks every dict made so far, which took about half the time of opening a big file."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse(raw: bytes, path: str) -> dict[str, dict[str, dict]] | None:
    """Parse and check a database file's bytes; ``None`` for an empty (new) database."""
    if not raw.strip():
        return None
    try:
        data = jsoncodec.loads(raw)
    except jsoncodec.DecodeError:
        raise DatabaseError(damaged_message(path)) from None
    check_layout(data, path)
    return data


def damaged_message(path: str) -> str:
    return (f"{path} is damaged (not valid JSON); it was left untouched: "
            f"run 'annotty recover {path}' to write a repaired copy")


#: The last character of a JSON text: an object, array or string closed, a number, true, false or null.
_JSON_ENDINGS = {bytes([c]) for c in b'}]"0123456789el'}


def check_layout(data: Any, path: str) -> None:
    """Refuse anything that is not a TinyDB layout this version understands."""
    not_ours = f"{path} is not an annotty database (unexpected layout); it was left untouched"
    if not isinstance(data, dict):
        raise DatabaseError(not_ours)
    for table in data.values():
        if not isinstance(table, dict):
            raise DatabaseError(not_ours)
        for doc_id, doc in table.items():
            # TinyDB ids are ints: ASCII digits only ("²".isdigit() is true), and short enough to convert.
            if not isinstance(doc, dict) or not (doc_id.isascii() and doc_id.isdigit() and len(doc_id) <= 18):
                raise DatabaseError(not_ours)
    for doc in data.get(META, {}).values():
        if doc.get("name") != "schema_version":
            continue
        version = doc.get("value")
        if not isinstance(version, int) or isinstance(version, bool):
            raise DatabaseError(f"{path} is not an annotty database (schema version {schema.describe(version)}); "
                                "it was left untouched")
        if version > SCHEMA_VERSION:
            raise NewerSchema(
                f"{path} was written by a newer annotty (schema {version}; this one reads up to "
                f"{SCHEMA_VERSION}); it was left untouched: upgrade annotty to open it"
            )


def write_atomically(
    path: str, payload: bytes | list[bytes | memoryview], like: os.stat_result | None = None
) -> os.stat_result:
    """Write *payload* (bytes, or pieces to concatenate) to a temporary file beside *path*,
    make it durable, then rename it over *path*. Returns the stat of the new file.

    A new file gets the permissions the umask leaves, like any file the user creates (a team
    folder with umask 002 stays group-writable). A rewrite keeps the permissions and the group
    of *like*, the file it replaces (and its owner, when run as root), so the next writer of a
    shared folder can still write it.
    """
    tmp = f"{path}.{secrets.token_hex(6)}.tmp"
    # O_EXCL and O_NOFOLLOW: never write into something planted under the temporary name.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    try:
        try:
            if like is not None:
                _take_owner_and_mode(fd, like)
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


def _take_owner_and_mode(fd: int, like: os.stat_result) -> None:
    uid = like.st_uid if os.geteuid() == 0 else -1  # only root may give a file away
    new = os.fstat(fd)
    if like.st_gid != new.st_gid or uid not in (-1, new.st_uid):
        try:
            os.fchown(fd, uid, like.st_gid)
        except PermissionError:
            pass  # not a member of the old group: the file keeps the one the folder gave it
    # After the chown, which may clear bits. Set-id bits are never wanted on a data file.
    os.fchmod(fd, stat.S_IMODE(like.st_mode) & 0o777)


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
    # jsoncodec writes back what orjson cannot (very deep nesting, numbers beyond 64 bits) as it was
    # read, so one odd document never stops the others being saved.
    return b',"' + doc_id.encode() + b'":' + jsoncodec.dumps(doc)


class Problem(NamedTuple):
    """A document that does not fit the schema: skipped by every query, kept in the file as it is."""

    table: str
    doc_id: str  # the TinyDB document number
    ident: str  # the document's own id (or key), made safe to show
    reason: str


#: How each table's documents are checked and read (see ``schema``).
READERS: dict[str, Callable[[dict], Any]] = {
    ANNOTATIONS: schema.annotation_or_tombstone,
    ARTICLES: schema.article,
    CURSORS: schema.cursor,
    REJECTIONS: schema.rejection,
    META: schema.meta,
}


# ---- corpus progress (annotations/corpus.py) ---------------------------------------
# Per annotator and article: "done" (present while the article is marked done) and "opened"
# (when it was last opened, for resuming a corpus). A new table, so no schema version change:
# an older annotty keeps a table it does not know and never reads it.
PROGRESS = "progress"
KEY_FIELDS[PROGRESS] = ("kind", "article_id", "annotator")
READERS[PROGRESS] = schema.progress
# ---- end of corpus progress ----------------------------------------------------------


def find_problems(tables: dict[str, dict[str, dict]]) -> list[Problem]:
    """Every document of *tables* that the store would skip, and why."""
    lengths = article_lengths(tables.get(ARTICLES, {}).values())
    problems = []
    for table, docs in tables.items():
        read = READERS.get(table)
        if read is None:
            continue  # a table this version does not know: kept, never read
        for doc_id, doc in list(docs.items()):
            try:
                if table == ANNOTATIONS:
                    article = doc.get("article_id")
                    schema.annotation_or_tombstone(doc, length=lengths.get(article) if isinstance(article, str) else None)
                else:
                    read(doc)
            except schema.Invalid as exc:
                problems.append(Problem(table, doc_id, _ident(table, doc), str(exc)))
    return problems


def article_lengths(docs: Iterable[dict]) -> dict[str, int]:
    """Text length per article id, of the article documents that are valid."""
    lengths = {}
    for doc in list(docs):
        try:
            article = schema.article(doc)
        except schema.Invalid:
            continue
        lengths[article.id] = len(article.text)
    return lengths


def _ident(table: str, doc: dict) -> str:
    fields = ("name",) if table == META else ("id",) if table in (ANNOTATIONS, ARTICLES) else ("article_id", "annotator")
    shown = []
    for name in fields:
        value = doc.get(name)
        text = value if isinstance(value, str) else schema.describe(value)
        text = sanitise_line(text)
        shown.append(text if len(text) <= 40 else text[:39] + "…")
    return "/".join(shown)


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
        #: Called with the new content each time the file is (re)loaded from disk (not after own writes).
        self.on_load: Callable[[dict[str, dict[str, dict]] | None], None] | None = None
        #: When set, every read of the file waits for it (Store.hold_reading).
        self.may_read: threading.Event | None = None

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
        if self.may_read is not None:
            self.may_read.wait()
        try:
            fd = open_regular(self.path)
        except FileNotFoundError:
            if self._stamp is not None or self._data is not None:
                self._forget()
                self.generation += 1
                if self.on_load is not None:
                    self.on_load(None)
            return None
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
            with no_collection():
                data = parse(raw, self.path)
        except BaseException:
            os.close(fd)
            raise
        self._forget()
        self._data, self._stamp, self._pinned = data, stamp, fd
        self.generation += 1
        if self.on_load is not None:
            with no_collection():  # the fingerprint makes a small record per annotation
                self.on_load(data)
        return data

    def unchanged(self) -> bool:
        """Whether the file is still the one last read or written (one stat, no read)."""
        try:
            st = os.stat(self.path)
        except OSError:
            return self._stamp is None
        return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size) == self._stamp

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

    def file_stat(self) -> os.stat_result | None:
        """The file a write will replace, if it is a regular file (its mode and group are kept)."""
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            return None
        return st if stat.S_ISREG(st.st_mode) else None

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
            written = write_atomically(self.path, payload, self.file_stat())
            pinned = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
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
            pieces.append((b"{" if not pieces else b",") + jsoncodec.dumps(name) + b":{")
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

    An annotation op also says what it expects to find (:attr:`base_rev`): ``None``, an
    id that is not in the file at all; otherwise the live annotation at that rev (or,
    with :attr:`base_deleted`, the tombstone at that rev). Any other state is a conflict.
    Cursor, rejection and article ops are last-writer-wins.
    """

    kind: str  # "put" or "delete"
    table: str
    doc: dict
    base_rev: int | None = None
    base_deleted: bool = False

    @property
    def key(self) -> tuple:
        return (self.table, *(self.doc[f] for f in KEY_FIELDS[self.table]))

    @property
    def rev(self) -> int:
        """The revision an annotation op writes: always above the one it is based on."""
        return max(_int_rev(self.doc.get("rev")), (self.base_rev or 0) + 1)

    @classmethod
    def put(cls, ann: Annotation, base_rev: int | None = None) -> "Op":
        """Create *ann* (``base_rev=None``: refused if its id exists, live or deleted), or
        write it over the revision *base_rev* (refused unless that is the live one stored)."""
        return cls("put", ANNOTATIONS, ann.to_doc(), base_rev)

    @classmethod
    def restore(cls, ann: Annotation, base_rev: int) -> "Op":
        """Bring back an annotation whose tombstone is at *base_rev* (an undo of its delete)."""
        return cls("put", ANNOTATIONS, ann.to_doc(), base_rev, True)

    @classmethod
    def delete(cls, ann_id: str, *, base_rev: int | None, by: str, article_id: str | None = None) -> "Op":
        """Delete the annotation at *base_rev*: it becomes a tombstone at the next rev.

        ``base_rev=None`` is an annotation never saved (created and deleted before a save, as
        coalescing makes it): its tombstone is written if *article_id* says where it belongs.
        """
        doc = {"id": ann_id, "deleted": True, "deleted_by": by, "deleted_at": now(), "rev": (base_rev or 0) + 1}
        if article_id is not None:
            doc["article_id"] = article_id
        return cls("delete", ANNOTATIONS, doc, base_rev)

    @classmethod
    def put_article(cls, article: Article) -> "Op":
        doc = {"id": article.id, "source": article.source, "title": article.title, "text": article.text}
        if article.previous_id:
            doc["previous_id"] = article.previous_id
        return cls("put", ARTICLES, doc)

    @classmethod
    def cursor(cls, article_id: str, annotator: str, offset: int) -> "Op":
        return cls("put", CURSORS, {"article_id": article_id, "annotator": annotator, "offset": offset})

    @classmethod
    def rejection(cls, article_id: str, annotator: str, label: str, start: int, end: int) -> "Op":
        doc = {"article_id": article_id, "annotator": annotator, "label": label, "start": start, "end": end}
        return cls("put", REJECTIONS, doc)

    @classmethod
    def delete_rejection(cls, article_id: str, annotator: str, label: str, start: int, end: int) -> "Op":
        """Take a rejection back (undo of a reject): the suggestion is offered again."""
        doc = {"article_id": article_id, "annotator": annotator, "label": label, "start": start, "end": end}
        return cls("delete", REJECTIONS, doc)

    # ---- corpus progress ops (annotations/corpus.py) -------------------------------

    @classmethod
    def mark_done(cls, article_id: str, annotator: str, source: str, at: str) -> "Op":
        doc = {"kind": "done", "article_id": article_id, "annotator": annotator, "source": source, "at": at}
        return cls("put", PROGRESS, doc)

    @classmethod
    def mark_not_done(cls, article_id: str, annotator: str) -> "Op":
        return cls("delete", PROGRESS, {"kind": "done", "article_id": article_id, "annotator": annotator})

    @classmethod
    def opened(cls, article_id: str, annotator: str, source: str, at: str) -> "Op":
        """The article the annotator has open now: a corpus resumes at the newest one."""
        doc = {"kind": "opened", "article_id": article_id, "annotator": annotator, "source": source, "at": at}
        return cls("put", PROGRESS, doc)


def _int_rev(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def coalesce(ops: list[Op]) -> list[Op]:
    """The same changes with every op superseded by a later one on the same document left out.

    The survivor keeps what the first op of its document expected to find, so a create
    followed by edits is still a create, and edits in a row are one edit of the first base.
    """
    last: dict[tuple, Op] = {}
    for op in ops:
        first = last.pop(op.key, None)  # re-insert so the survivor keeps its latest position
        if first is not None and op.table == ANNOTATIONS:
            op = replace(op, base_rev=first.base_rev, base_deleted=first.base_deleted)
        last[op.key] = op
    return list(last.values())


class ConflictItem(NamedTuple):
    """One refused op and what the file holds for its annotation now (``None``: nothing, or unreadable)."""

    op: Op
    theirs: Annotation | Tombstone | None


class Conflict(DatabaseError):
    """Changes based on a revision that is no longer the stored one: nothing of the call was written."""

    def __init__(self, items: list[ConflictItem]) -> None:
        self.items = tuple(items)
        noun = "change is" if len(items) == 1 else "changes are"
        super().__init__(f"{len(items)} {noun} based on an older revision than the one saved by someone else")


class Store:
    """The annotation database. Each changing call is one locked read-modify-write of the file."""

    def __init__(self, path: str, *, read: bool = True) -> None:
        """The store of the database at *path*, read and checked now, or with ``read=False`` only looked
        at (a regular file this process may read) and read by :meth:`read_file` or the first query."""
        self.path = path
        # Every write goes to the folder opened here: a folder replaced, or something mounted
        # over it, later holds another database, which must not receive this one's changes.
        self._folder = os.path.dirname(path)
        self._folder_id = _identity(os.stat(self._folder))
        self._storage = AtomicJSONStorage(path)
        self._db = _Database(storage=lambda: self._storage)
        self._mutex = threading.RLock()  # flock does not exclude threads sharing one descriptor
        self._lock_fd: int | None = None
        self._indexes: dict[str, dict[tuple, int]] = {}
        self._indexed_generation = -1
        # What the file held when last read or written (_seen), and when poll() last reported
        # (_polled); both take in this process's own writes, so those are never reported.
        self._seen: Fingerprint | None = None
        self._polled: Fingerprint | None = None
        self._storage.on_load = self._loaded
        self._written: list[dict] = []  # the annotation documents the current write puts in
        #: Why changes cannot be saved to this file (one line), or ``None`` when they can.
        self.read_only: str | None = self._read_only_reason()
        #: Whether the file has been read and checked (by :meth:`read_file`, or whatever query came first).
        self.is_read = False
        if read:
            self.read_file()
        else:
            self._look_at_file()

    def read_file(self) -> None:
        """Read and check the file, if that has not been done; raises :class:`DatabaseError` for a file
        that must not be touched (damaged, foreign, newer), which then stays as it is.

        Safe from any thread: a query or a save that comes first waits for it, or reads it itself.
        """
        with self._mutex:
            self._storage.refresh()  # refuses a damaged or foreign file before anything is touched
            if self._seen is None:  # no file yet
                self._seen = self._polled = fingerprint(None)
            if not self.is_read:
                self.read_only = self._read_only_reason()
                self._remove_stale_temp_files()
                self.is_read = True

    def hold_reading(self) -> Callable[[], None]:
        """Make every read of the file (any query, any save) wait until the call returned is made.

        A parse holds the interpreter in one call for its whole length: the app holds it back until
        its first frame is on the terminal, whichever thread asks first.
        """
        gate = threading.Event()
        self._storage.may_read = gate
        return gate.set

    def _look_at_file(self) -> None:
        """What can be refused without reading the whole file: not a regular file, not readable, or
        cut short (JSON ends in one of a few characters; a file cut in the middle seldom does)."""
        try:
            fd = open_regular(self.path)
        except FileNotFoundError:
            return  # a new database
        except OSError as exc:
            raise DatabaseError(f"{self.path}: cannot read ({exc.strerror})") from None
        try:
            size = os.fstat(fd).st_size
            tail = os.pread(fd, 64, max(0, size - 64)).rstrip(b" \t\r\n")
        except OSError as exc:
            raise DatabaseError(f"{self.path}: cannot read ({exc.strerror})") from None
        finally:
            os.close(fd)
        if tail and tail[-1:] not in _JSON_ENDINGS:
            raise DatabaseError(damaged_message(self.path))

    # -- changes ----------------------------------------------------------------

    def apply(self, ops: list[Op]) -> dict[str, int]:
        """Apply *ops* in order, in one locked write; returns the rev now stored for each annotation id.

        All or nothing: if any annotation op finds another state than it was based on,
        nothing is written and :class:`Conflict` lists every such op with what the file holds.
        An op whose result the file already holds (a save retried after it reached the disk)
        is taken as applied.
        """
        with self._locked():
            plan = self._plan(ops)
            revs: dict[str, int] = {}
            for op, doc in plan:
                if op.table == ANNOTATIONS:
                    revs[op.doc["id"]] = op.rev
                    if doc is not None:
                        self._put_annotation(doc)
                else:
                    self._apply_one(op)
            self._written = [doc for _, doc in plan if doc is not None]
        return revs

    def add(self, ann: Annotation) -> None:
        self.apply([Op.put(ann)])

    def update(self, ann: Annotation, *, base_rev: int | None = None) -> None:
        """Write *ann* over the stored revision *base_rev* (by default the one it was edited from)."""
        self.apply([Op.put(ann, base_rev=ann.rev - 1 if base_rev is None else base_rev)])

    def delete(self, ann_id: str, *, base_rev: int, by: str) -> None:
        self.apply([Op.delete(ann_id, base_rev=base_rev, by=by)])

    def put_article(self, article: Article) -> None:
        self.apply([Op.put_article(article)])

    def set_cursor(self, article_id: str, annotator: str, offset: int) -> None:
        self.apply([Op.cursor(article_id, annotator, offset)])

    def add_rejection(self, article_id: str, annotator: str, label: str, start: int, end: int) -> None:
        self.apply([Op.rejection(article_id, annotator, label, start, end)])

    # -- other processes' changes ---------------------------------------------------

    def poll(self) -> ExternalChange | None:
        """What other processes changed since the last poll, or ``None``.

        While the file is unchanged this costs one ``stat`` and reads nothing. Changes
        this process wrote are never reported. If a save holds the store just now, the
        answer waits for the next poll (``None`` now) rather than block the caller.
        """
        if self._storage.unchanged() and self._polled is self._seen:
            return None
        if not self._mutex.acquire(blocking=False):
            return None
        try:
            self._storage.read()
            if self._seen is None or self._polled is None:
                return None
            found = compare(self._polled, self._seen)
            self._polled = self._seen
            return found
        finally:
            self._mutex.release()

    def _loaded(self, data: dict[str, dict[str, dict]] | None) -> None:
        # Called by the storage, under the mutex, each time it reads the file from disk.
        self._seen = fingerprint(data)
        if self._polled is None:
            self._polled = self._seen

    def _remember_own(self, docs: list[dict]) -> None:
        """Take this process's own write into both fingerprints, so poll() never reports it."""
        tables = self._storage.read() or {}
        for prints in {id(p): p for p in (self._seen, self._polled) if p is not None}.values():
            for doc in docs:
                prints.annotations[doc["id"]] = mark(doc)
            prints.cursors = {cursor_key(d): d.get("offset") for d in tables.get(CURSORS, {}).values()}
            prints.rejections = {rejection_key(d) for d in tables.get(REJECTIONS, {}).values()}
            prints.articles = {d.get("id") for d in tables.get(ARTICLES, {}).values()}

    # -- queries ------------------------------------------------------------------

    # Every query hands out documents through ``schema``: checked, sanitised, and copied (the
    # schema builds new values), so nothing raw from the file reaches the caller. Invalid
    # documents are skipped here and listed by :meth:`problems`. Tombstones are not annotations:
    # only :meth:`tombstones` hands them out.

    def get(self, ann_id: str) -> Annotation | None:
        found = self._find_valid(ANNOTATIONS, (ann_id,))
        return found if isinstance(found, Annotation) else None

    def annotations(self, article_id: str | None = None, *, length: int | None = None) -> list[Annotation]:
        """Annotations of one article (or all), sorted by start then end.

        *length* is the article's text length, when the caller knows it: annotations that
        do not fit inside it are skipped. Otherwise the stored article, if any, decides.
        """
        docs = self._docs(ANNOTATIONS)
        if article_id is None:
            lengths = article_lengths(self._docs(ARTICLES))
        else:
            docs = [doc for doc in docs if doc.get("article_id") == article_id]
            if length is None and docs:
                stored = self.article(article_id)
                length = None if stored is None else len(stored.text)
            lengths = {article_id: length} if length is not None else {}
        found = []
        for doc in docs:
            if doc.get("deleted") is True:  # a tombstone (schema.is_tombstone, inline: this runs per document)
                continue
            article = doc.get("article_id")
            ann = _read(schema.annotation, doc, length=lengths.get(article) if isinstance(article, str) else None)
            if ann is not None:
                found.append(ann)
        return sorted(found, key=lambda ann: (ann.start, ann.end))

    def tombstones(self, article_id: str | None = None) -> list[Tombstone]:
        """What is left of deleted annotations (of one article, or all), for merging and auditing."""
        found = []
        for doc in self._docs(ANNOTATIONS):
            if schema.is_tombstone(doc) and (article_id is None or doc.get("article_id") == article_id):
                tomb = _read(schema.tombstone, doc)
                if tomb is not None:
                    found.append(tomb)
        return found

    def article(self, article_id: str) -> Article | None:
        return self._find_valid(ARTICLES, (article_id,))

    def articles(self, *, source: str | None = None) -> list[Article]:
        """Every valid article the database holds (or those read from *source*), in the order they were added."""
        # The source is compared before a document is checked: checking hashes the whole text.
        docs = (doc for doc in self._docs(ARTICLES) if source is None or doc.get("source") == source)
        found = (_read(READERS[ARTICLES], doc) for doc in docs)
        return [article for article in found if article is not None]

    def cursor(self, article_id: str, annotator: str) -> int | None:
        return self._find_valid(CURSORS, (article_id, annotator))

    def rejections(self, article_id: str, annotator: str) -> set[tuple[str, int, int]]:
        found = set()
        for doc in self._docs(REJECTIONS):
            if doc.get("article_id") == article_id and doc.get("annotator") == annotator:
                rejected = _read(schema.rejection, doc)
                if rejected is not None:
                    found.add(rejected)
        return found

    def progress(self) -> list[schema.Progress]:
        """Every valid corpus progress document (done marks and last opened articles), all annotators."""
        found = (_read(schema.progress, doc) for doc in self._docs(PROGRESS))
        return [record for record in found if record is not None]

    def problems(self) -> list[Problem]:
        """The documents every query skips because they do not fit the schema (they stay in the file)."""
        with self._mutex:
            tables = {name: dict(docs) for name, docs in (self._storage.read() or {}).items()}
        return find_problems(tables)

    def schema_version(self) -> int | None:
        doc = self._find(META, ("schema_version",))
        return None if doc is None else doc["value"]  # checked on every load (check_layout)

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
            if not self.is_read:
                self.read_file()  # refuses a damaged or foreign file before even its lock is made
            # Before the lock is opened: it would be created in a replaced folder too.
            self._check_folder()
            self.read_only = self._read_only_reason()
            if self.read_only:
                raise DatabaseError(self.read_only)
            if self._lock_fd is None:
                self._lock_fd = self._open_lock()
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            try:
                self._storage.begin()
                self._written = []
                try:
                    self._sync_with_file()
                    yield
                    self._upgrade_schema()
                except Conflict:
                    self._storage.commit()  # nothing was changed: there is nothing to write or forget
                    raise
                except BaseException:
                    self._storage.abort()
                    raise
                try:
                    self._check_folder()  # again, right before the write: the batch may have taken a while
                    self._storage.commit()
                except BaseException:
                    self._sync_with_file()
                    raise
                self._remember_own(self._written)
            finally:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _upgrade_schema(self) -> None:
        """Mark the file as this version's; a file of an older one is first copied aside, once."""
        doc = self._find(META, ("schema_version",))
        if doc is not None and doc.get("value") == SCHEMA_VERSION:
            return
        like = self._storage.file_stat()
        if like is not None and like.st_size > 0:
            old = doc.get("value") if doc is not None else 1
            back_up(self.path, f"v{old}", like)
        self._apply_one(Op("put", META, {"name": "schema_version", "value": SCHEMA_VERSION}))

    def _plan(self, ops: list[Op]) -> list[tuple[Op, dict | None]]:
        """Each op with the annotation document it writes (``None``: nothing to write); raises
        :class:`Conflict`, before anything is changed, if any op's base is not what the file holds."""
        index = self._index(ANNOTATIONS)
        stored = (self._storage.read() or {}).get(ANNOTATIONS, {})
        now_held: dict[str, dict | None] = {}  # the state after the ops before, within this call
        plan: list[tuple[Op, dict | None]] = []
        conflicts: list[ConflictItem] = []
        for op in ops:
            if op.table != ANNOTATIONS:
                plan.append((op, None))
                continue
            ident = op.doc["id"]
            if ident in now_held:
                current = now_held[ident]
            else:
                doc_id = index.get((ident,))
                current = None if doc_id is None else stored.get(str(doc_id))
            target = self._target(op, current)
            if target is _REFUSED:
                conflicts.append(ConflictItem(op, None if current is None else _read(READERS[ANNOTATIONS], current)))
                continue
            if target is not None:
                now_held[ident] = target
            plan.append((op, target))
        if conflicts:
            raise Conflict(conflicts)
        return plan

    @staticmethod
    def _target(op: Op, current: dict | None) -> Any:
        """The document *op* writes over *current*: ``None`` for nothing to write, ``_REFUSED`` for a conflict."""
        deleting = op.kind == "delete"
        if current is not None:
            state = (_int_rev(current.get("rev", 1)), schema.is_tombstone(current))
            if state == (op.rev, deleting) and _same_content(current, op.doc):
                return None  # already there: a retried save (the same op: a colleague's delete is not)
        else:
            state = None
        if op.base_rev is None:
            if state is not None:
                return _REFUSED
        elif state != (op.base_rev, op.base_deleted):
            return _REFUSED
        if deleting:
            tomb = dict(op.doc, rev=op.rev)
            if "article_id" not in tomb:
                tomb["article_id"] = current.get("article_id") if current is not None else None
            # One created and deleted before it was saved still leaves a tombstone (a redo may
            # restore it); without an article to file it under there is nothing to write.
            return tomb if isinstance(tomb["article_id"], str) else None
        doc = dict(op.doc, rev=op.rev)
        if current is not None and not op.base_deleted:
            # Who created an annotation, and when, is set once: no edit can change it.
            for name in ("created_by", "created"):
                if name in current:
                    doc[name] = current[name]
                elif name == "created_by" and "annotator" in current:
                    doc[name] = current["annotator"]  # a version-1 document: its annotator made it
        return doc

    def _put_annotation(self, doc: dict) -> None:
        """Store *doc* whole in place of the annotation with its id (or add it)."""
        table = self._db.table(ANNOTATIONS)
        index = self._index(ANNOTATIONS)
        key = (doc["id"],)
        doc_id = index.get(key)
        if doc_id is None:
            index[key] = table.insert(doc)
        else:
            table._update_table(lambda docs: docs.__setitem__(doc_id, doc))

    def _check_folder(self) -> None:
        try:
            now = _identity(os.stat(self._folder))
        except OSError:
            now = None
        if now != self._folder_id:
            raise FolderChanged(
                f"not saving to {self.path}: its folder was replaced or something was mounted over it "
                "since annotty opened it (restart annotty to use the new one)"
            )

    def _read_only_reason(self) -> str | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None  # no file yet (or none to look at): the write itself will tell
        me = os.geteuid()
        if me == 0 or st.st_uid == me:
            # Root may write anything and an owner may chmod anything: what counts is the bit
            # the owner cleared to say "leave this file alone".
            if not st.st_mode & stat.S_IWUSR:
                return f"read-only database {self.path} (chmod u+w to save)"
            return None
        if not os.access(self.path, os.W_OK, effective_ids=os.access in os.supports_effective_ids):
            return f"read-only database {self.path}: you have no write permission on it"
        return None

    def _open_lock(self) -> int:
        lock = self.path + ".lock"
        try:
            # O_NOFOLLOW: the lock's name is not the user's choice, so a symlink found there was
            # planted; following it would create (or lock) a file somewhere else. Read-only is
            # enough for flock, so a lock file another user created without g+w still serves.
            fd = os.open(lock, os.O_RDONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY, 0o666)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise DatabaseError(f"{lock} is a symbolic link; not saving through it (remove it to save)") from None
            raise
        try:
            check_regular(os.fstat(fd), lock, "a lock file")
        except BaseException:
            os.close(fd)
            raise
        return fd

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
            index = {}
            for doc_id, doc in raw.items():
                key = tuple(doc.get(f) for f in fields)
                try:
                    index[key] = int(doc_id)
                except TypeError:  # a list or object where a key field belongs: no change can name it
                    pass
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

    def _find_valid(self, table: str, key: tuple) -> Any:
        """The document of *table* with *key*, read through the schema; ``None`` if none is valid."""
        doc = self._find(table, key)
        if doc is None:
            return None
        found = _read(READERS[table], doc)
        if found is None:  # an invalid copy may hide a valid one with the same key: look (rare, so slow is fine)
            fields = KEY_FIELDS[table]
            for other in self._docs(table):
                if other is not doc and tuple(other.get(f) for f in fields) == key:
                    found = _read(READERS[table], other)
                    if found is not None:
                        break
        return found

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
                self._lock_fd = self._open_lock()
        except (OSError, DatabaseError):
            return  # a read-only place or a planted lock: the first save will say why
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


#: What Store._target returns for an op that conflicts.
_REFUSED = object()


def _same_content(stored: dict, doc: dict) -> bool:
    return all(stored.get(name) == value for name, value in doc.items() if name not in ("created", "created_by", "rev"))


def back_up(path: str, version: str, like: os.stat_result) -> str:
    """Copy *path* to ``PATH.<version>.bak`` (or ``PATH.<version>-1.bak``, ... : an existing copy is
    never replaced), durably, with the file's permissions; returns the copy's name."""
    fd_in = open_regular(path)
    try:
        with os.fdopen(os.dup(fd_in), "rb") as handle:
            raw = handle.read()
    finally:
        os.close(fd_in)
    n = 0
    while True:
        name = f"{path}.{version}.bak" if n == 0 else f"{path}.{version}-{n}.bak"
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
        except FileExistsError:
            n += 1
            continue
        break
    try:
        try:
            _take_owner_and_mode(fd, like)
            _write_all(fd, [raw])
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        os.unlink(name)
        raise
    fsync_dir(os.path.dirname(os.path.abspath(path)))
    return name


def _identity(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


def _read(read: Callable[..., Any], doc: dict, **context: Any) -> Any:
    """What *read* makes of *doc*, or ``None`` for a document that does not fit the schema."""
    try:
        return read(doc, **context)
    except schema.Invalid:
        return None


def open_db(path: str | Path = DEFAULT_DB, *, read: bool = True) -> Store:
    """Open (or start) the database at *path*. Raises :class:`DatabaseError` for a file it must not touch,
    or one it could never write. With ``read=False`` only the checks that need no reading are made now
    (see :meth:`Store.read_file`)."""
    # Absolute, so the file stays the same one whatever the working directory becomes; and with
    # symbolic links resolved once, so saves replace the link's target and the link stays a link.
    path = os.path.realpath(path)
    if os.path.isdir(path):
        raise DatabaseError(f"{path} is a folder, not a database file")
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        raise DatabaseError(f"cannot keep a database at {path}: the folder {folder} does not exist")
    return Store(path, read=read)
