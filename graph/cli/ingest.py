"""``cpkg ingest`` and ``cpkg review``: thin over :mod:`graph.ingest`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import InputError


def _check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from ..ingest.dates import parse_publication_date

    try:
        ok = parse_publication_date(value)
    except ValueError:
        ok = None
    if ok is None:
        raise click.BadParameter(f"{value!r} is not a real date; use YYYY-MM-DD")
    return value


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", metavar="DIR|-", help="Folder for the drafts, or - for standard output "
              "[default: data/drafts].")
@click.option("--published", metavar="YYYY-MM-DD", callback=_check_date,
              help="Publication date (overrides the article's header).")
@click.option("--url", metavar="URL", help="The article's http(s) address (stored, never fetched).")
@click.option("--publisher", metavar="NAME", help="Publisher (overrides the header).")
@click.option("--title", metavar="TITLE", help="Title (overrides the header).")
def ingest(files: tuple[Path, ...], output: str | None, published: str | None, url: str | None,
           publisher: str | None, title: str | None) -> None:
    """Draft the facts of new articles for review.

    Each FILE is a plain UTF-8 article (a folder stands for the *.txt files in it).  It
    may start with title:/date:/source:/publisher: lines.  One draft per article is
    written in the fact language, status draft, with a confidence and evidence offsets
    per fact; ingesting the same text again updates its draft.  A file that cannot be
    read is reported on its own line; the others are still drafted (exit 1 at the end).
    """
    from ..ingest.draft import DraftIndex, dumps_draft
    from ..ingest.ingest_files import article_paths, ingest_one
    from ..ingest.mentions import Linker
    from ..ingest.registry import load_registry
    from ..settings import get_settings

    settings = get_settings()
    to_stdout = output == "-"
    out_dir = None if to_stdout else (Path(output) if output else settings.drafts_dir)
    linker = Linker(load_registry(settings.registry_path, settings.sources_dir))
    paths = article_paths(files)
    index = DraftIndex(out_dir) if out_dir is not None else None
    errors: list[InputError] = []
    written: list[tuple[Path, dict]] = []  # type: ignore[type-arg]
    drafts: list[dict] = []  # type: ignore[type-arg]

    def run(path: Path) -> None:
        try:
            draft, where = ingest_one(path, linker, out_dir=out_dir, sources_dir=settings.sources_dir,
                                      published=published, url=url, publisher=publisher, title=title,
                                      index=index)
        except InputError as exc:
            errors.append(exc)
            return
        except OSError as exc:
            errors.append(InputError(f"cannot write the draft: {exc.strerror or exc}", path=path))
            return
        drafts.append(draft)
        if where is not None:
            written.append((where, draft))

    if len(paths) > 1 and not to_stdout:
        with click.progressbar(paths, label="Ingesting", file=sys.stderr, show_pos=True) as bar:
            for path in bar:
                run(path)
    else:
        for path in paths:
            run(path)

    if to_stdout:
        click.echo("---\n".join(dumps_draft(d) for d in drafts), nl=False)
    else:
        for where, draft in written:
            click.echo(f"{where}: {len(draft['facts'])} facts, {len(draft['entities'])} entities")
    for exc in errors:
        click.echo(f"Error: {exc.one_line()}", err=True)
    if errors:
        click.echo(f"{len(paths) - len(errors)} of {len(paths)} articles drafted; {len(errors)} failed", err=True)
        sys.exit(1)


def _ids(values: tuple[str, ...]) -> list[str]:
    return [i.strip() for v in values for i in v.split(",") if i.strip()]


@click.command()
@click.argument("draft", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--accept", "accept", multiple=True, metavar="all|ID,...", help="Accept all facts, or these.")
@click.option("--reject", "reject", multiple=True, metavar="ID,...", help="Reject these facts.")
@click.option("--set", "sets", nargs=2, multiple=True, metavar="ID FIELD=VALUE",
              help="Correct a fact before deciding (repeatable), e.g. --set 3f2a9c01de o=senator.")
@click.option("-i", "--interactive", is_flag=True, help="Decide fact by fact: a(ccept) r(eject) e(dit) s(kip) q(uit).")
def review(draft: Path, accept: tuple[str, ...], reject: tuple[str, ...], sets: tuple[tuple[str, str], ...],
           interactive: bool) -> None:
    """Accept, reject or correct draft facts; accepted ones become curated.

    Accepted facts move to data/sources/<source-id>.yaml with status reviewed; rejected
    ones leave the draft and are not proposed again; the others stay.  Without an
    option, the draft's facts are listed.
    """
    from ..ingest.review import describe, load_draft, parse_assignment
    from ..ingest.review import review as run_review

    accept_ids = _ids(accept)
    accept_arg: str | list[str] = "all" if accept_ids == ["all"] else accept_ids
    if "all" in accept_ids and accept_ids != ["all"]:
        raise click.BadParameter("use --accept all alone, or a list of ids", param_hint="--accept")
    reject_ids = _ids(reject)
    edits = list(sets)
    if interactive:
        doc = load_draft(draft)
        chosen: list[str] = []
        for fact in doc["facts"]:
            while True:
                click.echo(describe(fact))
                answer = click.prompt("a)ccept r)eject e)dit s)kip q)uit", type=click.Choice(list("aresq")),
                                      default="s", show_choices=False)
                if answer == "e":
                    assignment = click.prompt("FIELD=VALUE")
                    try:
                        name, value = parse_assignment(assignment)
                    except InputError as exc:
                        click.echo(f"Error: {exc.one_line()}", err=True)
                        continue
                    fact[name] = value
                    edits.append((fact["id"], assignment))
                    continue
                break
            if answer == "q":
                break
            if answer == "a":
                chosen.append(fact["id"])
            elif answer == "r":
                reject_ids.append(fact["id"])
        accept_arg = chosen
    elif not (accept_ids or reject_ids or edits):
        doc = load_draft(draft)
        for fact in doc["facts"]:
            click.echo(describe(fact))
        click.echo(f"{len(doc['facts'])} facts to review in {draft}")
        return
    result = run_review(draft, accept=accept_arg, reject=reject_ids, edits=edits)
    parts = [f"{len(result.accepted)} accepted", f"{len(result.rejected)} rejected", f"{result.remaining} left in the draft"]
    if result.already_curated:
        parts.insert(1, f"{len(result.already_curated)} already curated")
    line = ", ".join(parts)
    if result.accepted and result.curated_path is not None:
        line += f"; curated: {result.curated_path}"
    click.echo(line)
