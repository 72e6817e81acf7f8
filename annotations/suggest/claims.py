"""Claim suggestions: clauses scored for how much a fact-checker would want to check them."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..model import CLAIM
from .bodies import BODY_NOUNS, org_name
from .cues import CUE_VERBS, PRONOUNS
from .docview import DocView, headline_end as _headline_end
from .quotes import subject_of
from .suggestion import Suggestion
from .transcripts import Turns

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span, Token

    from .quotes import QuoteFinder

#: Verbs that give a claim's source: the reporting verbs, what reports and surveys do, and what a court
#: or an inquiry is told ("the jury heard").
_CLAIM_CUES = CUE_VERBS | {"find", "show", "hear"}

#: Every clause starts here; the features below move it up or down.
BASE_SCORE = 0.2

_QUANTITIES = ("CARDINAL", "MONEY", "PERCENT", "QUANTITY")
_STATISTICS = ("MONEY", "PERCENT")
_AMOUNTS = ("MONEY", "PERCENT", "QUANTITY")
_DURATIONS = frozenset("second minute hour day week month year decade century".split())
_NAMED = ("PERSON", "ORG", "GPE", "NORP", "LAW", "FAC", "EVENT", "LOC", "PRODUCT")
_CHANGE_LEMMAS = frozenset(
    """
    rise fall increase decrease double triple halve grow drop cut climb decline jump soar plunge
    more less fewer than record highest lowest most least compare compared overtake exceed
    """.split()
)
_MODALS = frozenset({"will", "would", "could", "may", "might", "shall", "should", "must", "ought", "can"})
_OBLIGATION = frozenset({"should", "must", "ought"})
_OPINION_WORDS = frozenset(
    """
    think believe feel hope wish fear love hate terrible wonderful awful great shameful disgraceful
    outrageous ridiculous unacceptable brilliant fantastic absurd disgusting appalling scandal
    scandalous romantic mad regret proud
    """.split()
)
_FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our"})
#: Nouns that make their clause a proposal, not a fact: "The proposal is to cut the wards to 28".
_PROPOSAL_NOUNS = frozenset("suggestion proposal idea recommendation plan call demand plea request motion".split())
#: Verbs that put what follows as a proposal, a demand or a promise, not a fact: "recommends that 40
#: nurses be hired", "has promised to hire 40 more officers".
_PROPOSING = frozenset("propose recommend urge demand want request promise pledge vow intend".split())
#: A clause after these words is a question put, not a fact stated: "asked whether the buses had come".
_QUESTION_MARKS = re.compile(r"\b(?:whether|if)\s*$", re.IGNORECASE)
#: Clauses shorter than this carry no checkable fact.
_MIN_WORDS = 4
_WORD = re.compile(r"\w+")
#: The place (in capitals) a story was filed from, with its date and wire if given, before a dash:
#: "VELDRA, May 12 — ", "KALDER, Jan. 9 (Coastline Wire) - ", "NEW YORK (Markets Wire) -- ", "BELLHAVEN — ".
_DATELINE = re.compile(r"[A-Z][A-Z’'.-]+(?: [A-Z][A-Z’'.-]+)*(?:,[^—–()\n]{0,40}?)?(?: ?\([^()\n]{1,40}\))?(?: ?[—–] *| --? +)")
#: A line that credits rather than states: a byline ("By Maren Sillitoe") or the name under a vox-pop
#: answer ("― Orla Fenwick, 43, baker").
_CREDIT_LINE = re.compile(r"\s*(?:[―—–]|By [A-Z][^.!?\n]{0,60}$)")


@dataclass(frozen=True)
class Unit:
    """A clause worth scoring, and who made the claim if the article says."""

    start: int
    end: int
    claimant: dict | None
    quoted: bool = False  # the words of a direct quote, not a clause the article reports


def suggest_claims(view: DocView, quotes: list[Suggestion], finder: "QuoteFinder | None") -> list[Suggestion]:
    direct = sorted((q for q in quotes if q.kind != "indirect"), key=lambda q: q.start)
    direct_starts = [q.start for q in direct]
    direct_ends = [q.end for q in direct]  # quotes never overlap, so their ends are sorted too
    out: list[Suggestion] = []
    headline_end = _headline_end(view.text)  # a headline is not a claim of the story
    turns = Turns(view.text, finder, headline_end)
    common_nouns = _CommonNouns(view, finder) if finder is not None else None
    for sent in (line for s in view.sentences for line in _lines(s)):
        if sent.end_char <= headline_end or _CREDIT_LINE.match(sent.text):
            continue
        view.check()
        first = bisect.bisect_right(direct_ends, sent.start_char)
        last = bisect.bisect_left(direct_starts, sent.end_char, lo=first)
        for unit in (part for u in _units(sent, direct[first:last], finder) for part in _coordinated_parts(view, u)):
            dateline = _DATELINE.match(view.text, unit.start, unit.end)
            if dateline:  # "VELDRA, May 12 —" says where the story was filed, not what happened
                if dateline.end() >= unit.end:
                    continue
                unit = replace(unit, start=dateline.end())
            unit = _in_turn(turns, unit)
            if unit is None:
                continue
            unit = _without_according_to(view, unit, finder)
            if unit is None:
                continue
            unit = _without_trailing_comma(view.text, unit)
            if unit.claimant is not None and common_nouns is not None:
                unit = replace(unit, claimant=common_nouns.named(unit.claimant, unit.start))
            scored = _score(view, unit)
            if scored is not None:
                out.append(scored)
    return out


def _in_turn(turns: Turns, unit: Unit) -> Unit | None:
    """*unit* without the speaker's label of a transcript's turn ("ODUYA-HART: Two of the five gates did not
    open") and, unless the turn reports or quotes someone else, with its speaker as the claimant; None when
    nothing but the label is left."""
    label_end = turns.label_end(unit.start, unit.end)
    if label_end is not None:
        if label_end >= unit.end:
            return None
        unit = replace(unit, start=label_end)
    turn = turns.at(unit.start)
    if turn is None or unit.claimant is not None or turn.name is None:
        return unit
    # The speaker's own words, like a quote's: not a clause reported from a source.
    return replace(unit, claimant={"text": turn.label, "name": turn.name}, quoted=True)


#: Words in front of a common noun that do not say which one it is: "the sheriff", "its chairman".
_DETERMINERS = frozenset("the a an its their his her our".split())


class _CommonNouns:
    """Who a claimant left as a common noun ("the sheriff", "its chairman", "the district", "their union")
    is: the person the article last named in that role or with it as a title ("Sheriff Wendell
    Okoro-Platt"), or the last organisation before it whose name ends in that noun ("Cardell County Fire
    District"). Each noun's candidates are found once per article, so a long one with many "the company
    said" stays linear."""

    def __init__(self, view: DocView, finder: "QuoteFinder") -> None:
        self.view, self.finder = view, finder
        self._titled: dict[str, list[tuple[int, str]]] = {}
        self._orgs: dict[str, list[tuple[int, str]]] = {}

    def named(self, claimant: dict, offset: int) -> dict:
        words = (claimant.get("name") or "").split()
        if not words or any(w[:1].isupper() for w in words if w.lower() not in _DETERMINERS):
            return claimant
        while words and words[0].lower() in _DETERMINERS:
            words = words[1:]
        if len(words) != 1:
            return claimant
        noun, at = words[0].lower(), claimant.get("start", offset)
        person = self.finder.people.role_holder(noun, at)
        name = person.name if person is not None else _last_before(self._titled_people(noun), at)
        name = name or _last_before(self._named_orgs(noun), at)
        return {**claimant, "name": name} if name else claimant

    def _titled_people(self, noun: str) -> list[tuple[int, str]]:
        if noun not in self._titled:
            title = re.compile(r"\b" + re.escape(noun.capitalize()) + r" ((?:[A-Z][\w.’'-]* ){0,2}([A-Z][\w’'-]+))")
            people = self.finder.people
            found = []
            for m in title.finditer(self.view.text):
                person = people.by_surname(m.group(2), m.start(2))
                found.append((m.start(), person.name if person is not None else m.group(1)))
            self._titled[noun] = found
        return self._titled[noun]

    def _named_orgs(self, noun: str) -> list[tuple[int, str]]:
        if noun not in self._orgs:
            self._orgs[noun] = [(e.start_char, self.finder.bodies.fullest_org(org_name(e))) for e in self.view.ents
                                if e.label_ == "ORG" and e[-1].lower_ in (noun, noun + "s")]
        return self._orgs[noun]


def _last_before(found: list[tuple[int, str]], offset: int) -> str | None:
    i = bisect.bisect_left(found, (offset,)) - 1
    return found[i][1] if i >= 0 else None


def _coordinated_parts(view: DocView, unit: Unit) -> list[Unit]:
    """*unit* cut into its coordinated clauses, each a claim of its own: "fares had been frozen for six
    years and that the money will pay for 14 buses", "the road is the only way out, and it was shut for a day".
    A clause joined on is one when it has its own subject or its own "that"; a verb that shares the
    subject ("had won nine matches and had not conceded a goal") stays in one claim with it."""
    span = view.doc.char_span(unit.start, unit.end, alignment_mode="expand")
    if span is None:
        return [unit]
    tops = [t for t in span if not (span.start <= t.head.i < span.end) or t.head.i == t.i]
    cuts = sorted(
        c.left_edge.i for top in tops for c in top.children
        if c.dep_ == "conj" and c.i > top.i and span.start < c.left_edge.i < span.end and _own_clause(c)
    )
    if not cuts:
        return [unit]
    parts = []
    for lo, hi in zip([span.start] + cuts, cuts + [span.end]):
        words = [t for t in view.doc[lo:hi] if not t.is_space]
        while words and (words[0].is_punct or words[0].dep_ in ("cc", "mark") and words[0].lower_ in ("and", "but", "that", "or")):
            words.pop(0)
        while words and (words[-1].is_punct and words[-1].text not in ".!?" or words[-1].dep_ == "cc"):
            words.pop()
        if hi < span.end:  # the first parts were cut out of their sentence: no full stop
            while words and words[-1].is_punct:
                words.pop()
        if words:
            parts.append(replace(unit, start=words[0].idx, end=words[-1].idx + len(words[-1].text)))
    return parts or [unit]


def _own_clause(verb: "Token") -> bool:
    return verb.pos_ in ("VERB", "AUX") and any(
        c.dep_ in ("nsubj", "nsubjpass", "expl") or c.dep_ == "mark" and c.lower_ == "that"
        for c in verb.children
    )


def _without_trailing_comma(text: str, unit: Unit) -> Unit:
    """A claim ends on its last word or on the full stop of a whole sentence, never on the comma or colon
    that leads to an attribution ("We sold 11,000 tickets," she said -> `We sold 11,000 tickets`)."""
    end = unit.end
    while end > unit.start and (text[end - 1] in ",;:" or text[end - 1].isspace()):
        end -= 1
    return replace(unit, end=end) if end > unit.start else unit


def _lines(sent: "Span") -> list["Span"]:
    """*sent* cut at its line breaks: a claim never runs from a headline, a byline or a dateline line
    into the story, nor from the closing mark of one paragraph into the next, whatever the parse joins."""
    doc, out, start = sent.doc, [], sent.start
    for t in sent:
        if "\n" in t.text:
            if t.i > start:
                out.append(doc[start:t.i])
            start = t.i + 1
    if start < sent.end:
        out.append(doc[start:sent.end])
    return [line for line in out if any(not t.is_punct and not t.is_space for t in line)]


def _units(sent: "Span", inside: list[Suggestion], finder: "QuoteFinder | None") -> list[Unit]:
    """The clauses of *sent* to score; *inside* are the direct quotes overlapping it."""
    lo, hi = sent.start_char, sent.end_char
    if inside:
        units = []
        for q in inside:
            start, end = max(lo, q.start), min(hi, q.end)
            claimant = _claimant_of_quote(q)
            units.append(Unit(start, end, claimant, quoted=True))
        return units + _reported_beside_quotes(sent, inside, finder)
    root = sent.root
    # The model's sentence can run over a paragraph break that the view cut it at (a headline
    # and the paragraph under it), so the root's clauses may lie partly or wholly in another
    # paragraph: a clause is cut to this sentence, and a sentence is split only at a word inside it,
    # or a unit would start after it ends.
    if root.lemma_.lower() in _CLAIM_CUES:
        clauses = _reported_clauses(root)
        if clauses:  # none inside this sentence: "She said:" before a quote is attribution only
            return [u for u in (_clause_unit(c, sent, _claimant(root, finder)) for c in clauses) if u is not None]
    reporting = _reporting_clause(root, sent)
    if reporting is not None:
        return _around_reporting_clause(reporting, sent, finder)
    fact = _fact_in_subordinate_clause(sent)
    if fact is not None:
        return [fact]
    # A sentence that is a claim whole gets its claimant from an "according to X" in it, if any.
    return [Unit(sent.start_char, _strip_end(sent), None)]


#: Bodies that speak as one beside those of .bodies: "according to the district".
_SOURCE_NOUNS = BODY_NOUNS | {"district"}


def _reporting_clause(root: "Token", sent: "Span") -> "Token | None":
    """The verb of a reporting clause set into or after the claim it attributes ("Only 1,150 homes were
    built, she said, against a promise of 5,000"; "About 2,300 ballots remain, the director said."):
    a reporting verb hung on the claim's verb, with a subject of its own and no reported clause."""
    for c in root.children:
        if (c.dep_ in ("parataxis", "conj") and c.i > root.i and sent.start <= c.i < sent.end
                and c.lemma_.lower() in _CLAIM_CUES and any(g.dep_ == "nsubj" for g in c.children)
                and not any(g.dep_ in ("ccomp", "dobj") for g in c.children)):
            return c
    return None


def _around_reporting_clause(verb: "Token", sent: "Span", finder: "QuoteFinder | None") -> list[Unit]:
    """The claim before a reporting clause, and any clause joined on after it ("It was built for a
    once-in-a-century flood, Ines Mora said, and has now faced two"), all the reporter's."""
    claimant = _claimant(verb, finder)
    before = [t for t in sent if t.i < verb.left_edge.i and not t.is_space]
    while before and before[-1].is_punct:
        before.pop()
    units = [Unit(before[0].idx, before[-1].idx + len(before[-1].text), claimant)] if before else []
    joined_on = [c for c in verb.children if c.dep_ == "conj" and c.i > verb.i]
    joined_on += [c for c in verb.head.children if c.dep_ == "conj" and c.i > verb.i]
    for joined in joined_on:
        unit = _clause_unit(joined, sent, claimant)
        if unit is not None:
            units.append(unit)
    return units


def _fact_in_subordinate_clause(sent: "Span") -> Unit | None:
    """The relative or adverbial clause that holds a sentence's only figure or year, when the rest of
    the sentence sets a scene ("Residents in Corrigan, where a plant failed in 2022, were less patient"
    -> `where a plant failed in 2022`; "The festival is off after two of its three sponsors withdrew"
    -> `two of its three sponsors withdrew`). A relative clause keeps its pronoun; an adverbial one
    loses its conjunction."""
    subordinate = [t for t in sent if t.dep_ in ("relcl", "advcl") and t.i != sent.root.i]
    for clause in subordinate:
        inside = {t.i for t in clause.subtree if sent.start <= t.i < sent.end}
        if not _has_figure(t for t in sent if t.i in inside) or _has_figure(t for t in sent if t.i not in inside):
            continue
        tokens = [t for t in sent if t.i in inside]
        if clause.dep_ == "advcl":
            while tokens and (tokens[0].dep_ == "mark" or tokens[0].is_punct):
                tokens.pop(0)
        while tokens and tokens[-1].is_punct:
            tokens.pop()
        if len(tokens) >= _MIN_WORDS:
            return Unit(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), None)
    return None


def _has_figure(tokens) -> bool:
    """A number that counts something, or a year: what a fact-checker would look up."""
    return any(
        any(ch.isdigit() for ch in t.text) or t.like_num and t.dep_ == "nummod" or t.ent_type_ in ("MONEY", "PERCENT")
        for t in tokens
    )


def _is_according(t: "Token") -> bool:
    return t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to"


def _source_of(according: "Token", finder: "QuoteFinder | None") -> dict | None:
    """Who makes the claim of "according to X": X by its fullest name when X is a person or a body (or
    names one in apposition: "its organiser, Maisie Doyle"); otherwise X is a record or a writing, named
    by its description ("a report released Tuesday by the Audit Office", "council figures")."""
    x = next((c for c in according.doc[according.i + 1].children if c.dep_ == "pobj"), None)
    if x is None or finder is None:
        return None
    # the parse may hang the name in apposition on "according" itself
    named = [x] + [c for c in x.children if c.dep_ == "appos"] + [c for c in according.children if c.dep_ == "pobj"]
    person = next((c for c in named if _is_source(c)), None)
    if person is not None:
        return finder.speaker_from_token(person).to_dict(finder.text)
    words = []
    for t in x.subtree:
        if t.is_punct and t.i > x.i:  # the description ends at its first comma
            break
        words.append(t)
    while words and (words[0].dep_ == "det" or words[0].is_punct):
        words.pop(0)
    if not words:
        return None
    text = according.doc.text[words[0].idx:words[-1].idx + len(words[-1].text)]
    return {"text": text, "start": words[0].idx, "end": words[-1].idx + len(words[-1].text), "name": text}


def _is_source(t: "Token") -> bool:
    return t.ent_type_ in ("PERSON", "ORG") or t.lower_ in PRONOUNS or t.lemma_.lower() in _SOURCE_NOUNS


def _without_according_to(view: DocView, unit: Unit, finder: "QuoteFinder | None") -> Unit | None:
    """*unit* without its "according to X": the attribution is not part of the claim (`The fire burned
    800 acres, according to the district.` -> `The fire burned 800 acres`) and X, when it makes the claim,
    is the claimant. What follows a trailing attribution goes with it; None if nothing is left."""
    span = view.doc.char_span(unit.start, unit.end, alignment_mode="expand")
    according = next((t for t in span if _is_according(t)), None) if span is not None else None
    if according is None:
        return unit
    claimant = unit.claimant or _source_of(according, finder)
    words = [t for t in span if not t.is_punct and not t.is_space]
    if words and words[0] == according:  # "According to X, ..." leads: the claim is what follows
        x_end = max(t.i for t in according.doc[according.i + 1].subtree)
        rest = [t for t in span if t.i > x_end and not t.is_space]
        while rest and rest[0].is_punct:
            rest.pop(0)
        while rest and rest[-1].is_punct:  # a clause cut out of its sentence keeps no full stop
            rest.pop()
        if not rest:
            return None
        return replace(unit, start=rest[0].idx, end=rest[-1].idx + len(rest[-1].text), claimant=claimant)
    before = [t for t in span if t.i < according.i and not t.is_space]
    while before and before[-1].is_punct:
        before.pop()
    if not before:
        return None
    return replace(unit, end=before[-1].idx + len(before[-1].text), claimant=claimant)


def _reported_clauses(verb: "Token") -> list["Token"]:
    """The clauses a reporting verb reports: its clausal complement, or the "that" clause after the writing
    it was said in ("said in a statement that emergency care had not been affected", "said in a letter to
    every councillor that its members had cleared 43 plots"), which the parse hangs on the writing."""
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.i > verb.i):
        for t in prep.subtree:
            if t.dep_ in ("acl", "relcl", "ccomp") and t.left_edge.dep_ == "mark" and t.left_edge.lower_ == "that" \
                    and t.left_edge.head == t:
                clauses.append(t)
    return clauses


