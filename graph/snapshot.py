"""Snapshots: every export format of one state of the graph, in one dated folder.

``cpkg snapshot [--as-of D]`` writes ``exports/snapshots/<date>-<hash>/``:

- ``<date>`` is the as-of date, or else the latest publication date among the sources (the
  state of the data, never the wall clock);
- ``<hash>`` is the first 12 hex digits of the SHA-256 of the snapshot's canonical N-Quads
  (``graph.nq``), so the same data always gives the same name and a change gives a new one.

The folder holds ``graph.nq``, ``graph.nt``, ``graph.ttl``, ``graph.trig``, ``graph.jsonld``,
``graph.graphml``, ``graph.gexf``, ``graph.nodelink.json``, ``csv/`` and ``neo4j/`` (see
:mod:`graph.export`) and ``manifest.json``: counts per entity type and predicate, the sources
included (id, title, publisher, url, publication date, sha256 of the article text, number of
facts), the size and sha256 of every file, the code version and the as-of date.

Everything in it is deterministic: the same data gives byte-identical files, whatever the
process, its hash seed or the time of day.  The folder is filled under a temporary name and
renamed into place whole (:func:`graph.atomic.atomic_dir`); a failure leaves earlier
snapshots as they were and no temporary folder behind (one left by ``kill -9`` is removed by
the next run).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .settings import Settings

#: Formats in a snapshot, in the order they are written.
SNAPSHOT_FORMATS = ("nquads", "ntriples", "turtle", "trig", "jsonld", "graphml", "gexf", "nodelink", "csv", "neo4j")
MANIFEST = "manifest.json"
HASH_CHARS = 12


@dataclass
class Snapshot:
    path: Path
    name: str
    manifest: dict[str, Any]


def snapshots_dir(settings: Settings) -> Path:
    return settings.exports_dir / "snapshots"


def code_versions() -> dict[str, str]:
    import networkx
    import pyoxigraph

    return {"cpkg": __version__, "networkx": networkx.__version__, "pyoxigraph": pyoxigraph.__version__}


def write_snapshot(data: Any, root: Path) -> Snapshot:
    """Write every format of ``data`` (:class:`graph.export.ExportData`) under ``root``."""
    from . import atomic
    from .export import FORMATS, export_lock, public_dir, render, sweep_temporaries
    nq = data.nquads()
    digest = hashlib.sha256(nq).hexdigest()
    name = f"{data.date}-{digest[:HASH_CHARS]}"
    target = root / name
    files: dict[str, dict[str, Any]] = {}
    with export_lock(root):
        sweep_temporaries(root, None)
        with atomic.atomic_dir(target) as tmp:
            def put(rel: str, content: bytes) -> None:
                path = tmp / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
                files[rel] = {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}

            put(FORMATS["nquads"].filename, nq)
            del nq
            formats = {"nquads": FORMATS["nquads"].filename}
            triples = 0
            for fmt in SNAPSHOT_FORMATS[1:]:
                spec = FORMATS[fmt]
                rendered = render(data, fmt)
                for rel in sorted(rendered):
                    put(f"{spec.filename}/{rel}" if spec.folder else rel, rendered[rel])
                formats[fmt] = spec.filename + ("/" if spec.folder else "")
                del rendered
                if fmt == "trig":  # the last format made from the text lines
                    triples = len(data.triple_lines)
                    data.release_text()
            manifest = build_manifest(data, name, digest, files, formats, triples)
            (tmp / MANIFEST).write_bytes(manifest_bytes(manifest))
            public_dir(tmp)
    return Snapshot(target, name, manifest)


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def build_manifest(data: Any, name: str, digest: str, files: dict[str, dict[str, Any]],
                   formats: dict[str, str], triples: int | None = None) -> dict[str, Any]:
    """What is in the snapshot, for people and for ``cpkg diff``; no wall-clock time."""
    import pyoxigraph as ox

    per_source = Counter(c["source"] for c in data.claims)
    graphs = {q.graph_name.value for q in data.quads if isinstance(q.graph_name, ox.NamedNode)}
    triples = len(data.triple_lines) if triples is None else triples
    g = data.graph
    return {
        "name": name,
        "date": data.date,
        "as_of": data.as_of.isoformat() if isinstance(data.as_of, dt.date) else None,
        "hash": digest[:HASH_CHARS],
        "nquads_sha256": digest,
        "code": code_versions(),
        "counts": {
            "quads": len(data.quads),
            "triples": triples,
            "named_graphs": len(graphs),
            "sources": len(data.sources),
            "entities": len(data.actors),
            "facts": len(data.claims),
            "undated_facts": sum(1 for c in data.claims if data.timeline.validity(c["factId"]) is None),
            "entities_by_type": dict(sorted(Counter(a["type"] for a in data.actors).items())),
            "facts_by_predicate": dict(sorted(Counter(c["p"] for c in data.claims).items())),
            "network": {
                "nodes": g.number_of_nodes(),
                "edges": g.number_of_edges(),
                "node_facts": sum(len(a.get("literal_facts") or []) for _, a in g.nodes(data=True)),
            },
        },
        "sources": [
            {"id": s["id"], "title": s.get("title"), "publisher": s.get("publisher"), "url": s.get("url"),
             "published": s.get("published"), "text_sha256": s.get("text_sha256"), "kind": s.get("kind"),
             "facts": per_source.get(s["id"], 0)}
            for s in data.sources
        ],
        "formats": dict(sorted(formats.items())),
        "files": [{"path": rel, **files[rel]} for rel in sorted(files)],
    }


def snapshot(settings: Settings, as_of: dt.date | str | None = None) -> Snapshot:
    """Snapshot the current build (as it stood on ``as_of`` if given)."""
    from .export import load

    return write_snapshot(load(settings, as_of), snapshots_dir(settings))


def verify(path: Path) -> list[str]:
    """Problems with a snapshot folder: files missing, extra, or not matching the manifest."""
    problems = []
    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    listed = {f["path"]: f for f in manifest["files"]}
    present = {str(p.relative_to(path)) for p in path.rglob("*") if p.is_file() and p.name != MANIFEST}
    for rel in sorted(set(listed) - present):
        problems.append(f"{rel}: missing")
    for rel in sorted(present - set(listed)):
        problems.append(f"{rel}: not in the manifest")
    for rel in sorted(set(listed) & present):
        if hashlib.sha256((path / rel).read_bytes()).hexdigest() != listed[rel]["sha256"]:
            problems.append(f"{rel}: sha256 differs from the manifest")
    return problems
