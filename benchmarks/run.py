#!/usr/bin/env python3
"""The scale benchmarks: synthetic graphs of about 10k, 100k and 1M triples.

    python benchmarks/run.py [--sizes 10000,100000,1000000] [--repeat 3] [--out benchmarks/RESULTS.md]

Each stage runs in a fresh subprocess (so its peak memory is its own, read from
``ru_maxrss``) and reports the median of ``--repeat`` runs where a stage is cheap enough to
repeat. Stages: generate, read + quads, SHACL validation, store loads (rdflib in-memory,
rdflib over Oxigraph, raw pyoxigraph, the persistent default store), every named query on
rdflib's in-memory store, on the default store (graph.query on the persisted Oxigraph
store) and on raw pyoxigraph, the NetworkX projection, snapshot, HTML, and the start-up
times of the CLI on the shipped data. It prints a table and writes it, with the machine it
ran on, to benchmarks/RESULTS.md. Not part of the test run: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "data"
#: rdflib's in-memory store gets this many seconds per query; slower ones are reported as "> limit".
RDFLIB_QUERY_LIMIT = 30
sys.path.insert(0, str(ROOT))


# --------------------------------------------------------------------------- stages
# Each stage runs in a child process: `run.py --stage NAME --dir DIR [--arg X]` prints one JSON
# line {"seconds": ..., "extra": ...}; the parent adds the child's peak RSS.


def settings_for(folder: Path) -> Any:
    from graph.settings import get_settings

    return get_settings({"CPKG_DATA": str(folder / "data"), "CPKG_CORPUS": str(folder / "data" / "corpus"),
                         "CPKG_EXPORTS": str(folder / "exports")})


def stage_generate(folder: Path, arg: str) -> dict[str, Any]:
    import shutil

    from graph.synth import generate, people_for_triples

    people = people_for_triples(int(arg))
    shutil.rmtree(folder / "data", ignore_errors=True)
    t = time.perf_counter()
    summary = generate(people, 7, folder / "data")
    return {"seconds": time.perf_counter() - t, "extra": {"people": people, "facts": summary.facts, "sources": summary.sources}}


def stage_quads(folder: Path, arg: str) -> dict[str, Any]:
    from graph import gcpause
    from graph.load import build_quads, read_inputs
    from graph.model import load_model

    t = time.perf_counter()
    with gcpause.paused():  # as `cpkg build` reads (graph.build.compile_graph)
        inputs = read_inputs(settings_for(folder), load_model())
        t_read = time.perf_counter() - t
        quads = build_quads(inputs)
    return {"seconds": time.perf_counter() - t, "extra": {"read": round(t_read, 2), "triples": len(quads)}}


def stage_validate(folder: Path, arg: str) -> dict[str, Any]:
    from graph import gcpause
    from graph.load import build_quads, read_inputs
    from graph.model import load_model
    from graph.validate import shacl_validate

    quads = build_quads(read_inputs(settings_for(folder), load_model()))
    t = time.perf_counter()
    with gcpause.paused():  # as `cpkg build` validates (graph.build.compile_graph)
        report = shacl_validate(quads)
    return {"seconds": time.perf_counter() - t, "extra": {"conforms": report.conforms}}


def stage_build(folder: Path, arg: str) -> dict[str, Any]:
    """`cpkg build` as a library call: read, quads, SHACL, RDF files, persistent store."""
    from graph.build import build

    t = time.perf_counter()
    result = build(settings_for(folder))
    return {"seconds": time.perf_counter() - t, "extra": {"triples": result.counts["triples"]}}


def stage_load(folder: Path, arg: str) -> dict[str, Any]:
    """Load exports/graph.nq into one store kind: rdflib | oxrdflib | pyoxigraph | default."""
    nq = folder / "exports" / "graph.nq"
    t = time.perf_counter()
    if arg == "rdflib":
        import rdflib

        ds = rdflib.Dataset(default_union=True)
        ds.parse(nq, format="nquads")
        n = len(ds)
    elif arg == "oxrdflib":
        import rdflib

        ds = rdflib.Dataset(store="Oxigraph", default_union=True)
        ds.parse(nq, format="ox-nquads")
        n = -1
    elif arg == "pyoxigraph":
        import pyoxigraph as ox

        store = ox.Store()
        with open(nq, "rb") as fh:
            store.bulk_load(fh, format=ox.RdfFormat.N_QUADS)
        n = len(store)
    elif arg == "disk":  # the persisted on-disk store, opened read-only
        from graph.build import open_store

        store = open_store(settings_for(folder), rebuild=False, memory=False)
        n = len(store)
    else:  # the default store: the persisted graph copied into memory
        from graph.build import open_store

        store = open_store(settings_for(folder), rebuild=False, memory=True)
        n = len(store)
    return {"seconds": time.perf_counter() - t, "extra": {"quads": n}}


def pick_values(store: Any, names: Any) -> dict[str, str]:
    """Parameter values for the synthetic graph: the best-connected party and person, a source."""
    import pyoxigraph as ox

    from graph.namespaces import CPKG
    from graph.query import rows, run

    top_query = """SELECT ?cls ?id (COUNT(?c) AS ?n) WHERE { ?e a ?cls ; cpkg:entityId ?id .
                     OPTIONAL { ?c rdf:subject|rdf:object ?e } }
                   GROUP BY ?cls ?id ORDER BY DESC(?n) ?id LIMIT 1"""

    def top(kind: str) -> str:
        found = rows(run(store, top_query, {ox.Variable("cls"): ox.NamedNode(CPKG + kind)}))
        return found[0]["id"] if found else "none"

    source = rows(run(store, "SELECT ?s WHERE { ?s a cpkg:Source } ORDER BY ?s LIMIT 1"))[0]["s"]
    return {"party": top("PoliticalParty"), "person": top("Person"), "entity": top("Person"),
            "org": top("PoliticalParty"), "prison": top("Prison"), "court": top("Court"),
            "source": source.rsplit("/", 1)[-1], "date": "2015-06-01", "year": "2015"}


def query_plan(store: Any) -> list[tuple[str, str, dict[str, str]]]:
    from graph.query import library

    values = pick_values(store, None)
    plan = []
    for name, q in sorted(library().items()):
        params = {}
        for p in q.params:
            if p.optional:
                continue
            params[p.name] = values.get(p.name) or values.get(p.type) or values["person" if p.type == "entity" else "date"]
        plan.append((name, q.text, params))
    return plan


def stage_queries(folder: Path, arg: str) -> dict[str, Any]:
    """Every named query, median of `repeat` runs, on one engine: rdflib | default | pyoxigraph."""
    import pyoxigraph as ox

    from graph import namespaces as ns
    from graph.build import open_store
    from graph.query import NameIndex, bind, get, prepare, rows, run

    engine, repeat = arg.split(":")
    default = open_store(settings_for(folder), rebuild=False, memory=True)
    plan = query_plan(default)
    names = NameIndex(default)
    out: dict[str, float] = {}
    if engine == "rdflib":
        import rdflib

        ds = rdflib.Dataset(default_union=True)
        ds.parse(folder / "exports" / "graph.nq", format="nquads")
        import signal

        from graph.rdfterms import to_rdflib

        def stop(signum: int, frame: Any) -> None:
            raise TimeoutError

        signal.signal(signal.SIGALRM, stop)
        for name, text, params in plan:
            subs = bind(get(name), params, names)
            init = {str(k.value): to_rdflib(v) for k, v in subs.items()}
            times = []
            for _ in range(int(repeat)):
                t = time.perf_counter()
                signal.alarm(RDFLIB_QUERY_LIMIT)  # rdflib evaluates in Python: a signal stops it
                try:
                    list(ds.query(ns.sparql_prefixes() + text, initBindings=init))
                    times.append(time.perf_counter() - t)
                except TimeoutError:
                    times.append(float("inf"))
                    break
                finally:
                    signal.alarm(0)
            out[name] = statistics.median(times)
        return {"seconds": sum(out.values()), "extra": out}
    if engine == "pyoxigraph":  # raw: an in-memory pyoxigraph store, the query text as is
        store = ox.Store()
        with open(folder / "exports" / "graph.nq", "rb") as fh:
            store.bulk_load(fh, format=ox.RdfFormat.N_QUADS)
    for name, text, params in plan:
        # both Oxigraph engines run the text cpkg runs: canonical values in a VALUES row,
        # free text as substitutions (graph.query.prepare); rdflib gets initBindings above
        text, subs = prepare(get(name), bind(get(name), params, names))
        times = []
        for _ in range(int(repeat)):
            t = time.perf_counter()
            if engine == "pyoxigraph":
                list(store.query(text, use_default_graph_as_union=True, substitutions=subs or None,
                                 prefixes=dict(ns.PREFIXES)))
            else:
                rows(run(default, text, subs))
            times.append(time.perf_counter() - t)
        out[name] = statistics.median(times)
    return {"seconds": sum(out.values()), "extra": out}


def stage_project(folder: Path, arg: str) -> dict[str, Any]:
    """The NetworkX projection as cpkg makes it for pages, GraphML/GEXF and CSV: the claim,
    actor and source tables read from the build's graph.nq, then the network."""
    from graph.export.data import load

    t = time.perf_counter()
    g = load(settings_for(folder)).graph
    return {"seconds": time.perf_counter() - t, "extra": {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}}


