"""Articles in: loading files, standard input and HTML pages, and making their text safe to show.

Every offset in the project (entities, annotations, suggestions) refers to the
*sanitised* text that :func:`load` returns, so sanitising never changes length.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

#: Files larger than this are refused unless the caller raises the limit.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

#: Suffixes opened when a folder is given.
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")

#: What stands in for a control character; visible, and one code point like the original.
REPLACEMENT = "\ufffd"

# C0 except tab and newline, DEL, C1, the bidi embedding/override/isolate controls, and lone
# surrogates (which no terminal can be sent; only a database read by the standard library holds them).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# The same characters in UTF-8 (surrogates as "surrogatepass" writes them): control bytes, and sequences
# that each begin with their lead byte. Looking for these in the encoded text is several times quicker
# than the character class on the text (a 1 MB article: 5 ms, not 30, before its first paint).
_UNSAFE_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0B, 0x20)) + b"\x7f"
_UNSAFE_SEQUENCES = tuple(re.compile(p) for p in (rb"\xc2[\x80-\x9f]", rb"\xe2\x80[\xaa-\xae]", rb"\xe2\x81[\xa6-\xa9]",
                                                 rb"\xed[\xa0-\xbf]"))


class ArticleError(Exception):
    """An article that cannot be opened; the message is one line, fit to show the user."""

    def __init__(self, message: str) -> None:
        # File names come from folders anyone could have filled: no control characters reach a terminal.
        super().__init__(sanitise_line(message))


@dataclass(frozen=True)
class Article:
    id: str
    source: str
    title: str
    text: str
    #: The id of the version this one corrects, when annotations were carried over from it.
    previous_id: str = ""

    def with_previous(self, previous_id: str) -> "Article":
        return replace(self, previous_id=previous_id)

    @classmethod
    def from_text(cls, text: str, source: str, title: str | None = None) -> "Article":
        clean = sanitise(text)
        return cls(
            id=article_id(clean),
            source=source,
            title=sanitise_line(title) if title else first_line(clean),
            text=clean,
        )


def sanitise(text: str) -> str:
    """Normalise line endings, then replace every unsafe control character one-for-one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub(REPLACEMENT, text) if has_unsafe(text) else text


def has_unsafe(text: str) -> bool:
    """Whether *text* holds a character that sanitise replaces (a carriage return counts)."""
    raw = text.encode("utf-8", "surrogatepass")
    return len(raw.translate(None, _UNSAFE_BYTES)) != len(raw) or any(p.search(raw) for p in _UNSAFE_SEQUENCES)


def replace_controls(text: str) -> str:
    """Replace every unsafe control character (carriage returns too) one-for-one: the length never changes."""
    return _UNSAFE.sub(REPLACEMENT, text)


def sanitise_line(text: str) -> str:
    """Like :func:`sanitise`, for a one-line value such as a title: whitespace runs become a space."""
    return " ".join(sanitise(text).split())


def article_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return sanitise_line(line)
    return ""


