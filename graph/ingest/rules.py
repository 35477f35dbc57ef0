"""Relation rules: from sentences with their mentions to facts in the fact language.

Each sentence is rewritten as a *shadow*: every mention becomes a token such as ``⟨P3⟩``
(a person, item 3), every date ``⟨D0⟩``, every length of time ``⟨U1⟩`` and every
quotation ``⟨Q2⟩``.  The rules are regular expressions over the shadow, so that one
rule covers every name, date and quotation, and nothing inside a quotation is ever
read as the article's own assertion (only as a statement by its speaker).

A rule that finds a trigger ("convicted", "held in") looks left for its subject and
accepts it only when the words in between are ones a subject may be separated by (an
appositive, "who", an auxiliary): "activists charged with" never makes the person named
before "activists" the one charged.  A fact whose words include a negation or a
hypothetical ("not", "could", "if") is dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .dates import find_dates
from .lexicon import (
    CHARGES,
    COUNTRIES,
    DEMONYMS,
    MINISTRY_WORDS,
    OCCUPATION_MODIFIERS,
    OCCUPATIONS,
    ROLE_MODIFIERS,
    ROLE_PLURALS,
    ROLES,
)
from .mentions import TYPE_LETTER, ArticleMentions, Entity
from .text import NUMBER_WORD, Quote, Span, number_value

# ---------------------------------------------------------------- shadow items

@dataclass
class Item:
    letter: str  # P G C J B O E V (entities), D date, U duration, Q quotation
    start: int
    end: int
    entity: str | None = None
    value: str | None = None
    precision: str | None = None


@dataclass
class Candidate:
    """A fact found in one sentence, before negation checks and deduplication."""

    s: str
    p: str
    o: str
    qualifiers: dict[str, Any]
    confidence: float
    sentence: Span
    lo: int  # shadow span the fact rests on (negation cues are looked for inside it)
    hi: int
    rule: str


_DURATION = re.compile(
    rf"\b(?P<n>{NUMBER_WORD})(?P<half>\s+and\s+a\s+half)?[-\s](?P<unit>years?|months?|weeks?|days?)\b(?!-old|\s+old|\s+ago)",
    re.I,
)
_DURATION_WORDS = re.compile(r"\b(?P<w>life(?:\s+imprisonment)?|a\s+year\s+and\s+a\s+half)\b", re.I)


def _durations(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    out = []
    for m in _DURATION.finditer(text, start, end):
        n = number_value(m.group("n"))
        if n is None:
            continue
        unit = m.group("unit").lower().rstrip("s")
        half = bool(m.group("half"))
        if unit == "year":
            iso = f"P{n}Y6M" if half else f"P{n}Y"
        elif unit == "month":
            iso = f"P{n}M"
        elif unit == "week":
            iso = f"P{n}W"
        else:
            iso = f"P{n}D"
        out.append((m.start(), m.end(), iso))
    for m in _DURATION_WORDS.finditer(text, start, end):
        if m.group("w").lower().startswith("a year"):
            out.append((m.start(), m.end(), "P1Y6M"))
    return out


# ---------------------------------------------------------------- regex pieces

def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


P = r"⟨P\d+⟩"
PARTY = r"⟨G\d+⟩"
ORGS = r"⟨[GOBCJ]\d+⟩"
ANY = r"⟨[PGCJBOEV]\d+⟩"
DATE = r"⟨D\d+⟩"
DUR = r"⟨U\d+⟩"
QUOTE = r"⟨Q\d+⟩"
PLIST = rf"{P}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){P})*"
ROLE = _alt(ROLES + list(ROLE_PLURALS))
ROLE_MOD = _alt(ROLE_MODIFIERS)
MINISTRY = _alt(MINISTRY_WORDS)
OCC = "(?i:" + _alt(OCCUPATIONS + [o + "s" for o in OCCUPATIONS]) + ")"
OCC_MOD = "(?i:" + _alt(OCCUPATION_MODIFIERS) + ")"
CHARGE = _alt(CHARGES)
AUX = (r"(?:has|have|had|was|were|is|are|been|be|being|also|later|then|now|reportedly|subsequently|"
       r"eventually|currently|still|already|recently|previously|once|first|both|who|which|that)")
APPOS = r"(?:(?!⟨P)[^,;⟨⟩]|⟨[^P⟩][^⟩]*⟩){1,160}?"
_GAP = re.compile(
    rf"^\s*(?:,\s*{APPOS}(?:\s*,\s*|\s+(?=(?:who|which)\b))|,\s*(?=(?:who|which)\b))?"
    rf"(?:(?:{AUX}|{DATE}|in|on|since|during)\s*,?\s*)*$"
)
_GAP_COORD_VP = re.compile(
    rf"^\s+(?:{AUX}\s+)*[a-z]+ed(?:\s+(?:[a-z]+|{DATE})){{0,3}}\s+and\s+(?:{AUX}\s+)*$"
)
_GAP_PARTICIPLE = re.compile(r"^\s*,\s*(?:(?:who|which)\s+(?:was|were|is|are|has\s+been)\s+)?$")
_COORD = re.compile(rf"^\s*,?\s*(?:and|but|then|before|while)\s+(?:(?:{AUX}|{DATE})\s+)*$")
_NEG = re.compile(
    r"\b(?:not|never|no\s+longer|nor|could|might|would|may|should|if|unless|whether|allegedly|alleged|denied|"
    r"denies|deny|acquitted|cleared|dropped|threatened\s+to|plans?\s+to|planning\s+to|intends?\s+to|"
    r"hopes?\s+to|hoping\s+to|wants?\s+to|seeks?\s+to|sought\s+to|tried\s+to|attempted\s+to|"
    r"rumou?red|failed\s+to|refused\s+to|cannot|can't|won't)\b|n't\b|\bno\s+(?:one|evidence)\b"
)
SAY = (r"(?:said|says|told(?:\s+(?:reporters|journalists|the\s+\w+|\w+))?|tells|added|adds|stated|states|"
       r"noted|notes|warned|warns|claimed|claims|argued|argues|insisted|insists|explained|wrote|writes|"
       r"posted|announced|declared|alleged|asserted|maintained|urged|urges|called\s+for|calls\s+for|"
       r"demanded|demands|confirmed|confirms|acknowledged|complained|stressed|emphasi[sz]ed|recalled|"
       r"pointed\s+out|vowed|pledged|repeated|reiterated)")


def _items_in(s: str) -> list[tuple[str, int, int, int]]:
    """(letter, index, start, end) of every token in a shadow substring."""
    return [(m.group(1), int(m.group(2)), m.start(), m.end()) for m in re.finditer(r"⟨([A-Z])(\d+)⟩", s)]


# ---------------------------------------------------------------- sentence context

@dataclass
class Shadow:
    text: str  # shadow of the sentence
    span: Span  # the sentence in the article
    items: list[Item]  # every item of the article (indexes in tokens are into this)
    pieces: list[tuple[int, int, int, int]]  # (shadow start, shadow end, text start, text end)

    def item(self, token: str) -> Item:
        return self.items[int(token[2:-1])]

    def to_text(self, pos: int) -> int:
        for ss, se, ts, te in self.pieces:
            if ss <= pos < se:
                return ts + (pos - ss if se - ss == te - ts else 0)
        return self.span.end


def build_items(
    text: str, body: Span, am: ArticleMentions, quotes: list[Quote], published: dt.date | None,
    sentences: list[Span],
) -> tuple[list[Item], list[Quote]]:
    items: list[Item] = []
    for q in quotes:
        items.append(Item("Q", q.start, q.end, value=text[q.inner_start:q.inner_end]))
    for m in am.mentions:
        ent = am.entities[m.entity]
        items.append(Item(TYPE_LETTER[ent.type], m.start, m.end, entity=ent.id))
    taken = [(it.start, it.end) for it in items if it.letter != "Q"]
    for sp in sentences:
        for d in find_dates(text, sp.start, sp.end, published):
            if not any(d.start < e and s < d.end for s, e in taken):
                items.append(Item("D", d.start, d.end, value=d.value, precision=d.precision))
                taken.append((d.start, d.end))
        for s0, e0, iso in _durations(text, sp.start, sp.end):
            if not any(s0 < e and s < e0 for s, e in taken):
                items.append(Item("U", s0, e0, value=iso))
                taken.append((s0, e0))
    items.sort(key=lambda it: (it.start, it.letter != "Q"))
    return items, quotes


def shadow_of(text: str, sp: Span, items: list[Item], index: list[int]) -> Shadow:
    parts: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    pos = sp.start
    length = 0
    quote_end = -1
    for k in index:
        it = items[k]
        if it.start < pos or it.end > sp.end and it.letter != "Q":
            continue
        if it.start < quote_end:
            continue  # inside a quotation: hidden from the rules
        if it.start > pos:
            chunk = text[pos:it.start]
            pieces.append((length, length + len(chunk), pos, it.start))
            parts.append(chunk)
            length += len(chunk)
        tok = f"⟨{it.letter}{k}⟩"
        end = min(it.end, sp.end)
        pieces.append((length, length + len(tok), it.start, end))
        parts.append(tok)
        length += len(tok)
        pos = end
        if it.letter == "Q":
            quote_end = it.end
    if pos < sp.end:
        pieces.append((length, length + sp.end - pos, pos, sp.end))
        parts.append(text[pos:sp.end])
    return Shadow("".join(parts), sp, items, pieces)


# ---------------------------------------------------------------- the extractor

@dataclass
class Statement:
    speaker: str  # who, as a name for notes
    lo: int  # shadow span of what was said (reported speech)
    hi: int


@dataclass
class _State:
    last_speaker: str | None = None
    last_speaker_sentence: int = -10
    last_person: str | None = None
    pending_relative: tuple[str, str, int] | None = None  # (relation, person, sentence no.)
    seen: set[str] = field(default_factory=set)
    detained_at: dict[str, str] = field(default_factory=dict)


class Extractor:
    def __init__(self, text: str, entities: dict[str, Entity], items: list[Item], published: dt.date | None):
        self.text = text
        self.entities = entities
        self.items = items
        self.published = published
        self.out: list[Candidate] = []
        self.state = _State()
        self.sentence_no = 0
        self.anchors: list[tuple[int, str, str]] = []  # (shadow end, subject token, letter) of rules that fired
        self.statements: list[Statement] = []  # reported speech in the current sentence

    # -- helpers
    def ent(self, sh: Shadow, token: str) -> str:
        it = sh.item(token)
        assert it.entity is not None
        return it.entity

    def name(self, ent_id: str) -> str:
        return self.entities[ent_id].name

    def emit(self, sh: Shadow, s: str, p: str, o: str, lo: int, hi: int, conf: float, rule: str,
             check: bool = True, **quals: Any) -> None:
        if s == o:
            return
        if check and _NEG.search(sh.text[lo:hi]):
            return
        quals = {k: v for k, v in quals.items() if v not in (None, "")}
        for st in self.statements:
            if st.lo <= lo < st.hi and p != "statedBy":
                quals.setdefault("note", f"as stated by {st.speaker}")
                conf -= 0.1
                break
        self.out.append(Candidate(s, p, o, quals, round(max(0.05, min(conf, 0.99)), 2), sh.span, lo, hi, rule))

    def date_in(self, sh: Shadow, lo: int, hi: int, nearest_to: int | None = None) -> str | None:
        found = [(m.start(), sh.item(m.group())) for m in re.finditer(DATE, sh.text[lo:hi])]
        if not found:
            return None
        if nearest_to is None:
            return found[0][1].value
        return min(found, key=lambda f: abs(lo + f[0] - nearest_to))[1].value

    def date_before(self, sh: Shadow, lo: int, pos: int) -> str | None:
        """The date nearest before a trigger, unless another verb phrase stands between
        ("arrested in 2017 and later sentenced": 2017 is not the sentencing date)."""
        found = list(re.finditer(DATE, sh.text[lo:pos]))
        if not found:
            return None
        last = found[-1]
        if re.search(r"\b(?:and|later|then|after|before|but|when)\b", sh.text[lo + last.end():pos]):
            return None
        return self.item_value(sh, last.group())

    def item_value(self, sh: Shadow, token: str) -> str | None:
        return sh.item(token).value

    def subject_before(self, sh: Shadow, pos: int, letters: str = "P", participle: bool = False) -> str | None:
        toks = [t for t in _items_in(sh.text[:pos]) if t[0] in letters]
        if not toks:
            return None
        letter, idx, s, e = toks[-1]
        gap = sh.text[e:pos]
        if _GAP.match(gap) or _GAP_COORD_VP.match(gap) or (participle and _GAP_PARTICIPLE.match(gap)):
            if letter == "P" and self._is_possessor(sh, s):
                return None
            return sh.text[s:e]
        for a_end, a_subject, a_letter in reversed(self.anchors):
            if a_end <= pos and a_letter in letters and _COORD.match(sh.text[a_end:pos]):
                return a_subject
        return None

    def start_of(self, sh: Shadow, token: str, before: int) -> int:
        """Where the subject ``token`` stands in the shadow (for the fact's span)."""
        i = sh.text.rfind(token, 0, before)
        return i if i >= 0 else before

    def _is_possessor(self, sh: Shadow, s: int) -> bool:
        # "the brother of ⟨P⟩" / "⟨G⟩ member of ⟨P⟩'s ..." : the person is not the subject
        return bool(re.search(r"\b(?:of|for|by|with|against|to|from)\s+(?:the\s+)?(?:[a-z\-]+\s+){0,4}$", sh.text[:s]))

    # -- per sentence
    def sentence(self, no: int, sh: Shadow) -> None:
        self.sentence_no = no
        self.anchors = []
        self.statements = []
        self.rule_statements(no, sh)
        for rule in _RULES:
            rule(self, sh)
        persons = [t for t in _items_in(sh.text) if t[0] == "P"]
        if persons:
            self.state.last_person = self.ent(sh, sh.text[persons[0][2]:persons[0][3]])

    # -- statements (statedBy)
    def rule_statements(self, no: int, sh: Shadow) -> None:
        t = sh.text
        speaker = None
        content: tuple[int, int] | None = None
        quote_tok = None
        m = re.search(rf"(?P<sp>{ORGS.replace('GOBCJ', 'POGB')}|\b[Hh]e\b|\b[Ss]he\b)\s+(?:(?:also|later|then|has|had|"
                      rf"have|previously|repeatedly|once|further)\s+)*(?P<v>{SAY})\b(?:\s+that\b)?", t)
        if m and not self._speaker_prefix_ok(t[:m.start()]):
            m = None
        if m:
            speaker = self._resolve_speaker(sh, m.group("sp"), no)
            rest_lo = m.end()
            q = re.search(QUOTE, t[:m.start()])
            q_after = re.match(rf"\s*[,:]?\s*(?P<q>{QUOTE})", t[rest_lo:])
            if q:
                quote_tok = q.group()
            elif q_after:
                quote_tok = q_after.group("q")
            elif re.fullmatch(rf"\s*(?:(?:on\s+|in\s+)?{DATE}\s*)?(?:[.,;].*)?", t[rest_lo:]):
                # the attribution closes the sentence ("..., his lawyer X said."): what was said is before it
                front = re.split(r"[,;]\s*(?=[^,;]*$)", t[:m.start()].rstrip(" ,"))[0]
                content = (0, len(front)) if front.strip() else None
            else:
                content = (rest_lo, len(t))
        if speaker is None:
            m = re.search(rf"{QUOTE}\s*,?\s*(?:{SAY})\s+(?:[a-z\- ]+\s+)?(?:{ORGS}\s+)?(?:[a-z\- ]+\s+)?(?P<sp>{P})", t)
            if m:
                speaker = self.ent(sh, m.group("sp"))
                quote_tok = re.match(QUOTE, t[m.start():]).group()  # type: ignore[union-attr]
        if speaker is None:
            m = re.search(r",\s*(?:saying|adding)\b(?:\s+that\b)?", t)
            if m:
                subj = re.search(r"⟨[POGB]\d+⟩", t[:m.start()])
                if subj and self._speaker_prefix_ok(t[:subj.start()]):
                    speaker = self.ent(sh, subj.group())
                    q = re.match(rf"\s*(?P<q>{QUOTE})", t[m.end():])
                    if q:
                        quote_tok = q.group("q")
                    else:
                        content = (m.end(), len(t))
        if speaker is None:
            m = re.search(r"\baccording\s+to\s+(?:the\s+)?(?:[a-z\-]+\s+){0,3}(?P<sp>⟨[POGB]\d+⟩)", t)
            if m:
                speaker = self.ent(sh, m.group("sp"))
                content = (0, m.start())
        if speaker is None and re.fullmatch(rf"\s*{QUOTE}[\s.]*", t):
            if self.state.last_speaker and no - self.state.last_speaker_sentence <= 2:
                speaker = self.state.last_speaker
                quote_tok = t.strip(" .")
        if speaker is None:
            # an unnamed speaker ("His lawyer said ..."): no statedBy, but what follows is reported
            m = re.search(r"^(?P<who>[^⟨,;]{2,40}?)\s+(?:said|says|told\s+\w+)\s+(?:that\s+)?", t)
            if m:
                self.statements.append(Statement(m.group("who").strip(), m.end(), len(t)))
            return
        if quote_tok:
            said = sh.item(quote_tok).value or ""
        elif content:
            lo, hi = content
            said = self.text[sh.to_text(lo):sh.to_text(hi) if hi < len(t) else sh.span.end]
            self.statements.append(Statement(self.name(speaker), lo, hi))
        else:
            return
        adding = re.search(r",\s*adding\s+(?:that\s+)?", t[m.end():]) if m else None
        if adding and content is None:
            lo2 = m.end() + adding.end()  # type: ignore[union-attr]
            also = self.text[sh.to_text(lo2):sh.span.end]
            self.statements.append(Statement(self.name(speaker), lo2, len(t)))
            self.emit(sh, speaker, "statedBy", _summary(also), lo2, len(t), 0.7, "said", check=False)
        summary = _summary(said)
        if not summary:
            return
        when = re.search(rf"(?:^\W*(?:On\s+|on\s+)?(?P<a>{DATE})\s*,|\b{SAY}\s+(?:on\s+)?(?P<b>{DATE}))", t)
        date = sh.item(when.group("a") or when.group("b")).value if when else None
        self.emit(sh, speaker, "statedBy", summary, 0, len(t), 0.75, "said", check=False, date=date)
        self.state.last_speaker = speaker
        self.state.last_speaker_sentence = no

    def _speaker_prefix_ok(self, prefix: str) -> bool:
        prefix = prefix.strip()
        if not prefix:
            return True
        last = re.split(r"[,;:]\s*|\band\b|\bbut\b|\bwhile\b", prefix)[-1].strip()
        if re.fullmatch(rf"(?:{QUOTE}\s*,?)?", last):
            return True
        # title words before the speaker: "Prey Sar Prison director", "Local rights group"
        return bool(re.fullmatch(rf"(?:{QUOTE}\s*,?\s*)?(?:(?:[A-Za-z\-’']+|{ORGS})\s+){{0,6}}(?:[A-Za-z\-’']+|{ORGS})", last)) and not re.search(
            r"\b(?:of|with|to|by|for|from|against|that|when|as)\s*$", last + " ")

    def _resolve_speaker(self, sh: Shadow, token: str, no: int) -> str | None:
        if token.startswith("⟨"):
            return self.ent(sh, token)
        if self.state.last_speaker and no - self.state.last_speaker_sentence <= 3:
            return self.state.last_speaker
        return self.state.last_person


def _summary(said: str, limit: int = 10) -> str:
    said = re.sub(r"[\u201c\u201d\"]", "", said)
    said = re.sub(r"^\s*(?:that|reporters|journalists)\s+", "", said.strip())
    words = said.split()
    if not words:
        return ""
    out = " ".join(words[:limit]).rstrip(",;:.")
    return out + (" ..." if len(words) > limit else "")


# ---------------------------------------------------------------- rules
# Each rule is f(extractor, shadow) and emits candidates.

_RULES: list[Callable[[Extractor, Shadow], None]] = []


def rule(fn: Callable[[Extractor, Shadow], None]) -> Callable[[Extractor, Shadow], None]:
    _RULES.append(fn)
    return fn


def _tokens(s: str, pattern: str = P) -> list[str]:
    return re.findall(pattern, s)


def _role_name(role: str) -> str:
    role = " ".join(role.split()).lower()
    role = ROLE_PLURALS.get(role, role)
    return {"vice-president": "vice president", "spokesman": "spokesperson", "spokeswoman": "spokesperson",
            "pm": "prime minister", "secretary general": "secretary-general", "mp": "member of parliament",
            "councilor": "councillor", "advisor": "adviser"}.get(role, role)


_ROLE_BEFORE = re.compile(
    rf"(?P<former>\b[Ff]ormer\s+)?(?:(?P<org>{ORGS})(?:\u2019s|'s)?\s+)?(?P<former2>former\s+)?"
    rf"(?P<mod>(?:(?:{ROLE_MOD}|{MINISTRY})\s+)?)\b(?P<role>{ROLE})\s+(?P<pl>{PLIST})(?![\u2019']s)",
    re.I,
)


@rule
def role_before_name(x: Extractor, sh: Shadow) -> None:
    """``KWP deputy president Son Chhay``, ``former Candlelight vice president Thach Setha``,
    ``Prey Sar Prison director Nouth Savna``, ``KWP senators A and B``."""
    for m in _ROLE_BEFORE.finditer(sh.text):
        role = _role_name(m.group("role"))
        mod = " ".join(m.group("mod").split()).lower()
        former = bool(m.group("former") or m.group("former2"))
        org_tok = m.group("org")
        org = x.ent(sh, org_tok) if org_tok else None
        org_letter = org_tok[1] if org_tok else ""
        if mod and role in {"minister", "leader", "spokesperson", "chief", "official"}:
            role = f"{mod} {role}"
        if re.search(rf"\b(?:{OCC})$", m.group("role"), re.I):
            continue
        if not org_tok and re.search(rf"(?:{OCC_MOD})\s+$", sh.text[:m.start("role")]):
            continue  # "union leader X" is an occupation, read by the occupation rule
        for tok in _tokens(m.group("pl")):
            person = x.ent(sh, tok)
            lo, hi = m.start(), m.end()
            note = "former" if former else None
            base = role.split()[-1]
            if role == "member":
                if org and org_letter in "GO" and not former:
                    x.emit(sh, person, "memberOf", org, lo, hi, 0.85, "role-before")
                continue
            if base == "director" and org and org_letter in "JO":
                x.emit(sh, person, "directorOf", org, lo, hi, 0.9, "role-before", note=note)
            elif base == "spokesperson" and org:
                x.emit(sh, person, "spokespersonOf", org, lo, hi, 0.9, "role-before", note=note)
            elif role == "leader" and org and org_letter in "GO":
                x.emit(sh, person, "leaderOf", org, lo, hi, 0.85, "role-before", note=note)
            elif role in {"founder", "co-founder"} and org and org_letter in "GO":
                x.emit(sh, person, "founded", org, lo, hi, 0.85, "role-before")
            else:
                x.emit(sh, person, "holdsRole", role, lo, hi, 0.85 if org else 0.75, "role-before",
                       org=org, note=note)
            if org and org_letter in "GO" and not former and role not in {"founder", "co-founder", "leader"}:
                x.emit(sh, person, "memberOf", org, lo, hi, 0.8, "role-before")


_ROLE_AFTER = re.compile(
    rf"(?P<p>{P})\s*,\s*(?:(?:the|a|an|its|his|her)\s+)?(?P<former>former\s+|then-?\s*|ex-)?(?P<mod>(?:(?:{ROLE_MOD})\s+)?)"
    rf"(?:(?P<org1>{ORGS})(?:\u2019s|'s)?\s+)?(?P<role>{ROLE})(?:\s+(?:of|for|at|in)\s+(?:the\s+)?"
    rf"(?:(?:[a-z][a-z\-]+)\s+){{0,2}}(?P<org2>{ORGS}))?(?=[\s,.;)(]|$)",
    re.I,
)


@rule
def role_after_name(x: Extractor, sh: Shadow) -> None:
    """``Kem Sokha, the former leader of the outlawed CNRP``; ``Chhay, a lawmaker since 1993``."""
    for m in _ROLE_AFTER.finditer(sh.text):
        org_tok = m.group("org1") or m.group("org2")
        org = x.ent(sh, org_tok) if org_tok else None
        letter = org_tok[1] if org_tok else ""
        role = _role_name(m.group("role"))
        if role in ROLE_PLURALS.values() and m.group("role").lower().endswith("s") and role != m.group("role").lower():
            continue
        former = bool(m.group("former"))
        note = "former" if former else None
        person = x.ent(sh, m.group("p"))
        lo, hi = m.start(), m.end()
        since = re.match(rf"\s+since\s+(?P<d>{DATE})", sh.text[hi:])
        start = sh.item(since.group("d")).value if since else None
        if role == "leader" and org and letter in "GO":
            x.emit(sh, person, "leaderOf", org, lo, hi, 0.85, "role-after", note=note, start=start)
        elif role == "director" and org and letter in "JO":
            x.emit(sh, person, "directorOf", org, lo, hi, 0.85, "role-after", note=note)
        elif role == "spokesperson" and org:
            x.emit(sh, person, "spokespersonOf", org, lo, hi, 0.85, "role-after", note=note)
        elif role in {"founder", "co-founder"} and org and letter in "GO":
            x.emit(sh, person, "founded", org, lo, hi, 0.85, "role-after")
        elif role == "member":
            if org and letter in "GO" and not former:
                x.emit(sh, person, "memberOf", org, lo, hi, 0.85, "role-after")
            continue
        else:
            x.emit(sh, person, "holdsRole", role, lo, hi, 0.8 if org else 0.7, "role-after", org=org, note=note,
                   start=start)
        if org and letter in "GO" and not former and role not in {"founder", "co-founder", "leader"}:
            x.emit(sh, person, "memberOf", org, lo, hi, 0.75, "role-after")


_OCC_PHRASE = rf"(?:(?:{OCC_MOD}|[A-Z][\w\-]*)\s+){{0,3}}(?:{OCC})"
_OCC_BEFORE = re.compile(
    rf"(?<![\w⟩])(?P<occ>{_OCC_PHRASE})\b(?:\s+and\s+(?P<occ2>{_OCC_PHRASE}))?\s*,?\s+(?P<pl>{PLIST})(?![\u2019']s)"
)
_OCC_AFTER = re.compile(rf"(?P<p>{P})\s*,\s*(?:a|an)\s+(?P<occ>(?:[a-z\-]+\s+){{0,3}}(?:{OCC}))\b(?!\s+(?:of|for|at)\b)")


def _clean_occ(occ: str) -> str | None:
    words = occ.split()
    while words and (words[0].lower() in {"the", "a", "an", "and", "former"} or re.fullmatch(
            r"(?:American|Cambodian|French|Australian|Canadian|British|Thai|Vietnamese|Chinese)", words[0])):
        words = words[1:]
    if not words:
        return None
    out = " ".join(words)
    return out if out[:1].isupper() and len(words) > 1 and words[0] not in {"Rights", "Human"} else out.lower()


@rule
def occupation(x: Extractor, sh: Shadow) -> None:
    """``Rights advocate Theary Seng``, ``the Khmer Bible editor and human rights activist,
    Theary Seng``, ``Theary Seng, a lawyer``."""
    for m in _OCC_BEFORE.finditer(sh.text):
        if re.search(rf"{ORGS}(?:\u2019s|'s)?\s+$", sh.text[:m.start()]):
            continue  # "KWP lawyer X" is a role for an organisation; not read here
        for group in ("occ", "occ2"):
            occ = m.group(group)
            if not occ:
                continue
            if re.match(r"(?i)former\b", occ):
                continue
            occ = _clean_occ(occ)
            if not occ:
                continue
            occ = re.sub(r"s$", "", occ) if occ.lower().endswith(tuple(o + "s" for o in OCCUPATIONS)) else occ
            for tok in _tokens(m.group("pl")):
                x.emit(sh, x.ent(sh, tok), "occupation", occ, m.start(), m.end(), 0.8, "occupation")
    for m in _OCC_AFTER.finditer(sh.text):
        occ = _clean_occ(m.group("occ"))
        if occ and not re.search(r"\b(?:former|dual|citizen)\b", occ):
            x.emit(sh, x.ent(sh, m.group("p")), "occupation", occ, m.start(), m.end(), 0.8, "occupation")


_CITIZEN = re.compile(
    rf"(?P<p>{P})\s*,\s*(?:a|an)\s+(?:(?:dual|naturali[sz]ed)\s+)?(?P<dem>[A-Z][a-z]+(?:[-\s][A-Z][a-z]+)*)\s+"
    r"(?:citizen|national)\b"
)


@rule
def citizenship(x: Extractor, sh: Shadow) -> None:
    """``Theary Seng, a dual American-Cambodian citizen``."""
    for m in _CITIZEN.finditer(sh.text):
        for dem in re.split(r"[-\s]", m.group("dem")):
            country = DEMONYMS.get(dem.lower())
            if country:
                x.emit(sh, x.ent(sh, m.group("p")), "citizenOf", country, m.start(), m.end(), 0.85, "citizen")


_REL = r"brother|sister|son|daughter|wife|husband|father|mother|cousin|nephew|niece|uncle|aunt|brother-in-law|sister-in-law"
_INVERSE = {"brother": {"sister", "brother"}, "sister": {"sister", "brother"}, "son": {"father", "mother"},
            "daughter": {"father", "mother"}, "father": {"son", "daughter"}, "mother": {"son", "daughter"},
            "wife": {"husband"}, "husband": {"wife"}}


_GENDERED = {("sister", "his"): "brother", ("sister", "her"): "sister", ("brother", "his"): "brother",
             ("brother", "her"): "sister", ("wife", "her"): "", ("wife", "his"): "husband",
             ("husband", "her"): "wife", ("son", "his"): "father", ("son", "her"): "mother",
             ("daughter", "his"): "father", ("daughter", "her"): "mother"}


@rule
def relatives(x: Extractor, sh: Shadow) -> None:
    """``A, the brother of B``; ``B's brother A``; ``A and his sister B``; and, across
    sentences, ``the brother of B ... A said his sister ...``."""
    t = sh.text
    for m in re.finditer(rf"(?P<a>{P})\s*,\s*(?:the\s+|a\s+)?(?P<rel>{_REL})\s+of\s+(?:the\s+)?(?:[^,⟨]{{0,60}},?\s*)?(?P<b>{P})", t):
        x.emit(sh, x.ent(sh, m.group("a")), "relativeOf", x.ent(sh, m.group("b")), m.start(), m.end(), 0.8,
               "relative", relation=m.group("rel").lower())
    for m in re.finditer(rf"(?P<b>{P})(?:\u2019s|'s)\s+(?P<rel>{_REL})\s*,?\s+(?P<a>{P})", t):
        x.emit(sh, x.ent(sh, m.group("a")), "relativeOf", x.ent(sh, m.group("b")), m.start(), m.end(), 0.8,
               "relative", relation=m.group("rel").lower())
    for m in re.finditer(rf"(?P<a>{P})\s+and\s+(?P<his>his|her)\s+(?P<rel>{_REL})\s*,?\s+(?P<b>{P})", t):
        rel = m.group("rel").lower()
        x.emit(sh, x.ent(sh, m.group("b")), "relativeOf", x.ent(sh, m.group("a")), m.start(), m.end(), 0.75,
               "relative", relation=rel)
        inverse = _GENDERED.get((rel, m.group("his")))
        if inverse:
            x.emit(sh, x.ent(sh, m.group("a")), "relativeOf", x.ent(sh, m.group("b")), m.start(), m.end(), 0.7,
                   "relative", relation=inverse)
    # "Her brother, A, ...": the relative of the person the previous sentence was about
    pm = re.search(rf"(?:^|[.;]\s*)\W*(?:[Hh]is|[Hh]er)\s+(?P<rel>{_REL})\s*,?\s+(?P<a>{P})", t)
    if pm and x.state.last_person and x.state.last_person != x.ent(sh, pm.group("a")):
        x.emit(sh, x.ent(sh, pm.group("a")), "relativeOf", x.state.last_person, pm.start(), pm.end(), 0.6,
               "relative-pronoun", relation=pm.group("rel").lower())
    # an unnamed relative ("The brother of B") later named ("A said his sister ...")
    um = re.search(rf"^\W*(?:The\s+|A\s+)?(?P<rel>{_REL})\s+of\s+(?:the\s+)?[^⟨]{{0,80}}?(?P<b>{P})", t)
    if um and not re.search(rf"{P}\s*,?\s*(?:the\s+)?(?:{_REL})\b", t[:um.start("rel")]):
        x.state.pending_relative = (um.group("rel").lower(), x.ent(sh, um.group("b")), x.sentence_no)
        return
    pend = x.state.pending_relative
    if pend and x.sentence_no - pend[2] <= 2:
        rel, b, _ = pend
        dm = re.search(rf"(?P<a>{P})\s+(?:\w+\s+){{0,2}}?(?:{SAY})?\s*(?:that\s+)?(?:his|her)\s+(?P<inv>{_REL})\b", t)
        if dm and dm.group("inv").lower() in _INVERSE.get(rel, set()):
            a = x.ent(sh, dm.group("a"))
            if a != b:
                x.emit(sh, a, "relativeOf", b, dm.start(), dm.end(), 0.65, "relative-discourse", relation=rel)
                x.emit(sh, b, "relativeOf", a, dm.start(), dm.end(), 0.65, "relative-discourse",
                       relation=dm.group("inv").lower())
                x.state.pending_relative = None


# -- convictions, sentences, charges ----------------------------------------------------

_CHARGE_TERM = rf"(?:{QUOTE}|(?:{CHARGE})(?:\s+(?:to|of|against)\s+[a-z]+(?:\s+[a-z]+){{0,3}}?(?=[\s,.;]|$))?)"
_CHARGES_AFTER = re.compile(
    rf"\b(?:for|of|over)\s+(?:the\s+)?(?:crimes?\s+of\s+|charges?\s+of\s+)?(?P<c>{_CHARGE_TERM})"
    rf"|\bon\s+(?:charges?|counts?)\s+of\s+(?P<c2>{_CHARGE_TERM}(?:\s*(?:,|and|or)\s*{_CHARGE_TERM})*)"
    rf"|\bon\s+(?P<c3>(?:{CHARGE}))\s+charges?\b"
    rf"|\bon\s+(?P<same>similar|the\s+same|identical|related)\s+charges?\b",
    re.I,
)
_CONVICT = re.compile(
    r"\b(?P<v>convicted|found\s+guilty|jailed|imprisoned|sentenced|serving|given|handed)\b", re.I
)


def _charge_values(x: Extractor, sh: Shadow, text: str) -> list[str]:
    out = []
    for part in re.finditer(rf"{QUOTE}|{CHARGE}(?:\s+(?:to|of|against)\s+[a-z]+(?:\s+[a-z]+){{0,3}}?(?=[\s,.;]|$))?", text, re.I):
        val = part.group()
        if val.startswith("⟨"):
            q = sh.item(val).value or ""
            q = q.strip(" ,.;")
            if 0 < len(q.split()) <= 8:
                out.append(q)
        else:
            out.append(" ".join(val.split()).lower())
    return out


@rule
def convictions(x: Extractor, sh: Shadow) -> None:
    """``jailed in 2023 for three years for incitement``, ``sentenced to two years``,
    ``serving a 27-year sentence for treason``, ``convicted in June 2022 ... on charges of``."""
    t = sh.text
    pos = 0
    last_charges: list[str] = []
    while True:
        m = _CONVICT.search(t, pos)
        if not m:
            return
        verb = m.group("v").lower()
        subject = x.subject_before(sh, m.start(), "P", participle=True)
        w_start = m.end()
        court_tok = None
        if subject is None and verb in {"sentenced", "convicted", "jailed"}:
            # active voice: "a court on Wednesday sentenced activist X to 18 months"
            act = re.match(rf"\s+(?:(?:[a-z\-]+|{ORGS})\s+){{0,3}}(?P<p>{P})", t[m.end():])
            if act and not re.search(r"\b(?:was|were|been|be|is|are)\s+$", t[:m.start()]):
                subject = act.group("p")
                w_start = m.end() + act.end()
                cm = re.search(rf"(?P<c>⟨C\d+⟩)(?:\s+(?:on|in)\s+{DATE})?\s+(?:has\s+|had\s+)?$", t[:m.start()])
                court_tok = cm.group("c") if cm else None
        # the window: up to the next person, a semicolon or the end of the sentence
        nxt = re.search(rf"{P}|;|\bwhile\b|\bwhereas\b", t[w_start:])
        w_end = w_start + nxt.start() if nxt else len(t)
        window = t[w_start:w_end]
        pos = w_end if subject else m.end()
        if subject is None:
            continue
        if verb in {"given", "handed"} and not re.match(rf"\s+(?:a\s+)?{DUR}", window):
            continue
        if verb == "serving" and not re.search(rf"{DUR}\s+(?:prison\s+|jail\s+)?(?:sentence|term)", window):
            continue
        person = x.ent(sh, subject)
        lo = min(x.start_of(sh, subject, m.start()), m.start())
        hi = w_end
        if _NEG.search(t[lo:hi]):
            continue
        active = w_start != m.end()
        date = x.date_in(sh, w_start, hi, nearest_to=w_start) or x.date_before(sh, 0 if active else lo, m.start())
        durs = [sh.item(d).value or "" for d in re.findall(DUR, window) if _is_sentence_length(window, d)]
        charges: list[str] = []
        same = False
        worded = False  # the text calls them charges ("on charges of X"): they were charged too
        for cm in _CHARGES_AFTER.finditer(window):
            if cm.group("same"):
                same = worded = True
                continue
            worded = worded or bool(cm.group("c2") or cm.group("c3"))
            charges += _charge_values(x, sh, cm.group("c") or cm.group("c2") or cm.group("c3") or "")
        if same and not charges:
            charges = [c for c in last_charges]
            conf_c = 0.6
        else:
            conf_c = 0.85
        court = re.search(r"\bby\s+(?:the\s+)?(?:[A-Z][\w’']*\s+)*(?P<c>⟨C\d+⟩)", window)
        court_tok = court.group("c") if court else court_tok
        court_id = x.ent(sh, court_tok) if court_tok else None
        for d in durs[:1]:
            x.emit(sh, person, "sentencedTo", d, lo, hi, 0.85, "conviction", check=False, date=date)
        if verb != "serving" or charges:
            for c in dict.fromkeys(charges):
                x.emit(sh, person, "convictedOf", c, lo, hi, conf_c, "conviction", check=False, date=date,
                       court=court_id)
                if worded:
                    x.emit(sh, person, "chargedWith", c, lo, hi, conf_c - 0.1, "conviction", check=False)
        if court_id:
            x.emit(sh, person, "convictedBy", court_id, lo, hi, 0.85, "conviction", check=False, date=date)
        # held in a prison named in the same stretch ("jailed in Prey Sar Prison")
        pm = re.search(r"\b(?:in|at|to)\s+(?:the\s+)?(?:[A-Z][\w’']*\s+)*(?P<j>⟨J\d+⟩)", window)
        if pm:
            prison = x.ent(sh, pm.group("j"))
            x.emit(sh, person, "detainedAt", prison, lo, hi, 0.8, "conviction", check=False, date=date)
            x.state.detained_at[person] = prison
        if charges:
            last_charges = charges
        x.anchors.append((hi, subject, "P"))


def _is_sentence_length(window: str, tok: str) -> bool:
    i = window.find(tok)
    before = window[:i][-25:]
    after = window[i + len(tok):][:30]
    return bool(re.search(r"(?:\bfor|\bto|\ba|\ban|\bof)\s+$", before) or re.match(
        r"\s+(?:prison\s+|jail\s+)?(?:sentence|term|in\s+prison|in\s+jail|behind\s+bars)", after)) and not re.search(
        r"\bwithin\s+$|\bin\s+$|\bafter\s+$|\bfirst\s+time\s+in\s+$", before)


@rule
def charged(x: Extractor, sh: Shadow) -> None:
    """``X was charged with incitement``; ``X, accused of treason``."""
    t = sh.text
    for m in re.finditer(rf"\b(?:charged\s+with|accused\s+of|indicted\s+(?:for|on)|arrested\s+(?:for|on\s+charges?\s+of)|"
                         rf"faces?\s+charges?\s+of|facing\s+charges?\s+of)\s+(?P<c>{_CHARGE_TERM}(?:\s*(?:,|and|or)\s*"
                         rf"{_CHARGE_TERM})*)", t, re.I):
        subject = x.subject_before(sh, m.start(), "P", participle=True)
        if not subject:
            continue
        person = x.ent(sh, subject)
        lo = x.start_of(sh, subject, m.start())
        hi = m.end()
        date = x.date_in(sh, lo, min(len(t), hi + 30), nearest_to=m.start())
        for c in _charge_values(x, sh, m.group("c")):
            x.emit(sh, person, "chargedWith", c, lo, hi, 0.8, "charged", date=date)
        x.anchors.append((hi, subject, "P"))


_DETAIN = re.compile(
    rf"\b(?P<v>held|detained|jailed|imprisoned|locked\s+up|incarcerated|remains?|remained|taken|sent|transferred|moved)"
    rf"\s+(?:(?:in|at|to|inside)\s+)(?:the\s+)?(?:(?:[A-Z][\w\-]*(?:\u2019s|'s)?)\s+){{0,3}}(?P<j>⟨J\d+⟩)"
    rf"(?:\s+(?:alongside|along\s+with|together\s+with|with)\s+(?P<pl>{PLIST}))?"
)


@rule
def detention(x: Extractor, sh: Shadow) -> None:
    """``held in Phnom Penh's Prey Sar Prison alongside A and B``."""
    for m in _DETAIN.finditer(sh.text):
        prison = x.ent(sh, m.group("j"))
        date = x.date_in(sh, m.start(), min(len(sh.text), m.end() + 25))
        people = []
        subject = x.subject_before(sh, m.start(), "P", participle=True)
        if subject:
            people.append((subject, x.start_of(sh, subject, m.start())))
        if m.group("pl"):
            people += [(tok, m.start()) for tok in _tokens(m.group("pl"))]
        for tok, lo in people:
            person = x.ent(sh, tok)
            x.emit(sh, person, "detainedAt", prison, lo, m.end(), 0.8, "detention", date=date)
            x.state.detained_at[person] = prison
        if subject:
            x.anchors.append((m.end(), subject, "P"))


_RELEASE = re.compile(
    r"\b(?:(?P<exp>(?:is|are|was|were)\s+)?(?:due|set|scheduled|expected|slated|likely)\s+(?:for\s+(?:his\s+|her\s+)?release|"
    r"to\s+be\s+(?:released|freed))|will\s+be\s+(?:released|freed)|(?P<done>(?:was|were|been|is|has\s+been)\s+(?:released|freed)"
    r"|walked\s+free))\b"
)


@rule
def release(x: Extractor, sh: Shadow) -> None:
    """``X is due for release in April next year``; ``X is expected to be freed within 70 days``."""
    t = sh.text
    for m in _RELEASE.finditer(t):
        subject = x.subject_before(sh, m.start(), "P", participle=True)
        if not subject:
            continue
        person = x.ent(sh, subject)
        nxt = re.search(rf"{P}|;|,\s*(?:while|but|and)\b", t[m.end():])
        hi = m.end() + (nxt.start() if nxt else len(t) - m.end())
        lo = x.start_of(sh, subject, m.start())
        date = x.date_in(sh, m.end(), hi, nearest_to=m.end())
        pm = re.search(r"\bfrom\s+(?:the\s+)?(?:[A-Z][\w’']*\s+)*(?P<j>⟨J\d+⟩)", t[m.end():hi])
        obj = x.ent(sh, pm.group("j")) if pm else x.state.detained_at.get(person, "prison")
        expected = None if m.group("done") else True
        x.emit(sh, person, "releasedFrom", obj, lo, hi, 0.75, "release", date=date, expected=expected)
        x.anchors.append((hi, subject, "P"))


def _pairs(x: Extractor, sh: Shadow, left: str, right: str) -> list[tuple[str, str]]:
    a = [x.ent(sh, tok) for tok in _tokens(left)]
    b = [x.ent(sh, tok) for tok in _tokens(right)]
    return [(p, q) for p in dict.fromkeys(a) for q in dict.fromkeys(b) if p != q]


def _not_possessive(s: str) -> str:
    """Hide ``⟨P1⟩'s family``: a possessor is not the one met or visited."""
    return re.sub(rf"{P}(?=\s*(?:\u2019s|'s)\b)", "", s)


_LEFT_STOP = re.compile(r"[;:]|\bwhile\b|\bwhereas\b|\bwho\b|\bwhich\b|\bafter\b|\bbefore\b|\bsaid\b|\bsays\b", re.I)
_RIGHT_STOP = re.compile(r";|\bwhile\b|\bwhereas\b|\bsaid\b|\bbefore\b|\bafter\s+(?!⟨D)|\bwho\b")


@rule
def meetings(x: Extractor, sh: Shadow) -> None:
    """``A, B and C met D and E``; ``a meeting between A and B``; ``A visited B / X Prison``."""
    t = sh.text
    for m in re.finditer(r"\b(?P<v>met(?:\s+with)?|meets(?:\s+with)?|held\s+talks\s+with|visited|visits|paid\s+a\s+visit\s+to)\b", t):
        verb = m.group("v")
        left_all = t[:m.start()]
        cut = list(_LEFT_STOP.finditer(left_all))
        left = left_all[cut[-1].end():] if cut else left_all
        if re.search(r"\b(?:to|not|never|could|would|may|might|will)\s+$", left):
            continue
        stop = _RIGHT_STOP.search(t, m.end())
        right = t[m.end():stop.start() if stop else len(t)]
        lo, hi = m.start() - len(left), m.end() + len(right)
        if _NEG.search(t[lo:hi]):
            continue
        first_obj = re.search(r"⟨[PJ]\d+⟩", right)
        date = x.date_in(sh, lo, m.end() + (first_obj.start() if first_obj else 0), nearest_to=m.end())
        after_last = re.search(rf"^[^⟨]*?⟨[PJ]\d+⟩\s+(?:on\s+|in\s+)?(?P<d>{DATE})", right[first_obj.start():]) if first_obj else None
        if date is None and after_last:
            date = sh.item(after_last.group("d")).value
        right = _not_possessive(right)
        left = _not_possessive(left)
        if verb.startswith(("visit", "paid")):
            for subj, obj in _pairs(x, sh, left, right):
                x.emit(sh, subj, "visited", obj, lo, hi, 0.75, "visit", date=date)
            first = re.match(r"\s+(?:the\s+)?(?:[A-Z][\w’']*(?:\u2019s|'s)?\s+){0,3}(?P<j>⟨J\d+⟩)", right)
            if first:
                for subj in dict.fromkeys(x.ent(sh, tok) for tok in _tokens(left)):
                    x.emit(sh, subj, "visited", x.ent(sh, first.group("j")), lo, hi, 0.75, "visit", date=date)
        else:
            for subj, obj in _pairs(x, sh, left, right):
                x.emit(sh, subj, "metWith", obj, lo, hi, 0.75, "meeting", date=date)
    for m in re.finditer(rf"\b(?:meeting|talks|meetings)\s+(?:(?:on|in)\s+{DATE}\s+)?(?:between|with)\s+(?P<a>{PLIST})\s+and\s+"
                         rf"(?:(?:[a-z\-]+\s+){{0,3}})(?P<b>{P})", t):
        lo, hi = m.start(), m.end()
        if _NEG.search(t[max(0, lo - 30):hi]):
            continue
        date = x.date_in(sh, max(0, lo - 20), hi)
        for subj, obj in _pairs(x, sh, m.group("a"), m.group("b")):
            x.emit(sh, subj, "metWith", obj, lo, hi, 0.7, "meeting", date=date)


# -- parties ---------------------------------------------------------------------------

def _party_rule(name: str, pattern: str, pred: str, conf: float = 0.8, flags: int = 0,
                subject_group: str | None = None, swap: bool = False) -> None:
    compiled = re.compile(pattern, flags)

    def fn(x: Extractor, sh: Shadow) -> None:
        for m in compiled.finditer(sh.text):
            groups = m.groupdict()
            if subject_group and groups.get(subject_group):
                subj_tok = groups[subject_group]
                lo = m.start()
            else:
                subj_tok = x.subject_before(sh, m.start(), "G", participle=True)
                if not subj_tok:
                    continue
                lo = x.start_of(sh, subj_tok, m.start())
            hi = m.end()
            objs = _tokens(groups.get("o") or "", ANY)
            date = x.date_in(sh, lo, min(len(sh.text), hi + 25), nearest_to=hi)
            election = None
            el = re.search(r"⟨E\d+⟩", sh.text[m.start():min(len(sh.text), hi + 40)])
            if el:
                election = x.ent(sh, el.group())
            subj = x.ent(sh, subj_tok)
            for o_tok in objs:
                s_id, o_id = (x.ent(sh, o_tok), subj) if swap else (subj, x.ent(sh, o_tok))
                quals: dict[str, Any] = {"date": date}
                if pred == "disqualifiedBy":
                    quals["election"] = election
                if pred == "allianceWith":
                    quals = {"start": date}
                x.emit(sh, s_id, pred, o_id, lo, hi, conf, name, **quals)
            if groups.get("share"):
                share = groups["share"]
                share = re.sub(r"\s*(?:percent|per\s+cent)", "%", share)
                share = share.replace(" %", "%")
                x.emit(sh, subj, "won", share, lo, hi, conf, name, election=election)
                if election:
                    x.emit(sh, subj, "contested", election, lo, hi, conf - 0.1, name)
            if pred == "won" and not objs and not groups.get("share") and groups.get("seats"):
                x.emit(sh, subj, "won", groups["seats"], lo, hi, conf, name, election=election)
            x.anchors.append((hi, subj_tok, "G"))

    fn.__name__ = name
    _RULES.append(fn)


_BODY = r"⟨[CB]\d+⟩"
_THE = r"(?:the\s+)?"
_party_rule("renamed", rf"\b(?:was\s+|were\s+|later\s+|been\s+)?(?:renamed|rebranded)(?:\s+itself)?\s+(?:as\s+|to\s+)?{_THE}(?P<o>{PARTY})", "renamedTo")
_party_rule("renamed-name", rf"\bchanged\s+its\s+name\s+to\s+{_THE}(?P<o>{PARTY})", "renamedTo")
_party_rule("formerly", rf"(?P<s>{PARTY})\s*,?\s*(?:\(\s*)?formerly\s+(?:known\s+as\s+|called\s+)?{_THE}(?P<o>{PARTY})",
            "renamedTo", subject_group="s", swap=True)
_party_rule("merged-into", rf"\bmerged\s+(?:in\s+{DATE}\s+)?(?:into|to\s+form|to\s+create)\s+{_THE}(?P<o>{PARTY})", "mergedInto")
_party_rule("merged-pair", rf"(?P<s>{PARTY})\s+and\s+{_THE}(?P<o2>{PARTY})\s+(?:merged|combined|united)\s+(?:in\s+{DATE}\s+)?"
            rf"(?:into|to\s+form|to\s+create)\s+{_THE}(?P<o>{PARTY})", "mergedInto", subject_group="s")
_party_rule("successor", rf"\b(?:was\s+|were\s+)?(?:formed|born|created|built)\s+(?:out\s+of|from)\s+(?:the\s+)?(?:remnants|ashes|"
            rf"remains|members|ruins)\s+of\s+{_THE}(?P<o>{PARTY})", "successorOf")
_party_rule("successor2", rf"\b(?:grew|emerged|sprang)\s+(?:out\s+of|from)\s+{_THE}(?:[a-z\-]+\s+)?(?P<o>{PARTY})", "successorOf")
_party_rule("successor3", rf"(?P<s>{PARTY})\s*,\s*(?:the|a|widely\s+seen\s+as\s+the)\s+successor\s+(?:party\s+)?(?:to|of)\s+"
            rf"{_THE}(?P<o>{PARTY})", "successorOf", subject_group="s")
_party_rule("alliance", rf"\b(?:formed|forged|signed|entered(?:\s+into)?|struck|joined)\s+(?:an?\s+)?(?:alliance|coalition|pact)\s+"
            rf"with\s+{_THE}(?P<o>{PARTY})", "allianceWith")
_party_rule("allied", rf"\ballied\s+(?:itself\s+)?with\s+{_THE}(?P<o>{PARTY})", "allianceWith")
_party_rule("alliance-between", rf"\balliance\s+between\s+{_THE}(?P<s>{PARTY})\s+and\s+{_THE}(?P<o>{PARTY})", "allianceWith",
            subject_group="s")
_party_rule("dissolved-by", rf"\b(?:was\s+|were\s+)?(?:dissolved|banned|disbanded)\s+(?:in\s+{DATE}\s+)?by\s+{_THE}(?:[A-Z][\w’']*\s+)*(?P<o>{_BODY})",
            "dissolvedBy")
_party_rule("dissolved-active", rf"(?P<o>{_BODY})\s+(?:(?:{AUX})\s+)*(?:dissolved|ordered\s+the\s+dissolution\s+of)\s+{_THE}(?P<s>{PARTY})",
            "dissolvedBy", subject_group="s", swap=False)
_party_rule("disqualified-by", rf"\b(?:was\s+|were\s+)?(?:disqualified|barred)\s+(?:from\s+{_THE}[^,;⟨]*?(?:⟨E\d+⟩\s+)?)?by\s+{_THE}(?P<o>{_BODY})",
            "disqualifiedBy")
_party_rule("disqualified-active", rf"(?P<s>{PARTY})\s*,\s*which\s+{_THE}(?P<o>{_BODY})\s+(?:(?:{AUX})\s+)*(?:disqualified|barred)\b",
            "disqualifiedBy", subject_group="s")
_party_rule("disqualified-active2", rf"(?P<o>{_BODY})\s+(?:(?:{AUX})\s+)*(?:disqualified|barred)\s+{_THE}(?P<s>{PARTY})",
            "disqualifiedBy", subject_group="s")
_party_rule("contested", rf"\b(?:contested|contests|will\s+contest|is\s+contesting|ran\s+in|competed\s+in|took\s+part\s+in|"
            rf"stood\s+in|registered\s+for)\s+{_THE}(?P<o>⟨E\d+⟩)", "contested")
_party_rule("won", rf"\b(?:won|secured|took|garnered|received)\s+(?:(?:about|around|nearly|almost|roughly|some|"
            rf"more\s+than|over|just\s+over|just\s+under|less\s+than)\s+)?(?:(?P<share>\d+(?:\.\d+)?\s*(?:%|percent|per\s+cent))|"
            rf"(?P<seats>\d+\s+(?:of\s+(?:the\s+)?\d+\s+)?seats)|{_THE}(?P<o>⟨E\d+⟩))", "won")


@rule
def founding(x: Extractor, sh: Shadow) -> None:
    """``A founded the X Party in 1995``; ``X, founded by A``; ``X was established in 2018``."""
    t = sh.text
    for m in re.finditer(rf"\b(?:founded|co-founded|established|formed|created|launched)\s+{_THE}(?P<o>⟨[GO]\d+⟩)", t):
        subj = x.subject_before(sh, m.start(), "P")
        if subj:
            lo = x.start_of(sh, subj, m.start())
            date = x.date_in(sh, lo, min(len(t), m.end() + 20))
            x.emit(sh, x.ent(sh, subj), "founded", x.ent(sh, m.group("o")), lo, m.end(), 0.8, "founded", date=date)
    for m in re.finditer(rf"(?P<o>⟨[GO]\d+⟩)\s*,?\s*(?:(?:which|that)\s+)?(?:was\s+|were\s+)?(?:founded|co-founded|established|"
                         rf"formed|created|launched)(?:\s+in\s+(?P<d1>{DATE}))?\s+by\s+(?P<pl>{PLIST})", t):
        date = sh.item(m.group("d1")).value if m.group("d1") else x.date_in(sh, m.end(), min(len(t), m.end() + 20))
        for tok in _tokens(m.group("pl")):
            x.emit(sh, x.ent(sh, tok), "founded", x.ent(sh, m.group("o")), m.start(), m.end(), 0.8, "founded",
                   date=date)
    for m in re.finditer(rf"(?P<o>⟨[GO]\d+⟩)\s*,?\s*(?:(?:which|that)\s+)?(?:was\s+|were\s+)?(?:founded|established|formed|"
                         rf"created|launched)\s+(?:in|on)\s+(?P<d>{DATE})", t):
        x.emit(sh, x.ent(sh, m.group("o")), "established", sh.item(m.group("d")).value or "", m.start(), m.end(), 0.8,
               "established")


@rule
def membership(x: Extractor, sh: Shadow) -> None:
    """``A joined the X Party``; ``A, a member of the X``; ``A defected to the Y Party``."""
    t = sh.text
    for m in re.finditer(rf"\b(?:joined|rejoined)\s+{_THE}(?P<o>⟨[GO]\d+⟩)", t):
        subj = x.subject_before(sh, m.start(), "P", participle=True)
        if subj:
            lo = x.start_of(sh, subj, m.start())
            date = x.date_in(sh, lo, min(len(t), m.end() + 25))
            x.emit(sh, x.ent(sh, subj), "memberOf", x.ent(sh, m.group("o")), lo, m.end(), 0.8, "joined", start=date)
            x.anchors.append((m.end(), subj, "P"))
    for m in re.finditer(rf"(?P<p>{P})\s*,\s*(?:a|an|the)\s+(?:(?:senior|longtime|long-time|leading|prominent|founding)\s+)?"
                         rf"(?:member\s+of\s+{_THE}(?P<o>⟨[GO]\d+⟩)|(?P<o2>⟨[GO]\d+⟩)\s+(?:member|activist|official|supporter))", t):
        x.emit(sh, x.ent(sh, m.group("p")), "memberOf", x.ent(sh, m.group("o") or m.group("o2")), m.start(), m.end(),
               0.8, "member")
    for m in re.finditer(rf"\b(?:defected|switched(?:\s+allegiance)?|crossed\s+over|moved)\s+(?:from\s+{_THE}⟨G\d+⟩\s+)?to\s+"
                         rf"{_THE}(?P<o>{PARTY})|\bleft\s+{_THE}⟨G\d+⟩\s+(?:to\s+join|for)\s+{_THE}(?P<o2>{PARTY})", t):
        subj = x.subject_before(sh, m.start(), "P", participle=True)
        if subj:
            lo = x.start_of(sh, subj, m.start())
            date = x.date_in(sh, lo, min(len(t), m.end() + 25))
            x.emit(sh, x.ent(sh, subj), "defectedTo", x.ent(sh, m.group("o") or m.group("o2")), lo, m.end(), 0.8,
                   "defected", date=date)


_COUNTRY = "|".join(re.escape(c) for c in sorted(COUNTRIES, key=len, reverse=True))


@rule
def exile(x: Extractor, sh: Shadow) -> None:
    """``A, who lives in exile in France``; ``self-exiled in France``; ``A fled to Thailand``."""
    t = sh.text
    for m in re.finditer(rf"\b(?:(?:lives?|living|lived|has\s+lived|been\s+living|is|was|remains?)\s+in\s+(?:self-imposed\s+)?exile|"
                         rf"self-exiled|exiled|fled)\s+(?:in|to)\s+(?P<c>{_COUNTRY})\b", t):
        subj = x.subject_before(sh, m.start(), "P", participle=True)
        if not subj:
            continue
        lo = x.start_of(sh, subj, m.start())
        country = m.group("c")
        country = {"US": "United States", "U.S.": "United States", "the United States": "United States",
                   "UK": "United Kingdom"}.get(country, country)
        x.emit(sh, x.ent(sh, subj), "exiledIn", country, lo, m.end(), 0.8, "exile",
               date=x.date_in(sh, lo, min(len(t), m.end() + 25)))


@rule
def exiled_title(x: Extractor, sh: Shadow) -> None:
    """``self-exiled opposition leader Sam Rainsy``: in exile, country not said."""
    for m in re.finditer(rf"\b(?:self-exiled|exiled)\s+(?:[a-z\-]+\s+){{0,3}}(?P<p>{P})", sh.text):
        x.emit(sh, x.ent(sh, m.group("p")), "exiledIn", "abroad", m.start(), m.end(), 0.7, "exile")


@rule
def participation(x: Extractor, sh: Shadow) -> None:
    """``A addressed / attended / spoke at the X Session``."""
    t = sh.text
    for m in re.finditer(r"\b(?:attended|addressed|spoke\s+at|took\s+part\s+in|participated\s+in|joined)\s+(?:the\s+)?(?P<o>⟨V\d+⟩)", t):
        subj = x.subject_before(sh, m.start(), "PG", participle=True)
        if subj:
            lo = x.start_of(sh, subj, m.start())
            x.emit(sh, x.ent(sh, subj), "participatedIn", x.ent(sh, m.group("o")), lo, m.end(), 0.7, "participated",
                   date=x.date_in(sh, lo, min(len(t), m.end() + 25)))


def extract(text: str, sentences: list[Span], items: list[Item], entities: dict[str, Entity],
            published: dt.date | None) -> list[Candidate]:
    """Run every rule over every sentence, in order; return the candidates."""
    x = Extractor(text, entities, items, published)
    k = 0
    for no, sp in enumerate(sentences):
        while k < len(items) and items[k].start < sp.start:
            k += 1
        idx = []
        j = k
        while j < len(items) and items[j].start < sp.end:
            idx.append(j)
            j += 1
        sh = shadow_of(text, sp, items, idx)
        x.sentence(no, sh)
    return x.out


def iter_rules() -> Iterator[str]:
    """Names of the rules, for documentation and tests."""
    for fn in _RULES:
        yield fn.__name__