def _reported_beside_quotes(sent: "Span", quotes: list[Suggestion], finder: "QuoteFinder | None") -> list[Unit]:
    """Reported clauses outside the quotes of a sentence: '“...,” he said, adding that sales had halved'."""
    def quoted(lo: int, hi: int) -> bool:
        return any(q.start - 1 < hi and lo < q.end + 1 for q in quotes)

    units = []
    for verb in sent:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in CUE_VERBS or quoted(verb.idx, verb.idx + 1):
            continue
        for clause in (c for c in _reported_clauses(verb) if c.i > verb.i):
            unit = _clause_unit(clause, sent, None)
            if unit is not None and quoted(unit.start, unit.end):
                unit = _before_quote(sent, unit, min(q.start - 1 for q in quotes if q.end + 1 > unit.start))
            if unit is not None and not quoted(unit.start, unit.end):
                units.append(Unit(unit.start, unit.end, _claimant(verb, finder)))
    return units


def _before_quote(sent: "Span", unit: Unit, quote_start: int) -> Unit | None:
    """The reported words of *unit* before the quote it runs into ("said it had hired 210 staff since
    January and that \"waiting times are falling\"" -> `it had hired 210 staff since January`): the quote
    is a claim of its own. A clause the quote completes goes with it ("... and that the reports were
    \"a box-ticking exercise\""); None when nothing whole is left."""
    words = _words_before(sent, unit.start, min(unit.end, quote_start))
    clause = _clause_completed_by(sent, words, quote_start)
    if clause is not None:
        if clause.dep_ != "conj" or clause.left_edge.idx <= unit.start:
            return None  # the quote is part of the one clause reported
        words = _words_before(sent, unit.start, clause.left_edge.idx)
    if not words:
        return None
    return replace(unit, end=words[-1].idx + len(words[-1].text))


