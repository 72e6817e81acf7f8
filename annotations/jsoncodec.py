"""JSON in and out of the database file without losing what orjson cannot hold.

orjson is fast but narrower than JSON: it reads integers beyond 64 bits as floats
(or refuses them), and refuses to write documents nested deeper than 254 levels.
A file holding one such document must still open, and saving the other documents
must still write that one back as it was. So :func:`loads` falls back to the
standard library, keeping such numbers as :class:`RawNumber` (their exact text),
and :func:`dumps` falls back to a small encoder with no depth limit.
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson

# A run of 19 or more digits may be outside the 64-bit range orjson reads exactly. It may as well
# be inside a string: then the slower reader is used for nothing worse than speed. Found by mapping
# every digit to "0" and everything else to a space, then a plain substring search (a regular
# expression is ten times slower here, on every load of the file).
_DIGITS_ONLY = bytes((0x30 if 0x30 <= c <= 0x39 else 0x20) for c in range(256))
_LONG_RUN = b"0" * 19


def _has_long_number(raw: bytes) -> bool:
    return _LONG_RUN in raw.translate(_DIGITS_ONLY)

_INT64 = range(-(2**63), 2**64)


class RawNumber:
    """A JSON number kept as the text it was written as (too large for orjson)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RawNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(("RawNumber", self.text))

    def __repr__(self) -> str:
        shown = self.text if len(self.text) <= 24 else f"{self.text[:12]}…({len(self.text)} digits)"
        return f"RawNumber({shown})"

    def __deepcopy__(self, memo: dict) -> "RawNumber":
        return self


def _read_int(text: str) -> int | RawNumber:
    # int() of a very long digit string is slow (and refused past 4,300 digits): only short ones.
    if len(text) <= 20:
        value = int(text)
        if value in _INT64:
            return value
    return RawNumber(text)


def _read_float(text: str) -> float | RawNumber:
    value = float(text)
    return value if math.isfinite(value) else RawNumber(text)


def _refuse_constant(text: str) -> None:
    raise ValueError(f"{text} is not JSON")


#: The standard-library decoder that keeps every number exactly (also used to salvage damaged files).
DECODER = json.JSONDecoder(parse_int=_read_int, parse_float=_read_float, parse_constant=_refuse_constant)


class DecodeError(ValueError):
    """Not valid JSON (or nested too deep to read)."""


def loads(raw: bytes) -> Any:
    """Parse *raw*: with orjson when that is exact, else with the standard library."""
    if not _has_long_number(raw):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass  # maybe a number orjson cannot hold (1e400): the exact reader decides
    try:
        text = raw.decode("utf-8")
        value, end = DECODER.raw_decode(text, _skip_space(text, 0))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise DecodeError(str(exc).split("\n")[0]) from None
    if _skip_space(text, end) != len(text):
        raise DecodeError(f"extra data at character {end}")
    return value


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n\r":
        pos += 1
    return pos


def dumps(value: Any) -> bytes:
    """Encode *value*: with orjson, or, for what orjson refuses, without a depth or size limit."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return _dumps_exactly(value)


def _dumps_exactly(value: Any) -> bytes:
    # An explicit stack instead of recursion: a document nested a thousand deep is still written.
    out: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Literal):
            out.append(item.text)
        elif isinstance(item, dict):
            out.append("{")
            parts: list[Any] = []
            for n, (key, member) in enumerate(item.items()):
                if not isinstance(key, str):
                    raise TypeError(f"a JSON object key must be a string, not {type(key).__name__}")
                parts += [_Literal(("," if n else "") + _string(key) + ":"), member]
            stack.append(_Literal("}"))
            stack.extend(reversed(parts))
        elif isinstance(item, (list, tuple)):
            out.append("[")
            parts = []
            for n, member in enumerate(item):
                if n:
                    parts.append(_Literal(","))
                parts.append(member)
            stack.append(_Literal("]"))
            stack.extend(reversed(parts))
        else:
            out.append(_scalar(item))
    return "".join(out).encode("utf-8")


class _Literal:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _string(text: str) -> str:
    # ASCII escapes keep a lone surrogate (which the standard reader accepts) writable.
    return json.dumps(text, ensure_ascii=True)


def _scalar(item: Any) -> str:
    if isinstance(item, RawNumber):
        return item.text
    if item is None or isinstance(item, bool):
        return {None: "null", True: "true", False: "false"}[item]
    if isinstance(item, str):
        return _string(item)
    if isinstance(item, int):
        return int.__repr__(item)
    if isinstance(item, float):
        if not math.isfinite(item):
            raise ValueError(f"{item} cannot be written as JSON")
        return float.__repr__(item)
    raise TypeError(f"{type(item).__name__} cannot be written as JSON")