def stage_snapshot(folder: Path, arg: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "graph", "snapshot", "--data", str(folder / "data"),
           "--corpus", str(folder / "data" / "corpus"), "--exports", str(folder / "exports")]
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    return {"seconds": time.perf_counter() - t, "extra": {"exit": done.returncode, "err": done.stderr[-300:]},
            "child_rss": True}


def stage_html(folder: Path, arg: str) -> dict[str, Any]:
    try:
        from graph.visualise import write_site
    except ImportError as exc:
        return {"seconds": float("nan"), "extra": {"skipped": str(exc)}}
    settings = settings_for(folder)
    t = time.perf_counter()
    written = write_site(settings, None)
    return {"seconds": time.perf_counter() - t, "extra": {"pages": len(written)}}


def stage_serve(folder: Path, arg: str) -> dict[str, Any]:
    """`cpkg serve` under load (scripts/loadtest.py: 16 clients, cheap named queries, then the
    same with one runaway query kept in flight): the time is the p99 latency of the cheap
    phase; memory is the server and its workers together, after the load."""
    cmd = [sys.executable, str(ROOT / "scripts" / "loadtest.py"), "--json", "--duration", arg or "10", "--timeout", "10",
           "--data", str(folder / "data"), "--corpus", str(folder / "data" / "corpus"),
           "--exports", str(folder / "exports")]
    done = subprocess.run(cmd, capture_output=True, text=True)
    try:
        found = json.loads(done.stdout)
    except ValueError:
        return {"seconds": float("nan"), "extra": {"error": done.stderr.strip()[-300:]}}
    cheap, loaded = found["phases"][0], found["phases"][-1]
    memory = found["memory_mb"]
    return {"seconds": cheap["p99_ms"] / 1000,
            "extra": {"req/s": cheap["req_per_s"], "p50 ms": cheap["p50_ms"], "errors": cheap["errors"],
                      "with runaway: req/s": loaded["req_per_s"], "with runaway: p99 ms": loaded["p99_ms"],
                      "with runaway: errors": loaded["errors"], "memory back": found["memory_back_to_baseline"]},
            "rss_override": max(memory.values()) if memory else None}


