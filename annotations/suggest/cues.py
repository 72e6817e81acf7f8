"""Words that introduce speech: reporting verbs, reporting phrases and speaker titles."""

from __future__ import annotations

import re

#: Lemmas of verbs that report speech or writing.
CUE_VERBS = frozenset(
    """
    say tell add warn insist argue claim explain note state announce declare reply respond
    answer ask write tweet post recall remember admit concede acknowledge confirm deny
    suggest predict promise pledge vow urge stress emphasise emphasize caution complain
    lament joke quip laugh shout scream whisper mutter murmur exclaim cry continue conclude
    observe remark comment report describe call testify tell recount allege assert maintain
    agree disagree counter retort boast brag point propose recommend reiterate repeat
    reveal disclose estimate contend
    demand yell chant sing blast accuse label brand criticize criticise condemn denounce dismiss
    liken compare reference cite read hail laud proclaim exhort bemoan wonder characterize
    characterise attack blame scold
    """.split()
)

#: Verbs that report speech only with a particle or object: "as she put it", "he went on".
PHRASAL_CUES = {"put": "it", "go": "on"}

#: Reporting verbs that can be glued to the name before them in badly extracted text.
GLUED_CUES = ("said", "says", "told", "added", "warned")

_GLUED = re.compile(r"^([A-Z][a-z]+?)(" + "|".join(GLUED_CUES) + r")$")

#: Nouns that can stand for a person already named (the minister, the spokeswoman).
PERSON_NOUNS = frozenset(
    """
    minister secretary spokesman spokeswoman spokesperson president chair chairman chairwoman
    leader chief executive director head teacher judge prosecutor lawyer attorney engineer
    officer official councillor mayor governor senator mp founder owner manager economist
    analyst expert doctor nurse farmer mother father son daughter wife husband resident
    constable inspector commissioner general colonel captain ambassador envoy treasurer
    coach captain professor researcher scientist author activist campaigner organiser
    councilman councilwoman councilmember congressman congresswoman assemblyman assemblywoman coroner
    """.split()
)

#: Nouns for someone who speaks for a body; unnamed, their words are the body's.
SPOKESPEOPLE = frozenset({"spokesman", "spokeswoman", "spokesperson", "representative"})

#: Nouns for what someone said: the owner of "her verdict" or "his answer" is the speaker.
UTTERANCE_NOUNS = frozenset(
    """
    answer reply response verdict view message warning advice comment words reaction conclusion
    argument explanation promise plea opinion assessment retort slogan
    """.split()
)

#: Titles written before a name, dropped when giving a person's full name.
NAME_TITLES = frozenset(
    "mr mrs ms miss dr dr. prof prof. professor sir dame lord lady judge justice president minister "
    "chief constable senator governor mayor general colonel captain sergeant inspector rev father "
    # The abbreviations papers write before a name: "Cllr Imogen Stroud", "Sen. Ada Ruiz", "Det Supt Ian Roe".
    "cllr rep sen gov lt col gen sgt capt cmdr adm supt insp det hon rt sheriff alderman pc".split()
)

#: Role nouns that papers use for the same person in turn: "Defense attorney Nadia Reyes ... the defense
#: lawyer said"; "PC Liam Roe ... the officer said".
_SAME_ROLES = (
    "lawyer attorney counsel solicitor barrister advocate",
    "officer pc constable policeman policewoman",
)
ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {role: tuple(group.split()) for group in _SAME_ROLES for role in group.split()}

PRONOUNS = frozenset({"he", "she", "they", "i", "we", "him", "her", "them"})


def split_glued(word: str) -> tuple[str, str] | None:
    """``Asifsaid`` -> (``Asif``, ``said``); None for ordinary words."""
    m = _GLUED.match(word)
    if m is None or len(m.group(1)) < 2:
        return None
    return m.group(1), m.group(2)
