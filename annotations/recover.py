"""``annotty recover PATH``: salvage a damaged database into ``PATH.recovered.json``.

The damaged file is only read. Each document that still parses is kept: the
typical damage is a file cut short, which loses at most the document it was cut
in. Documents that parse but do not fit the schema are kept as they are and
listed (annotty skips them). A database from a newer annotty is refused: a copy
in this version's layout would lose what the newer one wrote.

Temporary files left by an interrupted write are used too when they are regular
files, newer than the database, and parse completely. Their documents must fit
the schema, and a temporary file's annotation replaces the database's only when
it is a later revision of the same annotation on the same article and still
matches that article's text: either it quotes the stored article (whose id is the
sha256 of its text, so it cannot be forged to fit) at its offsets, or, where no
article text is stored, it keeps the database's span and text unchanged. A stray
file cannot swap the real text of an annotation for something else.
"""

from __future__ import annotations

import os
import re
import stat
import sys

from . import jsoncodec, schema
from .article import sanitise_line
from .model import Annotation
from .store import (
    ANNOTATIONS, ARTICLES, KEY_FIELDS, META, READERS, SCHEMA_VERSION, DatabaseError, NewerSchema, Problem,
    check_layout, find_problems, temp_paths, write_atomically,
)

_TABLE_START = re.compile(r'"(' + "|".join(KEY_FIELDS) + r')"\s*:\s*\{')
_DOC_START = re.compile(r'"(\d+)"\s*:\s*\{')

#: Per table, its documents as (TinyDB number, document) in file order.
Tables = dict[str, list[tuple[str, dict]]]


def salvage(raw: bytes) -> tuple[Tables, int]:
    """The documents that still parse in *raw*, per table, and how many annotation documents did not."""
    text = raw.decode("utf-8", errors="replace")
    found: Tables = {}
    lost = 0
    table: str | None = None
    pos = 0
    table_match = _TABLE_START.search(text)
    while True:
        if table_match is not None and table_match.start() < pos:
            table_match = _TABLE_START.search(text, pos)  # the old one was inside a decoded document
        doc_match = _DOC_START.search(text, pos)
        if table_match and (doc_match is None or table_match.start() < doc_match.start()):
            table, pos = table_match.group(1), table_match.end()
            continue
        if doc_match is None:
            return found, lost
        try:
            doc, end = jsoncodec.DECODER.raw_decode(text, doc_match.end() - 1)
        except (ValueError, RecursionError):  # cut short, or nested too deep to read
            lost += table == ANNOTATIONS
            pos = doc_match.end()
            continue
        if table is not None and _whole(table, doc):
            found.setdefault(table, []).append((doc_match.group(1), doc))
        else:
            lost += table == ANNOTATIONS
        pos = end


def _whole(table: str, doc: object) -> bool:
    """Whether *doc* can be a whole document of *table* (a cut can leave a smaller object that still parses)."""
    return isinstance(doc, dict) and all(f in doc for f in KEY_FIELDS[table])


def _read_regular(path: str, *, follow: bool = True) -> tuple[bytes, os.stat_result]:
    """The bytes of *path*, refusing anything but a regular file (a FIFO would block, a device never end)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise DatabaseError(f"{path} is a folder, not a database file")
        if not stat.S_ISREG(st.st_mode):
            raise DatabaseError(f"{path} is not a regular file")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks), st
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot read ({exc.strerror})") from None
    finally:
        os.close(fd)


def _tables(data: dict) -> Tables:
    return {table: list(docs.items()) for table, docs in data.items() if table in KEY_FIELDS}


def _newer_schema(tables: Tables, path: str) -> None:
    for _, doc in tables.get(META, []):
        version = doc.get("value") if doc.get("name") == "schema_version" else None
        if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
            raise NewerSchema(
                f"{path} was written by a newer annotty (schema {version}; this one writes {SCHEMA_VERSION}); "
                "no copy was written: recover it with that version"
            )


class _Merged:
    """The recovered database being built: valid documents by key, and the database's invalid ones as they are."""

    def __init__(self) -> None:
        self.by_key: dict[str, dict[tuple, dict]] = {}
        self.invalid: dict[str, list[dict]] = {}
        self.texts: dict[str, str] = {}  # article id -> text, of articles whose id proves their text

    def learn_articles(self, tables: Tables) -> None:
        for _, doc in tables.get(ARTICLES, []):
            try:
                article = schema.article(doc)
            except schema.Invalid:
                continue
            self.texts[article.id] = article.text

    def add_database(self, tables: Tables) -> None:
        """The database's own documents: all kept; for one annotation in several copies, the highest rev."""
        for table, docs in tables.items():
            for _, doc in docs:
                if not _fits(table, doc):
                    self.invalid.setdefault(table, []).append(doc)
                    continue
                kept = self.by_key.setdefault(table, {})
                key = _key(table, doc)
                old = kept.get(key)
                if table == ANNOTATIONS and old is not None and old.get("rev", 1) > doc.get("rev", 1):
                    continue
                kept[key] = doc

    def add_leftover(self, tables: Tables) -> None:
        """A temporary file's documents: only valid ones, and annotations only under :func:`_may_replace`."""
        for table, docs in tables.items():
            kept = self.by_key.setdefault(table, {})
            for _, doc in docs:
                if not _fits(table, doc):
                    continue
                key = _key(table, doc)
                if table == ANNOTATIONS and not self._may_replace(kept.get(key), doc):
                    continue
                kept[key] = doc

    def _may_replace(self, old: dict | None, new: dict) -> bool:
        if schema.is_tombstone(new):  # a later delete wins; a tombstone is never replaced by an older state
            return old is None or schema.tombstone(new).rev >= (old.get("rev", 1) if isinstance(old.get("rev", 1), int) else 0)
        if old is not None and schema.is_tombstone(old):
            return Annotation.from_doc(new).rev > schema.tombstone(old).rev and self._may_replace(None, new)
        ann = Annotation.from_doc(new)
        text = self.texts.get(ann.article_id)
        anchored = text is not None and text[ann.start:ann.end] == ann.text
        if old is None:
            return text is None or anchored
        before = Annotation.from_doc(old)
        if ann.rev < before.rev or ann.article_id != before.article_id:
            return False
        if text is not None:
            return anchored
        return (ann.start, ann.end, ann.text) == (before.start, before.end, before.text)

    def database(self) -> dict[str, dict[str, dict]]:
        self.by_key[META] = {("schema_version",): {"name": "schema_version", "value": SCHEMA_VERSION}}
        out: dict[str, dict[str, dict]] = {}
        for table in {**self.by_key, **self.invalid}:
            docs = [*self.by_key.get(table, {}).values(), *self.invalid.get(table, [])]
            out[table] = {str(n): doc for n, doc in enumerate(docs, start=1)}
        return out


