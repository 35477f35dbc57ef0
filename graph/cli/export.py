"""Commands of the export family: export, snapshot, diff."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .options import make_settings, settings_options

FORMAT_NAMES = ("turtle", "ntriples", "nquads", "trig", "jsonld", "graphml", "gexf", "nodelink", "csv", "neo4j")


def _failed(what: str, exc: Exception) -> Exception:
    """A serialiser or disk failure as one line (exit 1); the atomic writes left nothing behind."""
    from ..errors import CpkgError

    return CpkgError(f"could not write {what}: {exc}", hint="nothing was written; earlier exports are unchanged")


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    from ..asof import parse_day

    try:
        return parse_day(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


as_of_option = click.option(
    "--as-of", "as_of", metavar="YYYY-MM-DD", callback=_as_of, default=None,
    help="The graph as it stood on that day: memberships, posts, parties and detentions then "
         "current; undated facts kept and marked undated (rules: graph/asof.py).")


@click.command()
@settings_options
@click.option("--format", "-f", "fmt", type=click.Choice(FORMAT_NAMES), required=True,
              help="Output format (see exports/README.md for opening each in its tool).")
@click.option("--out", "-o", type=click.Path(path_type=Path), default=None,
              help="Output file (a folder for csv and neo4j), or - for standard output. "
                   "Default: exports/<name> (graph.ttl, graph.gexf, csv/, ...).")
@as_of_option
@click.option("--jsonld-context", type=click.Choice(["embed", "file"]), default="embed", show_default=True,
              help="jsonld only: embed the @context, or refer to context.jsonld written beside the file.")
def export(data: Path | None, corpus: Path | None, exports: Path | None, fmt: str, out: Path | None,
           as_of: dt.date | None, jsonld_context: str) -> None:
    """Export the graph in one format (RDF, GraphML, GEXF, CSV, Neo4j...).

    \b
    RDF:      turtle, ntriples, nquads, trig (one named graph per source),
              jsonld (with the shipped @context, never fetched)
    Networks: graphml (Cytoscape, yEd), gexf (Gephi, with a timeline), nodelink (JSON)
    Tables:   csv (nodes.csv, edges.csv, node_facts.csv for spreadsheets),
              neo4j (admin-import CSVs and load.cypher)

    Every file is written atomically; CSV cells that a spreadsheet would run as a formula
    get a leading apostrophe. exports/README.md says how to open each format in its tool.
    """
    from .. import export as ex

    settings = make_settings(data, corpus, exports)
    spec = ex.FORMATS[fmt]
    if str(out) == "-" and spec.folder:
        raise click.BadParameter(f"{fmt} writes a folder; give --out a folder name", param_hint="--out")
    if str(out) == "-" and fmt == "jsonld" and jsonld_context == "file":
        raise click.BadParameter("--jsonld-context file needs a file to write the context beside",
                                 param_hint="--jsonld-context")
    loaded = ex.load(settings, as_of)
    options = {"embed_context": jsonld_context == "embed"} if fmt == "jsonld" else {}
    if str(out) == "-":
        files = ex.render(loaded, fmt, **options)
        sys.stdout.buffer.write(files[spec.filename])
        sys.stdout.buffer.flush()
        return
    target = out if out is not None else settings.exports_dir / ex.default_name(spec, as_of)
    try:
        written = ex.export(loaded, fmt, target, **options)
    except (ValueError, OSError) as exc:
        raise _failed(f"the {fmt} export", exc) from None
    when = f" as of {as_of.isoformat()}" if as_of else ""
    click.echo(f"exported {fmt}{when}: {len(loaded.claims)} facts, {len(loaded.actors)} entities")
    for path in written:
        click.echo(f"wrote {path}")


@click.command()
@settings_options
@as_of_option
def snapshot(data: Path | None, corpus: Path | None, exports: Path | None, as_of: dt.date | None) -> None:
    """Write every export format and a manifest into one dated folder.

    The folder is exports/snapshots/<date>-<hash>: <date> is the as-of date or the latest
    publication date among the sources, <hash> the start of the SHA-256 of its canonical
    N-Quads. The same data always gives the same, byte-identical folder.
    """
    from ..snapshot import snapshot as run_snapshot

    try:
        result = run_snapshot(make_settings(data, corpus, exports), as_of)
    except (ValueError, OSError) as exc:
        raise _failed("the snapshot", exc) from None
    c = result.manifest["counts"]
    click.echo(f"snapshot {result.name}: {c['facts']} facts, {c['entities']} entities, {c['sources']} sources, "
               f"{c['triples']} triples, {len(result.manifest['files'])} files")
    click.echo(f"wrote {result.path}")


@click.command()
@settings_options
@click.argument("a")
@click.argument("b", required=False, default=None)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff(data: Path | None, corpus: Path | None, exports: Path | None, a: str, b: str | None, fmt: str) -> None:
    """Facts added, removed and changed between two snapshots.

    A and B are snapshot folders or names under exports/snapshots/ (a unique prefix will do);
    B omitted or `current` means the current build. Each fact is listed with its source.
    """
    from ..diff import diff as run_diff
    from ..diff import to_json, to_text

    result = run_diff(a, b, make_settings(data, corpus, exports))
    click.echo(to_json(result) if fmt == "json" else to_text(result), nl=fmt == "json")
