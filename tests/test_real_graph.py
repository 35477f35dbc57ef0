"""The curated graph as a journalist or researcher meets it (needs ../shared/corpus)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.build import open_store
from graph.cli import main
from graph.query import run_named
from graph.settings import PROJECT_DIR, Settings

SCORE = PROJECT_DIR.parent / "shared" / "tools" / "score_facts.py"


def args(settings: Settings) -> list[str]:
    return ["--data", str(settings.data_dir), "--corpus", str(settings.corpus_dir), "--exports", str(settings.exports_dir)]


@pytest.mark.corpus
@pytest.mark.parametrize("start", ["khmer-will-party", "Candlelight Party"])
def test_lineage_walks_back_to_the_cnrp_srp_and_knp(real_built: Settings, start: str) -> None:
    rows = run_named(open_store(real_built), "lineage", {"party": start})
    steps = {(r["fromLabel"], r["kind"], r["toLabel"]) for r in rows}
    assert ("Sam Rainsy Party", "renamed to", "Candlelight Party") in steps
    assert ("Khmer Nation Party", "renamed to", "Sam Rainsy Party") in steps
    assert ("Sam Rainsy Party", "merged into", "Cambodia National Rescue Party") in steps
    assert ("Human Rights Party", "merged into", "Cambodia National Rescue Party") in steps
    assert ("Cambodia National Rescue Party", "dissolved by", "Supreme Court of Cambodia") in steps
    assert ("Candlelight Party", "formed out of", "Cambodia National Rescue Party") in steps
    dated = {(r["fromLabel"], r["kind"]): r["date"] for r in rows if r["date"]}
    assert dated[("Khmer Nation Party", "renamed to")] == "1998"
    assert dated[("Cambodia National Rescue Party", "dissolved by")] == "2017-11-16"


@pytest.mark.corpus
def test_the_formed_out_of_claim_is_attributed_to_the_uca_article(real_built: Settings) -> None:
    rows = run_named(open_store(real_built), "lineage", {"party": "CLP"})
    formed = [r for r in rows if r["kind"] == "formed out of"]
    assert [r["source"].rsplit("/", 1)[-1] for r in formed] == ["ucanews-2023-06-28-pm-no-release"]


@pytest.mark.corpus
@pytest.mark.parametrize("alias,entity", [("Hun Sun", "hun-sen"), ("Seng Theary", "theary-seng"),
                                          ("Chhay", "son-chhay"), ("CLP", "candlelight-party"),
                                          ("Candlelight", "candlelight-party")])
def test_every_press_form_names_one_actor(real_built: Settings, alias: str, entity: str) -> None:
    result = CliRunner().invoke(main, ["show", alias, *args(real_built)])
    assert result.exit_code == 0, result.output
    assert f"<https://w3id.org/cpkg/id/{entity}>" in result.output.splitlines()[0]


@pytest.mark.corpus
def test_show_lists_facts_in_date_order_with_source_and_quote(real_built: Settings) -> None:
    result = CliRunner().invoke(main, ["show", "Thach Setha", "--format", "json", *args(real_built)])
    rows = json.loads(result.output)
    dates = [r["date"] for r in rows if r["date"]]
    assert dates == sorted(dates)
    from_article = [r for r in rows if r["source"].endswith("camboja-2025-05-08-kwp-prison-visit")]
    assert from_article and all(r["quote"] and r["publisher"] == "CamboJA News" for r in from_article)
    assert {"convictedOf", "sentencedTo"} <= {r["predicate"] for r in from_article}


@pytest.mark.corpus
def test_every_article_fact_has_evidence_quoted_from_the_text(real_built: Settings) -> None:
    store = open_store(real_built)
    rows = [r for r in run_named(store, "claims") if r["source"] in
            {"camboja-2025-05-08-kwp-prison-visit", "ucanews-2023-06-28-pm-no-release"}]
    assert len(rows) > 60
    assert all(r["quote"] for r in rows), [r["factId"] for r in rows if not r["quote"]]


@pytest.mark.corpus
def test_conflicts_lists_both_sides(real_built: Settings) -> None:
    result = CliRunner().invoke(main, ["conflicts", "--format", "json", *args(real_built)])
    rows = json.loads(result.output)
    assert rows and all(r["source1"] != r["source2"] for r in rows)


@pytest.mark.corpus
@pytest.mark.parametrize("source", ["camboja-2025-05-08-kwp-prison-visit", "ucanews-2023-06-28-pm-no-release"])
def test_facts_output_scores_perfectly_against_the_curated_file(real_built: Settings, source: str, tmp_path: Path) -> None:
    """`cpkg facts --source` round-trips the curated file in a form score_facts.py reads."""
    if not SCORE.exists():
        pytest.skip(f"{SCORE} is not there")
    result = CliRunner().invoke(main, ["facts", "--source", source, *args(real_built)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "facts.yaml"
    out.write_text(result.output, encoding="utf-8")
    scored = subprocess.run([sys.executable, str(SCORE), str(out), str(out), "--json"], capture_output=True, text=True, check=True)
    report = json.loads(scored.stdout[: scored.stdout.rindex("}") + 1])
    assert report["f1"] == 1.0 and report["gold_facts"] > 20
