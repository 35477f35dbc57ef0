#!/usr/bin/env python3
"""Time and peak memory of `cpkg snapshot` on synthetic graphs (~100k and ~1M triples).

    python benchmarks/bench_snapshot.py [--triples 100000,1000000] [--work DIR] [--tracemalloc]

For each size: a synthetic corpus from :func:`graph.synth.generate` (seed 7), then what
``cpkg build`` writes (graph.nq, build.json, the store) without the SHACL gate
(``compile_graph(validate=False)``: SHACL is the build's cost, not the snapshot's), then

1. ``cpkg snapshot`` as a user runs it, in a fresh process: wall time and peak RSS
   (``ru_maxrss`` of the child);
2. the same snapshot in an instrumented child that reports each step: reading the quads from
   the store and the claim/actor tables, the network projection, every format, the manifest
   (``--tracemalloc`` adds the Python-heap peak, and slows the run).

A second snapshot of the same data is compared byte for byte with the first (the folder
name, and so the N-Quads hash, must not change).  Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def settings_for(folder: Path) -> Any:
    from graph.settings import get_settings

    return get_settings({"CPKG_DATA": str(folder / "data"), "CPKG_CORPUS": str(folder / "data" / "corpus"),
                         "CPKG_EXPORTS": str(folder / "exports")})


# ------------------------------------------------------------------ child steps (one process each)

def child_prepare(folder: Path, triples: int) -> dict[str, Any]:
    """Generate the corpus (unless already there), then write what `cpkg build` writes
    (graph.nq/.trig/.ttl, build.json, the store) without the SHACL gate."""
    import hashlib

    from graph import atomic
    from graph.build import compile_graph, fingerprint, nquads_bytes, write_rdf, write_store
    from graph.synth import generate, people_for_triples

    out: dict[str, Any] = {}
    manifest = folder / "data" / "synth-manifest.json"
    people = people_for_triples(triples)
    if not manifest.exists() or json.loads(manifest.read_text()).get("people") != people:
        t = time.perf_counter()
        summary = generate(people, 7, folder / "data", force=True)
        out["generate_s"] = round(time.perf_counter() - t, 2)
        out["facts"] = summary.facts
    settings = settings_for(folder)
    t = time.perf_counter()
    result = compile_graph(settings, validate=False)
    out["compile_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    write_rdf(result.quads, settings.exports_dir)
    meta = dict(result.counts, fingerprint=fingerprint(settings),
                nquads_sha256=hashlib.sha256(nquads_bytes(result.quads)).hexdigest())
    atomic.write_text(settings.exports_dir / "build.json", json.dumps(meta, indent=2, sort_keys=True) + "\n")
    out["rdf_files_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    write_store(result.quads, settings, fingerprint(settings))
    out["store_s"] = round(time.perf_counter() - t, 2)
    out["quads"] = len(result.quads)
    out["people"] = people
    return out


def child_instrumented(folder: Path, use_tracemalloc: bool) -> dict[str, Any]:
    """One snapshot with a timer around each step."""
    import tracemalloc

    import graph.export as ex
    from graph import snapshot as snap

    if use_tracemalloc:
        tracemalloc.start()
    steps: dict[str, float] = {}
    sizes: dict[str, int] = {}
    real_load, real_render = ex.load, ex.render

    def load(settings: Any, as_of: Any = None) -> Any:
        t = time.perf_counter()
        data = real_load(settings, as_of)
        steps["read quads + tables"] = time.perf_counter() - t
        t = time.perf_counter()
        _ = data.graph  # the network projection, computed once for every network and table format
        steps["network projection"] = time.perf_counter() - t
        return data

    rss: dict[str, int] = {}

    def current_rss_mb() -> int:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20

    def render(data: Any, fmt: str, **options: Any) -> dict[str, bytes]:
        rss.setdefault("after reading", current_rss_mb())
        t = time.perf_counter()
        files = real_render(data, fmt, **options)
        steps[fmt] = time.perf_counter() - t
        sizes[fmt] = sum(len(b) for b in files.values())
        rss[fmt] = current_rss_mb()
        return files

    ex.load, ex.render = load, render  # type: ignore[assignment]
    t0 = time.perf_counter()
    result = snap.snapshot(settings_for(folder))
    total = time.perf_counter() - t0
    out: dict[str, Any] = {
        "total_s": round(total, 2), "name": result.name,
        "steps_s": {k: round(v, 2) for k, v in steps.items()},
        "sizes_mb": {k: round(v / 1e6, 1) for k, v in sizes.items()},
        "counts": result.manifest["counts"],
        "maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rss_after_mb": rss,
    }
    out["steps_s"]["nquads + files + manifest (rest)"] = round(total - sum(steps.values()), 2)
    if use_tracemalloc:
        out["python_heap_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1e6)
    return out


# ------------------------------------------------------------------ parent

def _child(step: str, folder: Path, *extra: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", step, "--dir", str(folder), *extra]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{step} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cli_snapshot(folder: Path) -> dict[str, Any]:
    """`cpkg snapshot` in a fresh process: wall time and the child's peak RSS."""
    cmd = [sys.executable, "-m", "graph", "snapshot", "--data", str(folder / "data"),
           "--corpus", str(folder / "data" / "corpus"), "--exports", str(folder / "exports")]
    pid = os.fork()
    if pid == 0:  # a child of our own, so that RUSAGE_CHILDREN counts this run only
        t = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - t
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        with open(folder / "cli.json", "w") as fh:
            json.dump({"seconds": round(seconds, 2), "maxrss_mb": round(rss), "exit": done.returncode,
                       "out": done.stdout.strip().splitlines()[:1], "err": done.stderr[-500:]}, fh)
        os._exit(0)
    os.waitpid(pid, 0)
    return json.loads((folder / "cli.json").read_text())


