"""The synthetic corpus generator (graph/synth.py) and ``cpkg synth``."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graph import synth as synth_mod
from graph import yamlsafe
from graph.cli.synth import synth
from graph.errors import InputError
from graph.synth import MANIFEST_NAME, generate, people_for_triples, yaml_flow

ROOT = Path(__file__).resolve().parents[1]

# FACTS.md's predicate table, by hand: subject types, object entity types, whether the
# object may be a literal, and the qualifiers the predicate takes.
P, ORG, G, C, PR, E, EV, GB = (
    "Person", "Organization", "PoliticalParty", "Court", "Prison", "Election", "Event", "GovernmentBody",
)
TABLE: dict[str, tuple[set[str], set[str], bool, set[str]]] = {
    "memberOf": ({P}, {G, ORG}, False, {"start", "end"}),
    "holdsRole": ({P}, set(), True, {"org", "start", "end"}),
    "leaderOf": ({P}, {G, ORG}, False, {"start", "end"}),
    "founded": ({P}, {G, ORG}, False, {"date"}),
    "established": ({G, ORG}, set(), True, set()),
    "renamedTo": ({G}, {G}, False, {"date"}),
    "mergedInto": ({G}, {G}, False, {"date"}),
    "successorOf": ({G}, {G}, False, {"date"}),
    "allianceWith": ({G}, {G}, False, {"start", "end"}),
    "dissolvedBy": ({G}, {C, GB}, False, {"date"}),
    "disqualifiedBy": ({G}, {GB}, False, {"election", "date"}),
    "contested": ({G}, {E}, False, set()),
    "won": ({G}, {E}, True, {"election"}),
    "chargedWith": ({P}, set(), True, {"date"}),
    "convictedOf": ({P}, set(), True, {"date", "court"}),
    "convictedBy": ({P}, {C}, False, {"date"}),
    "sentencedTo": ({P}, set(), True, {"date"}),
    "detainedAt": ({P}, {PR}, False, {"date"}),
    "releasedFrom": ({P}, {PR}, True, {"date", "expected"}),
    "metWith": ({P}, {P}, False, {"date"}),
    "visited": ({P}, {PR, P}, False, {"date"}),
    "statedBy": ({P, ORG}, set(), True, {"date"}),
    "spokespersonOf": ({P}, {GB, ORG, G}, False, set()),
    "directorOf": ({P}, {PR, ORG}, False, set()),
    "defectedTo": ({P}, {G}, False, {"date"}),
    "exiledIn": ({P}, set(), True, {"date"}),
    "relativeOf": ({P}, {P}, False, {"relation"}),
    "citizenOf": ({P}, set(), True, set()),
    "occupation": ({P}, set(), True, set()),
    "participatedIn": ({P, G}, {EV}, False, {"date"}),
}
QUALIFIER_TYPES = {"org": {G, ORG, GB}, "court": {C}, "election": {E}}
DATE = re.compile(r"^(19|20)\d\d(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _run_in_process(seed: int, out: Path, hashseed: str) -> None:
    code = f"from pathlib import Path; from graph.synth import generate; generate(30, {seed}, Path({str(out)!r}))"
    env = dict(os.environ, PYTHONHASHSEED=hashseed, PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)


class Corpus:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        registry = yamlsafe.loads((folder / "entities.yaml").read_text(encoding="utf-8"))
        self.entities: dict[str, Any] = {e["id"]: e for e in registry["entities"]}
        self.registry_ids = [e["id"] for e in registry["entities"]]
        self.sources: list[dict[str, Any]] = []
        self.texts: dict[str, str] = {}
        self.raw_texts: dict[str, bytes] = {}
        for path in sorted((folder / "sources").glob("*.yaml")):
            doc = yamlsafe.loads(path.read_text(encoding="utf-8"), str(path))
            self.sources.append(doc)
            raw = (folder / "corpus" / f"{doc['source']['id']}.txt").read_bytes()
            self.raw_texts[doc["source"]["id"]] = raw
            self.texts[doc["source"]["id"]] = raw.decode("utf-8")
        self.facts = [(doc["source"]["id"], f) for doc in self.sources for f in doc["facts"]]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    out = tmp_path_factory.mktemp("synth") / "out"
    generate(120, 0, out)
    return Corpus(out)


def test_same_arguments_same_bytes_across_processes(tmp_path: Path) -> None:
    _run_in_process(5, tmp_path / "a", "1")
    _run_in_process(5, tmp_path / "b", "2")
    _run_in_process(6, tmp_path / "c", "1")
    a, b, c = (_tree(tmp_path / n) for n in "abc")
    assert len(a) > 10
    assert a == b
    assert a != c


def test_output_reads_back_as_plain_strings(corpus: Corpus) -> None:
    assert len(corpus.sources) >= 10
    for doc in corpus.sources:
        assert set(doc) == {"source", "entities", "facts"}
        for key in ("id", "title", "publisher", "url", "published", "text_sha256"):
            assert isinstance(doc["source"][key], str), key
        for fact in doc["facts"]:
            assert fact["status"] == "reviewed" and "confidence" not in fact
            for key in ("s", "p", "date", "start", "end", "org", "court", "election", "relation"):
                assert key not in fact or isinstance(fact[key], str), (key, fact)
            assert isinstance(fact["o"], str)
            assert isinstance(fact["evidence"]["start"], int) and isinstance(fact["evidence"]["end"], int)
            assert fact.get("expected", True) is True
    assert 10 <= max(len(doc["facts"]) for doc in corpus.sources) <= 50


def test_ids_unique_and_well_formed(corpus: Corpus) -> None:
    assert corpus.registry_ids == sorted(set(corpus.registry_ids))
    assert all(ID.match(eid) for eid in corpus.registry_ids)
    source_ids = [doc["source"]["id"] for doc in corpus.sources]
    assert len(set(source_ids)) == len(source_ids) and all(ID.match(s) for s in source_ids)
    names = {e["name"] for e in corpus.entities.values()}
    assert not names & synth_mod._REAL_NAMES
    for entity in corpus.entities.values():
        assert entity["name"] not in entity["aliases"]


def test_one_surface_form_names_one_actor(corpus: Corpus) -> None:
    from graph.resolve import name_key

    owner: dict[str, str] = {}
    for entity in corpus.entities.values():
        for form in (entity["name"], *entity["aliases"]):
            assert owner.setdefault(name_key(form), entity["id"]) == entity["id"], form


def test_no_fact_twice_in_one_source(corpus: Corpus) -> None:
    for doc in corpus.sources:
        keys = [json.dumps({k: v for k, v in f.items() if k != "evidence"}, sort_keys=True) for f in doc["facts"]]
        assert len(keys) == len(set(keys)), doc["source"]["id"]


def test_the_loader_reads_it(corpus: Corpus, tmp_path: Path) -> None:
    from graph.load import build_quads, read_inputs
    from graph.model import load_model
    from graph.settings import get_settings

    folder = str(corpus.folder)
    settings = get_settings(
        {"CPKG_DATA": folder, "CPKG_CORPUS": f"{folder}/corpus", "CPKG_EXPORTS": str(tmp_path / "exports")})
    inputs = read_inputs(settings, load_model())
    assert inputs.warnings == []  # every text found by its hash, every offset checked
    assert sum(len(doc.facts) for doc in inputs.docs) == len(corpus.facts)
    assert len(build_quads(inputs, with_ontology=False)) > 15 * len(corpus.facts)


def test_every_named_entity_exists(corpus: Corpus) -> None:
    for doc in corpus.sources:
        listed = {e["id"]: e for e in doc["entities"]}
        assert all(corpus.entities[eid] == e for eid, e in listed.items())
        for fact in doc["facts"]:
            refs = [fact["s"]] + [fact[q] for q in ("org", "court", "election") if q in fact]
            if TABLE[fact["p"]][1] and not TABLE[fact["p"]][2]:
                refs.append(fact["o"])
            for ref in refs:
                assert ref in listed, (doc["source"]["id"], ref)


def test_evidence_points_at_the_subject_and_hash_matches(corpus: Corpus) -> None:
    non_ascii = 0
    for doc in corpus.sources:
        sid = doc["source"]["id"]
        text = corpus.texts[sid]
        assert doc["source"]["text_sha256"] == hashlib.sha256(corpus.raw_texts[sid]).hexdigest()
        meta = yamlsafe.loads((corpus.folder / "corpus" / f"{sid}.meta.yaml").read_text(encoding="utf-8"))
        assert meta["sha256"] == doc["source"]["text_sha256"] and meta["file"] == f"{sid}.txt"
        non_ascii += len(corpus.raw_texts[sid]) != len(text)
        for fact in doc["facts"]:
            start, end = fact["evidence"]["start"], fact["evidence"]["end"]
            assert 0 <= start < end <= len(text)
            span = text[start:end]
            subject = corpus.entities[fact["s"]]
            assert any(name in span for name in [subject["name"], *subject["aliases"]]), (sid, fact, span)
            if fact["p"] in ("metWith", "convictedBy", "detainedAt"):
                obj = corpus.entities[fact["o"]]
                assert any(name in span for name in [obj["name"], *obj["aliases"]]), (sid, fact, span)
    assert non_ascii, "some texts should carry non-ASCII characters (offsets count characters)"


def test_predicates_and_types_obey_the_fact_table(corpus: Corpus) -> None:
    seen = set()
    for sid, fact in corpus.facts:
        subjects, objects, literal_ok, qualifiers = TABLE[fact["p"]]
        seen.add(fact["p"])
        assert corpus.entities[fact["s"]]["type"] in subjects, (sid, fact)
        obj = corpus.entities.get(fact["o"])
        if obj is not None and objects:
            assert obj["type"] in objects, (sid, fact)
        else:
            assert literal_ok, (sid, fact)
        extra = set(fact) - {"s", "p", "o", "evidence", "status"}
        assert extra <= qualifiers, (sid, fact)
        for q, types in QUALIFIER_TYPES.items():
            if q in fact:
                assert corpus.entities[fact[q]]["type"] in types, (sid, fact)
        if fact["p"] == "sentencedTo":
            assert re.match(r"^P[1-9][0-9]*[YM]$", fact["o"])
        if fact["p"] == "won" and obj is None:
            assert re.match(r"^[0-9.]+%$", fact["o"]) and "election" in fact
    assert len(seen) >= 27, sorted(set(TABLE) - seen)


def test_dates_are_plausible(corpus: Corpus) -> None:
    published = {doc["source"]["id"]: doc["source"]["published"] for doc in corpus.sources}
    for sid, fact in corpus.facts:
        for key in ("date", "start", "end"):
            if key in fact:
                assert DATE.match(fact[key]), (sid, fact)
                if not fact.get("expected"):
                    assert "1990" <= fact[key][:4] <= "2025", (sid, fact)
                    assert fact[key] <= published[sid], (sid, fact)
        if fact["p"] == "established":
            assert DATE.match(fact["o"]) and "1990" <= fact["o"][:4] <= "2025"
        if "start" in fact and "end" in fact:
            assert fact["end"] > fact["start"], (sid, fact)


def test_some_facts_restated_and_some_disagree(tmp_path: Path) -> None:
    summary = generate(200, 3, tmp_path / "out")
    facts = Corpus(tmp_path / "out").facts
    key = lambda f: json.dumps({k: v for k, v in f.items() if k not in ("evidence",)}, sort_keys=True)  # noqa: E731
    where: dict[str, set[str]] = {}
    for sid, fact in facts:
        where.setdefault(key(fact), set()).add(sid)
    assert sum(len(s) > 1 for s in where.values()) >= summary.restated > 0
    by_claim: dict[tuple[str, str, str], set[str]] = {}
    for _sid, fact in facts:
        if fact["p"] == "sentencedTo":
            by_claim.setdefault((fact["s"], fact["p"], fact.get("date", "")), set()).add(fact["o"])
        elif "date" in fact:
            by_claim.setdefault((fact["s"], fact["p"], fact["o"]), set()).add(fact["date"])
    assert summary.disagreements > 0
    assert any(len(values) > 1 for values in by_claim.values())


def test_scale_follows_people(tmp_path: Path) -> None:
    small = generate(100, 1, tmp_path / "s")
    assert 600 <= small.facts <= 1300
    big = generate(400, 1, tmp_path / "b")
    assert 3.5 <= big.facts / small.facts <= 4.5
    assert big.entity_types["Person"] == 400
    assert 15 <= big.entity_types["PoliticalParty"] <= 25
    assert big.entity_types["Court"] >= 3 and big.entity_types["Prison"] >= 3
    assert set(big.predicates) == set(TABLE)
    manifest = json.loads((tmp_path / "b" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["facts"] == big.facts == len(Corpus(tmp_path / "b").facts)
    assert manifest["sources"] == big.sources == len(list((tmp_path / "b" / "sources").iterdir()))


def test_people_for_triples() -> None:
    assert people_for_triples(1) == synth_mod.MIN_PEOPLE
    per_person = synth_mod.FACTS_PER_PERSON * synth_mod.TRIPLES_PER_FACT
    for n in (10_000, 100_000, 1_000_000):
        assert abs(people_for_triples(n) * per_person - n) <= per_person
    with pytest.raises(InputError):
        people_for_triples(0)


@pytest.mark.parametrize(
    "value",
    ["NO", "012", "1952-08-05", "true", "null", "", "~", "a: b", "#x", "- x", "'q'", '"dq"', "back\\slash",
     "tab\there", "line\nbreak", "\x7f\x85\u2028\u2029\ufeff", "\x00\x1b", "Khmer ខ្មែរ ’", "\U0001f600",
     "{x}", "[x]", "*alias", "&anchor", "!tag", "%", "@", "`", "|", ">"],
)
def test_yaml_flow_round_trips(value: str) -> None:
    record = {"k": value, "list": [value], "n": 3, "b": True}
    assert yamlsafe.loads("x: " + yaml_flow(record)) == {"x": record}
    assert yamlsafe.loads("x:\n  - " + yaml_flow(record) + "\n") == {"x": [record]}


def test_yaml_flow_refuses_lone_surrogates() -> None:
    with pytest.raises(ValueError):
        yaml_flow({"k": "\ud800"})


def test_too_few_people_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="at least 10"):
        generate(3, 1, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_failure_midway_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(synth_mod, "_meta_yaml", boom)
    with pytest.raises(OSError):
        generate(20, 1, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------- the command


def test_cli_writes_and_prints_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(synth, ["--people", "20", "--seed", "4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert result.stdout == (
        f"wrote {out}: {manifest['entities']} entities, {manifest['sources']} sources, "
        f"{manifest['facts']} facts (people=20, seed=4)\n"
    )
    assert _tree(out) == _tree(_generated(tmp_path / "api", 20, 4))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["api", "out"]


def _generated(out: Path, people: int, seed: int) -> Path:
    generate(people, seed, out)
    return out


def test_cli_triples(tmp_path: Path) -> None:
    result = CliRunner().invoke(synth, ["--triples", "20000", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert f"(people={people_for_triples(20000)}, seed=0)" in result.stdout


@pytest.mark.parametrize("args", [[], ["--people", "20", "--triples", "100"]])
def test_cli_people_or_triples_not_both(tmp_path: Path, args: list[str]) -> None:
    result = CliRunner().invoke(synth, [*args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "give exactly one of --people and --triples" in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(synth, ["--people", "20", "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {out}: folder is not empty "
        "(choose a new folder, or pass --force to replace an earlier synthetic corpus)\n"
    )
    assert result.stdout == ""
    assert _tree(out) == {"notes.txt": b"mine"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_cli_force_replaces_only_a_synthetic_corpus(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(synth, ["--people", "20", "--out", str(out)]).exit_code == 0
    first = _tree(out)
    result = runner.invoke(synth, ["--people", "20", "--seed", "9", "--out", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert _tree(out) != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("keep", encoding="utf-8")
    result = runner.invoke(synth, ["--people", "20", "--out", str(mine), "--force"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {mine}: folder is not empty and has no {MANIFEST_NAME}; refusing to replace it "
        "even with --force (choose a new or empty folder)\n"
    )
    assert _tree(mine) == {"thesis.txt": b"keep"}


def test_cli_fills_an_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(synth, ["--people", "20", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "entities.yaml").is_file()
