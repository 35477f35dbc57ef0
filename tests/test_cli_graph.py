"""The graph family of commands, as a user runs them (CliRunner, exact messages)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from graph.cli import COMMANDS, main
from graph.settings import Settings


def args(settings: Settings) -> list[str]:
    return ["--data", str(settings.data_dir), "--corpus", str(settings.corpus_dir), "--exports", str(settings.exports_dir)]


def test_build_prints_counts_and_writes_the_graph(mini: Settings) -> None:
    result = CliRunner().invoke(main, ["build", *args(mini)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "built 1083 triples in 4 named graphs: 6 entities, 8 facts from 2 sources")
    for name in ("graph.trig", "graph.ttl", "graph.nq", "build.json"):
        assert (mini.exports_dir / name).stat().st_size > 0
    assert json.loads((mini.exports_dir / "build.json").read_text())["facts"] == 8


def test_validate_exit_codes(mini: Settings) -> None:
    ok = CliRunner().invoke(main, ["validate", *args(mini)])
    assert ok.exit_code == 0 and ok.output.startswith("conforms: 8 facts from 2 sources")
    bad = mini.sources_dir / "test-beta-page.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("start: 2021", "start: 2021-02-30"), encoding="utf-8")
    failed = CliRunner().invoke(main, ["validate", *args(mini)])
    assert failed.exit_code == 1
    assert failed.output.strip().endswith("facts[1].start: '2021-02-30' is not a real date")
    usage = CliRunner().invoke(main, ["validate", "--format", "x"])
    assert usage.exit_code == 2


def test_show_resolves_aliases_and_cites_sources(mini_built: Settings) -> None:
    result = CliRunner().invoke(main, ["show", "Chan Vuthey", *args(mini_built)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Chan Vuthy <https://w3id.org/cpkg/id/chan-vuthy>: 4 facts"
    assert "  2023                   Chan Vuthy convictedOf incitement (Phnom Penh Municipal Court)" in lines
    assert "      source: Test Wire, 2024-03-05, https://example.org/alpha" in lines
    assert '      says: \u201csentenced to three years\u201d' in lines


def test_show_unknown_entity_is_one_line(mini_built: Settings) -> None:
    result = CliRunner().invoke(main, ["show", "Nobody Here", *args(mini_built)])
    assert result.exit_code == 1
    assert result.output == "Error: no entity named 'Nobody Here' (give an id, a name or an alias; see `cpkg stats`)\n"


def test_conflicts_side_by_side(mini_built: Settings) -> None:
    result = CliRunner().invoke(main, ["conflicts", *args(mini_built)])
    assert result.output.splitlines() == [
        "Chan Vuthy sentencedTo: different values",
        "  P3Y (2023)  <- https://w3id.org/cpkg/source/test-alpha-2024-03-05",
        "  P1Y6M (2023-09)  <- https://w3id.org/cpkg/source/test-beta-page",
    ]


def test_facts_unknown_source(mini_built: Settings) -> None:
    result = CliRunner().invoke(main, ["facts", "--source", "nope", *args(mini_built)])
    assert result.exit_code == 1
    assert result.output == "Error: --source: no source with id or URL 'nope' (see data/sources/ for the ids)\n"


def test_stats(mini_built: Settings) -> None:
    result = CliRunner().invoke(main, ["stats", *args(mini_built)])
    assert "sources    all                            2" in result.output.splitlines()


def test_every_command_has_help_matching_the_table() -> None:
    import importlib

    for name, (module, func, short) in COMMANDS.items():
        try:
            command = getattr(importlib.import_module(f"graph.cli.{module}"), func)
        except ModuleNotFoundError:
            continue  # a family still being written
        assert command.help, name
        assert command.help.splitlines()[0].strip() == short, name
