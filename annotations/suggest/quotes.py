"""Quote suggestions: quotation marks paired in the text, then a cue and a speaker from the parse."""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..model import QUOTE
from ..quotations import quotations
from ..segments import paragraphs
from .cues import CUE_VERBS, NAME_TITLES, PERSON_NOUNS, PHRASAL_CUES, PRONOUNS, SPOKESPEOPLE, UTTERANCE_NOUNS, split_glued
from .docview import DocView, headline_end
from ..speakers import capitalised_name_at
from .bodies import Bodies, org_name
from .people import People, without_titles
from .suggestion import Suggestion

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span, Token

log = logging.getLogger(__name__)

#: Quotations of fewer words are scare quotes or titles, not speech.
MIN_QUOTE_WORDS = 3

#: A nickname is at most this many words ("the honey man").
_NAME_WORDS = 4

#: A quote with no cue: its confidence when the speaker comes from its own paragraph, what each
#: paragraph further back costs, and the lowest confidence at which a speaker is still guessed.
_FLOATING_CONFIDENCE = 0.65
_FLOATING_DECAY = 0.05
_FLOATING_FLOOR = 0.5

#: How many heads up from a short quotation its reporting verb may be ("called the plan “a farce”": two).
_FRAGMENT_CLIMB = 6

#: How many words a parenthesis after a name may hold: "(D-Wis., chair of the water committee)".
_BRACKET_REACH = 12

#: A cue after the quote is looked for only this many tokens past the closing mark.
_AFTER_REACH = 8

_WORD = re.compile(r"\w+")
#: A capitalised name opening the words after a quote, then a comma: ' Dr. Signe Aaltonen,'.
_NAME_THEN_COMMA = re.compile(r"[\s,]*((?:[A-Z][\w’'.-]*[ \u00a0]+)*[A-Z][\w’'-]*\w),")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
#: Words whose full stop ends an abbreviation, not a sentence: titles written before a name.
_ABBREVIATIONS = frozenset("mr mrs ms dr prof rep reps sen gov lt col gen sgt capt cmdr adm st jr sr rev hon supt insp det".split())
_LAST_WORD = re.compile(r"(\w+)$")
#: A dash after a closing mark, on the same line, before a name: a byline.
_BYLINE = re.compile(r"[ \t\u00a0]*[―—–][ \t\u00a0]*(?=[A-Z])")
#: Words right before quotation marks that make them a title or a name: "a report titled “...”".
_NAMING_WORDS = frozenset("titled entitled headed headlined named dubbed nicknamed so-called".split())
#: "call him “the honey man”": a person named, not quoted.
_PERSON_OBJECTS = frozenset({"him", "her", "them", "me", "us", "himself", "herself"})
#: Works whose title in Title Case follows them: "the documentary “Salt Roads”".
_WORK_NOUNS = frozenset(
    "album anthem book campaign column documentary exhibition film guide hymn magazine manual memoir motto "
    "novel number operation play podcast poem programme program record report series show single slogan "
    "song study track tune".split()
)
#: Nouns that cite the quoted words as words: "the word “unprecedented”", "beside the words “...”".
_WORD_NOUNS = frozenset("word words phrase term expression label".split())
#: Verbs whose participle puts words on a thing: "underneath it is written “...”", "a crown printed “...”".
_INSCRIBING = frozenset("write print paint scrawl stencil engrave carve stamp emblazon spray".split())
#: Things slogans are printed on: "a banner reading “...”".
_SIGN_NOUNS = frozenset(
    "badge banner billboard board graffiti mural placard poster shirt sign sticker t-shirt".split()
)
_SUBJECTS = ("nsubj", "nsubjpass")
# Clauses whose subject is their head's: "Asif told reporters, saying ..." / "was quoted as saying".
_CLIMB = ("advcl", "xcomp", "conj", "pcomp", "prep", "acl", "pobj")
_NAMED = ("PERSON", "ORG", "NORP", "GPE")
_RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
#: Verbs whose object says the words of the clause under them: "quotes the minister as saying".
_QUOTING = frozenset({"quote", "cite"})
#: People who, several and unnamed, speak for the body they work at: "analysts at Brightwater Securities".
_STAFF = frozenset("analyst economist official researcher expert strategist scientist staff engineer".split())
#: Words that count some of a group named before them, standing for it as a subject: "Several denounced ...".
_QUANTIFIERS = frozenset("several some many most others few both".split())
#: Words for a speaker nobody can name: the quote is suggested with no speaker rather than a guess.
_NOBODY_IN_PARTICULAR = frozenset("someone somebody anyone anybody everyone everybody".split())
#: Pronouns that can be the one speaking; "her" and "him" after a verb are someone spoken of.
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    token: "Token | None"  # None for a bare colon
    glued_speaker: tuple[int, int] | None = None  # "Asif" of "Asifsaid"


@dataclass(frozen=True)
class Speaker:
    start: int
    end: int
    name: str | None

    def to_dict(self, text: str) -> dict:
        mention = text[self.start:self.end]
        return {"text": mention, "start": self.start, "end": self.end, "name": self.name or mention}


