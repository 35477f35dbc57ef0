"""Synthetic corpora in the fact language, for scale benchmarks.

:func:`generate` writes a made-up but plausible political world, shaped like curated data
(``CPKG_DATA``) plus the article texts its offsets point into (``CPKG_CORPUS``)::

    OUT/entities.yaml              registry: entities: [{id, name, type, aliases}]
    OUT/sources/<source-id>.yaml   one synthetic article's facts (FACTS.md shape)
    OUT/corpus/<source-id>.txt     the article text (UTF-8, "\\n" line ends)
    OUT/corpus/<source-id>.meta.yaml   like ../shared/corpus: file, sha256, title, ...
    OUT/synth-manifest.json        arguments and counts; marks the folder as ours

The folder appears whole or not at all (:func:`graph.atomic.atomic_dir`).

Every fact is ``status: reviewed`` with ``evidence`` offsets (characters, not bytes: some
sentences carry a typographic apostrophe) spanning the template sentence that states it,
and each source's ``text_sha256`` is the sha256 of its text's UTF-8 bytes.  A few facts
are restated by a second article, either word for word or with another date or another
sentence length, so that the conflict machinery has work at every scale.

Names are built from syllable lists (Khmer order, family name first) and a short list of
real public figures' names is never produced; publishers and URLs say "synthetic".

Output depends on the arguments only: one :class:`random.Random` seeded with ``seed``,
no ``hash()``, no set iteration, no clock.  YAML is written by hand as JSON-style flow
mappings (valid YAML that :func:`graph.yamlsafe.loads` reads back with every string a
string), about 30x faster than ``yamlsafe.dumps`` (yaml.dump).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .atomic import atomic_dir
from .errors import InputError
from .resolve import name_key
from .settings import MAX_YAML_BYTES

__all__ = [
    "MIN_PEOPLE",
    "MANIFEST_NAME",
    "SynthSummary",
    "generate",
    "people_for_triples",
    "yaml_flow",
]

MIN_PEOPLE = 10
MANIFEST_NAME = "synth-manifest.json"
GENERATOR = "cpkg synth"
FORMAT_VERSION = 1

#: Facts written per person, measured on this generator (all facts, party and
#: organisation facts and restatements included, divided by ``people``).
FACTS_PER_PERSON = 8.1
#: RDF quads graph.load.build_quads makes per fact of this corpus, registry and source
#: descriptions included, ontology left out: 22.8 at 1,000 and at 10,000 people (the
#: loader as of this module's writing; re-measure when it changes).
TRIPLES_PER_FACT = 22.8

_DAY0 = date(1990, 1, 1).toordinal()
#: The synthetic "today": every reported event happens by then; only expected
#: release dates lie after it.
_NOW = date(2025, 6, 30).toordinal()
_YEAR = 365

# --------------------------------------------------------------------------- vocabulary

_FAMILY = (
    "Chea Sok Heng Ly Keo Meas Pen Chan Ouk Prak Mam Touch Yim Vann Tep Um Long Ros Nhem "
    "Seng Kong Eng Thach Son Kem Sam Mao Yin Chhim Lim Nget Phan Svay Tan Uy Var Chhay Hem "
    "Khun Lay Leng Men Nov Pich Ruos Sin Soy Tith Oeur Bun Chum Hong Khem Ngin Pov Roeun "
    "Saing Yos Hun"
).split()
_GIVEN_HEAD = (
    "So Da Ra Vi Sa Bo Chan Ma Ke Pha Sre Pi Ro Vu Lo Ny Tha Pu Si Chea Ko Mo Ri Sei Va "
    "Kun Sam Pov Rat Dy"
).split()
_GIVEN_TAIL = (
    "kha ra vy reth phal dy ny roth nak thy lin rin mony pheap vuth sath rith na ly kim "
    "chet vann thea sna vorn neang mara dara sokh ratha"
).split()
_GIVEN_WHOLE = (
    "Vanna Dara Bopha Sophal Chantha Rithy Samnang Sokun Vuthy Kosal Pisey Sreymom Chenda "
    "Nimol Piseth Rotha Sovann Thida Veasna Narith Sopheak Leakena Malis Kanha Sothea "
    "Vicheka Seyha Phearun Sambath Vibol"
).split()
#: Real public figures: a synthetic person must never carry one of these names.
_REAL_NAMES = frozenset(
    {
        "Hun Sen", "Hun Manet", "Hun Many", "Hun Mana", "Kem Sokha", "Kem Monovithya",
        "Sam Rainsy", "Son Chhay", "Thach Setha", "Eng Srouy", "Seng Marady", "Kong Monika",
        "Mu Sochua", "Sar Kheng", "Chea Sim", "Heng Samrin", "Prak Sokhonn", "Rong Chhun",
        "Yim Sovann", "Kong Korm", "Um Sam An", "Sam Sokha", "Tep Vanny", "Kem Ley",
        "Chea Vichea", "Pen Sovann", "Khem Veasna", "Sok An", "Tea Banh", "Say Chhum",
        "Chea Mony", "Ou Virak", "Sok Eysan", "Mam Sonando", "Meas Sophea",
    }
)
_PARTY_A = "Khmer Cambodian Angkor Mekong Tonle Kampuchean Democratic Popular United Free Royal Liberal".split()
_PARTY_B = (
    "Lotus Dawn Rice Justice Renewal Unity Lantern Star Harmony Freedom Progress Heritage "
    "Sunrise River Conscience Solidarity"
).split()
_PARTY_C = "Movement Alliance Front Union League Congress Coalition Assembly".split()
_PLACE_A = "Kampong Prey Svay Stung Tuol Boeng Chroy Srae Phnum Krang".split()
_PLACE_B = (
    "Rith Chhlong Meanchey Sala Thmey Kandal Rolous Trach Ampil Kouk Damrei Chrey Popel "
    "Kravanh Lvea Spean"
).split()
_GOV_BODIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("national-election-committee", "National Election Committee", ("NEC",)),
    ("ministry-of-interior", "Ministry of Interior", ()),
    ("ministry-of-justice", "Ministry of Justice", ()),
    ("ministry-of-information", "Ministry of Information", ()),
    ("constitutional-council", "Constitutional Council", ()),
)
_ELECTIONS = (
    ("1993-05-23", "national-assembly", "National Assembly election"),
    ("1998-07-26", "national-assembly", "National Assembly election"),
    ("2002-02-03", "commune", "commune elections"),
    ("2003-07-27", "national-assembly", "National Assembly election"),
    ("2006-01-22", "senate", "Senate election"),
    ("2007-04-01", "commune", "commune elections"),
    ("2008-07-27", "national-assembly", "National Assembly election"),
    ("2012-01-29", "senate", "Senate election"),
    ("2012-06-03", "commune", "commune elections"),
    ("2013-07-28", "national-assembly", "National Assembly election"),
    ("2017-06-04", "commune", "commune elections"),
    ("2018-02-25", "senate", "Senate election"),
    ("2018-07-29", "national-assembly", "National Assembly election"),
    ("2022-06-05", "commune", "commune elections"),
    ("2023-07-23", "national-assembly", "National Assembly election"),
    ("2024-02-25", "senate", "Senate election"),
)
_EVENT_KINDS = (
    "land protest", "garment workers strike", "opposition rally", "hunger strike",
    "candlelight vigil", "teachers march", "farmers sit-in", "election forum", "monks march",
    "boycott of the national holiday",
)
_ORG_FORMS = ("{p} Rights Centre", "{b} Workers Union", "{a} {b} Association",
              "{p} Community Radio", "{b} Legal Aid", "{p} Land Network")
_COUNTRIES = ("France", "United States", "Australia", "Thailand", "Canada", "Japan",
              "Malaysia", "Sweden", "Germany", "New Zealand")
_OCCUPATIONS = (
    "lawyer", "teacher", "farmer", "journalist", "monk", "businessman", "businesswoman",
    "union leader", "land activist", "environmental activist", "engineer", "doctor",
    "lawmaker", "commune chief", "civil servant", "police officer", "military officer",
    "student", "Khmer Bible editor", "radio host", "economist", "human rights worker",
    "garment worker", "accountant",
)
_CHARGES = (
    "incitement", "incitement to commit a felony", "treason", "conspiracy to commit treason",
    "defamation", "issuing bad cheques", "plotting against the state", "insulting the king",
    "forgery", "obstruction of justice", "incitement to military disobedience",
    "destruction of property", "public insult", "illegal possession of weapons",
    "money laundering",
)
_SENTENCES = ("P6M", "P1Y", "P18M", "P2Y", "P30M", "P3Y", "P5Y", "P7Y", "P8Y", "P10Y",
              "P20Y", "P27Y")
_ROLES = (
    "president", "vice president", "deputy president", "secretary-general", "treasurer",
    "provincial chief", "commune councillor", "youth wing leader", "women’s wing leader",
    "steering committee member", "senior adviser", "chief of cabinet",
    "standing committee member",
)
_RELATIONS = ("brother", "sister", "son", "daughter", "father", "mother", "wife", "husband",
              "cousin", "nephew", "niece", "uncle", "aunt")
_RELEASE_LITERALS = ("pre-trial detention", "house arrest", "police custody")
#: Short summaries for statedBy; a few carry quotes, colons, '#' and a bare NO on purpose.
_STATEMENTS = (
    "the charges were politically motivated",
    "the party would contest the next election",
    "the verdict would be appealed",
    "no one had been allowed to visit the detainees",
    "talks with the government had been constructive",
    "the arrests were meant to silence critics",
    "the party had never received foreign funding",
    "the court had acted independently",
    'the ruling was "a dark day" for the opposition',
    "the ban on the rally was lawful",
    "land disputes in the province remained unresolved",
    "the election results were credible",
    "the election was neither free nor fair",
    "the detainees were in poor health",
    "the union would continue its strike",
    "the accusations of treason were baseless",
    "the merger would strengthen the opposition",
    "the government was open to dialogue",
    "journalists must be free to report",
    "the party’s leaders would return from exile",
    "the plan had one goal: reform",
    "the #1 priority was the release of prisoners",
    "the answer to the boycott was NO",
    "the group had 1,200 members",
)
_FILLER = (
    "Observers said the case drew wide attention.",
    "The government’s spokesman could not be reached for comment.",
    "Rights groups have criticised the proceedings.",
    "The claims could not be independently verified.",
    "Supporters gathered outside the building.",
    "Diplomats attended part of the hearing.",
)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
                 8: "eight", 9: "nine", 10: "ten"}

#: How a fact is said, by predicate; "+key" variants are chosen from the fact's fields.
#: Every template names the subject ({s}); templates of dated facts name the date.
_TEMPLATES: dict[str, tuple[str, ...]] = {
    "memberOf": ("{s} was a member of {o} from {start} to {end}.",
                 "{s} belonged to {o} between {start} and {end}.",
                 "From {start} to {end}, {s} was a member of {o}."),
    "memberOf+open": ("{s} has been a member of {o} since {start}.", "{s} joined {o} {on_start}."),
    "holdsRole": ("{s} served as {o} of {org} from {start} to {end}.",
                  "{s} was {o} of {org} between {start} and {end}."),
    "holdsRole+open": ("{s} has served as {o} of {org} since {start}.",
                       "{org} named {s} its {o} {on_start}."),
    "leaderOf": ("{s} led {o} from {start} to {end}.",
                 "{o} was headed by {s} between {start} and {end}."),
    "leaderOf+open": ("{s} has led {o} since {start}.",
                      "{s} took over the leadership of {o} {on_start}."),
    "founded": ("{s} founded {o} {on}.", "{o} was founded by {s} {on}.", "{on}, {s} set up {o}."),
    "established": ("{s} was established {on_o}.", "{s} was formed {on_o}, according to its charter."),
    "renamedTo": ("{s} renamed itself {o} {on}.", "{on}, {s} changed its name to {o}."),
    "mergedInto": ("{s} merged into {o} {on}.", "{s} was absorbed by {o} {on}."),
    "successorOf": ("{s}, formed {on}, presents itself as the successor of {o}.",
                    "{on}, {s} claimed to be the heir of {o}."),
    "allianceWith": ("{s} formed an alliance with {o} that lasted from {start} to {end}.",
                     "{s} and {o} were allied between {start} and {end}."),
    "allianceWith+open": ("{s} has been in an alliance with {o} since {start}.",),
    "dissolvedBy": ("{o} dissolved {s} {on}.", "{s} was dissolved by {o} {on}."),
    "disqualifiedBy": ("{o} disqualified {s} from the {election} {on}.",
                       "{on}, {s} was barred from the {election} by {o}."),
    "contested": ("{s} contested the {o}.", "{s} fielded candidates in the {o}."),
    "won": ("{s} won the {o}.", "{s} came first in the {o}."),
    "won+share": ("{s} won {o} of the vote in the {election}.",
                  "In the {election}, {s} took {o} of the vote."),
    "chargedWith": ("{s} was charged with {o} {on}.", "Prosecutors charged {s} with {o} {on}."),
    "convictedOf": ("{court} convicted {s} of {o} {on}.",
                    "{s} was found guilty of {o} by {court} {on}."),
    "convictedBy": ("{s} was convicted by {o} {on}.",
                    "{on}, {o} handed down a guilty verdict against {s}."),
    "sentencedTo": ("{s} was sentenced to {dur} in prison {on}.",
                    "{on}, {s} received a {dur_adj} prison sentence.",
                    "{s} was given {dur} {on}."),
    "detainedAt": ("{s} was taken to {o} {on}.", "{s} has been held at {o} since {when}."),
    "releasedFrom": ("{s} was released from {o} {on}.", "{s} walked out of {o} {on}."),
    "releasedFrom+expected": ("{s} is expected to be released from {o} {on}.",
                              "{s}’s release from {o} is due {on}."),
    "releasedFrom+literal": ("{s} was freed from {o} {on}.",),
    "metWith": ("{s} met {o} {on}.", "{s} held talks with {o} {on}.",
                "{on}, {s} and {o} met in the capital."),
    "visited": ("{s} visited {o} {on}.", "{on}, {s} paid a visit to {o}."),
    "statedBy": ("{s} said {on} that {o}.", "{on}, {s} said {o}.",
                 "According to {s}, speaking {on}, {o}."),
    "spokespersonOf": ("{s} is a spokesperson for {o}.", "{o} spokesperson {s} declined to comment."),
    "directorOf": ("{s} is the director of {o}.", "{o} director {s} confirmed the figures."),
    "defectedTo": ("{s} defected to {o} {on}.", "{on}, {s} left to join {o}."),
    "exiledIn": ("{s} has lived in exile in {o} since {when}.", "{s} fled to {o} {on}."),
    "relativeOf": ("{s} is the {relation} of {o}.", "{o}’s {relation}, {s}, was also present."),
    "citizenOf": ("{s} is a citizen of {o}.", "{s} holds citizenship of {o}."),
    "occupation": ("{s}, {a_o} by training, spoke to reporters.", "{s} works as {a_o}."),
    "participatedIn": ("{s} took part in the {o} {on}.", "{s} joined the {o} {on}."),
}

#: Predicates whose object is always an entity id, and those where it may be one.
_ENTITY_OBJECT = frozenset(
    "memberOf leaderOf founded renamedTo mergedInto successorOf allianceWith dissolvedBy "
    "disqualifiedBy contested convictedBy detainedAt metWith visited spokespersonOf "
    "directorOf defectedTo relativeOf participatedIn".split()
)
_EITHER_OBJECT = frozenset({"won", "releasedFrom"})
_REF_QUALIFIERS = ("org", "court", "election")

# --------------------------------------------------------------------------- YAML writer

_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_unsafe(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def yaml_flow(value: Any) -> str:
    """``value`` (dicts, lists, str, int, bool) as one line of YAML, read back unchanged.

    JSON is YAML; what JSON leaves raw but YAML refuses or reads as a line break (DEL,
    C1 controls, U+2028/2029, BOM) is escaped as ``\\uXXXX``.  It only ever occurs inside
    strings, so the replacement is safe.  Lone surrogates have no YAML (nor UTF-8) form:
    ValueError.
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    if _SURROGATE.search(text):
        raise ValueError("lone surrogate in a string: not representable in YAML")
    if _YAML_UNSAFE.search(text):
        text = _YAML_UNSAFE.sub(_escape_unsafe, text)
    return text


