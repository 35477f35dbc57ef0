"""Snapshots: every format in one folder, deterministic to the byte, written whole or not at all."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from graph import __version__
from graph.build import build
from graph.settings import Settings
from graph.snapshot import snapshot, verify

from .conftest import folder_bytes, leftovers, manifest

EVERY_FILE = {"graph.nq", "graph.nt", "graph.ttl", "graph.trig", "graph.jsonld", "graph.graphml", "graph.gexf",
              "graph.nodelink.json", "csv/nodes.csv", "csv/edges.csv", "csv/node_facts.csv", "neo4j/nodes.csv",
              "neo4j/facts.csv", "neo4j/relationships.csv", "neo4j/fact_links.csv", "neo4j/load.cypher"}


def test_a_snapshot_holds_every_format_and_a_manifest(mini_built: Settings) -> None:
    snap = snapshot(mini_built)
    nq = (snap.path / "graph.nq").read_bytes()
    assert snap.name == f"2024-03-05-{hashlib.sha256(nq).hexdigest()[:12]}"
    assert snap.path == mini_built.exports_dir / "snapshots" / snap.name
    assert set(folder_bytes(snap.path)) == EVERY_FILE | {"manifest.json"}
    assert verify(snap.path) == []
    m = manifest(snap.path)
    assert m["as_of"] is None and m["date"] == "2024-03-05" and m["code"]["cpkg"] == __version__
    assert m["nquads_sha256"] == hashlib.sha256(nq).hexdigest()
    assert m["counts"]["facts"] == 8 and m["counts"]["sources"] == 2
    assert m["counts"]["entities_by_type"] == {"Court": 1, "Person": 2, "PoliticalParty": 2, "Prison": 1}
    assert m["counts"]["facts_by_predicate"]["sentencedTo"] == 2
    alpha = next(s for s in m["sources"] if s["id"] == "test-alpha-2024-03-05")
    assert alpha["url"] == "https://example.org/alpha" and alpha["facts"] == 6
    assert alpha["text_sha256"] == "57f8a9dbd85103e9dfcac7e73f8606d180f08d95b482d9bdfc277eecf5c28916"
    assert {f["path"] for f in m["files"]} == EVERY_FILE
    assert b"T" + b"00:" not in (snap.path / "manifest.json").read_bytes()  # no wall-clock time anywhere


def test_the_same_data_gives_the_same_folder_again(mini_built: Settings) -> None:
    first = snapshot(mini_built)
    before = folder_bytes(first.path)
    second = snapshot(mini_built)
    assert second.name == first.name and folder_bytes(second.path) == before


def test_a_source_loaded_twice_or_in_another_order_gives_the_same_snapshot(mini: Settings, tmp_path: Path) -> None:
    build(mini)
    name = snapshot(mini).name
    shutil.copy(mini.sources_dir / "test-beta-page.yaml", mini.sources_dir / "zz-copy-of-beta.yaml")
    build(mini)
    again = snapshot(mini)
    assert again.name == name


def test_an_as_of_snapshot_is_named_by_its_date(hostile_built: Settings) -> None:
    snap = snapshot(hostile_built, "2019-01-01")
    assert snap.name.startswith("2019-01-01-")
    m = manifest(snap.path)
    assert m["as_of"] == "2019-01-01" and "PoliticalParty" not in m["counts"]["entities_by_type"]
    assert verify(snap.path) == []


def _snapshot_in_process(settings: Settings, seed: str, exports: Path) -> dict[str, bytes]:
    env = dict(os.environ, PYTHONHASHSEED=seed, CPKG_DATA=str(settings.data_dir),
               CPKG_CORPUS=str(settings.corpus_dir), CPKG_EXPORTS=str(exports))
    env.pop("CPKG_STORE", None)
    subprocess.run([sys.executable, "-m", "graph", "snapshot"], env=env, check=True, capture_output=True)
    (folder,) = (exports / "snapshots").iterdir()
    return {f"{folder.name}/{k}": v for k, v in folder_bytes(folder).items()}


def test_two_processes_with_different_hash_seeds_write_byte_identical_snapshots(hostile: Settings, tmp_path: Path) -> None:
    a = _snapshot_in_process(hostile, "1", tmp_path / "a")
    b = _snapshot_in_process(hostile, "4242", tmp_path / "b")
    assert sorted(a) == sorted(b)
    assert [k for k in a if a[k] != b[k]] == []


def test_a_failure_halfway_leaves_earlier_snapshots_as_they_were(mini: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    build(mini)
    earlier = snapshot(mini)
    (mini.sources_dir / "test-beta-page.yaml").unlink()
    build(mini)
    before = {k: v for k, v in folder_bytes(mini.exports_dir).items() if k.startswith("snapshots/")}
    from graph.export import graphs

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise ValueError("an unwritable value")

    monkeypatch.setattr(graphs, "gexf", broken)
    with pytest.raises(ValueError, match="unwritable"):
        snapshot(mini)
    after = {k: v for k, v in folder_bytes(mini.exports_dir).items() if k.startswith("snapshots/")}
    assert after == before
    assert [p.name for p in (mini.exports_dir / "snapshots").iterdir()] == [earlier.name]
    assert leftovers(mini.exports_dir) == []


def test_ctrl_c_halfway_leaves_nothing_behind(mini: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    build(mini)
    earlier = snapshot(mini)
    before = folder_bytes(earlier.path)
    from graph.export import tables

    def interrupted(*args: Any, **kwargs: Any) -> dict[str, bytes]:
        raise KeyboardInterrupt

    (mini.sources_dir / "test-beta-page.yaml").unlink()
    build(mini)  # (cpkg build writes the Neo4j export too: interrupt only the snapshot)
    monkeypatch.setattr(tables, "neo4j", interrupted)
    with pytest.raises(KeyboardInterrupt):
        snapshot(mini)
    assert [p.name for p in (mini.exports_dir / "snapshots").iterdir()] == [earlier.name]
    assert folder_bytes(earlier.path) == before and leftovers(mini.exports_dir) == []


KILLABLE = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from graph.export import graphs

    def stall(*args, **kwargs):
        Path(sys.argv[1]).write_text("writing")
        time.sleep(120)

    graphs.gexf = stall
    from graph.cli import main
    main(["snapshot"])
""")


def test_kill_9_halfway_keeps_earlier_snapshots_and_the_next_run_sweeps_up(mini: Settings, tmp_path: Path) -> None:
    build(mini)
    earlier = snapshot(mini)
    before = folder_bytes(earlier.path)
    (mini.sources_dir / "test-beta-page.yaml").unlink()
    build(mini)
    flag = tmp_path / "started"
    env = dict(os.environ, CPKG_DATA=str(mini.data_dir), CPKG_CORPUS=str(mini.corpus_dir),
               CPKG_EXPORTS=str(mini.exports_dir))
    proc = subprocess.Popen([sys.executable, "-c", KILLABLE, str(flag)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not flag.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert flag.exists(), "the snapshot never reached the GEXF step"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    snaps = mini.exports_dir / "snapshots"
    assert [p.name for p in snaps.iterdir() if not p.name.startswith(".")] == [earlier.name]
    assert folder_bytes(earlier.path) == before
    assert leftovers(snaps)  # a half-written hidden folder, never under a snapshot's name
    new = snapshot(mini)
    assert leftovers(mini.exports_dir) == [] and verify(new.path) == []
    assert folder_bytes(earlier.path) == before
