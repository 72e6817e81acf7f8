"""Suggested quotes and claims for an article, from its whole-article spaCy doc.

>>> suggestions = suggest(parse(nlp, article.text))

Offsets are code-point offsets into ``doc.text``, which is the article's sanitised text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from .claims import suggest_claims
from .docview import Cancelled, DocView
from .quotes import suggest_quotes
from .suggestion import Suggestion

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

__all__ = ["DEFAULT_THRESHOLD", "SUGGESTER_VERSION", "Suggestion", "suggest"]

#: Bump whenever a rule changes: stored suggestions are cached under this key.
SUGGESTER_VERSION = "8"

#: Suggestions below this confidence are hidden unless asked for.
DEFAULT_THRESHOLD = 0.5

log = logging.getLogger(__name__)


def suggest(
    doc: "Doc", *, include_indirect: bool = True, cancelled: Callable[[], bool] = lambda: False
) -> list[Suggestion]:
    """Every quote and claim suggestion for the article in *doc*, sorted by start.

    *cancelled* is asked between quotes and between sentences; once it says yes the
    work stops and the result is ``[]``, so that half an article's suggestions are
    never taken (and cached) for the whole.
    """
    try:
        view = DocView(doc, cancelled)
        quotes, finder = suggest_quotes(view, include_indirect=include_indirect)
        try:
            claims = suggest_claims(view, quotes, finder)
        except Cancelled:
            raise
        except Exception:  # claims are a bonus; the quotes are still worth showing
            log.exception("claim suggestions failed")
            claims = []
    except Cancelled:
        return []
    return sorted(quotes + claims, key=lambda s: (s.start, s.end, s.label))
