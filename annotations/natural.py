"""Natural order: "Report 2" before "Report 10", as people number things, not as characters compare."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """A sort key that compares the runs of digits in *text* as numbers, the rest as characters
    (casefold a title first to sort it without case; a path keeps the order ``sorted`` gives it).

    Text and number parts alternate from the start (``re.split`` with a group), so two keys always
    compare text with text and number with number. A tie (``a01`` and ``a1``) falls back on the text.
    """
    parts = _NUMBER.split(text)
    return (tuple(int(part) if i % 2 else part for i, part in enumerate(parts)), text)
