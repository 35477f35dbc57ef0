"""Dates in article text, absolute and relative, resolved against the publication date.

Each date keeps its precision: ``"2023"`` (year), ``"2023-06"`` (month) or
``"2023-06-28"`` (day).  Without a publication date, relative expressions ("last
year", "Thursday") are left unresolved rather than guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .text import NUMBER_WORD, number_value

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_FUTURE = re.compile(
    r"\b(?:will|upcoming|next|ahead of|due|expected|scheduled|set to|plans?|planned|forthcoming)\b", re.I
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: str  # YYYY, YYYY-MM or YYYY-MM-DD
    precision: str  # year | month | day
    relative: bool = False


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _valid(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _add_months(d: dt.date, months: int) -> dt.date:
    m = d.month - 1 + months
    y = d.year + m // 12
    m = m % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("month_rel_year", re.compile(rf"\b{_MONTH}\s+(?P<rel>next|last|this)\s+year\b")),
    ("month_day", re.compile(rf"\b{_MONTH}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?!-)(?:,?\s+{_YEAR}\b)?")),
    ("day_month", re.compile(rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+{_YEAR})?\b")),
    ("month_year", re.compile(rf"\b{_MONTH}(?:,)?\s+{_YEAR}\b")),
    ("rel_unit", re.compile(r"\b(?P<rel>last|next|this|past)\s+(?P<unit>year|month|week)\b", re.I)),
    ("ago", re.compile(
        rf"\b(?:(?:almost|nearly|about|around|some|more than|over)\s+)?(?P<n>{NUMBER_WORD})\s+"
        r"(?P<unit>years?|months?|weeks?|days?)\s+ago\b", re.I)),
    ("within", re.compile(
        rf"\b(?P<kw>within|in)\s+(?:the\s+next\s+)?(?P<n>{NUMBER_WORD})\s+(?P<unit>days?|weeks?|months?)"
        r"(?:\s*(?:'|\u2019)?\s*time)?\b(?=[\s,.;]|$)", re.I)),
    ("weekday", re.compile(
        r"\b(?:(?P<rel>last|next|this|on|on\s+last)\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday"
        r"|Saturday|Sunday)\b")),
    ("dayword", re.compile(r"\b(?P<w>yesterday|today|tomorrow)\b", re.I)),
    ("month_only", re.compile(rf"\b(?P<prep>in|since|until|by|from|before|after|during|early|late|mid-?)\s+{_MONTH}\b(?!\s+\d)")),
    ("year", re.compile(r"(?<![\d-])\b(?P<y>(?:19|20)\d\d)\b(?!-(?:\d|year|month))")),
]


def find_dates(text: str, start: int, end: int, published: dt.date | None) -> list[DateMention]:
    """Date expressions in ``text[start:end]``, earliest first, never overlapping."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text, start, end):
            s, e = m.start(), m.end()
            if any(s < te and ts < e for ts, te in taken):
                continue
            # tense is read from the words just before the expression ("will meet on Monday")
            future = bool(_FUTURE.search(text, max(start, s - 40), e))
            got = _resolve(kind, m, published, future)
            if got is None:
                continue
            value, precision, relative = got
            taken.append((s, e))
            found.append(DateMention(s, e, value, precision, relative))
    found.sort(key=lambda d: d.start)
    return found


def _month_of(m: re.Match[str]) -> int:
    return MONTHS[m.group("month").rstrip(".").lower()]