def _words_before(sent: "Span", start: int, end: int) -> list["Token"]:
    words = [t for t in sent if start <= t.idx and t.idx + len(t.text) <= end]
    while words and (words[-1].is_punct or words[-1].is_space or words[-1].dep_ in ("cc", "mark", "prep")):
        words.pop()
    return words


def _clause_completed_by(sent: "Span", words: list["Token"], quote_start: int) -> "Token | None":
    """The verb of the clause in *words* that the quote at *quote_start* is an object or complement of ("the
    reports were \"a box-ticking exercise\""); None when the quote is a clause joined on ("... and that
    \"waiting times are falling\"") or hangs outside *words*."""
    kept = {t.i for t in words}
    t = next((t for t in sent if t.idx > quote_start and not t.is_punct), None)
    while t is not None and t.head.i != t.i:
        if t.head.i in kept:
            if t.dep_ in ("conj", "cc", "parataxis"):
                return None
            # up to the clause that is joined on, if the quote's clause is one ("... and that she had asked
            # officers to check \"whether ...\"" -> `she had asked`), else the clause reported
            verb = t.head
            while verb.dep_ != "conj" and verb.head.i != verb.i and verb.head.i in kept:
                verb = verb.head
            return verb
        t = t.head
    return None


#: Quotation marks standing alone after a sentence's end: the opening mark of the next quote.
_STRAY_OPENER = re.compile(r"\s+['\"“‘`]+\s*$")


