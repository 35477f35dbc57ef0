"""Read an article: checked bytes, exact text, and the header of metadata it may start with.

An article is plain UTF-8 text.  It may begin with ``title:``, ``date:`` (or
``published:``), ``source:`` (or ``url:``) and ``publisher:`` lines, ended by a blank
line or the first line that is not a header; or, as the UCA News article does, with
one run-together line `` date 2023-06-28 Headline words``.  The header is metadata,
never read for facts.  The text is kept byte for byte: evidence offsets and
``text_sha256`` refer to it as read.

Metadata is untrusted: a URL is kept only if it is ``http(s)``; it is never fetched,
and no value of the header is ever used as a path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..settings import MAX_ARTICLE_BYTES
from .dates import parse_publication_date

_HEADER_LINE = re.compile(r"^(?P<key>title|date|published|source|url|publisher):[ \t]*(?P<value>.*?)[ \t]*$", re.I)
_RUN_TOGETHER = re.compile(r"^[ \t\ufeff]*date[ \t]+(?P<date>\d{4}-\d{1,2}-\d{1,2})[ \t]+(?P<title>\S.*?)[ \t]*$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s<>\"']*$", re.I)


@dataclass(frozen=True)
class Article:
    text: str
    body_start: int  # offset where the article body (after any header) begins
    title: str | None
    published: dt.date | None
    url: str | None
    publisher: str | None
    path: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def decode(data: bytes, path: str | None = None) -> str:
    """Bytes -> text, refusing what is not a UTF-8 article (one-line errors)."""
    where = path or "<text>"
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(f"file is larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MB; not read", path=where)
    if not data.strip():
        raise InputError("file is empty", path=where)
    if b"\x00" in data[:65536] or b"\x00" in data:
        raise InputError("binary file (contains NUL bytes), not an article", path=where)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (invalid byte at offset {exc.start}); convert it to UTF-8 first",
                         path=where) from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise InputError("binary file (control characters), not an article", path=where)
    return text


def read_file(path: Path) -> Article:
    """Read and check one article file; raise :class:`InputError` naming the file."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    if not path.is_file():
        raise InputError("not a regular file", path=path)
    if size > MAX_ARTICLE_BYTES:
        raise InputError(f"file is larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MB; not read", path=path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    return parse(decode(data, str(path)), path=str(path))


def parse(
    text: str,
    *,
    path: str | None = None,
    published: str | dt.date | None = None,
    url: str | None = None,
    publisher: str | None = None,
    title: str | None = None,
) -> Article:
    """Split the header from ``text``; arguments given here override the header."""
    where = path or "<text>"
    if not text.strip():
        raise InputError("file is empty", path=where)
    header: dict[str, str] = {}
    body_start = 0
    header_lines: dict[str, int] = {}
    first = re.match(r"[^\n]*", text)
    assert first is not None
    run = _RUN_TOGETHER.match(first.group())
    if run:
        header["date"] = run.group("date")
        header["title"] = run.group("title")
        header_lines["date"] = 1
        body_start = first.end()
    else:
        pos = 0
        line_no = 0
        while pos < len(text):
            nl = text.find("\n", pos)
            line = text[pos:] if nl < 0 else text[pos:nl]
            line_no += 1
            m = _HEADER_LINE.match(line.lstrip("\ufeff"))
            if not m:
                break
            key = m.group("key").lower()
            key = {"published": "date", "url": "source"}.get(key, key)
            if key in header:
                raise InputError(f"header line {key!r} appears twice", path=where, line=line_no)
            header[key] = m.group("value")
            header_lines[key] = line_no
            pos = len(text) if nl < 0 else nl + 1
            body_start = pos
    if body_start and not text[body_start:].strip():
        raise InputError("the article has a header but no text", path=where)

    pub = _date(published, "--published", where, None) if published is not None else None
    if pub is None and "date" in header:
        pub = _date(header["date"], "date", where, header_lines.get("date"))
    src = url if url is not None else header.get("source") or None
    if src is not None and not _URL.match(src.strip()):
        raise InputError(
            f"source {src.strip()[:80]!r} is not an http(s) URL", path=where, line=header_lines.get("source"),
            hint="the URL is stored, never fetched; file paths are not accepted",
        )
    return Article(
        text=text,
        body_start=body_start,
        title=_clean(title if title is not None else header.get("title")),
        published=pub,
        url=src.strip() if src else None,
        publisher=_clean(publisher if publisher is not None else header.get("publisher")),
        path=path,
    )


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    value = "".join(ch for ch in value if ch.isprintable())
    return value[:300] or None


def _date(value: str | dt.date, field: str, where: str, line: int | None) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        got = parse_publication_date(value)
    except ValueError:
        raise InputError(f"impossible date {value.strip()!r}", path=where, line=line, field=field,
                         hint="use YYYY-MM-DD") from None
    if got is None:
        raise InputError(f"not a date: {value.strip()[:40]!r}", path=where, line=line, field=field,
                         hint="use YYYY-MM-DD") from None
    if not 1900 <= got.year <= 2100:
        raise InputError(f"impossible date {value.strip()!r}", path=where, line=line, field=field,
                         hint="use YYYY-MM-DD")
    return got
