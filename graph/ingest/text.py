"""Text helpers for ingest: matching keys, slugs, words, sentences and quotations.

Everything here works on offsets into the exact text that was read, so that evidence
offsets in a draft point at the words that support a fact.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)

WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
NUMBER_WORD = (
    r"(?:\d+|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four"
    r"|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a|an)"
)


def number_value(word: str) -> int | None:
    """``"27"``, ``"three"``, ``"twenty-seven"`` -> int; anything else -> None."""
    word = word.strip().lower()
    if word.isdigit():
        return int(word)
    if word in WORD_NUMBERS:
        return WORD_NUMBERS[word]
    if "-" in word:
        tens, _, unit = word.partition("-")
        if tens in WORD_NUMBERS and unit in WORD_NUMBERS:
            return WORD_NUMBERS[tens] + WORD_NUMBERS[unit]
    return None


def norm_key(text: str) -> str:
    """The key two spellings of one name share.

    NFKC, zero-width characters removed, case folded, punctuation to spaces, spaces
    collapsed, a leading "the" dropped: ``"the Khmer  Will Party"`` and
    ``"KHMER WILL PARTY"`` share a key, and so do ``"Hun\u200bSen"``-style variants.
    """
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).casefold()
    text = text.replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text)
    text = _PUNCT.sub(" ", text)
    words = text.split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def slugify(text: str, max_words: int | None = None) -> str:
    """Lowercase ``[a-z0-9-]`` slug; accents dropped, anything else becomes a hyphen."""
    text = unicodedata.normalize("NFKD", text)
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", text)
    if max_words is not None:
        words = words[:max_words]
    return "-".join(words)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper() or (self.text[:1].isdigit() and self.text[-2:] in {"st", "nd", "rd", "th"})


_TOKEN = re.compile(r"[^\W_]+(?:[-\u2011][^\W_]+)*", re.UNICODE)


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words (letters, digits, inner hyphens) with offsets; a possessive ’s is left out."""
    end = len(text) if end is None else end
    out = []
    for m in _TOKEN.finditer(text, start, end):
        out.append(Token(m.group(), m.start(), m.end()))
    # "Cambodia’s" is tokenised as "Cambodia" + "s": drop the lone "s" after an apostrophe.
    return [t for t in out if not (t.text == "s" and t.start > 0 and text[t.start - 1] in "'\u2019")]


# ---------------------------------------------------------------- quotations

@dataclass(frozen=True)
class Quote:
    start: int  # the opening mark
    end: int  # after the closing mark
    inner_start: int
    inner_end: int


def find_quotes(text: str, start: int, end: int) -> list[Quote]:
    """Quoted passages in ``text[start:end]`` (curly or straight double quotes).

    A quotation left open at the end of a paragraph closes there (the press convention
    for quotes that run on).  Single quotes are not treated as quotations.
    """
    quotes: list[Quote] = []
    para_ends = [m.start() for m in re.finditer(r"\n", text[start:end])]
    para_ends = [start + p for p in para_ends] + [end]
    pos = start
    for pend in para_ends:
        i = pos
        while i < pend:
            ch = text[i]
            if ch in "\u201c\"":
                closer = "\u201d" if ch == "\u201c" else "\""
                j = text.find(closer, i + 1, pend)
                if ch == "\u201c" and j < 0:
                    j2 = text.find("\"", i + 1, pend)
                    j = j2
                close = pend if j < 0 else j + 1
                inner_end = pend if j < 0 else j
                quotes.append(Quote(i, close, i + 1, inner_end))
                i = close
                continue
            i += 1
        pos = pend + 1
    return quotes


# ---------------------------------------------------------------- sentences

_ABBREVIATIONS = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "st", "no",
    "vs", "etc", "inc", "ltd", "co", "corp", "jr", "sr", "gov", "sen", "rep", "u.s", "u.n",
    "approx", "est", "dept", "fig",
}


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def sentences(text: str, start: int, end: int, quotes: list[Quote]) -> list[Span]:
    """Sentences of ``text[start:end]``: a line break always ends one; ``. ! ?`` end one
    unless inside a quotation, after an abbreviation (``Jan.``) or an initial."""
    inside = bytearray(len(text) + 1)
    for q in quotes:
        for k in range(q.inner_start, q.inner_end):
            inside[k] = 1
    out: list[Span] = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        ls, le = start + line.start(), start + line.end()
        s = ls
        for m in re.finditer(r"[.!?]+[\"\u201d\u2019')\]]*(?=\s+[\"\u201c\u2018(\[]?[A-Z0-9\u1780-\u17ff])", text[ls:le]):
            dot = ls + m.start()
            stop = ls + m.end()
            if inside[dot]:
                continue
            before = re.search(r"([\w.]+)$", text[s:dot])
            word = before.group(1).lower() if before else ""
            if word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
                continue
            out.append(_trim(text, s, stop))
            s = stop
        out.append(_trim(text, s, le))
    return [sp for sp in out if sp.end > sp.start]


def _trim(text: str, s: int, e: int) -> Span:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Span(s, e)


def edit_distance_at_most_one(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion or substitution."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]