def folder_digest(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--triples", default="100000,1000000", help="comma-separated sizes (default: 100000,1000000)")
    ap.add_argument("--work", type=Path, default=None, help="folder for the corpora (default: a temporary folder)")
    ap.add_argument("--tracemalloc", action="store_true", help="also report the Python-heap peak (slower)")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--dir", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "prepare":
        print(json.dumps(child_prepare(args.dir, args.size)))
        return
    if args.child == "instrumented":
        print(json.dumps(child_instrumented(args.dir, args.tracemalloc)))
        return

    work = args.work or Path(tempfile.mkdtemp(prefix="cpkg-bench-snapshot-"))
    print(f"# cpkg snapshot benchmark ({platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}); work folder {work}")
    for size in (int(s) for s in args.triples.split(",")):
        folder = work / f"t{size}"
        folder.mkdir(parents=True, exist_ok=True)
        prep = _child("prepare", folder, "--size", str(size))
        print(f"\n## ~{size:,} triples: {prep['quads']:,} quads, {prep['people']:,} people")
        print(f"prepare: {json.dumps(prep)}")
        import shutil

        shutil.rmtree(folder / "exports" / "snapshots", ignore_errors=True)
        cli = cli_snapshot(folder)
        print(f"cpkg snapshot: {cli['seconds']} s, peak RSS {cli['maxrss_mb']} MB, exit {cli['exit']} {cli['out']}")
        if cli["exit"] != 0:
            print(cli["err"])
            continue
        snaps = folder / "exports" / "snapshots"
        (first,) = [p for p in snaps.iterdir() if not p.name.startswith(".")]
        before = folder_digest(first)
        shutil.rmtree(first)
        extra = ["--tracemalloc"] if args.tracemalloc else []
        inst = _child("instrumented", folder, *extra)
        again = folder_digest(snaps / inst["name"])
        same = inst["name"] == first.name and again == before
        print(f"instrumented run: {inst['total_s']} s, peak RSS {inst['maxrss_mb']} MB"
              + (f", Python heap peak {inst['python_heap_peak_mb']} MB" if "python_heap_peak_mb" in inst else "")
              + f"; byte-identical to the CLI run: {same}")
        print("| step | seconds | output MB | RSS after, MB |\n|---|---:|---:|---:|")
        for step, sec in inst["steps_s"].items():
            after = inst["rss_after_mb"].get(step, inst["rss_after_mb"].get("after reading", "")
                                             if step == "network projection" else "")
            print(f"| {step} | {sec} | {inst['sizes_mb'].get(step, '')} | {after} |")
        c = inst["counts"]
        print(f"counts: {c['quads']:,} quads, {c['facts']:,} facts, {c['entities']:,} entities, "
              f"{c['network']['nodes']:,} nodes, {c['network']['edges']:,} edges")


if __name__ == "__main__":
    main()
