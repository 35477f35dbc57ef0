"""Every export format of the graph, in one table.

=========  ==========================  =======================================================
format     default output (exports/)   what it is for
=========  ==========================  =======================================================
turtle     graph.ttl                   one RDF graph (union of the sources' named graphs)
ntriples   graph.nt                    the same, one sorted line per triple
nquads     graph.nq                    the dataset, canonical and sorted (hashes, diffs)
trig       graph.trig                  the dataset, one named graph per source
jsonld     graph.jsonld                the dataset as JSON-LD with the shipped @context
graphml    graph.graphml               Cytoscape, yEd, networkx, igraph
gexf       graph.gexf                  Gephi, with a timeline (start/end on nodes and edges)
nodelink   graph.nodelink.json         networkx / D3 node-link JSON
csv        csv/                        nodes.csv, edges.csv, node_facts.csv for spreadsheets
neo4j      neo4j/                      neo4j-admin import CSVs plus load.cypher (LOAD CSV)
=========  ==========================  =======================================================

With ``--as-of D`` the default names get ``-asof-D`` (``graph-asof-2017-01-01.ttl``,
``csv-asof-2017-01-01/``) so that the build's own ``graph.nq`` is never overwritten by a cut.
Every file is written atomically (:mod:`graph.atomic`); a folder format appears whole.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .data import ExportData, from_quads, load

__all__ = ["FORMATS", "Format", "ExportData", "load", "from_quads", "render", "export", "write_files",
           "default_name", "export_lock", "sweep_temporaries", "public_dir", "check_target"]


@dataclass(frozen=True)
class Format:
    name: str
    filename: str           # file name, or folder name for folder formats
    folder: bool
    family: str             # rdf | graph | table
    render: Callable[..., dict[str, bytes]]
    description: str


def _rdf(fn_name: str, filename: str) -> Callable[..., dict[str, bytes]]:
    def render(data: ExportData, **_: object) -> dict[str, bytes]:
        from . import rdf

        if fn_name == "nquads":
            return {filename: data.nquads()}
        if fn_name == "ntriples":
            return {filename: data.ntriples()}
        if fn_name == "turtle":
            return {filename: rdf.turtle_from_ntriples(data.ntriples())}
        if fn_name == "trig":
            return {filename: rdf.trig_from_nquads(data.graph_sorted_nquads())}
        return {filename: getattr(rdf, fn_name)(data.quads)}

    return render


def _jsonld(data: ExportData, *, embed_context: bool = True, **_: object) -> dict[str, bytes]:
    from . import rdf

    files = {"graph.jsonld": rdf.jsonld(data.quads, embed_context=embed_context)}
    if not embed_context:
        files[rdf.CONTEXT_FILE] = rdf.context_bytes()
    return files


def _graphml(data: ExportData, **_: object) -> dict[str, bytes]:
    from . import graphs

    return {"graph.graphml": graphs.graphml(data.graph)}


def _gexf(data: ExportData, **_: object) -> dict[str, bytes]:
    from . import graphs

    return {"graph.gexf": graphs.gexf(data.graph, date=data.date)}


def _nodelink(data: ExportData, **_: object) -> dict[str, bytes]:
    from . import graphs

    return {"graph.nodelink.json": graphs.nodelink(data.graph)}


def _csv(data: ExportData, **_: object) -> dict[str, bytes]:
    from . import tables

    return tables.spreadsheet(data.graph)


def _neo4j(data: ExportData, **_: object) -> dict[str, bytes]:
    from . import tables

    return tables.neo4j(data.graph)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("turtle", "graph.ttl", False, "rdf", _rdf("turtle", "graph.ttl"), "Turtle, the union of all sources"),
    Format("ntriples", "graph.nt", False, "rdf", _rdf("ntriples", "graph.nt"), "N-Triples, sorted"),
    Format("nquads", "graph.nq", False, "rdf", _rdf("nquads", "graph.nq"), "N-Quads, canonical (one graph per source)"),
    Format("trig", "graph.trig", False, "rdf", _rdf("trig", "graph.trig"), "TriG, one named graph per source"),
    Format("jsonld", "graph.jsonld", False, "rdf", _jsonld, "JSON-LD with the shipped @context"),
    Format("graphml", "graph.graphml", False, "graph", _graphml, "GraphML for Cytoscape and yEd"),
    Format("gexf", "graph.gexf", False, "graph", _gexf, "GEXF for Gephi, with a timeline"),
    Format("nodelink", "graph.nodelink.json", False, "graph", _nodelink, "networkx node-link JSON"),
    Format("csv", "csv", True, "table", _csv, "nodes.csv, edges.csv, node_facts.csv"),
    Format("neo4j", "neo4j", True, "table", _neo4j, "neo4j-admin import CSVs and a LOAD CSV script"),
)}


def default_name(fmt: Format, as_of: dt.date | None) -> str:
    if as_of is None:
        return fmt.filename
    tag = f"-asof-{as_of.isoformat()}"
    if fmt.folder:
        return fmt.filename + tag
    stem, dot, ext = fmt.filename.partition(".")
    return f"{stem}{tag}{dot}{ext}"


def render(data: ExportData, fmt: str, **options: object) -> dict[str, bytes]:
    """The files of one format as ``{relative name: bytes}``."""
    return FORMATS[fmt].render(data, **options)


@contextlib.contextmanager
def export_lock(folder: Path) -> Iterator[None]:
    """One exporter at a time per folder; leftovers of a killed run are swept while it is held."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)  # a lock on the folder itself: no lock file left
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def sweep_temporaries(folder: Path, names: list[str] | None) -> list[Path]:
    """Remove temporary files and folders that a killed run (kill -9, power loss) left for
    ``names`` (every name if ``None``) in ``folder``: :mod:`graph.atomic` names them
    ``.<name>.<random>.tmp`` and ``.<name>.old-<pid>``.  Call only while holding
    :func:`export_lock`, so that no live writer owns them."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for entry in sorted(folder.iterdir()):
        for name in names if names is not None else [""]:
            prefix = f".{name}." if name else "."
            if entry.name.startswith(prefix) and (entry.name.endswith(".tmp") or ".old-" in entry.name):
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    with contextlib.suppress(FileNotFoundError):
                        entry.unlink()
                removed.append(entry)
                break
    return removed


def public_dir(path: Path) -> None:
    """Give a folder made by ``mkdtemp`` (mode 0700) the usual permissions (0777 minus umask)."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o777 & ~mask)


