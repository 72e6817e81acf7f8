"""The command palette's "Open ARTICLE" commands, quick with ten thousand articles.

Textual's fuzzy matcher costs tens of microseconds a title (more for long paths: it tries
every way the query's letters fit), which is most of a second per keystroke when every article
is a candidate. The titles are indexed once, lower-cased in one string, and each query picks
at most :data:`CANDIDATES` of them: those holding the typed part in one piece, found with
``str.find`` (in C); only when there are none, those holding its letters in order. Only those
reach the matcher, which scores and highlights them as it does every other command.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from functools import partial

from textual.command import Hit, Hits, Provider

#: Titles handed to the fuzzy matcher per query, at most: more than the palette shows at once.
CANDIDATES = 20
#: Every title starts with the command's name, which a query may start with too.
COMMAND = "Open"


class TitleIndex:
    """The titles, searchable by a typed part of one."""

    def __init__(self, titles: Sequence[str]) -> None:
        self.titles = list(titles)
        lines = [title.lower() for title in self.titles]
        self._lines = lines
        self._letters = [frozenset(line) for line in lines]  # a title lacking a letter is never scanned
        # Every line between two newlines, so a scan for "\n" + pattern starts only at line starts.
        self._text = "\n" + "\n".join(lines) + "\n"
        self._line_starts: list[int] = []
        offset = 1
        for line in lines:
            self._line_starts.append(offset)
            offset += len(line) + 1

    def _line_at(self, offset: int) -> int:
        return bisect.bisect_right(self._line_starts, offset) - 1

    def candidates(self, query: str, limit: int = CANDIDATES) -> list[int]:
        """The indexes of at most *limit* titles worth scoring for *query*, in the titles' order:
        those holding the query's text in one piece (the matcher's best scores), or when none
        does, those holding its letters in order (all the matcher can match at all)."""
        query = query.lower()
        if not query or not self.titles:
            return []
        found: dict[int, None] = {}  # ordered, no repeats
        needle = article_part(query)
        position = self._text.find(needle)
        while position != -1 and len(found) < limit:
            line = self._line_at(position)
            found[line] = None
            next_line = self._line_starts[line + 1] if line + 1 < len(self._line_starts) else len(self._text)
            position = self._text.find(needle, next_line)
        if not found:  # a typo or an abbreviation: the slower scan, only then
            letters = set(query)
            # Each letter at its first place after the one before: possessive, so a title that
            # does not match fails in one pass instead of trying every way.
            in_order = re.compile("".join(f"[^{re.escape(c)}]*+{re.escape(c)}" for c in query))
            for i, title_letters in enumerate(self._letters):
                if letters <= title_letters and in_order.match(self._lines[i]):
                    found[i] = None
                    if len(found) >= limit:
                        break
        return list(found)


class ArticlesProvider(Provider):
    """Open any article of the folder from the palette by typing part of its name."""

    def _articles(self) -> "tuple[TitleIndex, Callable[[int], object]] | None":
        articles = getattr(self.app, "palette_articles", None)
        return articles() if articles is not None else None

    async def startup(self) -> None:
        self._articles()  # the index is built as the palette opens, not on the first key

    async def search(self, query: str) -> Hits:
        found = self._articles()
        if found is None:
            return
        index, open_article = found
        # "open harb" is scored as "harb": the matcher then sees the typed part in one piece
        # (its quick case) rather than trying every way to spread "open " over the path.
        matcher = self.matcher(article_part(query))
        total = len(index.titles)
        for i in index.candidates(query):
            title = index.titles[i]
            if (score := matcher.match(title)) > 0:
                yield Hit(score, matcher.highlight(title), partial(open_article, i), help=f"article {i + 1} of {total}")


def article_part(query: str) -> str:
    """The part of *query* that names an article: "open harb" names the command, then "harb"."""
    rest = query.lower().removeprefix(COMMAND.lower() + " ").strip()
    return rest or query


def article_index(paths: Sequence[str], show: Callable[[str], str]) -> TitleIndex:
    """The index of the palette's titles, one per path, each path shown by *show*."""
    return TitleIndex([f"{COMMAND} {show(path)}" for path in paths])