def _strip_end(sent: "Span") -> int:
    text = _STRAY_OPENER.sub("", sent.text.rstrip())
    return sent.start_char + len(text)


def _clause_unit(clause: "Token", sent: "Span", claimant: dict | None) -> Unit | None:
    """The words of *clause* inside *sent*, without a leading "that" or trailing punctuation; None if none."""
    tokens = [
        t for t in clause.subtree
        if sent.start <= t.i < sent.end and not (t.dep_ == "mark" and t.i == clause.left_edge.i)
    ]
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if not tokens:
        return None
    return Unit(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), claimant)


def _claimant_of_quote(quote: Suggestion) -> dict | None:
    return dict(quote.speaker) if quote.speaker else None


def _claimant(verb: "Token", finder: "QuoteFinder | None") -> dict | None:
    if finder is None:
        return None
    subject = subject_of(verb)
    if subject is None:
        return None
    return finder.speaker_from_token(subject).to_dict(finder.text)


def _score(view: DocView, unit: Unit) -> Suggestion | None:
    span = view.doc.char_span(unit.start, unit.end, alignment_mode="expand")
    if span is None:
        return None
    text = view.text[unit.start:unit.end]
    words = _WORD.findall(text)
    score = BASE_SCORE
    reasons: list[str] = []
    ents = view.ents_in(span)
    labels = {e.label_ for e in ents}
    if _counts_something(span, ents):
        score += 0.3
        reasons.append("number")
    if labels & set(_STATISTICS):
        score += 0.1
        reasons.append("statistic")
    if any(t.lemma_.lower() in _CHANGE_LEMMAS or t.tag_ in ("JJR", "JJS", "RBR", "RBS") for t in span) or "ORDINAL" in labels:
        score += 0.15
        reasons.append("comparison")
    if "DATE" in labels or "TIME" in labels:
        score += 0.1
        reasons.append("date")
    if labels & set(_NAMED):
        score += 0.1
        reasons.append("named entity")
    lemmas = {t.lemma_.lower() for t in span}
    lower = {t.lower_ for t in span}
    modals = {t.lower_ for t in span if t.tag_ == "MD"}  # a modal verb, not the month of "since May"
    predicted = bool(modals & (_MODALS - _OBLIGATION)) or "going to" in text.lower()
    if predicted and labels & set(_STATISTICS):
        # A sum or a rate in a plan, budget or forecast can be checked against the document it comes from:
        # "the work would cost 2.4 million pounds" is a claim, "traffic will get worse" is not.
        predicted = False
        reasons.append("planned figure")
    if not predicted and any(t.tag_ in ("VBD", "VBZ", "VBP", "VBN") for t in span):
        score += 0.1
        reasons.append("factual tense")
    if text.rstrip("”\"' ").endswith("?") or _QUESTION_MARKS.search(view.text, max(0, unit.start - 10), unit.start):
        score -= 0.4
        reasons.append("question")
    if _proposing_verb(span) is not None or any(
            t.dep_ in ("nsubj", "nsubjpass") and t.lemma_.lower() in _PROPOSAL_NOUNS and t.head.lemma_ == "be" for t in span):
        score -= 0.4
        reasons.append("proposal")
    if lemmas & _OPINION_WORDS or modals & _OBLIGATION:
        score -= 0.25
        reasons.append("opinion")
    if predicted:
        score -= 0.2
        reasons.append("prediction")
    if _is_command(span):
        score -= 0.3
        reasons.append("command")
    if unit.quoted and not labels & set(_STATISTICS) and not any(t.pos_ in ("VERB", "AUX") for t in span):
        # Quoted words with no verb state nothing that happened ("twenty years of promises", "one bad week
        # away"), unless they give an amount, as an answer does ("£1.9 million, out of a budget of 14").
        # (Only quoted words: a whole sentence of the story whose verb the tagger took for a noun is not
        # a phrase.)
        score -= 0.3
        reasons.append("no verb")
    if len(words) < _MIN_WORDS or (lower & _FIRST_PERSON and not labels & set(_QUANTITIES)):
        score -= 0.2
        reasons.append("rhetoric")
    if unit.claimant and not unit.quoted:
        # Reported from someone, a body or a record ("the trust said the payments were never part of the
        # contracts"): the article puts it as a fact that can be checked with its source.
        score += 0.1
        reasons.append("reported")
    if unit.claimant:
        reasons.append(f"attributed to {unit.claimant['name']}")
    return Suggestion(
        label=CLAIM,
        start=unit.start,
        end=unit.end,
        text=text,
        speaker=unit.claimant,  # for a claim, the one who makes it
        cue=None,
        kind=None,
        confidence=round(max(0.0, min(1.0, score)), 2),
        reasons=tuple(reasons),
        rule="suggest:claim",
    )