# --------------------------------------------------------------------------- dates


def _iso(ordinal: int, precision: str) -> str:
    d = date.fromordinal(ordinal)
    if precision == "d":
        return d.isoformat()
    if precision == "m":
        return f"{d.year:04d}-{d.month:02d}"
    return f"{d.year:04d}"


def _ordinal(iso: str) -> int:
    """The first day an ISO date of any precision stands for."""
    parts = [int(x) for x in iso.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1).toordinal()


def _say(iso: str) -> str:
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def _on(iso: str) -> str:
    return ("on " if iso.count("-") == 2 else "in ") + _say(iso)


def _duration_words(iso: str) -> tuple[str, str]:
    """"P3Y" -> ("three years", "three-year"); "P18M" -> ("18 months", "18-month")."""
    n, unit = int(iso[1:-1]), ("year" if iso.endswith("Y") else "month")
    word = _NUMBER_WORDS.get(n, str(n))
    return f"{word} {unit}{'s' if n != 1 else ''}", f"{word}-{unit}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --------------------------------------------------------------------------- the world


@dataclass(slots=True)
class _Fact:
    fields: dict[str, Any]
    sentence: str
    refs: tuple[str, ...]
    last_day: int  # the latest day among the fact's reported dates (for `published`)


@dataclass(slots=True)
class _Party:
    id: str
    est: int
    end: int | None = None
    successor: str | None = None
    members: list[tuple[str, int, int | None]] = field(default_factory=list)


