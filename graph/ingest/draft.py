"""Assemble a draft source file from an article, and write drafts safely.

:func:`draft_article` is pure: text in, a dict in the fact language out.  :func:`write_draft`
puts it in the drafts folder atomically; a draft for the same text (same sha256) is
updated in place, never duplicated, and facts already reviewed (accepted into the curated
file, or rejected) are not proposed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from .. import yamlsafe
from ..errors import InputError
from .article import Article, parse
from .mentions import Linker, find_mentions
from .rules import Candidate, build_items, extract
from .text import Span, find_quotes, sentences, slugify

SYMMETRIC = {"metWith", "allianceWith"}
QUALIFIER_ORDER = ["org", "relation", "election", "court", "start", "end", "date", "expected", "note"]


def fact_id(fact: dict[str, Any]) -> str:
    """A short hash of what a fact says (subject, predicate, object, qualifiers)."""
    core = {k: v for k, v in fact.items() if k not in {"id", "evidence", "status", "confidence", "note"}}
    blob = json.dumps(core, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:10]


def source_id(article: Article) -> str:
    """``publisher-date-title-words``: lowercase ``[a-z0-9-]``, stable for the same metadata."""
    publisher = slugify(article.publisher or "", max_words=3) or "article"
    date = article.published.isoformat() if article.published else "undated"
    title = slugify(article.title or "", max_words=5) or article.sha256[:8]
    return f"{publisher}-{date}-{title}"[:90].strip("-")


def draft_article(
    text: str,
    *,
    published: str | dt.date | None = None,
    url: str | None = None,
    publisher: str | None = None,
    title: str | None = None,
    registry: list[dict[str, Any]] | Linker | None = None,
    path: str | None = None,
) -> dict[str, Any]:
    """Read one article and propose its facts: a draft in the fact language.

    ``registry`` is a list of ``{id, name, type, aliases}`` (default: the project's
    registry) or a prepared :class:`Linker`, which is faster over many articles.
    """
    article = parse(text, path=path, published=published, url=url, publisher=publisher, title=title)
    return draft_from(article, registry)


def draft_from(article: Article, registry: list[dict[str, Any]] | Linker | None = None) -> dict[str, Any]:
    if isinstance(registry, Linker):
        linker = registry
    else:
        if registry is None:
            from .registry import load_registry

            registry = load_registry()
        linker = Linker(registry)
    text = article.text
    body = Span(article.body_start, len(text))
    quotes = find_quotes(text, body.start, body.end)
    sents = sentences(text, body.start, body.end, quotes)
    found = find_mentions(text, body.start, body.end, linker, article.published)
    items, _ = build_items(text, body, found, quotes, article.published, sents)
    candidates = extract(text, sents, items, found.entities, article.published)
    facts = _assemble(candidates)
    entities = []
    for ent_id in dict.fromkeys(m.entity for m in found.mentions):
        ent = found.entities[ent_id]
        row = ent.as_yaml()
        if not ent.registry:
            row["proposed"] = True
        entities.append(row)
    source = {
        "id": source_id(article),
        "title": article.title,
        "publisher": article.publisher,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "text_sha256": article.sha256,
    }
    return {
        "source": {k: v for k, v in source.items() if v is not None},
        "entities": entities,
        "facts": facts,
    }


def _assemble(candidates: list[Candidate]) -> list[dict[str, Any]]:
    """Merge candidates that say the same thing; order by position; give ids."""
    merged: dict[tuple[Any, ...], Candidate] = {}
    order: list[tuple[Any, ...]] = []
    for c in candidates:
        s, o = c.s, c.o
        if c.p in SYMMETRIC and str(o) < str(s):
            s, o = o, s
        key: tuple[Any, ...] = (s, c.p, o if c.p != "statedBy" else (c.sentence.start, o), c.qualifiers.get("org"))
        prior = merged.get(key)
        if prior is None:
            merged[key] = c
            order.append(key)
            continue
        d1, d2 = prior.qualifiers.get("date"), c.qualifiers.get("date")
        if d1 and d2 and d1 != d2 and not (d1.startswith(d2) or d2.startswith(d1)):
            key = key + (d2,)
            if key not in merged:
                merged[key] = c
                order.append(key)
            continue
        for q, v in c.qualifiers.items():
            if q == "date" and d1 and d2:
                if len(d2) > len(d1):
                    prior.qualifiers["date"] = d2
            elif q != "note":
                prior.qualifiers.setdefault(q, v)
        if "note" in prior.qualifiers and "note" not in c.qualifiers and c.qualifiers.get("note") != prior.qualifiers["note"]:
            if not prior.qualifiers["note"] == "former":
                prior.qualifiers.pop("note")
        prior.confidence = max(prior.confidence, c.confidence)
    out = []
    for key in order:
        c = merged[key]
        fact: dict[str, Any] = {"s": c.s, "p": c.p, "o": c.o}
        for q in QUALIFIER_ORDER:
            if q in c.qualifiers and c.qualifiers[q] not in (None, ""):
                fact[q] = c.qualifiers[q]
        fact["evidence"] = {"start": c.sentence.start, "end": c.sentence.end}
        fact["status"] = "draft"
        fact["confidence"] = c.confidence
        out.append({"id": fact_id(fact), **fact})
    out.sort(key=lambda f: (f["evidence"]["start"], f["p"]))
    return out


# ---------------------------------------------------------------- writing

def atomic_write(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` via a temporary file in the same folder, fsync, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


_SHA_LINE = re.compile(r"^\s+text_sha256:\s*'?([0-9a-f]{64})'?\s*$", re.M)


class DraftIndex:
    """Which draft file holds which text (by sha256): scanned once per run, kept up to date."""

    def __init__(self, drafts_dir: Path):
        self.drafts_dir = drafts_dir
        self._by_sha: dict[str, Path] | None = None

    def _scan(self) -> dict[str, Path]:
        found: dict[str, Path] = {}
        if self.drafts_dir.is_dir():
            for path in sorted(self.drafts_dir.glob("*.yaml")):
                try:
                    with path.open(encoding="utf-8") as fh:
                        head = fh.read(4096)
                except (OSError, UnicodeDecodeError):
                    continue
                m = _SHA_LINE.search(head)
                if m:
                    found.setdefault(m.group(1), path)
        return found

    def get(self, sha256: str) -> Path | None:
        if self._by_sha is None:
            self._by_sha = self._scan()
        return self._by_sha.get(sha256)

    def add(self, sha256: str, path: Path) -> None:
        if self._by_sha is None:
            self._by_sha = self._scan()
        self._by_sha[sha256] = path


def find_draft(drafts_dir: Path, sha256: str) -> Path | None:
    """The draft in ``drafts_dir`` made from the text with this sha256, if any."""
    return DraftIndex(drafts_dir).get(sha256)


def reviewed_ids(sources_dir: Path | None, source_id_: str) -> set[str]:
    """Content ids of the facts already curated for this source."""
    if sources_dir is None:
        return set()
    path = sources_dir / f"{source_id_}.yaml"
    if not path.is_file():
        return set()
    doc = yamlsafe.load_file(path) or {}
    return {fact_id(_strip(f)) for f in doc.get("facts") or [] if isinstance(f, dict)}


def _strip(fact: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fact.items() if k not in {"id", "evidence", "status", "confidence", "note", "optional"}}


def write_draft(draft: dict[str, Any], drafts_dir: Path, sources_dir: Path | None = None,
                index: DraftIndex | None = None) -> Path:
    """Write (or update) the draft for this text; return its path.

    Pass one :class:`DraftIndex` for many articles, so the folder is scanned once."""
    sha = draft["source"]["text_sha256"]
    index = index if index is not None and index.drafts_dir == drafts_dir else DraftIndex(drafts_dir)
    existing = index.get(sha)
    rejected: list[str] = []
    if existing is not None:
        try:
            old = yamlsafe.load_file(existing) or {}
        except InputError:
            old = {}
        rejected = list((old.get("review") or {}).get("rejected") or []) if isinstance(old, dict) else []
        if isinstance(old, dict) and isinstance(old.get("source"), dict) and old["source"].get("id"):
            draft["source"]["id"] = str(old["source"]["id"])
    done = reviewed_ids(sources_dir, draft["source"]["id"])
    skip = set(rejected) | done
    if skip:
        draft["facts"] = [f for f in draft["facts"] if f["id"] not in skip and fact_id(_strip(f)) not in done]
    if rejected:
        draft["review"] = {"rejected": rejected}
    path = existing or drafts_dir / f"{_safe_id(draft['source']['id'])}.yaml"
    atomic_write(path, dumps_draft(draft))
    index.add(sha, path)
    return path


def _safe_id(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,119}", value):
        raise InputError(f"source id {value!r} is not lowercase [a-z0-9-]", field="source.id")
    return value


def dumps_draft(draft: dict[str, Any]) -> str:
    head = "# Draft facts proposed by `cpkg ingest`: nothing here is reviewed. Use `cpkg review`.\n"
    return head + yamlsafe.dumps(draft)