def load(
    path: str | Path,
    *,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article:
    """Load one article from a file, or from standard input when *path* is ``-``."""
    source = str(path)
    if source == "-":
        name = "<stdin>"
        raw = read_bounded(sys.stdin.buffer, name, max_bytes)
    else:
        name = source
        raw = read_file(Path(path), name, max_bytes)
    if not raw.strip():
        raise ArticleError(f"{name}: the file is empty")
    refuse_known_binary(raw, name)
    text = decode(raw, name, encoding)
    if not text.strip():
        raise ArticleError(f"{name}: the file is empty")
    if is_html(source, text):
        return _from_html(text, source)
    return Article.from_text(text, source)


#: Bytes read at a time, so a stream is never read in one unbounded go and a large limit costs no memory up front.
_CHUNK = 1024 * 1024


def read_file(path: Path, name: str, max_bytes: int) -> bytes:
    """The bytes of a regular file or a pipe (``<(...)``), at most *max_bytes*; anything else is refused.

    Devices are refused before they are opened (opening one can have effects of its own,
    and /dev/zero never ends); a pipe has no size, so only the bounded read stops it.
    """
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise ArticleError(f"{name}: no such file") from None
    except OSError as exc:
        raise ArticleError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ArticleError(f"{name}: is a folder; give a file, or the folder on its own")
    refuse_special(info.st_mode, name)
    refuse_oversize(info, name, max_bytes)
    try:
        with open(path, "rb", buffering=0) as stream:
            # What was opened may not be what was looked at: check the open file itself too.
            opened = os.fstat(stream.fileno())
            refuse_special(opened.st_mode, name)
            refuse_oversize(opened, name, max_bytes)
            return read_bounded(stream, name, max_bytes)
    except OSError as exc:
        raise ArticleError(f"{name}: cannot read ({exc.strerror or exc})") from None


#: What a path is when it is neither a file nor a pipe, for refusals.
_SPECIAL_KINDS = {stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


def refuse_special(mode: int, name: str) -> None:
    if stat.S_ISREG(mode) or stat.S_ISFIFO(mode):
        return
    kind = _SPECIAL_KINDS.get(stat.S_IFMT(mode), "not a regular file")
    raise ArticleError(f"{name}: is {kind}, not an article; give a file, or pipe the text in with -")


def refuse_oversize(info: os.stat_result, name: str, max_bytes: int) -> None:
    if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
        raise ArticleError(
            f"{name}: {info.st_size:,} bytes is over the limit of {max_bytes:,}; raise it with --max-size"
        )


def read_bounded(stream: BinaryIO, name: str, max_bytes: int) -> bytes:
    """Read until the end, or fail once more than *max_bytes* have come: a stream can be endless."""
    chunks: list[bytes] = []
    total = 0
    while total <= max_bytes:
        chunk = stream.read(min(_CHUNK, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
    raise ArticleError(f"{name}: over the limit of {max_bytes:,} bytes; raise it with --max-size")


#: What annotty reads, said in every message about a file it cannot read.
_READS = "annotty reads .txt, .md and .html"

#: Leading bytes of formats people try to open as articles, and what to tell them.
_BINARY_FORMATS = (
    (b"%PDF-", f"looks like a PDF; {_READS}; extract the text first, e.g. with pdftotext"),
    (b"PK\x03\x04", f"looks like a ZIP archive (a .docx, .odt or .epub is one); {_READS}; save it as text first"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     f"looks like an old Office file (.doc, .xls); {_READS}; save it as text first"),
    (b"\x1f\x8b", "looks like a gzip-compressed file; decompress it first, e.g. with gunzip"),
    (b"\x89PNG\r\n\x1a\n", f"looks like a PNG image; {_READS}"),
    (b"\xff\xd8\xff", f"looks like a JPEG image; {_READS}"),
    (b"GIF87a", f"looks like a GIF image; {_READS}"),
    (b"GIF89a", f"looks like a GIF image; {_READS}"),
)


def refuse_known_binary(raw: bytes, name: str) -> None:
    """Name the format of a file that is plainly not text, whatever encoding was asked for."""
    for magic, message in _BINARY_FORMATS:
        if raw.startswith(magic):
            raise ArticleError(f"{name}: {message}")


#: Byte-order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: How much of the start of a file is looked at to tell text from binary.
_SNIFF = 8192


def decode(raw: bytes, name: str, encoding: str | None) -> str:
    """Decode with the given encoding; without one, with the file's byte-order mark, else as UTF-8."""
    if encoding is None:
        encoding = next((codec for bom, codec in _BOMS if raw.startswith(bom)), None)
        if encoding is None:
            refuse_nul_bytes(raw[:_SNIFF], name)
    try:
        return raw.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"{name}: not valid {exc.encoding.upper()} at byte offset {exc.start}; "
            "give the right encoding with --encoding (e.g. --encoding cp1252)"
        ) from None
    except LookupError:
        raise ArticleError(f"unknown encoding: {encoding}") from None


def refuse_nul_bytes(head: bytes, name: str) -> None:
    """Text has no NUL bytes, except UTF-16 without a byte-order mark; say how to open either."""
    nuls = head.count(0)
    if not nuls:
        return
    even, odd = head[0::2].count(0), head[1::2].count(0)
    # Mostly-ASCII UTF-16 has a NUL in every other byte, and on one side only.
    if nuls >= len(head) // 4 and max(odd, even) > 0.9 * nuls:
        order = "le" if odd > even else "be"
        raise ArticleError(
            f"{name}: looks like UTF-16 without a byte-order mark; open it with --encoding utf-16-{order}"
        )
    raise ArticleError(
        f"{name}: looks like a binary file (it has NUL bytes); if it is text, "
        "open it with --encoding utf-8, which shows each NUL as a replacement mark"
    )


def is_html(source: str, text: str) -> bool:
    if source.lower().endswith((".html", ".htm")):
        return True
    head = text.lstrip()[:512].lower()
    return head.startswith("<!doctype html") or head.startswith("<html")


def _from_html(html: str, source: str) -> Article:
    # Imported here: trafilatura pulls in lxml and friends, which plain-text users never need.
    import trafilatura

    body = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not body or not body.strip():
        raise ArticleError(f"{source}: found no article text in this HTML page")
    title = html_title(html)
    if title is None:
        meta = trafilatura.extract_metadata(html)
        title = meta.title if meta is not None and meta.title else None
    # trafilatura separates paragraphs with single newlines; the view and the
    # paragraph motions expect a blank line between paragraphs.
    body = "\n\n".join(line.strip() for line in body.split("\n") if line.strip())
    return Article.from_text(body, source, title)


_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


def html_title(html: str) -> str | None:
    """The page's own <title>, unescaped, if it has a non-empty one."""
    import html as entities

    match = _TITLE.search(html)
    if match is None:
        return None
    return " ".join(entities.unescape(match.group(1)).split()) or None


def article_paths(paths: list[str]) -> list[str]:
    """Expand folders into the articles they hold (in natural order: 2 before 10), keep files and ``-`` as given."""
    from .natural import natural_key

    out: list[str] = []
    for given in paths:
        p = Path(given)
        if given != "-" and p.is_dir():
            found = sorted(_article_files(str(p)), key=natural_key)
            if not found:
                raise ArticleError(
                    f"{given}: no articles in this folder (looked for {', '.join(ARTICLE_SUFFIXES)})"
                )
            out.extend(found)
        else:
            out.append(given)
    return out


def _article_files(folder: str):
    """Every article file under *folder* (not into symlinked folders), as ``Path.rglob`` would find them.

    With ``os.scandir`` a file's kind comes with its name, so a folder of 10,000 articles costs
    no stat per file (rglob and is_file took 1.4 s for one on a loaded machine).
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _article_files(entry.path)
            elif (not entry.name.startswith(".") and os.path.splitext(entry.name)[1].lower() in ARTICLE_SUFFIXES
                  and entry.is_file()):
                yield entry.path
        except OSError:
            continue
