"""``cpkg synth``: write a synthetic corpus in the fact language for scale benchmarks."""

from __future__ import annotations

from pathlib import Path

import click

from ..synth import MIN_PEOPLE


@click.command("synth")
@click.option("--people", type=click.IntRange(min=MIN_PEOPLE), help="Persons in the synthetic world (drives every other count).")
@click.option("--triples", type=click.IntRange(min=1), help="Aim at about this many RDF triples instead of giving --people.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed; the same arguments give the same bytes.")
@click.option(
    "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="Folder to create (data: entities.yaml, sources/; texts: corpus/).",
)
@click.option("--articles-per-k", type=click.FloatRange(min=0, min_open=True), default=40.0, show_default=True,
              help="Articles per 1,000 facts.")
@click.option("--force", is_flag=True, help="Replace an earlier synthetic corpus in --out.")
def synth(people: int | None, triples: int | None, seed: int, out: Path, articles_per_k: float, force: bool) -> None:
    """Write a synthetic corpus in the fact language for scale benchmarks."""
    from ..errors import CpkgError
    from ..synth import generate, people_for_triples

    if (people is None) == (triples is None):
        raise click.UsageError("give exactly one of --people and --triples")
    try:
        count = people if people is not None else people_for_triples(triples)  # type: ignore[arg-type]
        summary = generate(count, seed, out, articles_per_k, force=force)
    except CpkgError as exc:  # same one line as the cpkg group prints, also when called alone
        raise click.ClickException(exc.one_line()) from None
    click.echo(summary.one_line())
