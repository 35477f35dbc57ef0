"""Commands of the graph family: build, validate, stats, show, facts, conflicts."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .options import make_settings, settings_options


@click.command()
@settings_options
@click.option("--drafts", is_flag=True, help="Include facts still in draft (data/drafts/); off by default.")
def build(data: Path | None, corpus: Path | None, exports: Path | None, drafts: bool) -> None:
    """Validate the curated data, then write the graph and its exports.

    Writes exports/graph.trig (one named graph per source), graph.ttl, graph.nq (sorted,
    canonical), build.json (counts) and the query store. Nothing is written if validation fails.
    """
    from ..build import build as run_build

    settings = make_settings(data, corpus, exports)
    result = run_build(settings, include_drafts=drafts)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    c = result.counts
    click.echo(f"built {c['triples']} triples in {c['named_graphs']} named graphs: "
               f"{c['entities']} entities, {c['facts']} facts from {c['sources']} sources")
    from ..visualise import write_site  # the HTML pages

    result.written += write_site(settings, result)
    for path in result.written:
        click.echo(f"wrote {path}")


@click.command()
@settings_options
@click.option("--drafts", is_flag=True, help="Validate draft facts too.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def validate(data: Path | None, corpus: Path | None, exports: Path | None, drafts: bool, files: tuple[Path, ...]) -> None:
    """Check the curated data against the SHACL shapes and integrity rules.

    Exit 0 when it conforms, 1 when it does not (each problem on one line), 2 on a usage error.
    FILES limits the check to those source files (the registry is always read).
    """
    from ..build import compile_graph
    from ..errors import ValidationError

    settings = make_settings(data, corpus, exports)
    try:
        result = compile_graph(settings, include_drafts=drafts, files=list(files) or None)
    except ValidationError as exc:
        click.echo(exc.report or exc.one_line(), err=True)
        raise SystemExit(1) from None
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    c = result.counts
    click.echo(f"conforms: {c['facts']} facts from {c['sources']} sources, {c['entities']} entities, {c['triples']} triples")


@click.command()
@settings_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def stats(data: Path | None, corpus: Path | None, exports: Path | None, fmt: str) -> None:
    """Count entities, facts and sources in the built graph."""
    from ..build import open_store
    from ..query import run_named

    store = open_store(make_settings(data, corpus, exports))
    rows = run_named(store, "stats")
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['what']:<10} {row['kind']:<24} {row['count']:>7}")


@click.command()
@settings_options
@click.argument("entity")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show(data: Path | None, corpus: Path | None, exports: Path | None, entity: str, fmt: str) -> None:
    """An entity's facts in date order, each with its source.

    ENTITY is an id, a name or any alias ("Hun Sun", "Seng Theary", "CLP").
    """
    from ..build import open_store
    from ..query import NameIndex, run_named

    store = open_store(make_settings(data, corpus, exports))
    names = NameIndex(store)
    iri = names.resolve(entity)
    rows = run_named(store, "entity", {"entity": iri.rsplit("/", 1)[-1]})
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    label = next((r["subjectLabel"] for r in rows if r.get("subjectLabel")), entity)
    click.echo(f"{label} <{iri}>: {len(rows)} facts")
    for r in rows:
        qual = f" ({r['qualifier']})" if r.get("qualifier") else ""
        draft = " [draft]" if r.get("status") == "draft" else ""
        click.echo(f"  {r.get('date') or 'undated':<22} {r['subjectLabel']} {r['predicate']} {r['objectLabel']}{qual}{draft}")
        src = ", ".join(x for x in (r.get("publisher"), r.get("published"), r.get("url")) if x)
        click.echo(f"      source: {src or r['source']}")
        if r.get("quote"):
            click.echo(f"      says: \u201c{r['quote']}\u201d")
        if r.get("note"):
            click.echo(f"      note: {r['note']}")


@click.command()
@settings_options
@click.option("--source", "source", default=None, help="Only facts from this source (its id or URL).")
@click.option("--drafts", is_flag=True, help="Include draft facts.")
def facts(data: Path | None, corpus: Path | None, exports: Path | None, source: str | None, drafts: bool) -> None:
    """Print facts in the fact language, entities inline.

    The output can be compared with a reading of the article by
    ../shared/tools/score_facts.py.
    """
    from .. import yamlsafe
    from ..facts import facts_document

    settings = make_settings(data, corpus, exports)
    click.echo(yamlsafe.dumps(facts_document(settings, source=source, include_drafts=drafts)), nl=False)


@click.command()
@settings_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def conflicts(data: Path | None, corpus: Path | None, exports: Path | None, fmt: str) -> None:
    """Facts on which sources disagree, side by side.

    Both claims stay in the graph, each with its source; this lists them.
    """
    from ..build import open_store
    from ..query import run_named

    rows = run_named(open_store(make_settings(data, corpus, exports)), "conflicts")
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no conflicts")
    for r in rows:
        click.echo(f"{r['subjectLabel']} {r['predicate']}: {r['kind']}")
        click.echo(f"  {r['value1']} ({r.get('date1') or 'undated'})  <- {r['source1']}")
        click.echo(f"  {r['value2']} ({r.get('date2') or 'undated'})  <- {r['source2']}")