@dataclass(frozen=True)
class SynthSummary:
    """What :func:`generate` wrote."""

    out_dir: Path
    people: int
    seed: int
    entities: int
    sources: int
    facts: int
    restated: int
    disagreements: int
    entity_types: dict[str, int]
    predicates: dict[str, int]

    def one_line(self) -> str:
        return (
            f"wrote {self.out_dir}: {self.entities} entities, {self.sources} sources, "
            f"{self.facts} facts (people={self.people}, seed={self.seed})"
        )


def people_for_triples(triples: int) -> int:
    """How many people make a corpus of about ``triples`` RDF triples.

    Assumes :data:`FACTS_PER_PERSON` facts per person (measured here) and
    :data:`TRIPLES_PER_FACT` triples per fact (the loader's; calibrate it there), i.e.
    about 185 triples per person: 10k triples -> 54 people, 1M -> 5415.
    """
    if triples < 1:
        raise InputError("the number of triples must be positive")
    return max(MIN_PEOPLE, round(triples / (FACTS_PER_PERSON * TRIPLES_PER_FACT)))


class _World:
    """Builds entities and facts in memory; every draw comes from ``self.rng``."""

    def __init__(self, people: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.people = people
        self.entities: dict[str, dict[str, Any]] = {}
        self.blocks: dict[str, list[_Fact]] = {}  # facts grouped by the entity they are about
        self.persons: list[str] = []
        self.by_family: dict[str, list[str]] = {}
        self.parties: list[_Party] = []
        self.party_of: dict[str, _Party] = {}
        self.courts: list[str] = []
        self.prisons: list[str] = []
        self.orgs: list[str] = []
        self.events: list[tuple[str, str]] = []  # (id, ISO date)
        self.elections: list[tuple[str, int]] = []  # (id, ordinal)
        self.detained: list[tuple[str, str, int]] = []  # (person, prison, since)
        self.used_keys: set[str] = set()  # name_key of every name and alias given out

    # ---- entities
    #
    # The registry lets one surface form name one actor only (graph.resolve), so every
    # name and alias is claimed by its matching key: a taken alias is simply not given.

    def _claim(self, form: str) -> bool:
        key = name_key(form)
        if key in self.used_keys:
            return False
        self.used_keys.add(key)
        return True

    def _add_entity(self, name: str, type_: str, aliases: list[str], key: str | None = None) -> str:
        """Add an entity whose ``name`` is already claimed; aliases are kept if still free."""
        base = _slug(key or name)
        eid, n = base, 2
        while eid in self.entities:
            eid, n = f"{base}-{n}", n + 1
        aliases = [a for a in aliases if a != name and self._claim(a)]
        self.entities[eid] = {"id": eid, "name": name, "type": type_, "aliases": aliases}
        return eid

    def _unique_name(self, make: Callable[[], str]) -> str:
        """A fresh name from ``make``, numbered once the vocabulary runs out."""
        for _ in range(40):
            name = make()
            if self._claim(name):
                return name
        base, n = make(), 2
        while not self._claim(f"{base} {n}"):
            n += 1
        return f"{base} {n}"

    def _place(self) -> str:
        return f"{self.rng.choice(_PLACE_A)} {self.rng.choice(_PLACE_B)}"

    def _placed(self, what: str) -> str:
        """A fresh "<place> <what>" name ("Kampong Rith Provincial Court")."""
        return self._unique_name(lambda: f"{self._place()} {what}")

    def _organisation_name(self, form: str) -> str:
        rng = self.rng
        return self._unique_name(
            lambda: form.format(p=self._place(), a=rng.choice(_PARTY_A), b=rng.choice(_PARTY_B)))

    def _party_name(self) -> str:
        rng = self.rng
        a, b = rng.choice(_PARTY_A), rng.choice(_PARTY_B)
        if rng.random() < 0.5:
            return f"{a} {b} Party"
        return f"{a} {b} {rng.choice(_PARTY_C)} Party"

    def _person_name(self) -> tuple[str, str]:
        """Family name and given name, the pair unused (and no real figure's)."""
        rng = self.rng
        tries = 0
        while True:
            tries += 1
            family = rng.choice(_FAMILY)
            if tries > 8:  # the common names are taken: longer given names
                given = rng.choice(_GIVEN_HEAD) + rng.choice(_GIVEN_TAIL) + rng.choice(_GIVEN_TAIL)
            elif rng.random() < 0.3:
                given = rng.choice(_GIVEN_WHOLE)
            else:
                given = rng.choice(_GIVEN_HEAD) + rng.choice(_GIVEN_TAIL)
            name = f"{family} {given}"
            if name not in _REAL_NAMES and self._claim(name):
                return family, given

    def _typo(self, word: str) -> str:
        vowels = [i for i, c in enumerate(word) if c in "aeiou"]
        if vowels:
            i = self.rng.choice(vowels)
            c = self.rng.choice([v for v in "aeiou" if v != word[i]])
            return word[:i] + c + word[i + 1:]
        return word + word[-1]

    def make_entities(self) -> None:
        rng, n = self.rng, self.people
        for eid, name, forms in _GOV_BODIES:
            self._claim(name)
            self._add_entity(name, "GovernmentBody", list(forms), eid)
        for iso, kind, label in _ELECTIONS:
            name = f"{iso[:4]} {label}"
            self._claim(name)
            eid = self._add_entity(name, "Election", [], f"{kind}-election-{iso[:4]}")
            self.elections.append((eid, _ordinal(iso)))
        for name, other in (("Supreme Court", ()), ("Appeal Court", ("Court of Appeal",))):
            self._claim(name)
            self.courts.append(self._add_entity(name, "Court", list(other)))
        for _ in range(max(3, n // 100)):
            kind = rng.choice(("Provincial Court", "Municipal Court", "Provincial Court"))
            name = self._placed(kind)
            self.courts.append(self._add_entity(name, "Court", []))
        for _ in range(max(3, n // 100)):
            kind = rng.choice(("Prison", "Provincial Prison", "Correctional Centre"))
            name = self._placed(kind)
            self.prisons.append(self._add_entity(name, "Prison", []))
        for _ in range(max(3, n // 50)):
            name = self._organisation_name(rng.choice(_ORG_FORMS))
            self.orgs.append(self._add_entity(name, "Organization", []))
        for _ in range(max(5, n // 40)):
            day = rng.randint(_DAY0, _NOW)
            kind = rng.choice(_EVENT_KINDS)
            name = self._placed(f"{kind} of {date.fromordinal(day).year}")
            self.events.append((self._add_entity(name, "Event", []), self._iso_random_precision(day)))
        for _ in range(n):
            family, given = self._person_name()
            aliases: list[str] = []
            if rng.random() < 0.5:
                aliases.append(given)  # the press's short form, as "Chhay" for Son Chhay
            if rng.random() < 0.2:
                aliases.append(f"{given} {family}")
            if rng.random() < 0.15:
                aliases.append(f"{family} {self._typo(given)}")
            pid = self._add_entity(f"{family} {given}", "Person", aliases)
            self.persons.append(pid)
            self.by_family.setdefault(family, []).append(pid)

    def _new_party(self, est: int) -> _Party:
        name = self._unique_name(self._party_name)
        acronym = "".join(w[0] for w in name.split())
        party = _Party(self._add_entity(name, "PoliticalParty", [acronym]), est)
        self.parties.append(party)
        self.party_of[party.id] = party
        return party

    # ---- facts

    def _iso_random_precision(self, ordinal: int) -> str:
        r = self.rng.random()
        return _iso(ordinal, "d" if r < 0.7 else "m" if r < 0.9 else "y")

    def _period(self, a: int, b: int | None) -> tuple[str, str | None]:
        """Start and end with one precision, the end strictly after the start (b > a)."""
        r = self.rng.random()
        precision = "d" if r < 0.7 else "m" if r < 0.9 else "y"
        start = _iso(a, precision)
        if b is None:
            return start, None
        end = _iso(b, precision)
        if end <= start:
            start, end = _iso(a, "d"), _iso(b, "d")
        return start, end

    def surface(self, eid: str, alias_rate: float) -> str:
        entity = self.entities[eid]
        if entity["aliases"] and self.rng.random() < alias_rate:
            return str(self.rng.choice(entity["aliases"]))
        return str(entity["name"])

    def render(self, f: dict[str, Any]) -> str:
        p = f["p"]
        key = p
        o = f["o"]
        ctx: dict[str, str] = {}
        ctx["s"] = self.surface(f["s"], 0.25 if self.entities[f["s"]]["type"] == "Person" else 0.15)
        if p in _ENTITY_OBJECT or (p in _EITHER_OBJECT and o in self.entities):
            ctx["o"] = self.surface(o, 0.1 if self.entities[o]["type"] == "Person" else 0.3)
        else:
            ctx["o"] = str(o)
        if p == "won" and "election" in f:
            key = "won+share"
        elif p == "releasedFrom":
            if f.get("expected"):
                key = "releasedFrom+expected"
            elif o not in self.entities:
                key = "releasedFrom+literal"
        elif p in ("memberOf", "holdsRole", "leaderOf", "allianceWith") and "end" not in f:
            key = p + "+open"
        for q in _REF_QUALIFIERS:
            if q in f:
                ctx[q] = str(self.entities[f[q]]["name"])
        if "date" in f:
            ctx["on"], ctx["when"] = _on(f["date"]), _say(f["date"])
        if "start" in f:
            ctx["start"], ctx["on_start"] = _say(f["start"]), _on(f["start"])
        if "end" in f:
            ctx["end"] = _say(f["end"])
        if p == "established":
            ctx["on_o"] = _on(o)
        elif p == "sentencedTo":
            ctx["dur"], ctx["dur_adj"] = _duration_words(o)
        elif p == "occupation":
            ctx["a_o"] = ("an " if o[0] in "aeiou" else "a ") + o
        elif p == "relativeOf":
            ctx["relation"] = f["relation"]
        text = self.rng.choice(_TEMPLATES[key]).format(**ctx)
        return text[0].upper() + text[1:]

    def make_fact(self, f: dict[str, Any]) -> _Fact:
        p, o = f["p"], f["o"]
        refs = [f["s"]]
        if p in _ENTITY_OBJECT or (p in _EITHER_OBJECT and o in self.entities):
            refs.append(o)
        refs.extend(f[q] for q in _REF_QUALIFIERS if q in f)
        days = [_ordinal(f[k]) for k in ("date", "start", "end") if k in f and not f.get("expected")]
        if p == "established":
            days.append(_ordinal(o))
        return _Fact(f, self.render(f), tuple(refs), max(days) if days else 0)

    def add(self, block: str, s: str, p: str, o: Any, **quals: Any) -> None:
        f: dict[str, Any] = {"s": s, "p": p, "o": o}
        for k, v in quals.items():
            if v is not None:
                f[k] = v
        self.blocks.setdefault(block, []).append(self.make_fact(f))

    # ---- parties

    def _alive(self, t: int, exclude: str = "") -> _Party | None:
        for _ in range(30):
            party = self.rng.choice(self.parties)
            if party.est <= t and (party.end is None or t < party.end - 60) and party.id != exclude:
                return party
        return None

    def make_parties(self) -> None:
        rng, add = self.rng, self.add
        target = max(8, self.people // 20)
        for _ in range(max(5, (target * 3) // 5)):
            self._new_party(rng.randint(_DAY0, _NOW - 5 * _YEAR))
        self.parties.sort(key=lambda q: (q.est, q.id))
        i = 0
        forced = [0.1, 0.4, 0.5]  # one rename, merger and dissolution however small the world
        while i < len(self.parties):  # grows as renames and successors are added
            party = self.parties[i]
            i += 1
            add(party.id, party.id, "established", self._iso_random_precision(party.est))
            if party.est > _NOW - 3 * _YEAR:
                continue
            when = rng.randint(party.est + 2 * _YEAR, _NOW - _YEAR)
            fate = forced.pop(0) if forced else rng.random()
            if fate < 0.3 and len(self.parties) < target:
                new = self._new_party(when)
                party.end, party.successor = when, new.id
                add(party.id, party.id, "renamedTo", new.id, date=self._iso_random_precision(when))
                if rng.random() < 0.3:
                    add(new.id, new.id, "successorOf", party.id, date=self._iso_random_precision(when))
            elif fate < 0.45:
                into = self._alive(when, exclude=party.id)
                if into is not None and into.est < when:
                    party.end, party.successor = when, into.id
                    add(party.id, party.id, "mergedInto", into.id, date=self._iso_random_precision(when))
            elif fate < 0.6:
                party.end = when
                body = self.courts[0] if rng.random() < 0.8 else rng.choice(self.courts)
                add(party.id, party.id, "dissolvedBy", body, date=self._iso_random_precision(when))
                if rng.random() < 0.6 and len(self.parties) < target:
                    heir = self._new_party(when + rng.randint(30, 400))
                    add(heir.id, heir.id, "successorOf", party.id,
                        date=self._iso_random_precision(heir.est))
        for _ in range(max(3, len(self.parties) // 4)):
            a, b = rng.choice(self.parties), rng.choice(self.parties)
            lo, hi = max(a.est, b.est), min(a.end or _NOW, b.end or _NOW)
            if a is b or hi - lo < 120:
                continue
            start = rng.randint(lo, hi - 90)
            end: int | None = start + rng.randint(90, 6 * _YEAR)
            if end is not None and end >= hi:
                end = hi if hi < _NOW else None
            s_iso, e_iso = self._period(start, end)
            add(a.id, a.id, "allianceWith", b.id, start=s_iso, end=e_iso)
        self._elections()

    def _elections(self) -> None:
        rng, add = self.rng, self.add
        for eid, day in self.elections:
            alive = [q for q in self.parties if q.est < day - 90 and (q.end is None or q.end > day)]
            if not alive:
                continue
            rate = min(0.6, 25 / len(alive))
            running: list[_Party] = []
            for party in alive:
                if rng.random() < 0.04:
                    when = day - rng.randint(20, 150)
                    add(party.id, party.id, "disqualifiedBy", "national-election-committee",
                        election=eid, date=self._iso_random_precision(when))
                elif rng.random() < rate:
                    running.append(party)
                    add(party.id, party.id, "contested", eid)
            if not running:
                continue
            weights = [rng.random() ** 2 for _ in running]
            total = sum(weights)
            best = max(range(len(running)), key=lambda k: weights[k])
            add(running[best].id, running[best].id, "won", eid)
            for party, w in zip(running, weights, strict=True):
                share = 100 * w / total
                if rng.random() < 0.6 and share >= 0.5:
                    text = f"{share:.0f}%" if share >= 10 else f"{share:.1f}%"
                    add(party.id, party.id, "won", text, election=eid)
        for party in self.parties:  # rallies and boycotts in the party's lifetime, each once
            joined: list[str] = []
            for _ in range(rng.choice((0, 0, 1, 1, 2))):
                event, iso = rng.choice(self.events)
                if event not in joined and party.est <= _ordinal(iso) <= (party.end or _NOW):
                    joined.append(event)
                    add(party.id, party.id, "participatedIn", event, date=iso)

    # ---- people

    def make_people(self) -> None:
        for pid in self.persons:
            self._person(pid)
        self._leaders()
        self._organisations()

    def _person(self, pid: str) -> None:
        rng = self.rng
        add = self.add
        start = rng.randint(_DAY0, _NOW - 4 * _YEAR)
        exile = False
        add(pid, pid, "citizenOf", "Cambodia")
        if rng.random() < 0.85:
            add(pid, pid, "occupation", rng.choice(_OCCUPATIONS))
        # memberships, one after another, sometimes following a party through a rename
        t, previous = start, None
        held: list[tuple[_Party, int, int | None]] = []
        for n in range(rng.choice((1, 2, 2, 2, 3, 3, 4))):
            party: _Party | None = None
            if previous is not None and previous.successor and previous.end == t and rng.random() < 0.6:
                party = self.party_of.get(previous.successor)
            if party is None:
                party = self._alive(t, exclude=previous.id if previous else "")
            if party is None:
                break
            a = max(t, party.est + rng.randint(0, 200))
            limit = party.end or _NOW
            if a >= limit - 60:
                break
            b: int | None = a + rng.randint(180, 12 * _YEAR)
            if b is not None and b >= limit:
                b = party.end
            if b is None and n and rng.random() < 0.3:
                b = rng.randint(a + 60, _NOW)
            s_iso, e_iso = self._period(a, b)
            add(pid, pid, "memberOf", party.id, start=s_iso, end=e_iso)
            if previous is not None and previous.successor != party.id and rng.random() < 0.4:
                add(pid, pid, "defectedTo", party.id, date=self._iso_random_precision(a))
            party.members.append((pid, a, b))
            held.append((party, a, b))
            if b is None or b >= _NOW - 90:
                break
            previous, t = party, b + (0 if party.successor and rng.random() < 0.5 else rng.randint(1, 400))
        if held and rng.random() < 0.6:
            party, a, b = rng.choice(held)
            a2 = a + rng.randint(0, max(1, ((b or _NOW) - a) // 2))
            b2 = None if b is None and rng.random() < 0.5 else rng.randint(a2 + 30, max(a2 + 31, b or _NOW))
            org = party.id if rng.random() < 0.85 else rng.choice(self.orgs)
            s_iso, e_iso = self._period(a2, b2)
            add(pid, pid, "holdsRole", rng.choice(_ROLES), org=org, start=s_iso, end=e_iso)
        if rng.random() < 0.15:
            exile = self._prosecution(pid, start)
        if rng.random() < 0.01 or exile:
            day = rng.randint(start, _NOW)
            country = rng.choice(_COUNTRIES)
            add(pid, pid, "exiledIn", country, date=self._iso_random_precision(day))
            if rng.random() < 0.3:
                add(pid, pid, "citizenOf", country)
        if rng.random() < 0.6:
            other = rng.choice(self.persons)
            if other != pid:
                add(pid, pid, "metWith", other, date=self._iso_random_precision(rng.randint(start, _NOW)))
        if rng.random() < 0.12:
            day = rng.randint(start, _NOW)
            if self.detained and rng.random() < 0.5:
                who, prison, since = rng.choice(self.detained)
                if who != pid:
                    add(pid, pid, "visited", who, date=self._iso_random_precision(max(day, since)))
            else:
                add(pid, pid, "visited", rng.choice(self.prisons), date=self._iso_random_precision(day))
        if rng.random() < 0.5:
            add(pid, pid, "statedBy", rng.choice(_STATEMENTS),
                date=self._iso_random_precision(rng.randint(start, _NOW)))
        if rng.random() < 0.15:
            family = self.entities[pid]["name"].split()[0]
            kin = self.by_family.get(family, [])
            other = rng.choice(kin) if len(kin) > 1 else rng.choice(self.persons)
            if other != pid:
                add(pid, pid, "relativeOf", other, relation=rng.choice(_RELATIONS))
        if rng.random() < 0.35:
            event, iso = rng.choice(self.events)
            add(pid, pid, "participatedIn", event, date=iso)
        if rng.random() < 0.03:
            target = rng.choice(
                [g[0] for g in _GOV_BODIES] + [rng.choice(self.orgs)] + [q.id for q, _, _ in held])
            add(pid, pid, "spokespersonOf", target)
        if rng.random() < 0.02:
            add(pid, pid, "directorOf", rng.choice(self.prisons if rng.random() < 0.4 else self.orgs))

    def _prosecution(self, pid: str, start: int) -> bool:
        """Charge, and usually conviction, sentence, detention and release; True if exiled."""
        rng, add = self.rng, self.add
        charge = rng.choice(_CHARGES)
        charged = rng.randint(max(start, _DAY0 + 5 * _YEAR), _NOW - 60)
        add(pid, pid, "chargedWith", charge, date=self._iso_random_precision(charged))
        if rng.random() < 0.2:
            return True  # fled before trial
        prison = rng.choice(self.prisons)
        held_from = charged + rng.randint(0, 60)
        add(pid, pid, "detainedAt", prison, date=self._iso_random_precision(held_from))
        self.detained.append((pid, prison, held_from))
        verdict = charged + rng.randint(30, 700)
        if verdict >= _NOW:
            if rng.random() < 0.3:
                add(pid, pid, "releasedFrom", rng.choice(_RELEASE_LITERALS),
                    date=self._iso_random_precision(rng.randint(held_from + 1, _NOW)))
            return False
        court = rng.choice(self.courts[1:] if len(self.courts) > 1 else self.courts)
        on = _iso(verdict, "d") if rng.random() < 0.8 else _iso(verdict, "m")
        add(pid, pid, "convictedOf", charge, court=court, date=on)
        add(pid, pid, "convictedBy", court, date=on)
        term = rng.choice(_SENTENCES)
        add(pid, pid, "sentencedTo", term, date=on)
        months = int(term[1:-1]) * (12 if term.endswith("Y") else 1)
        due = date.fromordinal(verdict)
        total = due.month - 1 + months
        try:
            due = due.replace(year=due.year + total // 12, month=total % 12 + 1)
        except ValueError:  # 31st of a shorter month
            due = due.replace(year=due.year + total // 12, month=total % 12 + 1, day=28)
        out = due.toordinal()
        if out > _NOW:
            if rng.random() < 0.5:
                add(pid, pid, "releasedFrom", prison, date=_iso(out, "d"), expected=True)
        elif rng.random() < 0.8:
            early = rng.randint(verdict + 1, out) if rng.random() < 0.3 else out
            add(pid, pid, "releasedFrom", prison, date=self._iso_random_precision(early))
        return rng.random() < 0.05

    def _leaders(self) -> None:
        rng, add = self.rng, self.add
        for party in self.parties:
            if not party.members:
                continue
            founder = min(party.members, key=lambda m: (m[1], m[0]))[0]
            add(party.id, founder, "founded", party.id, date=self._iso_random_precision(party.est))
            end = party.end or _NOW
            t = party.est
            for _ in range(rng.randint(1, 3)):
                pid, a, b = rng.choice(party.members)
                lo = max(t, a)
                hi = min(end, b or _NOW)
                if hi - lo < 60:
                    continue
                stop: int | None = rng.randint(lo + 30, hi)
                if stop is not None and stop >= _NOW - 30:
                    stop = None
                s_iso, e_iso = self._period(lo, stop)
                add(party.id, pid, "leaderOf", party.id, start=s_iso, end=e_iso)
                if stop is None:
                    break
                t = stop

    def _organisations(self) -> None:
        rng, add = self.rng, self.add
        for org in self.orgs:
            est = rng.randint(_DAY0, _NOW - _YEAR)
            add(org, org, "established", self._iso_random_precision(est))
            if rng.random() < 0.6:
                add(org, org, "statedBy", rng.choice(_STATEMENTS),
                    date=self._iso_random_precision(rng.randint(est, _NOW)))
            if rng.random() < 0.3 and self.persons:
                add(org, rng.choice(self.persons), "founded", org, date=self._iso_random_precision(est))

    # ---- restatements and disagreements

    def restate(self, fact: _Fact, differ: bool) -> _Fact | None:
        rng = self.rng
        f = dict(fact.fields)
        if differ:
            if f["p"] == "sentencedTo":
                f["o"] = rng.choice([t for t in _SENTENCES if t != f["o"]])
            elif "date" in f and not f.get("expected"):
                precision = "d" if f["date"].count("-") == 2 else "m" if "-" in f["date"] else "y"
                day = _ordinal(f["date"])
                step = {"d": (3, 90), "m": (35, 200), "y": (370, 800)}[precision]
                shifted = day + rng.choice((-1, 1)) * rng.randint(*step)
                shifted = min(max(shifted, _DAY0), _NOW)
                if _iso(shifted, precision) == f["date"]:
                    return None
                f["date"] = _iso(shifted, precision)
            else:
                return None
        return self.make_fact(f)


# --------------------------------------------------------------------------- articles


@dataclass(slots=True)
class _Article:
    facts: list[_Fact]
    id: str = ""
    published: str = ""
    title: str = ""
    text: str = ""
    evidence: list[tuple[int, int]] = field(default_factory=list)


def _articles(world: _World, articles_per_k: float) -> tuple[list[_Article], int, int]:
    rng = world.rng
    blocks = list(world.blocks.values())
    rng.shuffle(blocks)
    stream = [f for block in blocks for f in block]
    mean = 1000.0 / articles_per_k
    lo, hi = max(1, round(mean * 0.4)), max(1, round(mean * 1.6))
    articles: list[_Article] = []
    i = 0
    while i < len(stream):
        size = rng.randint(lo, hi)
        if articles and len(stream) - i - size < lo:  # no short article at the end
            size = len(stream) - i
        articles.append(_Article(_distinct(stream[i:i + size])))
        i += size
    restated = disagreements = 0
    if len(articles) > 1:
        extra: list[tuple[int, _Fact, bool]] = []
        for k, article in enumerate(articles):
            for fact in article.facts:
                r = rng.random()
                if r >= 0.05:
                    continue
                again = world.restate(fact, differ=r < 0.03)
                if again is None:
                    continue
                other = rng.randrange(len(articles) - 1)
                extra.append((other + (other >= k), again, r < 0.03))
        for k, fact, differs in extra:
            facts = articles[k].facts
            if any(f.fields == fact.fields for f in facts):  # a source states a fact once
                continue
            facts.insert(rng.randint(0, len(facts)), fact)
            disagreements += differs
            restated += not differs
    width = max(5, len(str(len(articles))))
    for n, article in enumerate(articles, 1):
        latest = max(f.last_day for f in article.facts)
        day = min(_NOW, latest + rng.randint(0, 30)) if latest else rng.randint(_DAY0 + 5 * _YEAR, _NOW)
        article.published = _iso(day, "d")
        article.id = f"synth-{article.published}-{n:0{width}d}"
        lead = world.entities[article.facts[0].fields["s"]]["name"]
        article.title = f"Synthetic report {n}: {lead} and {len(article.facts) - 1} more items"
        _write_text(world, article)
    return articles, restated, disagreements


def _distinct(facts: list[_Fact]) -> list[_Fact]:
    """A source states a fact once (the loader refuses a repeat within one file)."""
    seen: set[tuple[tuple[str, Any], ...]] = set()
    out = []
    for fact in facts:
        key = tuple(fact.fields.items())
        if key not in seen:
            seen.add(key)
            out.append(fact)
    return out


def _write_text(world: _World, article: _Article) -> None:
    rng = world.rng
    parts = [article.title, "\n"]
    pos = len(article.title) + 1
    in_paragraph = 0
    for fact in article.facts:
        if in_paragraph and rng.random() < 0.35:
            parts.append("\n")
            pos += 1
            in_paragraph = 0
        if in_paragraph:
            parts.append(" ")
            pos += 1
        if rng.random() < 0.12:
            filler = rng.choice(_FILLER) + " "
            parts.append(filler)
            pos += len(filler)
        article.evidence.append((pos, pos + len(fact.sentence)))
        parts.append(fact.sentence)
        pos += len(fact.sentence)
        in_paragraph += 1
    parts.append("\n")
    article.text = "".join(parts)


# --------------------------------------------------------------------------- writing


def _entity_line(entity: dict[str, Any]) -> str:
    return "  - " + yaml_flow(entity) + "\n"


def _source_yaml(world: _World, article: _Article, sha: str, header: str) -> str:
    source = {
        "id": article.id,
        "title": article.title,
        "publisher": "cpkg synthetic corpus",
        "url": f"https://example.org/synthetic/{article.id}",
        "published": article.published,
        "text_sha256": sha,
    }
    refs = sorted({r for fact in article.facts for r in fact.refs})
    lines = [header, "source: ", yaml_flow(source), "\nentities:\n"]
    lines.extend(_entity_line(world.entities[r]) for r in refs)
    lines.append("facts:\n")
    for fact, (start, end) in zip(article.facts, article.evidence, strict=True):
        record = dict(fact.fields)
        record["evidence"] = {"start": start, "end": end}
        record["status"] = "reviewed"
        lines.append("  - " + yaml_flow(record) + "\n")
    return "".join(lines)


def _meta_yaml(article: _Article, sha: str) -> str:
    meta = (
        ("file", f"{article.id}.txt"),
        ("sha256", sha),
        ("title", article.title),
        ("publisher", "cpkg synthetic corpus"),
        ("url", f"https://example.org/synthetic/{article.id}"),
        ("published", article.published),
        ("language", "en"),
    )
    head = "# Synthetic article text beside this file, made by `cpkg synth`; not a real report.\n"
    return head + "".join(f"{k}: {yaml_flow(v)}\n" for k, v in meta)


def _check_target(out_dir: Path, force: bool) -> None:
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise InputError("is not a folder", path=out_dir, hint="choose a new folder")
    if not any(out_dir.iterdir()):
        return
    if not force:
        raise InputError(
            "folder is not empty", path=out_dir,
            hint="choose a new folder, or pass --force to replace an earlier synthetic corpus",
        )
    if not _is_synthetic(out_dir):
        raise InputError(
            f"folder is not empty and has no {MANIFEST_NAME}; refusing to replace it even with --force",
            path=out_dir, hint="choose a new or empty folder",
        )


def _is_synthetic(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("generator") == GENERATOR


def generate(
    people: int,
    seed: int,
    out_dir: Path,
    articles_per_k: float = 40.0,
    *,
    force: bool = False,
) -> SynthSummary:
    """Write a synthetic corpus for ``people`` persons into ``out_dir`` (see module doc).

    ``articles_per_k`` is the number of articles per 1,000 facts (40: about 25 facts per
    article, drawn from 10 to 40).  Identical arguments give identical bytes.  The corpus
    is built in a temporary folder beside ``out_dir`` and renamed into place; a non-empty
    ``out_dir`` is refused unless ``force`` is set and it holds an earlier synthetic corpus.
    """
    if people < MIN_PEOPLE:
        raise InputError(f"people must be at least {MIN_PEOPLE} (got {people})")
    if not articles_per_k > 0:
        raise InputError(f"articles per 1,000 facts must be positive (got {articles_per_k})")
    out_dir = Path(out_dir).absolute()
    _check_target(out_dir, force)

    world = _World(people, seed)
    world.make_entities()
    world.make_parties()
    world.make_people()
    articles, restated, disagreements = _articles(world, articles_per_k)

    header = (
        f"# Synthetic corpus made by `cpkg synth --people {people} --seed {seed}`"
        f" (articles per 1,000 facts: {articles_per_k:g}); not real facts.\n"
    )
    registry = header + "entities:\n" + "".join(
        _entity_line(world.entities[eid]) for eid in sorted(world.entities))
    if len(registry.encode("utf-8")) > MAX_YAML_BYTES:
        raise InputError(
            f"the registry for {people} people would exceed the "
            f"{MAX_YAML_BYTES // (1024 * 1024)} MB limit on YAML files",
            hint="use fewer people",
        )
    predicates: dict[str, int] = {}
    for article in articles:
        for fact in article.facts:
            predicates[fact.fields["p"]] = predicates.get(fact.fields["p"], 0) + 1
    types: dict[str, int] = {}
    for entity in world.entities.values():
        types[entity["type"]] = types.get(entity["type"], 0) + 1
    summary = SynthSummary(
        out_dir=out_dir,
        people=people,
        seed=seed,
        entities=len(world.entities),
        sources=len(articles),
        facts=sum(predicates.values()),
        restated=restated,
        disagreements=disagreements,
        entity_types=dict(sorted(types.items())),
        predicates=dict(sorted(predicates.items())),
    )
    manifest = {
        "generator": GENERATOR,
        "format": FORMAT_VERSION,
        "people": people,
        "seed": seed,
        "articles_per_k": articles_per_k,
        "entities": summary.entities,
        "sources": summary.sources,
        "facts": summary.facts,
        "restated": restated,
        "disagreements": disagreements,
        "entity_types": summary.entity_types,
        "predicates": summary.predicates,
    }

    with atomic_dir(out_dir) as tmp:  # removed on any failure; swapped in whole on success
        os.chmod(tmp, 0o755)
        (tmp / "sources").mkdir()
        (tmp / "corpus").mkdir()
        (tmp / "entities.yaml").write_bytes(registry.encode("utf-8"))
        for article in articles:
            data = article.text.encode("utf-8")
            sha = hashlib.sha256(data).hexdigest()
            (tmp / "corpus" / f"{article.id}.txt").write_bytes(data)
            (tmp / "corpus" / f"{article.id}.meta.yaml").write_bytes(_meta_yaml(article, sha).encode("utf-8"))
            (tmp / "sources" / f"{article.id}.yaml").write_bytes(
                _source_yaml(world, article, sha, header).encode("utf-8"))
        (tmp / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        _check_target(out_dir, force)  # again: the folder may have changed meanwhile
    return summary