class QuoteFinder:
    """Finds the quotes of one doc; one instance per doc."""

    def __init__(self, view: DocView) -> None:
        self.view = view
        self.doc = view.doc
        self.text = view.text
        self.spans = [s for s in _top_level(quotations(self.text))]
        self.outer = [(a - 1, b + 1) for a, b in self.spans]
        self._outer_starts = [a for a, _ in self.outer]
        self.paragraphs = article_paragraphs(self.text)
        #: Quotation marks in a headline repeat words the story gives, attributed, in its body.
        self.headline_end = headline_end(self.text)
        self._para_starts = [a for a, _ in self.paragraphs]
        self.bodies = Bodies(view, self.inside_quote, self._entity_name)
        self.people = People(view, self.inside_quote, self.bodies.fullest_org)

    def inside_quote(self, offset: int) -> bool:
        i = bisect.bisect_right(self._outer_starts, offset) - 1
        return i >= 0 and offset < self.outer[i][1]

    def paragraph_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._para_starts, offset) - 1)

    # -- direct quotes -----------------------------------------------------------------

    def direct(self) -> list[Suggestion]:
        out: list[Suggestion] = []
        previous: tuple[int, Suggestion] | None = None  # (paragraph, suggestion)
        named_end = -1  # where the last quotation that names something (a title, a slogan) closes
        for index, (start, end) in enumerate(self.spans):
            self.view.check()
            short = len(_WORD.findall(self.text[start:end])) < MIN_QUOTE_WORDS
            if start < self.headline_end:
                continue
            # 'placards reading “No jobs on a dead planet” and “Coal fed your grandparents”': the second
            # slogan is as much a name as the first.
            listed = self.text[named_end:self.outer[index][0]].strip() in (",", "and", "or", ", and", ", or")
            if self._names_something(index) or listed and named_end >= 0:
                named_end = self.outer[index][1]
                continue
            try:
                found = self._fragment(index) if short and not self._whole_sentence(index) else self._one(index, previous)
            except Exception:  # one odd quote must not cost the article its other quotes
                log.exception("quote at %d..%d skipped", start, end)
                continue
            if found is not None:
                out.append(found)
                if found.speaker is not None:
                    previous = (self.paragraph_of(start), found)
        return out

    def _whole_sentence(self, index: int) -> bool:
        """True for a quotation that is a sentence of its own however short, as a direct quote is: it opens
        with a capital, closes on its own punctuation and nothing of its sentence comes before it
        ('“Tomorrow.”', '“Ask them,” she said.', '... he said. “Not before.”')."""
        start, end = self.spans[index]
        words = self.text[start:end]
        before = self._before_window(index)
        return words[:1].isupper() and words.rstrip()[-1:] in (".", ",", "!", "?") \
            and not self.text[before[0]:before[1]].strip()

    def _names_something(self, index: int) -> bool:
        """True for quotation marks around a title, a name or a nickname, which nobody is credited with
        saying: 'a report titled “...”', 'a book called “...”', 'the so-called “...”', 'Neighbours call him
        “...”', 'the documentary “Salt Roads”'."""
        start, end = self.spans[index]
        before = self.doc.char_span(0, self.outer[index][0], alignment_mode="contract")
        words = [t for t in before[-3:] if not t.is_space] if before is not None else []
        if not words:
            return False
        last = words[-1]
        if last.lower_ in _NAMING_WORDS:
            return True
        if last.text == "," and len(words) > 1 and words[-2].lemma_.lower() in _WORK_NOUNS and _title_case(self.text[start:end]):
            return True  # 'his first novel, “The Long White,”', 'the band's closing number, “Goodnight, Ferris Valley,”'
        if last.lower_ in _WORD_NOUNS and len(words) > 1 and words[-2].lower_ in ("the", "a", "an"):
            return True  # 'beside the words “Soft on Crime.”': words shown, not said
        if last.tag_ == "VBN" and last.lemma_.lower() in _INSCRIBING and len(words) > 1 and words[-2].lemma_ == "be":
            return True  # 'underneath, in marker, is written “Nearest ER: 71 miles.”'

        if last.lower_ == "called" and last.tag_ == "VBN" or last.lower_ == "as" and len(words) > 1 and words[-2].lower_ == "known":
            return True  # "a bar called “...”", "what is known as “...”"; "she called it “a farce”" is speech
        if len(words) > 1 and (last.lower_ in _PERSON_OBJECTS or last.ent_type_ == "PERSON") \
                and words[-2].lemma_.lower() in ("call", "dub", "nickname") and len(_WORD.findall(self.text[start:end])) <= _NAME_WORDS:
            # "Neighbours call him “the honey man”": a name for a person, not their words; a longer
            # stretch ('called her “the best pair of hands I've seen in forty years”') is what was said.
            return True
        if last.lemma_.lower() in ("read", "say"):
            # "a banner reading “...”", "placards saying “...”": a slogan printed on a thing, nobody's words.
            holder = last.head if last.dep_ in ("acl", "relcl") else subject_of(last)
            if holder is not None and holder.lemma_.lower() in _SIGN_NOUNS:
                return True
        if last.lemma_.lower() in _WORK_NOUNS and _title_case(self.text[start:end]):
            return True
        inside = self.doc.char_span(start, end, alignment_mode="expand")
        if inside is None or not len(inside):
            return False
        if _title_case(self.text[start:end]) and any(
                c.dep_ == "appos" and c.lemma_.lower() in _WORK_NOUNS and not self.inside_quote(c.idx) for c in inside.root.children):
            return True  # 'opened with “Grey Water, Green Land”, a documentary about ...'
        # 'the “Save the Esk” group': quoted words between a determiner and the noun they modify name it.
        noun = inside.root.head
        return last.dep_ in ("det", "poss") and last.head.i == noun.i and noun.pos_ == "NOUN" \
            and noun.idx >= self.outer[index][1] and all(inside.start <= t.head.i < inside.end or t.head.i == noun.i for t in inside)

    def _one(self, index: int, previous: tuple[int, Suggestion] | None) -> Suggestion | None:
        start, end = self.spans[index]
        outer_start, outer_end = self.outer[index]
        before = self._before_window(index)
        after = self._after_window(index)
        before_text = self.text[before[0]:before[1]].strip()
        mixed = bool(before_text) and not before_text.endswith((":", ","))
        kind = "mixed" if mixed else "direct"
        reasons = ["quotation marks"]
        byline = self._byline(outer_end)
        if byline is not None:
            reasons += [f"byline “{self.text[byline.start:byline.end]}” after the quote", f"speaker {byline.name}"]
            return self._suggestion(start, end, byline.to_dict(self.text), None, "direct", 0.85, reasons,
                                    "quote-byline")
        cue, position = self._cue(start, end, before, after, prefer_before=mixed)
        if cue is None:
            if before_text.endswith(":"):
                colon = before[0] + self.text[before[0]:before[1]].rindex(":")
                cue = Cue(colon, colon + 1, None)
                position = "colon"
            elif mixed:
                cue = self._governing_cue(start, end)
                position = "after" if cue is not None and cue.start > end else "before"
        if cue is None:
            floating = self._floating_speaker(index, previous)
            if floating is not None:
                speaker, why, distance = floating
                # Each paragraph between the quote and the words its speaker is taken from makes the guess weaker.
                confidence = _FLOATING_CONFIDENCE - _FLOATING_DECAY * distance
                if confidence >= _FLOATING_FLOOR:
                    reasons += ["no cue in its sentence", why]
                    return self._suggestion(start, end, speaker, None, "floating", confidence, reasons,
                                            "quote-floating")
                reasons.append(f"no cue; {why}, too far back to be sure")
            reasons.append("no cue or speaker found")
            return self._suggestion(start, end, None, None, kind, 0.55, reasons, "quote-no-cue")
        speaker = self._follow_on(self._speaker(cue), previous)
        cue_dict = {"text": self.text[cue.start:cue.end], "start": cue.start, "end": cue.end}
        governs = cue.token is not None and _governs(cue.token, outer_start, outer_end)
        reasons.append(f"cue “{cue_dict['text']}” {position} the quote" if position != "colon" else "colon before the quote")
        if governs:
            reasons.append("cue governs the quote in the parse")
        confidence = 0.9 if governs else 0.8
        if mixed:
            confidence -= 0.1
            reasons.append("quoted words inside a reported sentence")
        if speaker is None or speaker.name is None:
            confidence -= 0.15
            reasons.append("speaker not resolved to a name")
        else:
            mention = self.text[speaker.start:speaker.end]
            reasons.append(f"speaker {speaker.name}" if mention == speaker.name else f"speaker {mention} = {speaker.name}")
        rule = {"after": "quote-cue-after", "before": "quote-cue-before", "colon": "quote-colon"}[position]
        if mixed:
            rule = "quote-mixed"
        speaker_dict = self._credited(speaker)
        return self._suggestion(start, end, speaker_dict, cue_dict, kind, confidence, reasons, rule)

    def _follow_on(self, speaker: Speaker | None, previous: tuple[int, Suggestion] | None) -> Speaker | None:
        """A "she said" after a quote of a woman's is hers: the speaker of the quote before keeps the floor
        unless someone who could be "she" is named in the pronoun's own sentence or the one before, or
        the narrative since has turned to another such person (the subject of a sentence in between)."""
        if speaker is None or previous is None or not previous[1].speaker:
            return speaker
        pronoun = self.text[speaker.start:speaker.end].lower()
        last = previous[1].speaker
        if pronoun not in ("he", "she") or last["name"] == speaker.name:
            return speaker
        token = self.doc.char_span(speaker.start, speaker.end)
        if token is None or token[0].i in self.people.named_nearby:
            return speaker
        person = self.people.named(last["name"])
        if person is None:  # a name the article gives no pronoun to, unless it is only words ("the marchers")
            agrees = all(w[:1].isupper() for w in last["name"].split())
        else:
            agrees = person.pronoun in (None, pronoun) or last["text"].lower() == pronoun
        if not agrees or self.people.rival_between(previous[1].end, speaker.start, last["name"], pronoun):
            return speaker
        return Speaker(speaker.start, speaker.end, last["name"])

    def _credited(self, speaker: Speaker | None) -> dict | None:
        """The speaker to suggest: none rather than a bare "he" or "they" that names nobody the article knows."""
        if speaker is None or speaker.name is None and self.text[speaker.start:speaker.end].lower() in PRONOUNS | _NOBODY_IN_PARTICULAR:
            return None
        return speaker.to_dict(self.text)

    def _governing_cue(self, start: int, end: int) -> Cue | None:
        """The reporting verb of the sentence a mixed quote sits in, however far from the marks: in
        'Passengers should expect “weeks, possibly months” of delays after the landslip, the operator
        said' the quote is in the clause that "said" reports."""
        inside = self.doc.char_span(start, end, alignment_mode="expand")
        if inside is None or not len(inside):
            return None
        sentence = self.view.sentence_of(inside[0])
        if sentence is None:
            return None
        for verb in inside.root.ancestors:
            if not sentence.start <= verb.i < sentence.end:
                continue  # a link through the headline the model ran into the sentence
            if verb.lemma_.lower() in CUE_VERBS and verb.pos_ == "VERB" and not self.inside_quote(verb.idx):
                return Cue(verb.idx, verb.idx + len(verb.text), verb)
        return None

    def _byline(self, outer_end: int) -> Speaker | None:
        """The name after a dash that follows the closing mark, as vox pops and lists credit a quote:
        '“...” ― Ana Ruiz, 43, teacher'."""
        m = _BYLINE.match(self.text, outer_end)
        if m is None:
            return None
        found = capitalised_name_at(self.text, m.end())
        if found is None:
            return None
        lo, hi = found
        words = without_titles(self.text[lo:hi].split())
        return Speaker(lo, hi, " ".join(words)) if words else None

    def _fragment(self, index: int) -> Suggestion | None:
        """A quotation of one or two words is a quote only when a reporting verb governs it:
        'She called the ruling “shameful”', 'He said the talks were “productive”', '“Habit,” she says'.
        Without one it is a scare quote, a title or a nickname, and nothing is suggested."""
        start, end = self.spans[index]
        inside = self.doc.char_span(start, end, alignment_mode="expand")
        if inside is None or not len(inside):
            return None
        token = inside.root
        for _ in range(_FRAGMENT_CLIMB):
            # Quoted words that are the subject of their clause ("the so-called “reform” failed, she
            # recalls") keep the writer's distance from a word; the one credited with words is not them.
            if token.head == token or token.dep_ in _SUBJECTS or _paragraph_between(token, token.head):
                return None
            token = token.head
            if self.inside_quote(token.idx):
                continue
            if token.lemma_.lower() in CUE_VERBS and token.pos_ in ("VERB", "AUX"):
                break
        else:
            return None
        if token.lemma_.lower() not in CUE_VERBS or self.inside_quote(token.idx):
            return None
        cue = Cue(token.idx, token.idx + len(token.text), token)
        speaker = self._speaker(cue)
        if speaker is None:
            return None
        reasons = ["quotation marks", f"reporting verb “{token.text}” governs the quoted words"]
        confidence = 0.75
        if speaker.name is None:
            confidence -= 0.15
            reasons.append("speaker not resolved to a name")
        else:
            reasons.append(f"speaker {speaker.name}")
        cue_dict = {"text": token.text, "start": cue.start, "end": cue.end}
        return self._suggestion(start, end, self._credited(speaker), cue_dict, "mixed", confidence, reasons,
                                "quote-fragment")

    def _floating_speaker(
        self, index: int, previous: tuple[int, Suggestion] | None
    ) -> tuple[dict, str, int] | None:
        """Who speaks a quote with no cue: someone named just after it or just before it, or whoever spoke
        the quote before; with why, and how many paragraphs back the speaker was found."""
        outer_start = self.outer[index][0]
        para = self.paragraph_of(outer_start)
        after = self._named_after(index)
        if after is not None:
            return after.to_dict(self.text), f"“That was {after.name}” after the quote", 0
        if previous is not None and previous[0] == para and previous[1].speaker and self._only_attribution(previous[1], outer_start):
            # '“...,” said Piers Oduya-Grant, who chairs the committee and whose father died there. “...”': the
            # names in the first quote's own attribution are not new speakers; its speaker keeps the floor.
            speaker = dict(previous[1].speaker)
            return speaker, f"continues the quote of {speaker['name']} after its attribution", 0
        subject = self._last_person(self.paragraphs[para][0], outer_start)
        if subject is not None:
            return subject.to_dict(self.text), f"{subject.name} is the last person named before it", 0
        if previous is not None and para - previous[0] <= 1 and previous[1].speaker:
            speaker = dict(previous[1].speaker)
            return speaker, f"continues the quote of {speaker['name']}", para - previous[0]
        if para > 0:
            # A quote opening its paragraph after a paragraph of narrative about someone.
            lo, hi = self.paragraphs[para - 1]
            subject = self._last_person(lo, hi)
            if subject is not None:
                return subject.to_dict(self.text), f"{subject.name} is the last person named before it", 1
        # Background between two quotes of the same person, naming nobody else.
        if previous is not None and previous[1].speaker:
            speaker = dict(previous[1].speaker)
            if not self.people.others_between(previous[1].end, outer_start, speaker["name"]):
                return speaker, f"continues the quote of {speaker['name']}, nobody else named since", para - previous[0]
        return None

    def _only_attribution(self, previous: Suggestion, outer_start: int) -> bool:
        """True when all that lies between *previous* and a quote opening at *outer_start* is one sentence
        holding the previous quote's cue (or nothing at all)."""
        between = self.text[previous.end + 1:outer_start]
        if not between.strip():
            return True
        cue = previous.cue
        if cue is None or not previous.end < cue["start"] < outer_start:
            return False
        ends = _sentence_ends(self.text, previous.end + 1, outer_start)
        return len(ends) <= 1 and not self.text[ends[0] if ends else outer_start:outer_start].strip()

    def _last_person(self, lo: int, hi: int) -> Speaker | None:
        """The person the narrative between two offsets is last about, outside quotations.

        A subject (named, he or she) is taken first, from the last sentence that has one;
        only when no person does anything is a him, his, her or a name elsewhere used:
        "The village has changed around her."
        """
        span = self.doc.char_span(lo, hi, alignment_mode="contract") if hi > lo else None
        if span is None:
            return None
        tokens = [t for t in span if not self.inside_quote(t.idx)]
        for t in reversed(tokens):
            if t.dep_ in _SUBJECTS and not _paragraph_between(t, t.head):
                speaker = self._known_person(t)
                if speaker is not None:
                    return speaker
        for t in reversed(tokens):
            if self.people.object_pronoun(t) is not None or t.ent_type_ == "PERSON":
                speaker = self._known_person(t)
                if speaker is not None:
                    return speaker
        return None

    def _known_person(self, token: "Token") -> Speaker | None:
        """The speaker *token* names, if it is someone the article knows as a person."""
        speaker = self.speaker_from_token(token)
        return speaker if speaker.name and self.people.knows(speaker.name) else None

    def _named_after(self, index: int) -> Speaker | None:
        """The person named by "That was Sioned Powys, who ..." opening the paragraph after a quote that ends its own."""
        outer_end = self.outer[index][1]
        para = self.paragraph_of(outer_end - 1)
        if self.text[outer_end:self.paragraphs[para][1]].strip(" .,") or para + 1 >= len(self.paragraphs):
            return None
        lo, hi = self.paragraphs[para + 1]
        span = self.doc.char_span(lo, hi, alignment_mode="contract")
        sentence = self.view.sentence_of(span[0]) if span is not None and len(span) else None
        if sentence is None:
            return None
        root = sentence.root
        demonstrative = any(c.dep_ == "nsubj" and c.lower_ in ("that", "this", "those", "these") for c in root.children)
        if root.lemma_ != "be" or not demonstrative:
            return None
        named = next((c for c in root.children if c.dep_ == "attr"), None)
        return self._known_person(named) if named is not None else None

    def _suggestion(self, start, end, speaker, cue, kind, confidence, reasons, rule) -> Suggestion:
        return Suggestion(
            label=QUOTE,
            start=start,
            end=end,
            text=self.text[start:end],
            speaker=speaker,
            cue=cue,
            kind=kind,
            confidence=round(max(0.0, min(1.0, confidence)), 2),
            reasons=tuple(reasons),
            rule="suggest:" + rule,
        )

    # -- windows around a quote ---------------------------------------------------------

    def _before_window(self, index: int) -> tuple[int, int]:
        """From the start of the sentence (or the previous quote) to the opening mark."""
        outer_start = self.outer[index][0]
        floor = self.paragraphs[self.paragraph_of(outer_start)][0]
        if index > 0:
            floor = max(floor, self.outer[index - 1][1])
        chunk = self.text[floor:outer_start]
        if not chunk.strip() and (index > 0 or floor == 0):
            return (floor, outer_start)
        if not chunk.strip():
            # A quote that opens its paragraph after "she said:" ending the one before.
            para = self.paragraph_of(outer_start)
            if para > 0:
                prev_start, prev_end = self.paragraphs[para - 1]
                if self.text[prev_end - 1] == ":" and not self.inside_quote(prev_end - 1):
                    ends = _sentence_ends(self.text, prev_start, prev_end)
                    return (ends[-1] if ends else prev_start, prev_end)
            return (floor, outer_start)
        ends = _sentence_ends(chunk, 0, len(chunk))
        return (floor + ends[-1] if ends else floor, outer_start)

    def _after_window(self, index: int) -> tuple[int, int]:
        """From the closing mark to the end of the sentence (or the next quote)."""
        outer_end = self.outer[index][1]
        ceiling = self.paragraphs[self.paragraph_of(outer_end - 1)][1]
        if index + 1 < len(self.outer):
            ceiling = min(ceiling, self.outer[index + 1][0])
        ends = _sentence_ends(self.text, outer_end, ceiling)
        return (outer_end, ends[0] if ends else ceiling)

    # -- the cue ---------------------------------------------------------------------------

    def _cue(self, start, end, before, after, prefer_before: bool) -> tuple[Cue | None, str]:
        after_cues = self._cues_in(*after)[:]
        after_tokens = self.doc.char_span(after[0], after[1], alignment_mode="expand") if after[1] > after[0] else None
        if after_tokens is not None:
            reach = _reach(after_tokens, _AFTER_REACH)
            after_cues = [c for c in after_cues if c.token is None or c.token.i < reach or self._after_aside(after[0], c)]
        before_cues = self._cues_in(*before)
        outer = (start - 1, end + 1)
        governing = [c for c in before_cues + after_cues if c.token is not None and _governs(c.token, *outer)]
        if governing:
            best = governing[0] if governing[0] in after_cues and not prefer_before else governing[-1]
            return best, "after" if best in after_cues else "before"
        if after_cues and not prefer_before:
            return after_cues[0], "after"
        if before_cues:
            return before_cues[-1], "before"
        if after_cues:
            return after_cues[0], "after"
        return None, ""

    def _after_aside(self, lo: int, cue: Cue) -> bool:
        """True for a cue far after the quote that still is its own: '“...,” Dr. Signe Aaltonen, the board's
        medical director and until last year the head of the emergency department at Tallis Royal, told
        reporters': a name opens the words after the closing mark, and commas shut the aside before the verb."""
        name = _NAME_THEN_COMMA.match(self.text, lo, cue.start)
        if name is None or not self.text[:cue.start].rstrip().endswith(","):
            return False
        words = self.doc.char_span(name.start(1), name.end(1), alignment_mode="expand")
        return words is not None and any(t.ent_type_ == "PERSON" for t in words)

    def _cues_in(self, lo: int, hi: int) -> list[Cue]:
        if hi <= lo:
            return []
        span = self.doc.char_span(lo, hi, alignment_mode="contract")
        if span is None:
            return []
        cues: list[Cue] = []
        for t in span:
            if self.inside_quote(t.idx):
                continue
            glued = split_glued(t.text)
            if glued is not None and t.lemma_.lower() not in CUE_VERBS:
                name, verb = glued
                cues.append(Cue(t.idx + len(name), t.idx + len(t.text), t, (t.idx, t.idx + len(name))))
            elif t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
                cues.append(Cue(t.idx, t.doc[t.i + 1].idx + 2, t))
            elif t.lemma_.lower() in CUE_VERBS and t.pos_ in ("VERB", "AUX", "NOUN") and t.tag_ != "NN":
                cues.append(Cue(t.idx, t.idx + len(t.text), t))
            elif _phrasal_cue(t):
                cues.append(Cue(t.idx, t.idx + len(t.text), t))
        return cues

    # -- the speaker -----------------------------------------------------------------------

    def _speaker(self, cue: Cue) -> Speaker | None:
        if cue.glued_speaker is not None:
            return self._glued_speaker(cue)
        if cue.token is None:
            return self._colon_speaker(cue)
        token = cue.token
        before = token.doc[token.i - 1] if token.i > 0 else None
        if before is not None and before.lower_ in _NOBODY_IN_PARTICULAR and not self.inside_quote(before.idx):
            # '“Shame!” someone yelled': a speaker the article does not know, so none is guessed (the small
            # model hangs "yelled" on "someone" as a clause and would look for a subject further on).
            return Speaker(before.idx, before.idx + len(before.text), None)
        if token.lower_ == "according":
            to = token.doc[token.i + 1]
            objects = [c for c in to.children if c.dep_ == "pobj"]
            if objects:
                return self.speaker_from_token(objects[0])
            return self._first_name_after(to.i + 1)
        # A subject inside the quotation marks is part of what was said, never who said it.
        subject = subject_of(token, lambda t: not self.inside_quote(t.idx))
        if subject is not None:
            return self.speaker_from_token(subject)
        # "As the treasurer put it": the small model often reads the speaker as the object of "as".
        # Never a word of the quote: in 'dismissed the bill as “a press release with a budget”' it is what was said.
        as_object = next((g for c in token.children if c.lower_ == "as" for g in c.children
                          if g.dep_ == "pobj" and not self.inside_quote(g.idx)), None)
        if as_object is not None:
            return self.speaker_from_token(as_object)
        return self._name_before(token) or self._first_name_after(token.i + 1) or self._surname_before(token)

    def _surname_before(self, cue: "Token") -> Speaker | None:
        """A known person's surname right before the cue, whatever the model made of the word: in
        '“...,” Bright sings' it reads "Bright" as an adjective of the noun "sings"."""
        if cue.i == 0:
            return None
        word = cue.doc[cue.i - 1]
        if not word.text[:1].isupper() or self.inside_quote(word.idx) or word.is_sent_start:
            return None
        person = self.people.by_surname(word.text, word.idx)
        return Speaker(word.idx, word.idx + len(word.text), person.name) if person is not None else None

    def _name_before(self, cue: "Token") -> Speaker | None:
        """The name opening the cue's sentence when the parse gave the cue no subject: the small model
        can hang "Lund, speaking later to local radio, said:" on the paragraph before. The first name
        before the verb, outside quotes, that is neither an owner ("Achter's solicitor, Mina Okoye,
        said") nor inside a prepositional phrase ("In Veyle, ...")."""
        sentence = self.view.sentence_of(cue)
        if sentence is None:
            return None
        for t in sentence[:cue.i - sentence.start]:
            if self.inside_quote(t.idx) or not (t.ent_type_ in _NAMED or t.pos_ == "PROPN" or t.lower_ in _SUBJECT_PRONOUNS):
                continue
            if (t.lower_.rstrip(".") in NAME_TITLES or t.dep_ == "compound" and t.head.ent_type_ == "PERSON") \
                    and not t.ent_type_:
                continue  # "Her colleague Professor Benedict Yorath", "Headteacher Ann Pell": the title is not the name
            # Only links inside the sentence count: the model can make a name the object of a headline's verb.
            governed = [a for a in (t, *t.ancestors) if sentence.start <= a.head.i < sentence.end]
            if not any(a.dep_ in ("poss", "pobj") for a in governed):
                return self.speaker_from_token(t)
        return None

    def _glued_speaker(self, cue: Cue) -> Speaker:
        start, end = cue.glued_speaker
        word = self.text[start:end]
        person = self.people.by_surname(word, start)
        return Speaker(start, end, person.name if person else None)

    def _colon_speaker(self, cue: Cue) -> Speaker | None:
        sent = self.doc.char_span(cue.start, cue.end, alignment_mode="expand")
        if sent is None:
            return None
        sentence = self.view.sentence_of(sent[0])
        # "Her verdict was blunt:", "Aune was blunt:": whoever the words before the colon are about.
        subjects = [t for t in sentence or () if t.dep_ in _SUBJECTS and t.idx < cue.start and not self.inside_quote(t.idx)]
        for subject in reversed(subjects):
            speaker = self._known_person(subject)
            if speaker is not None:
                return speaker
        for ent in self.view.ents_in(sentence) if sentence is not None else []:
            if ent.label_ in _NAMED and ent.end_char <= cue.start:
                return self._mention(ent)
        return None

    def _first_name_after(self, i: int) -> Speaker | None:
        """The name right after an inverted cue ("said Dr Ines Marlow"); never a word of the quote
        that follows, nor an owner ("said her client was")."""
        doc = self.doc
        for t in doc[i:min(len(doc), i + 4)]:
            if self.inside_quote(t.idx):
                return None
            if t.ent_type_ in _NAMED or t.pos_ == "PROPN" or t.lower_ in _SUBJECT_PRONOUNS:
                return self.speaker_from_token(t)
        return None

    def speaker_from_token(self, token: "Token") -> Speaker:
        doc = token.doc
        token = _person_behind(token)
        ent = self.view.ent_of(token)
        if ent is not None:
            return self._mention(ent)
        left = token.i
        for child in token.lefts:
            # A speaker's words never run over a paragraph break, whatever the parse links.
            if child.dep_ in ("det", "compound", "amod", "poss", "nmod") and not _paragraph_between(child.left_edge, token):
                left = min(left, child.left_edge.i)
        mention = doc[left:token.i + 1]
        if len(mention) == 1 and token.lower_ in _QUANTIFIERS and not any(c.lower_ == "of" for c in token.children):
            group = self._group_before(token)
            if group is not None:
                return Speaker(mention.start_char, mention.end_char, group)
        return Speaker(mention.start_char, mention.end_char, self._name_of(mention))

    def _group_before(self, token: "Token") -> str | None:
        """The people a bare "Several" or "Some" counts among: the first plural noun of the sentence before
        (or its own) that did something ("The marchers chanted ... Some sang", "Dozens of residents spoke.
        Several denounced ...")."""
        sentence = self.view.sentence_of(token)
        if sentence is None:
            return None
        i = bisect.bisect_right(self.view._sentence_starts, token.i) - 1
        lo = self.view.sentences[max(0, i - 1)].start
        for t in self.doc[lo:token.i]:  # the group the sentence is about comes first, not one seen in a clause after it
            if t.tag_ == "NNS" and t.dep_ in _SUBJECTS and not self.inside_quote(t.idx):
                # "Dozens of residents": the people, not their number.
                counted = next((o for p in t.children if p.lower_ == "of" for o in p.children if o.tag_ == "NNS"), t)
                return counted.text.lower()
        return None

    def _mention(self, ent: "Span") -> Speaker:
        return Speaker(ent.start_char, ent.end_char, self._name_of(ent))

    def _entity_name(self, token: "Token") -> str | None:
        """The full name of the person or organisation whose entity holds *token*."""
        ent = self.view.ent_of(token)
        if ent is None:
            return None
        if (ent.start_char, ent.end_char) in self.people.person_spans:
            return self.people.resolve(ent)
        return self.bodies.fullest_org(org_name(ent)) if ent.label_ == "ORG" else None

    def _name_of(self, mention: "Span") -> str | None:
        name = self.people.resolve(mention)
        if name:
            return name
        root = mention.root
        if root.lower_ in PRONOUNS:
            return None
        # Organisations and writings by the fullest name the article gives them: "the trust" is the
        # harbour trust, "the report" whoever released it, "a spokeswoman for the company" the rail company.
        body = self.bodies.name(root) if root.lower_ != "it" else self.bodies.it(root)
        # "a spokeswoman for the company", "analysts at Brightwater Securities": unnamed, they speak for the body.
        if body is None and (root.lemma_.lower() in SPOKESPEOPLE or root.tag_ == "NNS" and root.lemma_.lower() in _STAFF):
            body = next((self.bodies.named(o) for p in root.children if p.dep_ == "prep"
                         and p.lower_ in ("for", "of", "at") for o in p.children if o.dep_ == "pobj"), None)
        if body is not None:
            return body
        ent = next((e for e in self.view.ents_in(mention) if e.label_ == "ORG"), None)
        if ent is not None and ent.root == root:
            return self.bodies.fullest_org(org_name(ent))
        if any(e.label_ in _NAMED for e in self.view.ents_in(mention)) or mention.root.pos_ in ("PROPN", "NOUN"):
            return mention.text
        return None

    # -- reported speech ---------------------------------------------------------------------

    def indirect(self) -> list[Suggestion]:
        out: list[Suggestion] = []
        for sent in self.view.sentences:
            self.view.check()
            if self._overlaps_quote(sent.start_char, sent.end_char):
                continue
            for token in sent:
                if token.lemma_.lower() not in CUE_VERBS or token.pos_ != "VERB":
                    continue
                for clause in (c for c in token.children if c.dep_ == "ccomp" and c.i > token.i):
                    found = self._reported(token, clause, sent)
                    if found is not None:
                        out.append(found)
        return out

    def _overlaps_quote(self, lo: int, hi: int) -> bool:
        i = bisect.bisect_left(self._outer_starts, hi) - 1
        return i >= 0 and self.outer[i][1] > lo

    def _reported(self, verb: "Token", clause: "Token", sent: "Span") -> Suggestion | None:
        tokens = [
            t for t in clause.subtree
            if sent.start <= t.i < sent.end and not (t.dep_ == "mark" and t.i == clause.left_edge.i)
        ]
        while tokens and tokens[-1].is_punct:
            tokens.pop()
        if len(tokens) < MIN_QUOTE_WORDS:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        subject = subject_of(verb)
        speaker = self.speaker_from_token(subject) if subject is not None else None
        reasons = ["reported speech", f"cue “{verb.text}” before the clause"]
        if speaker and speaker.name:
            reasons.append(f"speaker {speaker.name}")
        return Suggestion(
            label=QUOTE,
            start=start,
            end=end,
            text=self.text[start:end],
            speaker=speaker.to_dict(self.text) if speaker else None,
            cue={"text": verb.text, "start": verb.idx, "end": verb.idx + len(verb.text)},
            kind="indirect",
            confidence=0.4 if speaker and speaker.name else 0.3,
            reasons=tuple(reasons),
            rule="suggest:quote-indirect",
        )