def _resolve(kind: str, m: re.Match[str], pub: dt.date | None, future: bool) -> tuple[str, str, bool] | None:
    if kind == "iso":
        d = _valid(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        return (_iso(d), "day", False) if d else None
    if kind == "month_year":
        return f"{int(m.group('year')):04d}-{_month_of(m):02d}", "month", False
    if kind in {"month_day", "day_month"}:
        if kind == "month_day" and m.group("month").lower() == "may" and not m.group("year"):
            # "may 8" in lowercase is the verb; the month is capitalised
            if not m.group("month")[0].isupper():
                return None
        month, day = _month_of(m), int(m.group("day"))
        if m.group("year"):
            d = _valid(int(m.group("year")), month, day)
            return (_iso(d), "day", False) if d else None
        if pub is None:
            return None
        d = _valid(pub.year, month, day)
        if d is None:
            return None
        if d > pub + dt.timedelta(days=7) and not future:
            d = _valid(pub.year - 1, month, day)
            if d is None:
                return None
        elif d < pub - dt.timedelta(days=180) and future:
            d = _valid(pub.year + 1, month, day) or d
        return _iso(d), "day", True
    if pub is None:
        return None
    if kind == "month_rel_year":
        delta = {"next": 1, "last": -1, "this": 0}[m.group("rel").lower()]
        return f"{pub.year + delta:04d}-{_month_of(m):02d}", "month", True
    if kind == "rel_unit":
        rel, unit = m.group("rel").lower(), m.group("unit").lower()
        delta = {"next": 1, "last": -1, "past": -1, "this": 0}[rel]
        if unit == "year":
            return f"{pub.year + delta:04d}", "year", True
        if unit == "month":
            d = _add_months(pub.replace(day=1), delta)
            return f"{d.year:04d}-{d.month:02d}", "month", True
        d = pub + dt.timedelta(weeks=delta)
        return f"{d.year:04d}-{d.month:02d}", "month", True
    if kind in {"ago", "within"}:
        n = number_value(m.group("n"))
        if n is None:
            return None
        unit = m.group("unit").lower().rstrip("s")
        sign = -1 if kind == "ago" else 1
        if unit == "year":
            return f"{pub.year + sign * n:04d}", "year", True
        if unit == "month":
            d = _add_months(pub, sign * n)
            return f"{d.year:04d}-{d.month:02d}", "month", True
        days = n * (7 if unit == "week" else 1)
        return _iso(pub + dt.timedelta(days=sign * days)), "day", True
    if kind == "weekday":
        target = WEEKDAYS.index(m.group("wd").lower())
        rel = (m.group("rel") or "").lower()
        if rel == "next" or (rel != "last" and future and "last" not in rel):
            ahead = (target - pub.weekday()) % 7 or 7
            if rel != "next" and target == pub.weekday():
                ahead = 0
            return _iso(pub + dt.timedelta(days=ahead)), "day", True
        back = (pub.weekday() - target) % 7
        if rel == "last" and back == 0:
            back = 7
        return _iso(pub - dt.timedelta(days=back)), "day", True
    if kind == "dayword":
        delta = {"yesterday": -1, "today": 0, "tomorrow": 1}[m.group("w").lower()]
        return _iso(pub + dt.timedelta(days=delta)), "day", True
    if kind == "month_only":
        month = _month_of(m)
        if m.group("month").lower() == "may" and not m.group("month")[0].isupper():
            return None
        year = pub.year
        if month > pub.month and not future:
            year -= 1
        elif month < pub.month and future:
            year += 1
        return f"{year:04d}-{month:02d}", "month", True
    if kind == "year":
        return m.group("y"), "year", False
    return None  # pragma: no cover


_HEADER_FORMATS = [
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})\s+(?P<mon>[A-Za-z]+)\.?,?\s+(?P<y>\d{4})$"),
    re.compile(r"^(?P<mon>[A-Za-z]+)\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})$"),
]


def parse_publication_date(value: str) -> dt.date | None:
    """``2023-06-28``, ``28 June 2023`` or ``June 28, 2023`` -> date; None when the
    shape is not a date at all; raises ValueError for an impossible date
    (``2023-02-30``)."""
    value = value.strip()
    for pattern in _HEADER_FORMATS:
        m = pattern.match(value)
        if not m:
            continue
        if "mon" in m.groupdict():
            month = MONTHS.get(m.group("mon").lower())
            if month is None:
                return None
        else:
            month = int(m.group("m"))
        return dt.date(int(m.group("y")), month, int(m.group("d")))
    return None
