"""Find the actors an article names and link them to the registry.

Linking is deliberately conservative.  A mention links when its key equals a registry
name or alias; when it is a two-word name in the other (Khmer or Western) order; when it
is one word of a person named in full earlier in the same article and no other person
named so far shares that word; when it is an acronym that the article spelled out (or
whose expansion it named); or when it is a two-word name one letter away from a
registry person's name with the other word exact, and no other registry person is as
close.  A single word never links on its own.  Capitalised names that do not link are
proposed as new entities when their type can be told from the words themselves
("... Prison", "... Party") or from the context (a title before a person's name).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .dates import MONTHS
from .lexicon import COMMON, OCCUPATIONS, PLACES, ROLE_PLURALS, ROLES
from .text import Token, edit_distance_at_most_one, norm_key, slugify, tokens

TYPE_LETTER = {
    "Person": "P", "PoliticalParty": "G", "Court": "C", "Prison": "J", "GovernmentBody": "B",
    "Organization": "O", "Election": "E", "Event": "V",
}

# Head nouns that type a capitalised name: the last word before "of"/"on"/"for", or the last word.
HEADS = {
    "party": "PoliticalParty", "prison": "Prison", "jail": "Prison", "gaol": "Prison",
    "penitentiary": "Prison", "court": "Court", "tribunal": "Court", "chambers": "Court",
    "ministry": "GovernmentBody", "committee": "GovernmentBody", "commission": "GovernmentBody",
    "assembly": "GovernmentBody", "senate": "GovernmentBody", "government": "GovernmentBody",
    "council": "GovernmentBody", "authority": "GovernmentBody", "police": "GovernmentBody",
    "department": "GovernmentBody", "office": "GovernmentBody", "administration": "GovernmentBody",
    "cabinet": "GovernmentBody", "parliament": "GovernmentBody",
    "group": "Organization", "organization": "Organization", "organisation": "Organization",
    "association": "Organization", "union": "Organization", "network": "Organization",
    "foundation": "Organization", "centre": "Organization", "center": "Organization",
    "institute": "Organization", "agency": "Organization", "watch": "Organization",
    "federation": "Organization", "movement": "Organization", "coalition": "Organization",
    "alliance": "Organization", "league": "Organization", "society": "Organization",
    "fund": "Organization", "club": "Organization", "news": "Organization", "times": "Organization",
    "session": "Event", "summit": "Event", "conference": "Event", "congress": "Event",
    "forum": "Event", "trial": "Event", "rally": "Event", "protest": "Event", "march": "Event",
}
CONNECTORS = {"of", "for", "on", "the", "de", "du", "to", "and"}
_ORG_CONTEXT = re.compile(
    r"\b(?:group|organi[sz]ation|NGO|watchdog|association|union|network|outlet|newspaper|"
    r"broadcaster|monitor|alliance|coalition|movement)\s*$", re.I)
_PERSON_AFTER = re.compile(
    r"^(?:\s+(?:said|says|told|added|wrote|stated|explained|noted|argued|claimed|insisted|"
    r"warned|urged|called|met|visited|was|is|has|had|who)\b|,\s+(?:a|an|who|whose|the\s+(?:"
    r"former|brother|sister|son|daughter|wife|husband|father|mother|leader|president|head|"
    r"founder)\b)|\s+and\s+(?:his|her)\b)")
_RELATIVE_BEFORE = re.compile(
    r"\b(?:met|meet|visited|brother of|sister of|son of|daughter of|wife of|husband of|"
    r"father of|mother of|cousin of|nephew of|niece of|uncle of|aunt of|met with|"
    r"(?:his|her) (?:brother|sister|son|daughter|wife|husband|father|mother|lawyer)|alongside|along with|"
    r"together with)\s*,?\s+(?:the\s+)?$", re.I)


_PERSON_NOUNS = [
    "figure", "detainee", "prisoner", "inmate", "defendant", "member", "supporter", "candidate", "politician",
    "villager", "resident", "man", "woman", "organiser", "organizer", "colleague", "critic", "dissident",
    "opponent", "ally", "senator", "lawmaker",
]


def _title_words() -> re.Pattern[str]:
    words = sorted({*ROLES, *ROLE_PLURALS, *OCCUPATIONS, *(o + "s" for o in OCCUPATIONS), *_PERSON_NOUNS,
                    *(w + "s" for w in _PERSON_NOUNS)}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\s*,?\s*$", re.I)


_TITLE_BEFORE = _title_words()

_ELECTION = re.compile(
    r"(?:\bthe\s+)?(?:(?P<year>(?:19|20)\d\d)\s+|(?P<md>(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December)\s+(?P<mday>\d{1,2}))\s+|(?P<rel>last\s+year(?:'s|\u2019s)|"
    r"next\s+year(?:'s|\u2019s)|this\s+year(?:'s|\u2019s)|upcoming|forthcoming|coming|(?P<prev>previous|"
    r"last)|(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December))\s+)?(?:(?P<kind>general|national|commune|communal|senate|senatorial|provincial|district|"
    r"local|parliamentary|legislative)\s+)?(?P<noun>elections?|ballot|polls?|vote)\b"
    r"(?:\s+(?:in|of)\s+(?P<after_year>(?:19|20)\d\d)\b)?")


@dataclass
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    registry: bool = True

    def as_yaml(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type, "aliases": list(self.aliases)}


@dataclass
class Mention:
    start: int
    end: int
    entity: str  # entity id
    how: str  # exact | swap | surname | acronym | near-miss | new | election
    confidence: float


class Linker:
    """Registry index: normalised keys of names and aliases -> entity ids."""

    def __init__(self, registry: list[dict[str, Any]]):
        self.entities: dict[str, Entity] = {}
        self.by_key: dict[str, set[str]] = {}
        self.swapped: dict[str, set[str]] = {}
        self.two_token_people: list[tuple[str, str, str]] = []
        self.max_tokens = 1
        for raw in registry:
            ent = Entity(raw["id"], raw["name"], raw["type"], list(raw.get("aliases") or []), True)
            self.entities[ent.id] = ent
            for form in [ent.name, *ent.aliases]:
                key = norm_key(form)
                if not key:
                    continue
                self.by_key.setdefault(key, set()).add(ent.id)
                words = key.split()
                self.max_tokens = max(self.max_tokens, len(words))
                if ent.type == "Person" and len(words) == 2:
                    self.swapped.setdefault(f"{words[1]} {words[0]}", set()).add(ent.id)
                    self.two_token_people.append((words[0], words[1], ent.id))

    def exact(self, key: str) -> set[str]:
        return self.by_key.get(key, set())

    def near_miss(self, key: str) -> str | None:
        """A registry person one edit away on one word of a two-word name, the other exact."""
        words = key.split()
        if len(words) != 2 or min(len(w) for w in words) < 3:
            return None
        hits = set()
        for a, b, ent_id in self.two_token_people:
            for x, y in ((a, b), (b, a)):
                if (words[0] == x and words[1] != y and len(y) >= 3 and edit_distance_at_most_one(words[1], y)) or (
                    words[1] == y and words[0] != x and len(x) >= 3 and edit_distance_at_most_one(words[0], x)
                ):
                    hits.add(ent_id)
        return hits.pop() if len(hits) == 1 else None


@dataclass
class ArticleMentions:
    mentions: list[Mention]
    entities: dict[str, Entity]  # every entity mentioned (registry or proposed), by id


def _gap_ok(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end:b.start]
    return bool(re.fullmatch(r"[ \u00a0]+|[ \u00a0]*-[ \u00a0]*|(?:'|\u2019)s[ \u00a0]+", gap))


def _is_name_token(tok: Token) -> bool:
    return tok.capitalised and tok.text.lower() not in COMMON and not tok.text.isdigit()


def _initials(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z][\w'\u2019-]*", name) if w.lower() not in {"of", "the", "for", "and", "on", "de"}]
    return "".join(w[0].upper() for w in words)


def _head_type(words: list[str]) -> str | None:
    core = []
    for w in words:
        if w.lower() in {"of", "on", "for", "to"}:
            break
        core.append(w)
    if not core:
        return None
    head = core[-1].lower()
    if head in HEADS:
        return HEADS[head]
    if core[0].lower() in {"ministry", "court", "council", "committee", "office", "department"}:
        return HEADS[core[0].lower()]
    return None


class _Finder:
    """State of one pass over one article."""

    def __init__(self, text: str, linker: Linker, body_start: int):
        self.text = text
        self.linker = linker
        self.body_start = body_start
        self.mentions: list[Mention] = []
        self.entities: dict[str, Entity] = {}
        self.proposals: dict[str, Entity] = {}  # key -> entity proposed in this article
        self.seen_people: dict[str, set[str]] = {}  # a word of a full person mention -> ids
        self.acronyms: dict[str, str] = {}  # acronym spelled out or derivable here -> id
        self.taken = bytearray(len(text) + 1)

    def entity(self, ent_id: str) -> Entity:
        if ent_id in self.entities:
            return self.entities[ent_id]
        return self.linker.entities[ent_id]

    def use(self, ent: Entity) -> None:
        if ent.id in self.entities:
            return
        self.entities[ent.id] = ent
        if ent.type != "Person":
            ini = _initials(ent.name)
            if len(ini) >= 2:
                self.acronyms.setdefault(ini, ent.id)
        for a in ent.aliases:
            if a.isupper() and len(a) >= 2:
                self.acronyms.setdefault(a, ent.id)

    def add(self, s: int, e: int, ent: Entity, how: str, conf: float) -> None:
        self.use(ent)
        self.mentions.append(Mention(s, e, ent.id, how, conf))
        for k in range(s, e):
            self.taken[k] = 1
        if ent.type == "Person" and how != "surname":
            for w in norm_key(self.text[s:e]).split():
                self.seen_people.setdefault(w, set()).add(ent.id)

    # -- registry pass at one position
    def registry_match(self, toks: list[Token], i: int) -> tuple[list[Token], Entity] | None:
        text, linker, n = self.text, self.linker, len(toks)
        for size in range(min(linker.max_tokens, n - i), 0, -1):
            span = toks[i:i + size]
            if any(not _gap_ok(text, span[k], span[k + 1]) for k in range(size - 1)):
                continue
            if any(self.taken[t.start] for t in span):
                continue
            if not (span[0].capitalised or span[0].text[:1].isdigit()):
                continue
            if size > 1 and span[0].text.lower() == "the":
                continue
            surface = text[span[0].start:span[-1].end]
            key = norm_key(surface)
            ids = linker.exact(key)
            if not ids:
                continue
            if len(ids) > 1:
                return None  # ambiguous: never guess
            ent = linker.entities[next(iter(ids))]
            if size == 1:
                if ent.type == "Person":
                    if ent.id not in self.seen_people.get(key, set()):
                        continue  # a lone word of a person's name is weak
                elif not surface[:1].isupper() or (
                    len(surface) <= 3 and not surface.isupper()
                    and all(not (norm_key(a) == key and not a.isupper()) for a in [ent.name, *ent.aliases])
                ):
                    continue  # "Cam" is not "CAM"
            return span, ent
        return None

    def run_end(self, toks: list[Token], i: int) -> int:
        text, n = self.text, len(toks)
        j = i + 1
        while j < n:
            prev, cur = toks[j - 1], toks[j]
            if self.taken[cur.start]:
                break
            if cur.capitalised and _gap_ok(text, prev, cur):
                gap = text[prev.end:cur.start]
                if ("'" in gap or "\u2019" in gap) and prev.text.lower() not in _PLURAL_POSSESSIVES:
                    break
                j += 1
                continue
            if cur.text.lower() in _INNER and _gap_ok(text, prev, cur):
                k = j
                while k < n and toks[k].text.lower() in _INNER and _gap_ok(text, toks[k - 1], toks[k]):
                    k += 1
                if (k < n and toks[k].capitalised and not self.taken[toks[k].start] and _gap_ok(text, toks[k - 1], toks[k])
                        and toks[k].text.lower().rstrip(".") not in _CALENDAR):
                    j = k + 1
                    continue
            break
        return j

    def link_run(self, run: list[Token]) -> bool:
        text, linker = self.text, self.linker
        s, e = run[0].start, run[-1].end
        surface = text[s:e]
        key = norm_key(surface)
        words = [t.text for t in run]
        if len(run) == 1 and surface.isupper() and len(surface) >= 2 and surface in self.acronyms:
            self.add(s, e, self.entity(self.acronyms[surface]), "acronym", 0.85)
            return True
        if key in self.proposals:
            self.add(s, e, self.proposals[key], "exact", 0.85)
            return True
        if len(run) == 2:
            ids = linker.swapped.get(key, set())
            if len(ids) == 1:
                self.add(s, e, linker.entities[next(iter(ids))], "swap", 0.85)
                return True
            swapped_key = " ".join(reversed(key.split()))
            ent = self.proposals.get(swapped_key)
            if ent is not None and ent.type == "Person":
                self.add(s, e, ent, "swap", 0.8)
                return True
        if len(run) == 1:
            ids = self.seen_people.get(key, set())
            if len(ids) == 1:
                self.add(s, e, self.entity(next(iter(ids))), "surname", 0.8)
                return True
        if len(run) == 2 and all(_is_name_token(t) for t in run):
            ent_id = linker.near_miss(key)
            if ent_id:
                self.add(s, e, linker.entities[ent_id], "near-miss", 0.7)
                return True
        etype = self.guess_type(run, key, words)
        if etype is None:
            return False
        name = " ".join(surface.split())
        ent_id = slugify(name)
        if not ent_id:
            return False
        if ent_id in linker.entities or ent_id in self.entities:
            ent_id = f"{ent_id}-new"
        ent = Entity(ent_id, name, etype, [], registry=False)
        self.proposals[key] = ent
        self.add(s, e, ent, "new", 0.6)
        return True

    def guess_type(self, run: list[Token], key: str, words: list[str]) -> str | None:
        text = self.text
        s, e = run[0].start, run[-1].end
        etype = _head_type(words)
        if etype is not None:
            return None if len(run) == 1 else etype
        before = text[max(self.body_start, s - 60):s]
        after = text[e:e + 40]
        name_like = (
            2 <= len(run) <= 4
            and all(_is_name_token(t) for t in run)
            and key not in PLACES
            and not any(w.lower() in PLACES for w in words)
            and not any(w.lower() in _MONTH_NAMES for w in words)
        )
        if name_like and (_TITLE_BEFORE.search(before) or _PERSON_AFTER.match(after) or _RELATIVE_BEFORE.search(before)
                          or self._listed_with_person(s, before)):
            return "Person"
        if len(run) == 1 and _is_name_token(run[0]) and _ORG_CONTEXT.search(before) and key not in PLACES:
            return "Organization"
        if len(run) >= 2 and re.match(r"\s*\([A-Z]{2,}\)", after) and all(t.capitalised or t.text.lower() in _INNER for t in run):
            return "Organization"
        return None

    def _listed_with_person(self, s: int, before: str) -> bool:
        """``A and B`` / ``A, B``: a name listed right after a person is a person."""
        if not self.mentions or not re.search(r"(?:,|\band)\s*$", before):
            return False
        last = max(self.mentions, key=lambda m: m.end)
        gap = self.text[last.end:s]
        return self.entity(last.entity).type == "Person" and bool(re.fullmatch(r"\s*(?:,\s*(?:and\s+)?|and\s+)", gap))

    def elections(self, start: int, end: int, published: dt.date | None) -> None:
        for m in _ELECTION.finditer(self.text, start, end):
            ent = _election_entity(m, self.text, end, published, self.linker)
            if ent is None:
                continue
            ent = self.entities.get(ent.id, ent)
            s = m.start()
            if self.text[s:s + 4].lower() == "the ":
                s += 4
            self.add(s, m.end(), ent, "election", 0.8)

    def acronym_after(self, toks: list[Token], i: int, ent: Entity) -> int:
        """``Khmer Will Party (KWP)``: the parenthesis names the same entity; remember it."""
        if i >= len(toks):
            return i
        tok = toks[i]
        between = self.text[toks[i - 1].end:tok.start]
        if (re.fullmatch(r"\s*\(", between) and self.text[tok.end:tok.end + 1] == ")" and tok.text.isupper()
                and len(tok.text) >= 2 and not self.taken[tok.start]):
            self.acronyms[tok.text] = ent.id
            if not ent.registry and tok.text not in ent.aliases:
                ent.aliases.append(tok.text)
            self.add(tok.start, tok.end, ent, "acronym", 0.9)
            return i + 1
        return i


_PLURAL_POSSESSIVES = {"people", "peoples", "women", "workers", "children", "citizens"}
# Words before a name that describe it and never belong to it ("Former X Party president").
_DESCRIPTIVE = {
    "former", "ex", "then", "late", "outlawed", "banned", "dissolved", "defunct", "ruling", "opposition",
    "local", "exiled", "self-exiled", "jailed", "imprisoned", "new", "main", "rival", "veteran", "prominent",
}
_MONTH_NAMES = {m for m in MONTHS if len(m) > 4} | {"may", "june", "july"}
_CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", *MONTHS}
_INNER = {"of", "for", "on", "the", "de", "du"}
_LEADING = {"the", "a", "an", "in", "on", "at", "but", "and", "as", "for", "of", "to", "by"}


def find_mentions(
    text: str, start: int, end: int, linker: Linker, published: dt.date | None
) -> ArticleMentions:
    """All entity mentions in ``text[start:end]`` (the article body), in text order."""
    f = _Finder(text, linker, start)
    f.elections(start, end, published)
    toks = tokens(text, start, end)
    i, n = 0, len(toks)
    while i < n:
        tok = toks[i]
        if f.taken[tok.start]:
            i += 1
            continue
        got = f.registry_match(toks, i)
        if got:
            span, ent = got
            how = "surname" if len(span) == 1 and ent.type == "Person" else "exact"
            f.add(span[0].start, span[-1].end, ent, how, 0.95 if how == "exact" else 0.8)
            i = f.acronym_after(toks, i + len(span), ent)
            continue
        if not tok.capitalised:
            i += 1
            continue
        j = f.run_end(toks, i)
        lo, hi = i, j
        # leading words that cannot start a name ("The", "Local") and trailing connectors
        while lo < hi and (toks[lo].text.lower() in _LEADING or toks[lo].text.lower() in _DESCRIPTIVE or (
                toks[lo].text.lower() in COMMON and _head_type([t.text for t in toks[lo:hi]]) is None)):
            lo += 1
        while hi > lo and toks[hi - 1].text.lower() in _INNER:
            hi -= 1
        if lo > i:
            i = lo  # retry from the first word that may start a name
        elif lo < hi and f.link_run(toks[lo:hi]):
            i = f.acronym_after(toks, hi, f.entity(f.mentions[-1].entity))
        else:
            i = j
    f.mentions.sort(key=lambda m: m.start)
    return ArticleMentions(f.mentions, f.entities)


def _election_entity(m: re.Match[str], text: str, end: int, published: dt.date | None,
                     linker: Linker) -> Entity | None:
    kind = (m.group("kind") or "").lower()
    noun = m.group("noun").lower()
    if noun.startswith("vote") and not kind:
        return None
    if noun == "vote" and kind:
        pass
    year = m.group("year") or m.group("after_year")
    rel = (m.group("rel") or "").lower()
    if not year and published is not None:
        if m.group("md"):
            year = str(published.year)
        elif m.group("mon"):
            month = MONTHS[m.group("mon").lower()]
            year = str(published.year - 1 if month > published.month else published.year)
        elif rel.startswith("last year"):
            year = str(published.year - 1)
        elif rel.startswith("next year"):
            year = str(published.year + 1)
        elif rel.startswith("this year") or rel in {"upcoming", "forthcoming", "coming"}:
            year = str(published.year)
        else:
            ago = re.match(r"\s+(?:(?:almost|nearly|about)\s+)?(\w+)\s+years?\s+ago\b", text[m.end():end])
            if ago:
                from .text import number_value

                n = number_value(ago.group(1))
                if n is not None:
                    year = str(published.year - n)
    if not year:
        return None
    if not kind and not m.group("year") and not m.group("md") and not rel and not m.group("mon"):
        return None
    kind = {"national": "general", "parliamentary": "general", "legislative": "general", "communal": "commune",
            "senatorial": "senate", "local": "commune", "": "general"}.get(kind, kind)
    name = f"{year} {kind} election"
    aliases = [f"{year} {kind} elections"]
    if kind == "general":
        aliases += [f"{year} national election", f"{year} election", f"{year} general elections",
                    f"{year} national elections"]
    for form in [name, *aliases]:
        ids = linker.exact(norm_key(form))
        if len(ids) == 1:
            ent = linker.entities[next(iter(ids))]
            if ent.type == "Election":
                return ent
    return Entity(slugify(name), name, "Election", aliases, registry=False)
