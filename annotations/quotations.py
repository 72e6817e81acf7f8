"""Quotations in plain text: pairing quotation marks, with no language model.

One left-to-right pass keeps a stack of open marks. A closing mark closes the
nearest open mark of its own kind; marks that never find a partner are skipped,
so a single stray mark costs one quotation, never the article. At a paragraph
break every open mark is dropped, except the newspaper convention where a quote
left open at the end of a paragraph continues in the next paragraph, which
then opens with the same mark.

Spans exclude the marks. :func:`quotation_at` counts the marks as inside.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache

Span = tuple[int, int]

# Opening mark -> the closing marks that may end it.
_CLOSERS = {
    "“": "”",
    "‘": "’",
    "«": "»",
    "„": "“”",
    "‚": "‘’",
    "‹": "›",
    "”": "”",  # only at the start of a paragraph, where some papers open with it
}
_OPENERS = frozenset(_CLOSERS)
_CLOSING = frozenset("”’»›")
_STRAIGHT = ('"', "'")
#: Every mark that opens or closes a quotation paired here (the backtick, which only opens, aside).
QUOTATION_MARKS = _OPENERS | _CLOSING | frozenset(_STRAIGHT)


@dataclass(frozen=True)
class _Quotation:
    outer_start: int  # the opening mark
    outer_end: int  # just after the closing mark
    start: int
    end: int


@dataclass
class _Index:
    spans: list[Span]
    outer_starts: list[int]
    outer_ends: list[int]
    parents: list[int]


def quotations(text: str) -> list[Span]:
    """Every quotation in *text* as (start, end) of the quoted words, sorted."""
    return list(_index(text).spans)


def quotation_at(text: str, offset: int) -> Span | None:
    """The innermost quotation around *offset* (an offset on a mark counts as inside)."""
    index = _index(text)
    i = bisect.bisect_right(index.outer_starts, offset) - 1
    # Quotations nest, so the one enclosing offset is an ancestor of the last one starting before it.
    while i >= 0 and index.outer_ends[i] <= offset:
        i = index.parents[i]
    return index.spans[i] if i >= 0 else None


@lru_cache(maxsize=8)
def _index(text: str) -> _Index:
    found = sorted(_scan(text), key=lambda q: (q.outer_start, -q.outer_end))
    parents: list[int] = []
    stack: list[int] = []
    for i, q in enumerate(found):
        while stack and found[stack[-1]].outer_end <= q.outer_start:
            stack.pop()
        parents.append(stack[-1] if stack else -1)
        stack.append(i)
    return _Index(
        spans=[(q.start, q.end) for q in found],
        outer_starts=[q.outer_start for q in found],
        outer_ends=[q.outer_end for q in found],
        parents=parents,
    )


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def _scan(text: str) -> list[_Quotation]:
    out: list[_Quotation] = []
    # Each open mark: (mark, offset of the mark, offset where its quotation starts).
    stack: list[tuple[str, int, int]] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == "\n":
            j = i + 1
            while j < n and text[j] in " \t\r\u00a0":
                j += 1
            if j < n and text[j] == "\n":
                i = _paragraph_break(text, j, stack)
                continue
            if stack and text.startswith(stack[0][0], j) and (stack[0][0] in _CLOSERS or stack[0][0] == "\""):
                # One paragraph a line (wire copy): a quote left open at the end of a line that carries on
                # in the next, which opens with the same mark, is one quote, as across a blank line.
                i = j + len(stack[0][0])
                del stack[1:]
                continue
            i += 1
            continue
        if ch not in _CLOSERS and ch not in _CLOSING and ch not in _STRAIGHT and ch != "`":
            i += 1
            continue
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < n else " "
        if ch == "`":
            # ``...'' and `...' (some papers and wire services): a backtick only ever opens.
            mark = "``" if after == "`" else "`"
            following = text[i + len(mark)] if i + len(mark) < n else " "
            if not following.isspace():
                stack.append((mark, i, i + len(mark)))
            i += len(mark)
            continue
        if ch == "'" and _backtick_open(stack) and not before.isspace() and not (_is_word_char(before) and _is_word_char(after)):
            mark = stack[-1][0]
            if mark == "`" or after == "'":
                at, start = stack[-1][1], stack[-1][2]
                del stack[-1]
                out.append(_Quotation(at, i + len(mark), start, i))
                i += len(mark)
                continue
        if ch == "'" and after == "'":
            # ''...'' (two apostrophes for a double mark, as some papers type it): a pair, so that an
            # apostrophe inside ("nine minutes' time") closes nothing.
            following = text[i + 2] if i + 2 < n else " "
            if _straight_open(stack, "''") and not before.isspace():
                _close_straight("''", i, stack, out, width=2)
                i += 2
                continue
            if not _is_word_char(before) and not following.isspace():
                stack.append(("''", i, i + 2))
                i += 2
                continue
        if ch in _STRAIGHT:
            _straight(ch, i, before, after, stack, out)
        elif ch == "”" and (before.isspace() or _opens_a_line(text, i)) and not after.isspace() and not _curly_open(stack):
            # ” used as the opening mark (some papers): a closing mark never follows a space.
            stack.append(("”", i, i + 1))
        elif ch in _CLOSING and _is_apostrophe(ch, before, after, stack):
            pass
        elif ch in _CLOSING or (ch == "“" and _closes_low_mark(stack)):
            _close(ch, i, stack, out)
        elif not after.isspace():  # an opening mark followed by a space opens nothing
            stack.append((ch, i, i + 1))
        i += 1
    return out


def _paragraph_break(text: str, j: int, stack: list[tuple[str, int, int]]) -> int:
    """Skip the blank lines from *j*; keep a quote that carries on into the next paragraph."""
    n = len(text)
    while j < n and text[j] in " \t\r\n\u00a0":
        j += 1
    carried = None
    if stack and j < n:
        mark, at, start = stack[0]
        if text.startswith(mark, j):
            carried = (mark, at, start)
    stack.clear()
    if carried is None:
        return j
    stack.append(carried)
    return j + len(carried[0])  # the repeated opening mark is not a new quotation


def _is_apostrophe(ch: str, before: str, after: str, stack: list[tuple[str, int, int]]) -> bool:
    if ch != "’":
        return False
    if _is_word_char(before) and _is_word_char(after):
        return True  # don’t, it’s
    if before.isspace():
        return True  # ’90s, ’em: a closing mark never follows a space
    # ministers’ (plural possessive) or ’90s: only a closing mark if a single quote is open.
    return not any(mark in "‘‚" for mark, _, _ in stack)


def _closes_low_mark(stack: list[tuple[str, int, int]]) -> bool:
    return any(mark == "„" for mark, _, _ in stack)


def _close(ch: str, i: int, stack: list[tuple[str, int, int]], out: list[_Quotation]) -> None:
    for depth in range(len(stack) - 1, -1, -1):
        mark, at, start = stack[depth]
        if mark in _CLOSERS and ch in _CLOSERS[mark]:
            del stack[depth:]  # opens above it never closed: stray
            out.append(_Quotation(at, i + 1, start, i))
            return
    if ch == "”" and stack and stack[-1][0] == '"':
        # "...”: a straight opening mark closed by a curly one (text typed in two places).
        at, start = stack[-1][1], stack[-1][2]
        del stack[-1]
        out.append(_Quotation(at, i + 1, start, i))
        return
    # A closing mark with nothing to close is stray: skip it.


def _backtick_open(stack: list[tuple[str, int, int]]) -> bool:
    return bool(stack) and stack[-1][0] in ("`", "``")


def _curly_open(stack: list[tuple[str, int, int]]) -> bool:
    return any(mark in ("“", "”") for mark, _, _ in stack)


def _opens_a_line(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] in " \t\u00a0":
        j -= 1
    return j < 0 or text[j] == "\n"


def _straight(
    ch: str, i: int, before: str, after: str, stack: list[tuple[str, int, int]], out: list[_Quotation]
) -> None:
    if ch == '"' and not _straight_open(stack, ch) and stack and stack[-1][0] == "“" and not before.isspace():
        # “...": a curly opening mark closed by a straight one (text typed in two places).
        at, start = stack[-1][1], stack[-1][2]
        del stack[-1]
        out.append(_Quotation(at, i + 1, start, i))
        return
    opens_here = not (before.isalnum() or before in ".,;:!?)]%") and not after.isspace()
    closes_here = not before.isspace()
    if ch == "'" and _is_word_char(before) and (_is_word_char(after) or not _straight_open(stack, "'")):
        return  # an apostrophe: don't, the ministers'
    if ch == "'" and not _straight_open(stack, "'") and not (opens_here and after.isalpha()):
        return
    if _straight_open(stack, ch) and closes_here:
        _close_straight(ch, i, stack, out)
    elif opens_here:
        # An open straight mark followed by another opener was stray; start again here.
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == ch:
                del stack[depth]
                break
        stack.append((ch, i, i + 1))


def _straight_open(stack: list[tuple[str, int, int]], ch: str) -> bool:
    return any(mark == ch for mark, _, _ in stack)


def _close_straight(ch: str, i: int, stack: list[tuple[str, int, int]], out: list[_Quotation], width: int = 1) -> None:
    for depth in range(len(stack) - 1, -1, -1):
        mark, at, start = stack[depth]
        if mark == ch:
            del stack[depth:]
            out.append(_Quotation(at, i + width, start, i))
            return
