"""export, snapshot and diff as a user runs them (CliRunner, exact messages, exit codes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graph.cli import COMMANDS, main
from graph.settings import Settings

from .conftest import leftovers


def args(settings: Settings) -> list[str]:
    return ["--data", str(settings.data_dir), "--corpus", str(settings.corpus_dir), "--exports", str(settings.exports_dir)]


def run(*argv: str) -> Any:
    return CliRunner().invoke(main, list(argv))


def test_export_writes_the_default_file_and_says_so(mini_built: Settings) -> None:
    result = run("export", "--format", "gexf", *args(mini_built))
    assert result.exit_code == 0, result.output
    target = mini_built.exports_dir / "graph.gexf"
    assert result.output.splitlines() == ["exported gexf: 8 facts, 6 entities", f"wrote {target}"]
    assert target.read_bytes().startswith(b"<?xml")


def test_export_as_of_gets_its_own_default_name(mini_built: Settings) -> None:
    result = run("export", "-f", "csv", "--as-of", "2024-03-10", *args(mini_built))
    assert result.exit_code == 0, result.output
    folder = mini_built.exports_dir / "csv-asof-2024-03-10"
    assert result.output.splitlines()[0] == "exported csv as of 2024-03-10: 5 facts, 5 entities"
    assert sorted(p.name for p in folder.iterdir()) == ["edges.csv", "node_facts.csv", "nodes.csv"]
    assert oct(folder.stat().st_mode & 0o777) != oct(0o700)


def test_export_to_standard_output(mini_built: Settings) -> None:
    result = run("export", "-f", "nquads", "--out", "-", *args(mini_built))
    assert result.exit_code == 0
    assert result.stdout_bytes == (mini_built.exports_dir / "graph.nq").read_bytes()


def test_jsonld_with_its_context_as_a_file_beside_it(mini_built: Settings, tmp_path: Path) -> None:
    out = tmp_path / "out" / "g.jsonld"
    result = run("export", "-f", "jsonld", "--jsonld-context", "file", "--out", str(out), *args(mini_built))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["@context"] == "context.jsonld"
    assert "@context" in json.loads((out.parent / "context.jsonld").read_text(encoding="utf-8"))


@pytest.mark.parametrize("argv, message", [
    (["export", "-f", "ttl"], "Invalid value for '--format' / '-f': 'ttl' is not one of"),
    (["export", "-f", "turtle", "--as-of", "2017-13-01"],
     "Invalid value for '--as-of': '2017-13-01' is not a date in the form YYYY-MM-DD"),
    (["export", "-f", "turtle", "--as-of", "2017"], "Invalid value for '--as-of': '2017' is not a date"),
    (["export", "-f", "csv", "--out", "-"], "Invalid value for --out: csv writes a folder; give --out a folder name"),
    (["snapshot", "--as-of", "yesterday"], "Invalid value for '--as-of': 'yesterday' is not a date"),
    (["diff"], "Missing argument 'A'"),
    (["diff", "a", "b", "--format", "yaml"], "Invalid value for '--format'"),
])
def test_usage_errors_exit_2_with_one_clear_line(argv: list[str], message: str) -> None:
    result = run(*argv)
    assert result.exit_code == 2
    assert message in result.output


def test_snapshot_command_reports_the_folder(mini_built: Settings) -> None:
    result = run("snapshot", *args(mini_built))
    assert result.exit_code == 0, result.output
    first, second = result.output.splitlines()
    assert first.startswith("snapshot 2024-03-05-") and first.endswith(
        ": 8 facts, 6 entities, 2 sources, 1083 triples, 16 files")
    assert Path(second.removeprefix("wrote ")).is_dir()


def test_diff_of_an_unknown_snapshot_is_one_error_line(mini_built: Settings) -> None:
    result = run("diff", "nope", *args(mini_built))
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "no snapshot 'nope'" in result.output and len(result.output.strip().splitlines()) == 1


def test_diff_json_against_the_current_build(mini_built: Settings) -> None:
    snap = run("snapshot", *args(mini_built)).output.splitlines()[1].removeprefix("wrote ")
    result = run("diff", snap, "current", "--format", "json", *args(mini_built))
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["counts"] == {"added": 0, "removed": 0, "changed": 0} and doc["b"]["label"] == "current build"


def test_a_failing_export_leaves_the_previous_file_and_no_temporary(mini: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("build", *args(mini)).exit_code == 0
    assert run("export", "-f", "graphml", *args(mini)).exit_code == 0
    target = mini.exports_dir / "graph.graphml"
    before = target.read_bytes()
    from graph.export import graphs

    def broken(*a: Any, **k: Any) -> bytes:
        raise ValueError("bad IRI <a b>")

    monkeypatch.setattr(graphs, "graphml", broken)
    result = run("export", "-f", "graphml", *args(mini))
    assert result.exit_code == 1
    assert result.output == ("Error: could not write the graphml export: bad IRI <a b> "
                             "(nothing was written; earlier exports are unchanged)\n")
    assert target.read_bytes() == before and leftovers(mini.exports_dir) == []


def test_a_write_interrupted_after_the_temporary_file_is_cleaned_up(mini_built: Settings, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while the bytes go to disk: the temporary file is removed, the old file stays."""
    from graph import atomic
    from graph.export import ExportData, export, load

    data: ExportData = load(mini_built)
    out = tmp_path / "graph.ttl"
    export(data, "turtle", out)
    before = out.read_bytes()
    real_fsync = atomic.os.fsync

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export(data, "turtle", out)
    monkeypatch.setattr(atomic.os, "fsync", real_fsync)
    assert out.read_bytes() == before and leftovers(tmp_path) == []


def test_the_commands_are_registered_with_their_docstrings() -> None:
    from graph.cli import export as module

    for name in ("export", "snapshot", "diff"):
        assert COMMANDS[name][0] == "export"
        command = getattr(module, COMMANDS[name][1])
        assert (command.help or "").splitlines()[0] == COMMANDS[name][2]


def test_a_folder_format_never_replaces_a_folder_of_other_files(mini_built: Settings, tmp_path: Path) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "letter.txt").write_text("keep me", encoding="utf-8")
    result = run("export", "-f", "csv", "--out", str(documents), *args(mini_built))
    assert result.exit_code == 1
    assert result.output == (f"Error: {documents}: refusing to replace this folder: it holds files that are not a csv "
                             "export (letter.txt) (give --out a new or empty folder)\n")
    assert [p.name for p in documents.iterdir()] == ["letter.txt"]
    again = run("export", "-f", "csv", "--out", str(tmp_path / "csv"), *args(mini_built))
    assert again.exit_code == 0 and run("export", "-f", "csv", "--out", str(tmp_path / "csv"), *args(mini_built)).exit_code == 0


def test_a_file_format_given_a_folder_writes_its_default_name_inside(mini_built: Settings, tmp_path: Path) -> None:
    result = run("export", "-f", "graphml", "--out", str(tmp_path), *args(mini_built))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"wrote {tmp_path / 'graph.graphml'}"