def _fits(table: str, doc: dict) -> bool:
    try:
        READERS[table](doc)
    except schema.Invalid:
        return False
    return True


def _key(table: str, doc: dict) -> tuple:
    return tuple(doc.get(f) for f in KEY_FIELDS[table])


def run(path: str) -> tuple[str, int, int, list[Problem]]:
    """Write ``PATH.recovered.json``; returns (that path, annotations kept, annotations lost,
    the database's documents that do not fit the schema, kept in the copy as they are)."""
    raw, st = _read_regular(path)
    try:
        data = jsoncodec.loads(raw)
        check_layout(data, path)
        found, lost = _tables(data), 0
    except NewerSchema:
        raise
    except (jsoncodec.DecodeError, DatabaseError):
        found, lost = salvage(raw)
    _newer_schema(found, path)
    merged = _Merged()
    leftovers = _leftovers(path, st.st_mtime_ns)
    for tables in [found, *leftovers]:
        merged.learn_articles(tables)
    merged.add_database(found)
    for tables in leftovers:
        merged.add_leftover(tables)
        lost = 0  # a complete newer copy holds everything the damaged file had
    problems = find_problems({table: dict(docs) for table, docs in found.items()})
    database = merged.database()
    out = unused_output(path)
    try:
        write_atomically(out, jsoncodec.dumps(database))
    except OSError as exc:
        raise DatabaseError(f"cannot write {out} ({exc.strerror or exc})") from None
    return out, len(database.get(ANNOTATIONS, {})), lost, problems


def unused_output(path: str) -> str:
    """``PATH.recovered.json``, or ``PATH.recovered-2.json`` and so on: an earlier copy is never overwritten."""
    out, n = path + ".recovered.json", 1
    while os.path.lexists(out):
        n += 1
        out = f"{path}.recovered-{n}.json"
    return out


def _leftovers(path: str, mtime_ns: int) -> list[Tables]:
    """The complete temporary files newer than the database, oldest first."""
    found = []
    for leftover in temp_paths(path):
        try:
            raw, st = _read_regular(leftover, follow=False)  # a planted link or FIFO is skipped
            if st.st_mtime_ns < mtime_ns:
                continue
            data = jsoncodec.loads(raw)
            check_layout(data, leftover)  # a newer schema's leftover is skipped too
        except (DatabaseError, jsoncodec.DecodeError):
            continue  # a leftover cut short is no better than the salvage
        found.append((st.st_mtime_ns, _tables(data)))
    return [tables for _, tables in sorted(found, key=lambda item: item[0])]


def recover(path: str) -> tuple[str, int, int]:
    """Write ``PATH.recovered.json``; returns (that path, annotations kept, annotations lost)."""
    out, kept, lost, _ = run(path)
    return out, kept, lost


def format_problems(problems: list[Problem]) -> list[str]:
    """The invalid documents as a table, one line each, safe to print."""
    if not problems:
        return []
    noun = "document does" if len(problems) == 1 else "documents do"
    lines = [f"{len(problems)} {noun} not fit the schema (kept in the copy as they are; annotty skips them):"]
    for p in problems:
        lines.append(f"  {p.table:<11} #{p.doc_id:<6} {sanitise_line(p.ident) or '-':<40} {sanitise_line(p.reason)}")
    return lines


def add_arguments(parser) -> None:
    """The arguments of ``annotty recover``."""
    parser.add_argument("db", metavar="DB")


def run_recover(args) -> int:
    """``annotty recover DB``."""
    return main([args.db])


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: annotty recover PATH", file=sys.stderr)
        return 2
    try:
        out, kept, lost, problems = run(args[0])
    except DatabaseError as exc:
        from .cli import fail

        return fail(str(exc))  # exit 2, as every verb's bad input
    print(f"wrote {sanitise_line(out)}: {kept} annotations kept, {lost} lost; "
          f"check it, then move it over {sanitise_line(args[0])}")
    for line in format_problems(problems):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