def _proposing_verb(span: "Span") -> str | None:
    """The lemma of the verb that puts *span* as a proposal or a demand rather than a fact: "recommends
    that 40 nurses be hired", "have called for a 20 mph limit". (A question asked with why or how still
    presupposes its fact, so "asked why his phone had connected to the mast" stays a claim.)"""
    root = span.root
    verb = root.head if root.dep_ in ("ccomp", "xcomp") and root.head is not root else root
    lemma = verb.lemma_.lower()
    if lemma in _PROPOSING:
        return lemma
    if lemma == "call" and any(c.lower_ == "for" for c in verb.children):
        return "call for"
    return None


def _counts_something(span: "Span", ents: list["Span"]) -> bool:
    """A figure that can be checked: an amount, or a number counting a noun ("seven guards", "8,400").

    A date's digits, an ordinal and a number word standing alone ("every one of those",
    "since four", "hundreds of volunteers") are not figures worth checking.
    """
    if any(e.label_ in _AMOUNTS for e in ents):
        return True
    for t in span:
        if t.ent_type_ == "ORDINAL" or t.ent_type_ in ("DATE", "TIME") and t.head.lemma_.lower() not in _DURATIONS:
            continue  # a calendar date or a clock time; "15 minutes" and "eight months" still count
        if any(ch.isdigit() for ch in t.text) or t.like_num and t.dep_ == "nummod":
            return True
    return False


def _is_command(span: "Span") -> bool:
    """An imperative: the clause opens on a bare verb with no subject ("Ask me again")."""
    first = next((t for t in span if not t.is_punct), None)
    if first is None or first.tag_ != "VB":
        return False
    return not any(c.dep_ in ("nsubj", "nsubjpass") for c in first.head.children if c.i < first.i)
