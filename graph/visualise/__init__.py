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
    from ..build import BuildResult
    from ..export.data import ExportData
    from ..settings import Settings
    from .data import SiteData

__all__ = ["write_site", "load_site", "site_pages"]

def load_site(settings: Settings, data: ExportData | None = None) -> SiteData:
    """The page records of the current build: the same tables and network the tool exports
    are made from (``data``, or :func:`graph.export.data.load`, rebuilt first if the inputs
    changed), so a page and a GraphML file never disagree, and a claim's quotes read in text
    order."""
    from ..export.data import load
    from .data import site_data

    data = data or load(settings)
    return site_data(data.graph, data.sources)


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
    from .. import gcpause

    with gcpause.paused():  # records for every fact and actor (see graph.gcpause)
        # the build's own tables and network, already made for its tool exports
        site = load_site(settings, getattr(result, "export_data", None))
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