def article_paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraphs as the quote rules see them: split at blank lines, or at every line break when the
    article has no blank line at all (wire copy and some pasted pages put one paragraph a line)."""
    if "\n\n" in text.strip() or "\n" not in text.strip():
        return paragraphs(text)
    out, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return out


def _title_case(words: str) -> bool:
    """"Salt Roads of the North": every word but the short ones capitalised."""
    found = _WORD.findall(words)
    return bool(found) and all(w[0].isupper() or len(w) <= 3 for w in found) and found[0][0].isupper()


def _reach(tokens: "Span", count: int) -> int:
    """The token index *count* words into *tokens*, not counting a parenthesis ("(D-Wis.)") or an
    apposition ("Tor Lund, the head of the regional chamber of commerce, said"): they sit between
    a name and its verb without moving the verb away from the quote."""
    seen = depth = 0
    for t in tokens:
        if t.text == "(":
            depth += 1
        # However deep inside the apposition ("the head of the emergency department at Tallis Royal").
        aside = depth > 0 or any(a.dep_ == "appos" and a.i >= tokens.start for a in (t, *t.ancestors))
        if t.text == ")":
            depth = max(0, depth - 1)
        if not aside:
            seen += 1
            if seen >= count:
                return t.i + 1
    return tokens.end


def _sentence_ends(text: str, lo: int, hi: int) -> list[int]:
    """Offsets just after each sentence end in text[lo:hi]; the full stop of "Sen.", "Dr." or an
    initial ("J. Ortiz") ends no sentence, so a cue window runs on past it."""
    out = []
    for m in _SENTENCE_END.finditer(text, lo, hi):
        word = _LAST_WORD.search(text, max(lo, m.start() - 12), m.start())
        if m.group() == "." and word is not None:
            w = word.group(1)
            if w.lower() in _ABBREVIATIONS or (len(w) == 1 and w.isupper()):
                continue
        out.append(m.end())
    return out


def _person_behind(token: "Token") -> "Token":
    """The word naming who speaks, from the subject of a cue.

    A name in apposition, however deep ("Her opponent, the businessman Declan
    Fairweather, said"), or the owner of the words ("His answer was ...", "Her
    verdict was blunt:"); otherwise the subject itself.
    """
    if token.lower_ in _RELATIVE_PRONOUNS and token.head.dep_ == "relcl" and token.head.head != token.head:
        # "Greta Lund, who said ...": a relative pronoun stands for the noun its clause describes.
        relative = token
        token = token.head.head
        if relative.lower_ in ("who", "whom"):
            # "said Priya Nandakumar, an analyst at Keswick Partners, who called ...": "who" is a person;
            # the model hangs its clause on the nearest noun, so climb out of the apposition to the name.
            person, through_apposition = token, False
            while person.ent_type_ != "PERSON" and person.dep_ in ("pobj", "prep", "appos") and person.head != person:
                through_apposition |= person.dep_ == "appos"
                person = person.head
            if person.ent_type_ == "PERSON" or through_apposition and person.pos_ == "PROPN":
                token = person
    doc = token.doc
    if token.ent_type_ == "PERSON" and not any("\n" in t.text for t in doc[min(token.i, token.head.i):max(token.i, token.head.i)]):
        # "Lt. Gov. Carlos Fairweather, a Republican who ...", "Dwight Kell, R-Tillman,": a name is the speaker
        # already; what stands beside it describes them. (A name on the line before its verb is one the
        # model ran into the next paragraph of a single-newline article: the apposition is the speaker there.)
        return token
    described = token
    for _ in range(3):
        # A parenthesis after a name is a party and state ("(D-Wis.)") or an age, never the speaker.
        appositions = [c for c in described.children if c.dep_ == "appos" and not _in_parentheses(c)]
        named = next((c for c in appositions if c.ent_type_ in ("PERSON", "ORG") or c.pos_ == "PROPN"), None)
        if named is not None:
            return named
        described = next((c for c in appositions if c.pos_ == "NOUN"), None)
        if described is None:
            break
    if token.lemma_.lower() in PERSON_NOUNS:
        # "The president of the Tessaly Bar, Lisa Marquand, said": the model hangs the name on the body.
        body = next((o for p in token.children if p.dep_ == "prep" and p.lower_ == "of"
                     for o in p.children if o.dep_ == "pobj" and o.ent_type_ in ("ORG", "FAC", "GPE", "NORP")), None)
        named = next((c for c in body.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None) if body else None
        if named is not None:
            return named
    if token.lemma_.lower() in UTTERANCE_NOUNS:
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        if owner is not None and (owner.lower_ in ("his", "her") or owner.ent_type_ == "PERSON"):
            return owner
    return token


def _phrasal_cue(token: "Token") -> bool:
    """"put" in "as she put it", "went" in "he went on": reporting only with their word after them."""
    after = PHRASAL_CUES.get(token.lemma_.lower())
    return after is not None and token.pos_ == "VERB" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == after


def _in_parentheses(token: "Token") -> bool:
    """True for a word between brackets: "(D-Wis.)", whose "Wis" the model may hang on the name alone."""
    doc = token.doc
    if any(c.text == "(" for c in token.children) or token.left_edge.i > 0 and doc[token.left_edge.i - 1].text == "(":
        return True
    for t in reversed(doc[max(0, token.i - _BRACKET_REACH):token.i]):
        if t.text in (")", "(") or t.is_space:
            return t.text == "(" and any(u.text == ")" for u in doc[token.i + 1:token.i + _BRACKET_REACH])
    return False


def _top_level(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop quotations nested inside another one (a quote within a quote is part of it)."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start < out[-1][1]:
            continue
        out.append((start, end))
    return out


def _governs(token: "Token", outer_start: int, outer_end: int) -> bool:
    """True if the parse links *token* to a word inside the quote (either way)."""
    inside = lambda t: outer_start <= t.idx < outer_end  # noqa: E731
    if inside(token.head):
        return True
    return any(inside(child) for child in token.children)


def subject_of(token: "Token", allowed: "Callable[[Token], bool]" = lambda t: True) -> "Token | None":
    """The subject of a cue, climbing out of participles and coordination; only *allowed* subjects count."""
    if token.dep_ == "acl" and token.tag_ == "VBG" and token.head.pos_ in ("NOUN", "PROPN"):
        # "a leaflet showing the councillor saying ...": the one saying is the noun just before the
        # participle (the small model often hangs it on the leaflet); never the leaflet's verb's subject.
        before = token.doc[token.i - 1] if token.i > 0 else token.head
        return before if before.pos_ in ("NOUN", "PROPN") else token.head
    for _ in range(4):
        subjects = [
            c for c in token.children if c.dep_ in _SUBJECTS and not _paragraph_between(c, token) and allowed(c)
        ]
        if subjects:
            return min(subjects, key=lambda c: abs(c.i - token.i))
        # A clause never takes its subject from another paragraph (a headline the model ran into it).
        if token.dep_ in _CLIMB and token.head != token and not _paragraph_between(token, token.head):
            participle = token.dep_ == "advcl"
            through_as = token.lower_ == "as"
            token = token.head
            quoting = through_as and token.lemma_.lower() in _QUOTING
            quoted = next((c for c in token.children if c.dep_ == "dobj"), None) if quoting else None
            if quoted is not None and allowed(quoted):
                # "The release quotes the minister, Pavel Drozd, as saying ...": the one quoted says it.
                return quoted
            if participle and token.dep_ == "ccomp" and token.head.lemma_.lower() in CUE_VERBS \
                    and not _paragraph_between(token, token.head):
                # "The judge said the firm had ignored the warnings, adding: ...": the model hangs the
                # participle on the reported clause, whose subject is what was said about, not who adds.
                token = token.head
        else:
            return None
    return None


def _paragraph_between(a: "Token", b: "Token") -> bool:
    """The small model sometimes links words across a blank line; such links are never right."""
    lo, hi = sorted((a.i, b.i))
    return any(t.is_space and "\n\n" in t.text for t in a.doc[lo:hi])


def suggest_quotes(view: DocView, *, include_indirect: bool = True) -> tuple[list[Suggestion], QuoteFinder]:
    finder = QuoteFinder(view)
    found = finder.direct()
    if include_indirect:
        found += finder.indirect()
    return found, finder
