"""Self-contained HTML pages for reporters: the network, the party lineage, one page per
actor (with a selector), a timeline and an overview, each one file that opens offline.

``cpkg build`` calls :func:`write_site` after a successful build; ``cpkg viz`` writes
single pages.  What the pages contain and why they are safe to open is described in
:mod:`graph.visualise.data` (the records), :mod:`graph.visualise.layout` (positions
computed here, so the browser has no layout to run) and :mod:`graph.visualise.render`
(the template, the Content-Security-Policy and the escaping).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import atomic

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

    from ..build import BuildResult
    from ..settings import Settings
    from .data import SiteData

__all__ = ["write_site", "load_site", "site_pages", "SOURCES_QUERY"]

#: Every source with its title, publisher, date and link (one row per source).
SOURCES_QUERY = """
SELECT ?id (SAMPLE(?t) AS ?title) (SAMPLE(?pb) AS ?publisher) (SAMPLE(?pd) AS ?published) (SAMPLE(?u) AS ?url) WHERE {
  ?s a cpkg:Source .
  BIND(STRAFTER(STR(?s), "https://w3id.org/cpkg/source/") AS ?id)
  OPTIONAL { ?s dcterms:title ?t }
  OPTIONAL { ?s dcterms:publisher ?pb }
  OPTIONAL { ?s schema:datePublished ?p0 } BIND(STR(?p0) AS ?pd)
  OPTIONAL { ?s schema:url ?u0 } BIND(STR(?u0) AS ?u)
}
GROUP BY ?id
ORDER BY ?id
"""


def load_site(store: ox.Store) -> SiteData:
    """Project the built store and read its sources into page records."""
    from ..network import project
    from ..query import rows, run
    from .data import site_data

    return site_data(project(store), rows(run(store, SOURCES_QUERY)))


def site_pages(site: SiteData, counts: dict[str, Any] | None = None) -> dict[str, str]:
    """File name -> HTML of every page of the site."""
    from . import pages

    return {
        "index.html": pages.index_page(site, counts),
        "network.html": pages.network_page(site),
        "lineage.html": pages.lineage_page(site),
        "entity.html": pages.entity_page(site),
        "timeline.html": pages.timeline_page(site),
    }


def write_site(settings: Settings, result: BuildResult | None = None) -> list[Path]:
    """Write ``exports/html/`` whole (a new folder swapped in) and return its files."""
    from ..build import open_store

    site = load_site(open_store(settings))
    html = site_pages(site, result.counts if result is not None else None)
    target = settings.exports_dir / "html"
    with atomic.atomic_dir(target) as tmp:
        for name, text in html.items():
            (tmp / name).write_text(text, encoding="utf-8")
    return [target / name for name in sorted(html)]


def write_page(path: Path, text: str) -> Path:
    """One page, written atomically (``cpkg viz``)."""
    atomic.write_text(path, text)
    return path
