"""Articles in: loading files, standard input and HTML pages, and making their text safe to show.

Every offset in the project (entities, annotations, suggestions) refers to the
*sanitised* text that :func:`load` returns, so sanitising never changes length.
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

#: Files larger than this are refused unless the caller raises the limit.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

#: Suffixes opened when a folder is given.
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")

#: What stands in for a control character; visible, and one code point like the original.
REPLACEMENT = "\ufffd"

# C0 except tab and newline, DEL, C1, the bidi embedding/override/isolate controls, and lone
# surrogates (which no terminal can be sent; only a database read by the standard library holds them).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


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
    return _UNSAFE.sub(REPLACEMENT, text)


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
        raw = sys.stdin.buffer.read(max_bytes + 1)
        name = "<stdin>"
    else:
        p = Path(path)
        name = source
        if not p.exists():
            raise ArticleError(f"{name}: no such file")
        if p.is_dir():
            raise ArticleError(f"{name}: is a folder; give a file, or the folder on its own")
        try:
            size = p.stat().st_size
            if size > max_bytes:
                raise ArticleError(
                    f"{name}: {size:,} bytes is over the limit of {max_bytes:,}; raise it with --max-size"
                )
            raw = p.read_bytes()
        except OSError as exc:
            raise ArticleError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if len(raw) > max_bytes:
        raise ArticleError(f"{name}: over the limit of {max_bytes:,} bytes; raise it with --max-size")
    if not raw.strip():
        raise ArticleError(f"{name}: the file is empty")
    if b"\x00" in raw[:8192] and encoding is None:
        raise ArticleError(f"{name}: looks like a binary file, not an article")
    text = decode(raw, name, encoding)
    if is_html(source, text):
        return _from_html(text, source)
    return Article.from_text(text, source)


def decode(raw: bytes, name: str, encoding: str | None) -> str:
    if raw.startswith(b"\xef\xbb\xbf") and encoding is None:
        raw = raw[3:]
    try:
        return raw.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"{name}: not valid {exc.encoding.upper()} at byte offset {exc.start}; "
            "give the right encoding with --encoding (e.g. --encoding cp1252)"
        ) from None
    except LookupError:
        raise ArticleError(f"unknown encoding: {encoding}") from None


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
    """Expand folders into the articles they hold (sorted), keep files and ``-`` as given."""
    out: list[str] = []
    for given in paths:
        p = Path(given)
        if given != "-" and p.is_dir():
            found = sorted(
                str(child)
                for child in p.rglob("*")
                if child.is_file() and child.suffix.lower() in ARTICLE_SUFFIXES and not child.name.startswith(".")
            )
            if not found:
                raise ArticleError(
                    f"{given}: no articles in this folder (looked for {', '.join(ARTICLE_SUFFIXES)})"
                )
            out.extend(found)
        else:
            out.append(given)
    return out
