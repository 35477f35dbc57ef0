"""Ingest: read a news article and propose its facts as a reviewable draft.

- :func:`draft_article` text -> draft dict (fact language, status ``draft``);
- :func:`ingest_files` files -> draft files (atomic, one per article, updated on re-ingest);
- :func:`review` accept / reject / correct draft facts, moving accepted ones into the
  curated source file with status ``reviewed``.

Modules: ``article`` (reading, header), ``text`` (keys, sentences, quotations),
``dates`` (absolute and relative dates), ``mentions`` (finding and linking actors),
``rules`` (relation patterns), ``draft`` (assembling, writing), ``review``.
"""

from __future__ import annotations

from .draft import draft_article, write_draft
from .ingest_files import IngestResult, ingest_files
from .registry import load_registry
from .review import ReviewResult, review

__all__ = [
    "IngestResult", "ReviewResult", "draft_article", "ingest_files", "load_registry", "review", "write_draft",
]
