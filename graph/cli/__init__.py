"""The ``cpkg`` command: a thin, lazily loaded front over the library.

Each command family lives in its own module (``graph/cli/<family>.py``) and is imported
only when one of its commands runs, so ``cpkg --help`` starts without importing rdflib,
pyoxigraph, networkx or pyvis.  The table below is the whole command list: name ->
(module, function, one-line help).  A test checks that every entry imports and that
its help matches the command's own docstring.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from ..errors import CpkgError

COMMANDS: dict[str, tuple[str, str, str]] = {
    "build": ("build", "build", "Validate the curated data, then write the graph and its exports."),
    "validate": ("build", "validate", "Check the curated data against the SHACL shapes and integrity rules."),
    "stats": ("build", "stats", "Count entities, facts and sources in the built graph."),
    "show": ("build", "show", "An entity's facts in date order, each with its source."),
    "facts": ("build", "facts", "Print facts in the fact language, entities inline."),
    "conflicts": ("build", "conflicts", "Facts on which sources disagree, side by side."),
    "query": ("query", "query", "List the named queries, or run one with -p NAME=VALUE parameters."),
    "sparql": ("query", "sparql", "Run an ad-hoc SPARQL query from an argument, a file or stdin."),
    "push": ("query", "push", "Load the built graph into a SPARQL endpoint (Graph Store Protocol)."),
    "serve": ("serve", "serve", "Serve a read-only SPARQL 1.1 endpoint and the HTML pages."),
    "viz": ("viz", "viz", "Write single HTML pages: a person, the lineage, the network."),
    "export": ("export", "export", "Export the graph in one format (RDF, GraphML, GEXF, CSV, Neo4j...)."),
    "snapshot": ("export", "snapshot", "Write every export format and a manifest into one dated folder."),
    "diff": ("export", "diff", "Facts added, removed and changed between two snapshots."),
    "ingest": ("ingest", "ingest", "Draft the facts of new articles for review."),
    "review": ("ingest", "review", "Accept, reject or correct draft facts; accepted ones become curated."),
    "synth": ("synth", "synth", "Write a synthetic corpus in the fact language for scale benchmarks."),
}


class LazyGroup(click.Group):
    """A click group that imports a command's module only when it is invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        spec = COMMANDS.get(name)
        if spec is None:
            return None
        module = importlib.import_module(f"{__name__}.{spec[0]}")
        command: click.Command = getattr(module, spec[1])
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List commands from the table, so `cpkg --help` imports no command module."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, spec[2]) for name, spec in sorted(COMMANDS.items())])


class CpkgCLI(LazyGroup):
    """Turns :class:`CpkgError` into one line on stderr and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CpkgError as exc:
            click.echo(f"Error: {exc.one_line()}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Error: interrupted; the previous output is unchanged", err=True)
            ctx.exit(1)


@click.group(cls=CpkgCLI, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cpkg", message="cpkg %(version)s")
def main() -> None:
    """cpkg: a knowledge graph of Cambodian political actors.

    Every statement points back to the article, and the words in it, that say it.
    """