def stage_cli(folder: Path, arg: str) -> dict[str, Any]:
    """A command line, timed from a cold process start: `arg` is the command after `cpkg`."""
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "graph", *arg.split()], capture_output=True, text=True, cwd="/")
    return {"seconds": time.perf_counter() - t, "extra": {"exit": done.returncode}}


STAGES: dict[str, Callable[[Path, str], dict[str, Any]]] = {
    name[len("stage_"):]: fn for name, fn in globals().items() if name.startswith("stage_")
}


# --------------------------------------------------------------------------- driver


def measure(stage: str, folder: Path, arg: str = "", repeat: int = 1) -> dict[str, Any]:
    """Median seconds over `repeat` child runs; peak RSS of one child (its own process)."""
    runs = [child_rss(stage, folder, arg) for _ in range(repeat)]
    out = dict(runs[-1])
    out["seconds"] = statistics.median(r["seconds"] for r in runs)
    out["rss_mb"] = max(r["rss_mb"] for r in runs)
    return out


def child_rss(stage: str, folder: Path, arg: str) -> dict[str, Any]:
    """Run a stage in a child that reports its own peak RSS (ru_maxrss of RUSAGE_SELF)."""
    cmd = [sys.executable, __file__, "--stage", stage, "--dir", str(folder), f"--arg={arg}", "--self-rss"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return {"seconds": float("nan"), "extra": {"error": tail}, "rss_mb": 0.0}
    return json.loads(done.stdout.strip().splitlines()[-1])


def fmt(seconds: Any) -> str:
    if not isinstance(seconds, (int, float)) or seconds != seconds:
        return "n/a"
    if seconds == float("inf"):
        return f"> {RDFLIB_QUERY_LIMIT} s"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def machine() -> str:
    import pyoxigraph
    import rdflib

    cpu = ""
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{platform.node() or 'host'}: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
            f"rdflib {rdflib.__version__}, pyoxigraph {pyoxigraph.__version__}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    ap.add_argument("--skip-rdflib-above", type=int, default=2_000_000)
    ap.add_argument("--stage")
    ap.add_argument("--dir")
    ap.add_argument("--arg", default="")
    ap.add_argument("--self-rss", action="store_true")
    args = ap.parse_args()
    if args.stage:
        result = STAGES[args.stage](Path(args.dir), args.arg)
        # a stage that runs a command (snapshot) reports that command's peak, not its own
        who = resource.RUSAGE_CHILDREN if result.pop("child_rss", False) else resource.RUSAGE_SELF
        result["rss_mb"] = round(resource.getrusage(who).ru_maxrss / 1024, 1)
        override = result.pop("rss_override", None)  # measured by the stage itself (serve)
        if override is not None:
            result["rss_mb"] = round(override, 1)
        print(json.dumps(result, default=str))
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    lines = [f"# Benchmarks\n\nMachine: {machine()}.  Medians of {args.repeat} runs where repeated; "
             "memory is the peak RSS of the process that ran the stage.\n"]
    query_tables: dict[int, dict[str, dict[str, float]]] = {}
    summary_rows = []
    for size in sizes:
        folder = WORK / f"t{size}"
        folder.mkdir(parents=True, exist_ok=True)
        print(f"== {size} triples", flush=True)
        rows_: list[tuple[str, dict[str, Any]]] = []

        def step(label: str, stage: str, arg: str = "", repeat: int = 1,
                 folder: Path = folder, rows_: list[tuple[str, dict[str, Any]]] = rows_) -> dict[str, Any]:
            r = measure(stage, folder, arg, repeat)
            rows_.append((label, r))
            print(f"  {label:44} {fmt(r['seconds']):>10} {r['rss_mb']:>8.0f} MB  {r.get('extra', '')}", flush=True)
            return r

        step("generate synthetic corpus", "generate", str(size))
        big = size >= 1_000_000
        step("read + quads", "quads", repeat=1 if big else args.repeat)
        step("SHACL validation", "validate", repeat=1 if size >= 100_000 else args.repeat)
        step("cpkg build (all of it, writes files + store)", "build")
        for kind in ("rdflib", "oxrdflib", "pyoxigraph", "default", "disk"):
            if kind == "rdflib" and size > args.skip_rdflib_above:
                continue
            step(f"load: {kind}", "load", kind, repeat=1 if big else args.repeat)
        per_engine = {}
        for engine in ("rdflib", "default", "pyoxigraph"):
            if engine == "rdflib" and size > args.skip_rdflib_above:
                continue
            r = step(f"all named queries: {engine}", "queries", f"{engine}:{1 if engine == 'rdflib' and big else args.repeat}")
            per_engine[engine] = r.get("extra", {})
        query_tables[size] = per_engine
        step("NetworkX projection", "project", repeat=args.repeat)
        step("cpkg snapshot", "snapshot")
        step("HTML pages", "html")
        step("endpoint under load: p99 of cheap queries", "serve", "10")
        lines.append(f"\n## {size:,} triples\n\n| stage | median | peak memory | notes |\n|---|---|---|---|")
        for label, r in rows_:
            extra = r.get("extra", "")
            extra = "" if isinstance(extra, dict) and len(extra) > 7 else extra
            lines.append(f"| {label} | {fmt(r['seconds'])} | {r['rss_mb']:.0f} MB | {json.dumps(extra) if extra else ''} |")
        summary_rows.append((size, rows_))

    if len(summary_rows) >= 2:
        (small, small_rows), (large, large_rows) = summary_rows[-2], summary_rows[-1]
        small_triples = next((r["extra"]["triples"] for label, r in small_rows if label == "read + quads"), small)
        large_triples = next((r["extra"]["triples"] for label, r in large_rows if label == "read + quads"), large)
        factor = large_triples / small_triples
        lines.append(f"\n## Growth from {small:,} to {large:,} triples (x{factor:.1f} triples)\n\n"
                     "| stage | time ratio | memory ratio | per-triple time ratio |\n|---|---|---|---|")
        small_by = dict(small_rows)
        for label, r in large_rows:
            s = small_by.get(label)
            if not s or not isinstance(s["seconds"], float) or not s["seconds"] or s["seconds"] != s["seconds"]:
                continue
            tr = r["seconds"] / s["seconds"]
            mr = r["rss_mb"] / s["rss_mb"] if s["rss_mb"] else float("nan")
            lines.append(f"| {label} | {tr:.1f} | {mr:.1f} | {tr / factor:.2f} |")
    lines.append("\n## Named queries side by side (median per query)\n")
    for size, engines in query_tables.items():
        names = sorted(next(iter(engines.values()), {}))
        lines.append(f"\n### {size:,} triples\n\n| query | rdflib in-memory | default store | raw pyoxigraph | "
                     "speed-up vs rdflib | default / raw |\n|---|---|---|---|---|---|")
        for name in names:
            def num(engine: str, engines: dict[str, Any] = engines, name: str = name) -> float:
                value = engines.get(engine, {}).get(name, float("nan"))
                return value if isinstance(value, (int, float)) else float("nan")

            r, d, p = num("rdflib"), num("default"), num("pyoxigraph")
            lines.append(f"| {name} | {fmt(r)} | {fmt(d)} | {fmt(p)} | "
                         f"{(r / d if d else float('nan')):.0f}x | {(d / p if p else float('nan')):.2f} |")
    # start-up figures on the shipped data (not synthetic)
    shipped = WORK / "shipped"
    shipped.mkdir(parents=True, exist_ok=True)
    env_args = f"--exports {shipped / 'exports'}"
    lines.append("\n## The shipped data, from a cold start\n\n| command | median |\n|---|---|")
    for label, cmd in [("cpkg --help", "--help"),
                       ("cpkg build (validate + write)", f"build {env_args}"),
                       ("cpkg validate", "validate"),
                       ("cpkg query lineage -p party=kwp", f"query lineage -p party=kwp {env_args}")]:
        times = [child_rss("cli", shipped, cmd)["seconds"] for _ in range(args.repeat)]
        lines.append(f"| `{label}` | {fmt(statistics.median(times))} |")
        print(f"  {label:44} {fmt(statistics.median(times)):>10}", flush=True)
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
