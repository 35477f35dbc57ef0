"""Build: read and check the curated data, validate the graph, write it out.

``build()`` is the library call behind ``cpkg build``.  It validates *before* writing
anything; every output is written atomically; the persistent query store is rebuilt only
when the inputs' fingerprint changes, so ``cpkg query`` and ``cpkg serve`` start from it
without re-reading the YAML.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import atomic, gcpause
from . import namespaces as ns
from .errors import NotBuiltError, ValidationError
from .load import Inputs, build_quads, read_inputs, source_files
from .model import load_model
from .settings import ONTOLOGY_DIR, Settings

STAMP = "FINGERPRINT"


@dataclass
class BuildResult:
    inputs: Inputs
    quads: list[ox.Quad]
    counts: dict[str, Any]
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: the tables and network the tool exports were made from (graph.export.ExportData), kept
    #: so that the HTML pages use the same projection instead of querying the store again
    export_data: Any = None


def fingerprint(settings: Settings, include_drafts: bool = False) -> str:
    """A hash of everything a build reads: ontology, registry, sources, corpus file stats."""
    h = hashlib.sha256(b"cpkg-build-1\0")
    package = Path(__file__).resolve().parent
    paths = sorted(ONTOLOGY_DIR.glob("*.ttl"))
    paths += [package / name for name in ("load.py", "factfile.py", "namespaces.py", "model.py", "resolve.py")]
    if settings.registry_path.exists():
        paths.append(settings.registry_path)
    paths += source_files(settings, include_drafts)
    for path in paths:
        h.update(str(path.name).encode() + b"\0" + path.read_bytes() + b"\0")
    if settings.corpus_dir.is_dir():
        for path in sorted(settings.corpus_dir.glob("*.txt")):
            st = path.stat()
            h.update(f"{path.name}:{st.st_size}:{st.st_mtime_ns}\0".encode())
    h.update(b"drafts" if include_drafts else b"reviewed")
    return h.hexdigest()


def origins(inputs: Inputs) -> dict[str, str]:
    """claim IRI -> ``file:line`` of the fact behind it, for error messages."""
    from .load import fact_key

    out = {}
    for doc in inputs.docs:
        for fact in doc.facts:
            out[ns.fact_iri(fact_key(doc.meta.id, fact))] = f"{fact.path}:{fact.line}"
    return out


def count(inputs: Inputs, quads: list[ox.Quad]) -> dict[str, Any]:
    types = Counter(e.type for e in inputs.registry.entities.values())
    preds = Counter(f.p for d in inputs.docs for f in d.facts)
    return {
        "triples": len(quads),
        "named_graphs": len({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}),
        "sources": len(inputs.docs),
        "entities": len(inputs.registry.entities),
        "facts": sum(preds.values()),
        "entities_by_type": dict(sorted(types.items())),
        "facts_by_predicate": dict(sorted(preds.items())),
    }


@gcpause.paused()  # millions of small acyclic objects at scale (see graph.gcpause)
def compile_graph(settings: Settings, *, include_drafts: bool = False, files: Iterable[Path] | None = None,
                  validate: bool = True) -> BuildResult:
    """Read, check and (optionally) SHACL-validate; write nothing."""
    inputs = read_inputs(settings, load_model(), files=files, include_drafts=include_drafts)
    quads = build_quads(inputs)
    result = BuildResult(inputs, quads, count(inputs, quads), warnings=list(inputs.warnings))
    if validate:
        from .validate import shacl_validate

        report = shacl_validate(quads, origins(inputs))
        gc.collect()  # pyshacl's rdflib graphs hold reference cycles: free them before the writes
        result.warnings += [p.line() for p in report.warnings]
        if report.violations:
            first = report.violations[0]
            more = f" (and {len(report.violations) - 1} more)" if len(report.violations) > 1 else ""
            raise ValidationError(f"the graph does not conform to the shapes: {first.line()}{more}",
                                  report="\n".join(p.line() for p in report.violations))
    return result


def nquads_bytes(quads: list[ox.Quad]) -> bytes:
    """Canonical, sorted N-Quads: the form two builds are compared by."""
    return "".join(f"{q} .\n" for q in quads).encode("utf-8")


def _graph_sorted(quads: list[ox.Quad]) -> list[ox.Quad]:
    return sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def _sorted_prefixes(data: bytes) -> bytes:
    """Put the @prefix header in a fixed order, whatever order the serialiser chose."""
    lines = data.split(b"\n")
    head = [ln for ln in lines if ln.startswith(b"@prefix ")]
    rest = [ln for ln in lines if not ln.startswith(b"@prefix ")]
    return b"\n".join(sorted(head) + rest)


def serialize(items: list[Any], fmt: Any) -> bytes:
    data = ox.serialize(items, format=fmt, prefixes=dict(ns.PREFIXES))
    assert data is not None  # no output file given: the bytes come back
    return _sorted_prefixes(data)


def write_rdf(quads: list[ox.Quad], exports: Path) -> list[Path]:
    """graph.nq (canonical), graph.trig (one named graph per source) and graph.ttl (union)."""
    out = []
    nq = exports / "graph.nq"
    atomic.write_bytes(nq, nquads_bytes(quads))
    out.append(nq)
    trig = exports / "graph.trig"
    atomic.write_bytes(trig, serialize(_graph_sorted(quads), ox.RdfFormat.TRIG))
    out.append(trig)
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    ttl = exports / "graph.ttl"
    atomic.write_bytes(ttl, serialize(triples, ox.RdfFormat.TURTLE))
    out.append(ttl)
    return out


#: The formats `cpkg build` writes beside the RDF: Gephi, Cytoscape/yEd, spreadsheets, Neo4j, JSON-LD.
BUILD_FORMATS = ("jsonld", "graphml", "gexf", "csv", "neo4j")


def write_tool_exports(quads: list[ox.Quad], exports: Path) -> tuple[list[Path], Any]:
    """The exports people open in other tools (see exports/README.md), from the build's quads;
    the files written and the :class:`graph.export.ExportData` they were made from."""
    from .export import FORMATS, from_quads, render, write_files

    data = from_quads(quads, nq=nquads_bytes(quads))
    written: list[Path] = []
    for fmt in BUILD_FORMATS:
        spec = FORMATS[fmt]
        written += write_files(render(data, fmt), exports / spec.filename, folder=spec.folder)
    return written, data


def write_store(quads: list[ox.Quad], settings: Settings, stamp: str) -> Path:
    """Replace the persistent pyoxigraph store whole, with the fingerprint beside it."""
    with atomic.atomic_dir(settings.store_dir) as tmp:
        store = ox.Store(str(tmp / "db"))
        store.bulk_extend(quads)
        store.flush()
        store.optimize()
        del store
        (tmp / STAMP).write_text(stamp + "\n", encoding="utf-8")
    return settings.store_dir


@gcpause.paused()  # millions of small acyclic objects at scale (see graph.gcpause)
def build(settings: Settings, *, include_drafts: bool = False, write_exports: bool = True) -> BuildResult:
    """Validate, then write graph.nq/.trig/.ttl, build.json and the query store."""
    stamp = fingerprint(settings, include_drafts)
    result = compile_graph(settings, include_drafts=include_drafts)
    exports = settings.exports_dir
    if write_exports:
        from .export import export_lock, sweep_temporaries

        exports.mkdir(parents=True, exist_ok=True)
        with export_lock(exports):
            sweep_temporaries(exports, None)  # leftovers of a killed earlier run
            result.written += write_rdf(result.quads, exports)
            tool_files, result.export_data = write_tool_exports(result.quads, exports)
            result.written += tool_files
        manifest = dict(result.counts)
        manifest["fingerprint"] = stamp
        manifest["nquads_sha256"] = hashlib.sha256(nquads_bytes(result.quads)).hexdigest()
        path = exports / "build.json"
        atomic.write_text(path, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        result.written.append(path)
    result.written.append(write_store(result.quads, settings, stamp))
    return result


def store_is_fresh(settings: Settings, include_drafts: bool = False) -> bool:
    stamp = settings.store_dir / STAMP
    return stamp.exists() and stamp.read_text(encoding="utf-8").strip() == fingerprint(settings, include_drafts)


#: Below this many bytes of store, open_store() copies the graph into memory: measured on
#: this machine, queries on Oxigraph's in-memory store run about 4x faster than on its
#: on-disk RocksDB store, and the copy costs ~6 µs per quad (0.07 s at 12k quads), which a
#: one-shot command only recovers on small graphs. Long-running users (serve, benchmarks)
#: ask for memory=True whatever the size.
MEMORY_COPY_MAX_BYTES = 64 * 1024 * 1024


def _store_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def open_store(settings: Settings, *, rebuild: bool = True, memory: bool | None = None) -> ox.Store:
    """The built graph, rebuilt first if the inputs changed since.

    ``memory=None`` picks by size (see :data:`MEMORY_COPY_MAX_BYTES`); ``True`` gives an
    in-memory copy, ``False`` the read-only on-disk store.
    """
    if not store_is_fresh(settings):
        if not rebuild:
            raise NotBuiltError("the graph is not built or is out of date", hint="run `cpkg build`")
        result = compile_graph(settings)
        write_store(result.quads, settings, fingerprint(settings))
    disk = ox.Store.read_only(str(settings.store_dir / "db"))
    if memory is None:
        memory = _store_bytes(settings.store_dir / "db") <= MEMORY_COPY_MAX_BYTES
    if not memory:
        return disk
    store = ox.Store()
    store.bulk_extend(disk.quads_for_pattern(None, None, None, None))
    return store