def write_files(files: dict[str, bytes], target: Path, *, folder: bool) -> list[Path]:
    """Write one format's files atomically: a file by rename, a folder whole."""
    from .. import atomic

    if folder:
        with atomic.atomic_dir(target) as tmp:
            for name in sorted(files):
                path = tmp / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(files[name])
            public_dir(tmp)
        return [target / name for name in sorted(files)]
    written = []
    main, *extra = list(files)
    for name in [*extra, main]:  # companions (a JSON-LD context) first, the export itself last
        path = target if name == main else target.parent / name
        atomic.write_bytes(path, files[name])
        written.append(path)
    return written


def check_target(target: Path, spec: Format, names: list[str]) -> Path:
    """Where a format may be written: a folder format replaces only a folder that holds
    nothing but its own files (``--out ~/Documents`` must not delete a folder of documents);
    a file format given an existing folder writes its default name inside it."""
    from ..errors import InputError

    if spec.folder:
        if target.is_symlink() or target.is_file():
            raise InputError(f"{spec.name} writes a folder, and this is a file", path=target)
        if target.is_dir():
            foreign = sorted(p.name for p in target.iterdir() if p.name not in names)
            if foreign:
                raise InputError(f"refusing to replace this folder: it holds files that are not a {spec.name} export "
                                 f"({', '.join(foreign[:3])}{'...' if len(foreign) > 3 else ''})", path=target,
                                 hint="give --out a new or empty folder")
        return target
    if target.is_dir():
        return target / spec.filename
    return target


def export(data: ExportData, fmt: str, out: Path, **options: object) -> list[Path]:
    """Render ``fmt`` and write it at ``out`` (a file, or a folder for csv/neo4j)."""
    spec = FORMATS[fmt]
    files = render(data, fmt, **options)
    out = check_target(Path(os.path.abspath(out)), spec, sorted(files))
    with export_lock(out.parent):
        sweep_temporaries(out.parent, [out.name, *(n for n in files if n != spec.filename and not spec.folder)])
        return write_files(files, out, folder=spec.folder)
