"""cpkg diff: facts added, removed and changed between snapshots, each with its source."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graph.build import build
from graph.diff import compare, diff, load_side, to_json, to_text
from graph.errors import InputError
from graph.settings import PROJECT_DIR, Settings
from graph.snapshot import snapshot

from .conftest import settings_for

BETA = "test-beta-page.yaml"


def _snap(settings: Settings) -> Path:
    build(settings)
    return snapshot(settings).path


def test_adding_a_source_adds_exactly_its_facts(mini: Settings, tmp_path: Path) -> None:
    kept = tmp_path / "beta.yaml"
    shutil.move(mini.sources_dir / BETA, kept)
    without = _snap(mini)
    shutil.move(kept, mini.sources_dir / BETA)
    with_it = _snap(mini)
    d = diff(str(without), str(with_it), mini)
    assert [(r["source"], r["s"], r["p"]) for r in d.added] == [
        ("test-beta-page", "chan-vuthy", "sentencedTo"), ("test-beta-page", "lotus-party", "allianceWith")]
    assert d.removed == [] and d.changed == []
    assert d.added[0]["oLiteral"] == "P1Y6M" and d.added[0]["url"] == "https://example.org/beta"
    back = diff(str(with_it), str(without), mini)
    assert len(back.removed) == 2 and back.added == [] and back.changed == []


def test_a_corrected_object_or_date_is_a_change_not_an_add_and_a_remove(mini: Settings) -> None:
    before = _snap(mini)
    beta = mini.sources_dir / BETA
    beta.write_text(beta.read_text(encoding="utf-8").replace("o: P18M", "o: P2Y").replace("start: 2021", "start: 2022"),
                    encoding="utf-8")
    build(mini)
    d = diff(str(before), "current", mini)
    assert d.added == [] and d.removed == []
    fields = {c["p"]: c["fields"] for c in d.changed}
    assert fields["sentencedTo"]["oLiteral"] == ["P1Y6M", "P2Y"]
    assert fields["allianceWith"]["start"] == ["2021", "2022"]


def test_a_changed_note_keeps_the_fact_id_and_is_a_change(mini: Settings) -> None:
    before = _snap(mini)
    beta = mini.sources_dir / BETA
    beta.write_text(beta.read_text(encoding="utf-8").replace("a second source gives another length", "reworded"),
                    encoding="utf-8")
    after = _snap(mini)
    (change,) = diff(str(before), str(after), mini).changed
    assert change["fields"] == {"note": ["a second source gives another length", "reworded"]}
    assert change["before"]["factId"] == change["after"]["factId"]


def test_text_output_lists_each_fact_with_its_source(mini: Settings, tmp_path: Path) -> None:
    kept = tmp_path / "beta.yaml"
    shutil.move(mini.sources_dir / BETA, kept)
    without = _snap(mini)
    shutil.move(kept, mini.sources_dir / BETA)
    build(mini)
    text = to_text(diff(str(without), None, mini))
    lines = text.splitlines()
    assert lines[1] == "B: current build (2024-03-05, 8 facts from 2 sources)"
    assert lines[2] == "2 added, 0 removed, 0 changed"
    assert "  + chan-vuthy sentencedTo \"P1Y6M\"  (date 2023-09)" in lines
    assert "      source: test-beta-page (Test Encyclopedia, https://example.org/beta)" in lines
    doc = json.loads(to_json(diff(str(without), None, mini)))
    assert doc["counts"] == {"added": 2, "removed": 0, "changed": 0}
    assert doc["sources_added"] == ["test-beta-page"]


def test_snapshots_are_found_by_name_or_unique_prefix(mini: Settings) -> None:
    path = _snap(mini)
    assert load_side(path.name, mini).label == str(path)
    assert load_side(path.name[:12], mini).label == str(path)
    with pytest.raises(InputError, match="no snapshot 'nope'"):
        load_side("nope", mini)


def test_a_diff_of_a_snapshot_with_itself_is_empty(mini: Settings) -> None:
    path = _snap(mini)
    assert compare(load_side(str(path), mini), load_side(str(path), mini)).empty


@pytest.mark.corpus
def test_the_second_article_adds_exactly_its_own_facts(real: Settings, tmp_path: Path) -> None:
    """A snapshot without the UCA News article (the second seed article) and one with it."""
    second = "ucanews-2023-06-28-pm-no-release"
    data = tmp_path / "data"
    shutil.copytree(PROJECT_DIR / "data", data)
    (data / "sources" / f"{second}.yaml").unlink()
    without = settings_for(data, real.corpus_dir, tmp_path / "exports")
    a = _snap(without)
    full = settings_for(PROJECT_DIR / "data", real.corpus_dir, tmp_path / "exports")
    b = _snap(full)
    d = diff(str(a), str(b), full)
    assert d.removed == [] and d.changed == []
    b_side = load_side(str(b), full)
    expected = sorted(fid for fid, c in b_side.claims.items() if c["source"] == second)
    assert expected and sorted(r["factId"] for r in d.added) == expected
    assert {r["source"] for r in d.added} == {second}
    assert any(r["s"] == "theary-seng" and r["p"] == "sentencedTo" for r in d.added)
