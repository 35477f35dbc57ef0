"""Ingest many article files: one draft each; a bad file is reported, the others go on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from .article import parse, read_file
from .draft import DraftIndex, draft_from, write_draft
from .mentions import Linker


@dataclass
class IngestResult:
    drafts: list[dict[str, Any]] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


def article_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for the ``*.txt`` files in it (sorted)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.glob("*.txt") if q.is_file()))
        else:
            out.append(p)
    return out


def ingest_one(
    path: Path,
    linker: Linker,
    *,
    out_dir: Path | None,
    sources_dir: Path | None = None,
    published: str | dt.date | None = None,
    url: str | None = None,
    publisher: str | None = None,
    title: str | None = None,
    index: DraftIndex | None = None,
) -> tuple[dict[str, Any], Path | None]:
    """Draft one file; write it to ``out_dir`` unless that is None."""
    article = read_file(path)
    if any(v is not None for v in (published, url, publisher, title)):
        article = parse(article.text, path=str(path), published=published, url=url, publisher=publisher, title=title)
    draft = draft_from(article, linker)
    written = write_draft(draft, out_dir, sources_dir, index) if out_dir is not None else None
    return draft, written


def ingest_files(
    paths: Iterable[Path],
    *,
    out_dir: Path | None = None,
    sources_dir: Path | None = None,
    registry: list[dict[str, Any]] | None = None,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
    **overrides: Any,
) -> IngestResult:
    """Draft every article; collect errors per file instead of stopping at the first."""
    if registry is None:
        from .registry import load_registry

        registry = load_registry()
    linker = Linker(registry)
    index = DraftIndex(out_dir) if out_dir is not None else None
    result = IngestResult()
    files = article_paths(paths)
    for path in progress(files) if progress else files:
        try:
            draft, written = ingest_one(path, linker, out_dir=out_dir, sources_dir=sources_dir, index=index,
                                        **overrides)
        except InputError as exc:
            result.errors.append(exc)
            continue
        result.drafts.append(draft)
        if written is not None:
            result.written.append(written)
    return result
