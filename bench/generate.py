"""A deterministic, invented news-style article for the benchmarks.

The text is dense with people, places, organisations, dates and figures so that
the default spaCy model finds roughly one entity every 50 characters: about
20,000 in a megabyte, the size the product issue asks the reader to handle.
Every name below is made up; the same seed always gives the same bytes.
"""

from __future__ import annotations

import random
from pathlib import Path

#: The size the benchmarks ask for, in bytes of UTF-8.
TARGET_BYTES = 1_000_000
SEED = 20240611
#: How often a sentence is plain prose; tuned so the model finds about 20 entities per kilobyte.
PLAIN_SHARE = 0.6

FIRST_NAMES = (
    "Marta Oskar Ilse Dorian Priya Tomasz Helena Rafael Nadia Lucan Greta Emeka Sofia Bram "
    "Anouk Teodor Yara Callum Ingrid Mateo Leona Viktor Amara Jonah Selma Ravi Odile Kasper "
    "Maren Idris Noor Felix Alma Cyrus Hana Lorcan Elif Magnus Zora Anders"
).split()
SURNAMES = (
    "Lindqvist Okafor Brennan Halvorsen Castellano Mbeki Dunmore Varga Ashworth Petrakis "
    "Quennell Sorensen Abernathy Kowalczyk Delacroix Fairbairn Ndiaye Whitcombe Rasmussen "
    "Iordanova Pemberton Achterberg Moreau Tennant Yilmaz Carrow Esterhazy Lowenthal Obi Marchetti"
).split()
TITLES = (
    "Mayor", "Councillor", "Minister", "Senator", "Inspector", "Professor", "Dr.", "Judge",
    "Commissioner", "Chief Executive",
)
TOWNS = (
    "Calderbridge", "Port Averly", "Wrenfield", "Oskarsholm", "Dunmere", "Halstow", "Bellmouth",
    "Corrington", "Marlow Heath", "Eastvale", "Kingsreach", "Saltmarsh", "Ferrisburg", "Norwick",
    "Ashby Vane", "Lowfell", "Tarrant Cove", "Redcastle", "Millhaven", "Greystoke Bay",
)
REGIONS = (
    "Northern Province", "the Valdoran Republic", "East Merrow", "the Sallen Isles", "Westmarch",
    "the Kestrel Coast", "Upper Dunland", "the Free State of Orvay",
)
ORGANISATIONS = (
    "the Harrowgate Port Authority", "Calder Mutual Bank", "the Wrenfield Teachers Union",
    "Bellmouth General Hospital", "the National Audit Office", "Averly Freight Lines",
    "the Ministry of Transport", "Kingsreach University", "the Coastal Water Board",
    "Millhaven City Council", "Orvay Energy", "the Federation of Small Growers",
    "the Redcastle Chamber of Commerce", "Saltmarsh Rail", "the Public Accounts Committee",
    "Norwick Steelworks", "the Eastvale Housing Trust", "Tarrant Shipping Group",
)
GROUPS = ("Valdoran", "Orvayan", "Merrowese", "Sallenese", "Westmarcher", "Kestrelian")
MONTHS = (
    "January February March April May June July August September October November December"
).split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
NOUNS = (
    "bridge", "clinic", "harbour", "budget", "rail line", "water plant", "school", "contract",
    "pension fund", "housing scheme", "ferry service", "grain store", "power station", "tender",
)
VERBS = ("approved", "rejected", "delayed", "questioned", "defended", "postponed", "backed", "audited")
#: Sentences with no entities, so the density matches real reporting rather than a list of names.
PLAIN = (
    "Residents say the queues at the ferry terminal have grown longer every week.",
    "Nobody at the meeting could explain why the paperwork had gone missing.",
    "The report runs to several hundred pages and much of it is heavily redacted.",
    "Shop owners along the quay fear the works will keep customers away for good.",
    "Critics argue that the consultation was rushed and the costs were hidden from view.",
    "Some of the contractors have not been paid, and several have stopped work altogether.",
    "The committee is expected to publish its findings before the end of the session.",
    "Parents waiting outside the school gates were divided over what should happen next.",
    "Engineers warned that the old foundations could not carry the extra weight.",
    "The minutes of the closed session have still not been released to the public.",
)
SAYS = ("said", "told reporters", "wrote in a statement", "told the committee", "said on Tuesday")


