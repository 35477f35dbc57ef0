"""Reading an article: header, run-together first line, flags, and bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.ingest.article import parse, read_file
from graph.ingest.draft import draft_article, source_id


def test_header_lines_are_metadata_not_text() -> None:
    text = "title: A test\ndate: 2024-02-02\nsource: https://example.org/a\npublisher: Test Wire\n\nBody here.\n"
    art = parse(text)
    assert (art.title, art.published, art.url, art.publisher) == ("A test", dt.date(2024, 2, 2),
                                                                 "https://example.org/a", "Test Wire")
    assert text[art.body_start:].strip() == "Body here."


def test_run_together_first_line() -> None:
    text = " date 2023-06-28 Party leader says no to a pardon\n\nBody of the article.\n"
    art = parse(text)
    assert art.published == dt.date(2023, 6, 28)
    assert art.title == "Party leader says no to a pardon"
    assert text[art.body_start:].strip() == "Body of the article."


def test_flags_override_the_header() -> None:
    art = parse("date: 2024-02-02\ntitle: Old\n\nBody.", published="2024-03-03", title="New")
    assert (art.published, art.title) == (dt.date(2024, 3, 3), "New")


def test_no_header_is_fine() -> None:
    art = parse("Just a sentence about Phnom Penh.")
    assert art.body_start == 0 and art.published is None


def test_source_id_is_a_stable_slug() -> None:
    art = parse("title: Prisoner Freed, Early!\ndate: 2025-01-09\npublisher: Test Wire\n\nBody.")
    assert source_id(art) == "test-wire-2025-01-09-prisoner-freed-early"
    bare = parse("Body only.")
    assert source_id(bare) == f"article-undated-{bare.sha256[:8]}"


def test_text_sha256_is_of_the_exact_text() -> None:
    import hashlib

    text = "title: T\n\nBody \u2019quoted\u2019.\n"
    d = draft_article(text, registry=[])
    assert d["source"]["text_sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "file is empty"),
        (b"  \n\n ", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (contains NUL bytes), not an article"),
        ("Caf\u00e9 au lait".encode("latin-1"), "not UTF-8 text (invalid byte at offset 3); convert it to UTF-8 first"),
        (b"date: 2023-02-30\n\nBody.", "1: date: impossible date '2023-02-30' (use YYYY-MM-DD)"),
        (b"date: someday\n\nBody.", "1: date: not a date: 'someday' (use YYYY-MM-DD)"),
        (b"source: ../../etc/passwd\n\nBody.",
         "1: source '../../etc/passwd' is not an http(s) URL (the URL is stored, never fetched; file paths are not accepted)"),
        (b"source: file:///etc/hostname\n\nBody.",
         "1: source 'file:///etc/hostname' is not an http(s) URL (the URL is stored, never fetched; file paths are not accepted)"),
        (b"title: Only a header\n", "the article has a header but no text"),
    ],
)
def test_bad_input_is_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_file(path)
    line = err.value.one_line()
    assert line.startswith(str(path)) and line.endswith(message), line


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:
        fh.truncate(20 * 1024 * 1024)  # 20 MB, sparse
    with pytest.raises(InputError, match="file is larger than 2 MB; not read"):
        read_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read file: No such file or directory"):
        read_file(tmp_path / "nope.txt")
