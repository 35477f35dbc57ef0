"""``cpkg viz``: write one self-contained HTML page (an actor, the lineage, the network).

``cpkg build`` already writes the whole site to exports/html/; these commands write a
single page somewhere else, e.g. to attach to an e-mail.  Each page opens offline.
"""

from __future__ import annotations

from pathlib import Path

import click

from .options import make_settings, settings_options


def _out_option(default_name: str):  # type: ignore[no-untyped-def]
    return click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help=f"Where to write the page (default: exports/html/{default_name}).")


def _site(data: Path | None, corpus: Path | None, exports: Path | None):  # type: ignore[no-untyped-def]
    from ..visualise import load_site

    settings = make_settings(data, corpus, exports)
    return settings, load_site(settings)


def _write(path: Path, text: str) -> None:
    from ..visualise import write_page

    write_page(path, text)
    click.echo(f"wrote {path}")


@click.group()
def viz() -> None:
    """Write single HTML pages: a person, the lineage, the network.

    Each page is one file with everything inlined (no network access, a strict
    Content-Security-Policy): search, type and party filters, a time slider, and a side
    panel listing every fact of the clicked actor or line with its source.
    """


@viz.command()
@settings_options
@click.argument("entity")
@_out_option("person-ENTITY.html")
def person(data: Path | None, corpus: Path | None, exports: Path | None, entity: str, output: Path | None) -> None:
    """One actor: its facts in date order with sources, its neighbourhood two steps out.

    ENTITY is an id, a name or any alias ("Hun Sun", "Seng Theary", "CLP").
    """
    from ..build import open_store
    from ..query import NameIndex
    from ..visualise import load_site
    from ..visualise.pages import entity_page

    settings = make_settings(data, corpus, exports)
    store = open_store(settings)
    entity_id = NameIndex(store).resolve(entity).rsplit("/", 1)[-1]
    site = load_site(settings)
    path = output or settings.exports_dir / "html" / f"person-{entity_id}.html"
    _write(path, entity_page(site, focus=entity_id, standalone=True))


@viz.command()
@settings_options
@_out_option("lineage.html")
def lineage(data: Path | None, corpus: Path | None, exports: Path | None, output: Path | None) -> None:
    """Parties in time with their renames, mergers, alliances, dissolutions and key people."""
    from ..visualise.pages import lineage_page

    settings, site = _site(data, corpus, exports)
    _write(output or settings.exports_dir / "html" / "lineage.html", lineage_page(site, standalone=True))


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD -> the last day it may mean (the graph at the end of it)."""
    if value is None:
        return None
    from ..errors import InputError
    from ..factfile import parse_date

    try:
        return parse_date(value, path="", line=0, field_name="--as-of").bounds()[1]
    except InputError as exc:
        raise click.BadParameter(exc.message) from None


@viz.command()
@settings_options
@click.option("--as-of", "as_of", callback=_as_of, default=None, metavar="DATE",
              help="Open with the time slider on this date (YYYY, YYYY-MM or YYYY-MM-DD; a year or month "
                   "means its last day).")
@_out_option("network.html")
def network(data: Path | None, corpus: Path | None, exports: Path | None, as_of: str | None,
            output: Path | None) -> None:
    """Every actor and relation; with --as-of, the graph as it stood on that date."""
    from ..visualise.pages import network_page

    settings, site = _site(data, corpus, exports)
    name = f"network-{as_of}.html" if as_of else "network.html"
    _write(output or settings.exports_dir / "html" / name, network_page(site, as_of=as_of, standalone=True))