class _Writer:
    """Picks invented names and figures from one seeded random source."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def pick(self, options: tuple[str, ...] | list[str]) -> str:
        return self.rng.choice(options)

    def person(self) -> str:
        return f"{self.pick(FIRST_NAMES)} {self.pick(SURNAMES)}"

    def official(self) -> str:
        return f"{self.pick(TITLES)} {self.person()}"

    def date(self) -> str:
        return f"{self.pick(MONTHS)} {self.rng.randint(1, 28)}, {self.rng.randint(1998, 2025)}"

    def money(self) -> str:
        return f"${self.rng.randint(2, 950)}.{self.rng.randint(1, 9)} million"

    def count(self) -> str:
        return f"{self.rng.randint(12, 98_000):,}"

    def percent(self) -> str:
        return f"{self.rng.randint(2, 88)} percent"

    def sentence(self) -> str:
        town, org, noun = self.pick(TOWNS), self.pick(ORGANISATIONS), self.pick(NOUNS)
        templates = (
            lambda: f"On {self.date()}, {self.official()} of {org} {self.pick(VERBS)} the {noun} in {town}, "
            f"which had cost {self.money()}.",
            lambda: f"\u201cWe were never shown the figures,\u201d {self.person()} {self.pick(SAYS)}, adding that "
            f"{self.count()} residents of {town} had signed a petition by {self.pick(WEEKDAYS)}.",
            lambda: f"{self.person()}, a spokeswoman for {org}, said spending rose {self.percent()} "
            f"between {self.rng.randint(2001, 2012)} and {self.rng.randint(2013, 2024)}.",
            lambda: f"The {self.pick(GROUPS)} delegation, led by {self.official()}, met {self.person()} "
            f"in {town} on {self.pick(WEEKDAYS)} to discuss the {noun}.",
            lambda: f"According to {org}, {self.count()} people in {self.pick(REGIONS)} lost work after "
            f"{self.date()}, and {self.person()} blamed {self.pick(ORGANISATIONS)}.",
            lambda: f"By {self.pick(MONTHS)} {self.rng.randint(2010, 2025)}, {self.pick(ORGANISATIONS)} "
            f"expected to hire {self.count()} staff in {town} and {self.pick(TOWNS)}.",
            lambda: f"{self.official()} told {self.pick(ORGANISATIONS)} that the {noun} would need "
            f"another {self.money()} and {self.rng.randint(3, 40)} months of work.",
        )
        if self.rng.random() < PLAIN_SHARE:
            return self.pick(PLAIN)
        return self.pick(templates)()

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 6)))


def headline() -> str:
    return "Calderbridge harbour inquiry: the figures behind the bridge vote"


def article_text(target_bytes: int = TARGET_BYTES, seed: int = SEED) -> str:
    """A headline and paragraphs separated by blank lines, just over *target_bytes* long."""
    writer = _Writer(seed)
    parts = [headline()]
    size = len(parts[0].encode())
    while size < target_bytes:
        paragraph = writer.paragraph()
        parts.append(paragraph)
        size += len(paragraph.encode()) + 2
    return "\n\n".join(parts) + "\n"


def write_article(directory: Path, target_bytes: int = TARGET_BYTES) -> Path:
    """Write the article to *directory* and return its path."""
    path = Path(directory) / "bench-article.txt"
    path.write_text(article_text(target_bytes), encoding="utf-8")
    return path


def first_words(text: str, count: int = 3) -> str:
    """The opening words of *text*: what must appear on screen for it to count as painted."""
    return " ".join(text.split()[:count])
