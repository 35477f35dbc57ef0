"""Bad input gets one clear line naming the file, line and field, exit 1, and nothing written.

Each case edits one file of a fresh copy of the fixture data set and runs ``cpkg build``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.settings import Settings

ALPHA = "sources/test-alpha-2024-03-05.yaml"
BETA = "sources/test-beta-page.yaml"


def run_build(settings: Settings) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "--data", str(settings.data_dir), "--corpus",
                                       str(settings.corpus_dir), "--exports", str(settings.exports_dir)])
    return result.exit_code, result.output


def edit(settings: Settings, name: str, old: str, new: str) -> Path:
    path = settings.data_dir / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def error_line(output: str) -> str:
    lines = [ln for ln in output.splitlines() if ln.startswith("Error: ")]
    assert len(lines) == 1, output
    return lines[0].removeprefix("Error: ")


CASES = [
    # (id, file, old, new, expected message after the path)
    ("malformed-yaml", ALPHA, "facts:\n", "facts: [\n", r":\d+: malformed YAML: "),
    ("unknown-predicate", ALPHA, "p: visited", "p: visitd",
     r":{line}: facts\[1\]\.p: unknown predicate 'visitd' \(see the predicate table in FACTS.md\)$"),
    ("unknown-entity", ALPHA, "s: sok-dara\n    p: visited", "s: sok-darra\n    p: visited",
     r":{line}: facts\[1\]\.s: unknown entity 'sok-darra' \(declare it in data/entities.yaml or the file's entities\)$"),
    ("impossible-date", ALPHA, "date: '2024-03-04'", "date: '2023-13-45'",
     r":{line}: facts\[1\]\.date: '2023-13-45' is not a real date$"),
    ("offsets-outside-text", ALPHA, "evidence: {start: 26, end: 71}", "evidence: {start: 26, end: 9999}",
     r":{line}: facts\[0\]\.evidence: span 26-9999 runs past the end of the text \(\d+ characters\)$"),
    ("python-tag", BETA, "title: A page cited by URL alone", "title: !!python/object/apply:os.system ['true']",
     r":{line}: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed \(plain data only\)$"),
    ("duplicate-key", BETA, "  publisher: Test Encyclopedia\n", "  publisher: Test Encyclopedia\n  publisher: Other\n",
     r":{line}: duplicate key 'publisher'$"),
    ("wrong-type-object", BETA, "o: river-party", "o: chan-vuthy",
     r":{line}: facts\[1\]\.o: the object of allianceWith must be a PoliticalParty, but chan-vuthy is a Person$"),
    ("bad-duration", BETA, "o: P18M", "o: 18 months",
     r":{line}: facts\[0\]\.o: '18 months' is not an ISO 8601 duration \(like P3Y or P18M\)$"),
    ("unknown-qualifier", BETA, "    note: a second", "    court: phnom-penh-municipal-court\n    note: a second",
     r":{line}: facts\[0\]\.court: sentencedTo does not take 'court' \(it takes: date\)$"),
]


@pytest.mark.parametrize("name,file,old,new,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_names_file_line_field(mini: Settings, name: str, file: str, old: str, new: str, expected: str) -> None:
    path = edit(mini, file, old, new)
    code, output = run_build(mini)
    assert code == 1, output
    line = error_line(output)
    assert line.startswith(str(path)), line
    first = new.splitlines()[0]
    at = next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if first.strip() in ln)
    at = {"unknown-qualifier": 14, "duplicate-key": 5, "wrong-type-object": 15}.get(name, at)
    assert re.search(expected.replace("{line}", str(at)), line.removeprefix(str(path))), line
    assert not mini.exports_dir.exists(), "nothing may be written on bad input"


def test_changed_text_hash_is_refused(mini: Settings) -> None:
    corpus = mini.corpus_dir / "alpha.txt"
    (mini.corpus_dir / "alpha.meta.yaml").write_text(
        f"file: alpha.txt\nsha256: {hashlib.sha256(corpus.read_bytes()).hexdigest()}\n", encoding="utf-8")
    corpus.write_text(corpus.read_text(encoding="utf-8").replace("Monday", "Tuesday"), encoding="utf-8")
    code, output = run_build(mini)
    assert code == 1
    assert re.search(r"source\.text_sha256: the text of alpha\.txt no longer has sha256 [0-9a-f]{12}\.\.\.: it has changed "
                     r"\(re-check the offsets against the new text, then update the hash\)$", error_line(output))


def test_duplicate_entity_alias_is_refused(mini: Settings) -> None:
    edit(mini, "entities.yaml", "aliases: [RP]", "aliases: [RP, Vuthy]")
    code, output = run_build(mini)
    assert code == 1
    assert error_line(output).endswith(
        "entities[river-party].aliases: name 'Vuthy' of river-party is already a name of chan-vuthy "
        "(one surface form may name one actor only)")


def test_duplicate_source_id_is_refused(mini: Settings) -> None:
    text = (mini.data_dir / BETA).read_text(encoding="utf-8").replace("P18M", "P2Y")
    (mini.data_dir / "sources" / "copy.yaml").write_text(text, encoding="utf-8")
    code, output = run_build(mini)
    assert code == 1
    assert "source.id: source id 'test-beta-page' is also used by" in error_line(output)


def test_same_file_twice_is_idempotent(mini: Settings) -> None:
    from graph.build import compile_graph

    once = compile_graph(mini, validate=False).quads
    twice = compile_graph(mini, validate=False, files=[mini.data_dir / ALPHA, mini.data_dir / BETA, mini.data_dir / ALPHA]).quads
    assert once == twice


def test_bad_input_leaves_previous_exports_untouched(mini: Settings) -> None:
    assert run_build(mini)[0] == 0
    before = {p: p.read_bytes() for p in mini.exports_dir.glob("graph.*")}
    edit(mini, ALPHA, "p: visited", "p: visitd")
    assert run_build(mini)[0] == 1
    assert {p: p.read_bytes() for p in mini.exports_dir.glob("graph.*")} == before
    assert not [p for p in mini.exports_dir.rglob("*.tmp")]


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--bogus"])
    assert result.exit_code == 2
    assert "No such option '--bogus'" in result.output
