"""Keys, slugs, sentences, quotations and date resolution."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.ingest.dates import find_dates, parse_publication_date
from graph.ingest.text import edit_distance_at_most_one, find_quotes, norm_key, sentences, slugify


@pytest.mark.parametrize(
    "a, b",
    [
        ("the Khmer Will Party", "KHMER  WILL PARTY"),
        ("Hun\u200bSen", "HunSen"),  # zero-width space
        ("Cambodian People\u2019s Party", "Cambodian People's Party"),
        ("Ｋｅｍ Ｓｏｋｈａ", "Kem Sokha"),  # NFKC: full-width letters
        ("Ngo\u0301", "Ngó"),  # decomposed accent
        ("Khmer\u00a0Will", "khmer will"),  # non-breaking space
    ],
)
def test_norm_key_matches_variants(a: str, b: str) -> None:
    assert norm_key(a) == norm_key(b)


def test_slugify_is_safe() -> None:
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("Đông Á <script>", max_words=2) == "ong-a"


def test_edit_distance_one() -> None:
    assert edit_distance_at_most_one("sen", "sun")
    assert edit_distance_at_most_one("dara", "dora")
    assert edit_distance_at_most_one("seng", "sen")
    assert not edit_distance_at_most_one("sen", "son chhay")
    assert not edit_distance_at_most_one("rith", "ruth2")


def test_sentences_keep_abbreviations_and_quotes_whole() -> None:
    text = 'He arrived on Jan. 14 in the city. "I will stay. I will work," she said. Next one.'
    quotes = find_quotes(text, 0, len(text))
    spans = [text[s.start:s.end] for s in sentences(text, 0, len(text), quotes)]
    assert spans == ["He arrived on Jan. 14 in the city.", '"I will stay. I will work," she said.', "Next one."]


def test_quote_left_open_closes_at_paragraph_end() -> None:
    text = "\u201cThis runs on\nNew paragraph."
    (q,) = find_quotes(text, 0, len(text))
    assert text[q.inner_start:q.inner_end] == "This runs on"


PUB = dt.date(2025, 5, 8)  # a Thursday


@pytest.mark.parametrize(
    "phrase, value",
    [
        ("on Thursday", "2025-05-08"),
        ("on Monday", "2025-05-05"),
        ("last Thursday", "2025-05-01"),
        ("next Monday", "2025-05-12"),
        ("on April 28", "2025-04-28"),
        ("on Jan. 14", "2025-01-14"),
        ("in June 2022", "2022-06"),
        ("on 2023-06-28", "2023-06-28"),
        ("on 3 March 2021", "2021-03-03"),
        ("in 2023", "2023"),
        ("last year", "2024"),
        ("in April next year", "2026-04"),
        ("within 70 days", "2025-07-17"),
        ("five years ago", "2020"),
        ("almost six years ago", "2019"),
        ("two months ago", "2025-03"),
        ("yesterday", "2025-05-07"),
        ("last month", "2025-04"),
    ],
)
def test_dates_resolve_against_publication(phrase: str, value: str) -> None:
    text = f"It happened {phrase}."
    found = find_dates(text, 0, len(text), PUB)
    assert [d.value for d in found] == [value]


def test_month_day_after_publication_is_last_year_unless_future() -> None:
    text = "He was arrested on December 2."
    assert find_dates(text, 0, len(text), PUB)[0].value == "2024-12-02"
    text = "The ballot will be held on July 23."
    assert find_dates(text, 0, len(text), PUB)[0].value == "2025-07-23"


def test_relative_dates_need_a_publication_date() -> None:
    text = "It happened last year, on Thursday, in June 2022."
    assert [d.value for d in find_dates(text, 0, len(text), None)] == ["2022-06"]


def test_precision_is_kept() -> None:
    text = "In 2023, in June 2022, on 2023-06-28."
    assert [d.precision for d in find_dates(text, 0, len(text), PUB)] == ["year", "month", "day"]


def test_publication_date_formats() -> None:
    assert parse_publication_date("2023-06-28") == dt.date(2023, 6, 28)
    assert parse_publication_date("28 June 2023") == dt.date(2023, 6, 28)
    assert parse_publication_date("June 28, 2023") == dt.date(2023, 6, 28)
    assert parse_publication_date("soon") is None
    with pytest.raises(ValueError):
        parse_publication_date("2023-02-30")
