#!/usr/bin/env python3
"""HTML pages at scale: our pages against plain pyvis, on a synthetic graph of ~10,000 actors.

    python benchmarks/bench_html.py [--people 9000] [--repeat 3] [--pyvis-sizes 500,1000,2000] [--pyvis-full]

1. The graph: ``graph.synth.generate`` (people=9000 gives ~10,000 actors and ~47,000
   relations), read and projected as `cpkg build` does for its pages
   (:func:`graph.export.data.from_quads`; SHACL validation skipped: it is not what is measured).  The projection
   and the sources are cached in benchmarks/data/ (not tracked).
2. Writing: ``site_data`` (records and periods), then network.html (layout included) and
   the whole site; median of ``--repeat`` runs.  Target: network.html in under 5 s.
3. Interactive: network.html opened from disk in Debian's headless chromium with the
   network blocked; the time from navigation to the page's first drawing with its handlers
   bound (``data-ready-ms``, read from ``performance.now()``), then the time a click on an
   actor takes to fill the side panel; median of ``--repeat`` runs.  Target: under 3 s.
4. Plain pyvis for comparison: ``Network.from_nx`` + ``write_html`` at the sizes of
   ``--pyvis-sizes`` (sub-graphs of the same graph), a quadratic fit extrapolated to the
   full size (``--pyvis-full`` runs it at full size once: about two minutes), and its
   page in the same browser: whether it settles (vis-network's stabilisation ends) within
   ``--settle-timeout`` seconds.

Not a test: nothing here asserts a time.  Prints a table.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-extensions",
        "--disable-dev-shm-usage", "--no-first-run"]
sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def median_of(repeat: int, fn: Callable[[], Any]) -> tuple[str, Any]:
    """Median wall time and median CPU time of this process (the second does not grow when
    other processes share the machine; both are printed)."""
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        c = time.process_time()
        w, out = timed(fn)
        walls.append(w)
        cpus.append(time.process_time() - c)
    return f"{statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU", out


def synthetic_graph(people: int, seed: int = 1) -> tuple[Any, list[dict[str, Any]]]:
    """The projected synthetic graph and its sources, generated once and cached."""
    cache = DATA / f"html-graph-{people}-{seed}.pickle"
    if cache.exists():
        with open(cache, "rb") as fh:
            return pickle.load(fh)  # noqa: S301 - our own cache file
    from graph.export.data import from_quads, sorted_quads
    from graph.load import build_quads, read_inputs
    from graph.model import load_model
    from graph.settings import get_settings
    from graph.synth import generate

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "synth"
        print(f"generating a synthetic corpus of {people} people...", flush=True)
        generate(people, seed, folder)
        settings = get_settings({"CPKG_DATA": str(folder), "CPKG_CORPUS": str(folder / "corpus"),
                                 "CPKG_EXPORTS": str(Path(tmp) / "exports")})
        quads = build_quads(read_inputs(settings, load_model()))
        data = from_quads(sorted_quads(quads))  # what `cpkg build` makes the pages from
        g, sources = data.graph, data.sources
    DATA.mkdir(parents=True, exist_ok=True)
    with open(cache, "wb") as fh:
        pickle.dump((g, sources), fh)
    return g, sources


def launch() -> Any:
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    return pw, pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def blocked_page(browser: Any) -> tuple[Any, Any, list[str]]:
    ctx = browser.new_context(viewport={"width": 1500, "height": 900})
    asked: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            asked.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    return ctx, ctx.new_page(), asked


def our_page_interactive(browser: Any, path: Path, click_id: str) -> dict[str, Any]:
    ctx, page, asked = blocked_page(browser)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    cdp = ctx.new_cdp_session(page)
    cdp.send("Performance.enable")
    t = time.perf_counter()
    page.goto(path.as_uri(), timeout=120_000)
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'", timeout=120_000)
    wall = time.perf_counter() - t
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    busy = metrics.get("TaskDuration", float("nan"))  # the page's main thread busy, seconds
    ready_ms = int(page.evaluate("() => document.documentElement.dataset.readyMs"))
    page.wait_for_function("() => document.documentElement.dataset.linesDone === '1'", timeout=120_000)
    lines_ms = page.evaluate("() => performance.now()")
    pos = page.evaluate("id => window.cpkgPage.screenPosition(id)", click_id)
    box = page.locator("#graph").bounding_box()
    t = time.perf_counter()
    if pos and 0 <= pos["x"] <= box["width"] and 0 <= pos["y"] <= box["height"]:
        page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    else:  # not on screen at the fitted zoom: pick it through the search box instead
        page.fill("#search", page.evaluate(
            "id => JSON.parse(document.getElementById('cpkg-data').textContent).actors.find(a => a.id === id).label",
            click_id))
        page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#panel h2') !== null", timeout=60_000)
    click = time.perf_counter() - t
    t = time.perf_counter()
    page.fill("#asof", "4000")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('as it stood')", timeout=60_000)
    slider = time.perf_counter() - t
    ctx.close()
    return {"ready_ms": ready_ms, "busy": busy, "lines_ms": lines_ms, "wall": wall, "click": click, "slider": slider,
            "requests": asked, "errors": errors}


def pyvis_write(sub: Any, path: Path) -> float:
    import networkx as nx
    from pyvis.network import Network

    plain = nx.Graph()
    for n, a in sub.nodes(data=True):
        plain.add_node(n, label=str(a.get("label", n)), title=str(a.get("type", "")))
    for u, v in sub.edges():
        plain.add_edge(u, v)

    def go() -> None:
        net = Network(cdn_resources="in_line")  # pyvis's defaults otherwise (undirected)
        net.from_nx(plain)
        net.write_html(str(path))

    return timed(go)[0]


def pyvis_settles(browser: Any, path: Path, timeout: float) -> dict[str, Any]:
    ctx, page, asked = blocked_page(browser)
    t = time.perf_counter()
    page.goto(path.as_uri(), timeout=int(timeout * 1000) + 60_000, wait_until="load")
    loaded = time.perf_counter() - t
    settled = None
    try:
        page.wait_for_function(
            "() => typeof network !== 'undefined' && network.physics && network.physics.stabilized === true",
            timeout=int(timeout * 1000), polling=500)
        settled = time.perf_counter() - t
    except Exception:  # noqa: BLE001 - a timeout is the finding
        settled = None
    ctx.close()
    return {"loaded": loaded, "settled": settled, "requests": asked}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=9000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pyvis-sizes", default="500,1000,2000")
    ap.add_argument("--pyvis-full", action="store_true", help="also run plain pyvis at full size (slow)")
    ap.add_argument("--settle-timeout", type=float, default=60.0)
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()

    import os

    from graph.visualise import site_pages
    from graph.visualise.data import site_data
    from graph.visualise.pages import network_page

    load_before = os.getloadavg()[0]
    g, sources = synthetic_graph(args.people)
    n, m = g.number_of_nodes(), g.number_of_edges()
    print(f"graph: {n} actors, {m} relations, {len(sources)} sources")
    results: list[tuple[str, str]] = []

    t_data, site = median_of(args.repeat, lambda: site_data(g, sources))
    results.append(("page records (site_data, periods included)", t_data))
    out = Path(tempfile.mkdtemp(prefix="bench-html-"))

    def write_network() -> int:
        text = network_page(site_data(g, sources))
        (out / "network.html").write_text(text, encoding="utf-8")
        return len(text.encode("utf-8"))

    t_net, size = median_of(args.repeat, write_network)
    results.append(("network.html written (records + layout + page), target < 5 s", f"{t_net}, {size / 1e6:.1f} MB"))

    def write_all() -> int:
        pages = site_pages(site_data(g, sources))
        for name, text in pages.items():
            (out / name).write_text(text, encoding="utf-8")
        return sum(len(t.encode("utf-8")) for t in pages.values())

    t_site, total = median_of(1, write_all)
    results.append(("whole site (5 pages) written", f"{t_site}, {total / 1e6:.1f} MB"))

    sizes = [int(x) for x in args.pyvis_sizes.split(",") if x]
    # sub-graphs as dense as the whole: actors in breadth-first order from the biggest hub
    import networkx as nx

    hub = max(g.degree(), key=lambda x: (x[1], x[0]))[0]
    order = list(nx.bfs_tree(g.to_undirected(as_view=True), hub))
    order += sorted(set(g) - set(order))
    pyvis_times: dict[int, float] = {}
    for k in sizes:
        sub = g.subgraph(order[:k])
        pyvis_times[k] = pyvis_write(sub, out / f"pyvis-{k}.html")
        results.append((f"plain pyvis from_nx + write_html, {k} actors ({sub.number_of_edges()} relations)",
                        f"{pyvis_times[k]:.2f} s"))
    if pyvis_times:
        big = max(pyvis_times)
        results.append((f"plain pyvis at {n} actors, extrapolated (quadratic from {big})",
                        f"~{pyvis_times[big] * (n / big) ** 2:.0f} s"))
    if args.pyvis_full:
        t_full = pyvis_write(g, out / "pyvis-full.html")
        results.append((f"plain pyvis at {n} actors, measured", f"{t_full:.1f} s"))

    if not args.no_browser and Path(CHROMIUM).exists():
        pw, browser = launch()
        try:
            runs = [our_page_interactive(browser, out / "network.html", hub) for _ in range(args.repeat)]
            ready = statistics.median(r["ready_ms"] for r in runs) / 1000
            busy = statistics.median(r["busy"] for r in runs)
            lines = statistics.median(r["lines_ms"] for r in runs) / 1000
            wall = statistics.median(r["wall"] for r in runs)
            click = statistics.median(r["click"] for r in runs)
            slide = statistics.median(r["slider"] for r in runs)
            results.append(("network.html interactive in chromium (actors drawn, handlers bound), target < 3 s",
                            f"{ready:.2f} s from navigation (main thread busy {busy:.2f} s; "
                            f"Playwright goto to ready {wall:.2f} s)"))
            results.append(("  every line drawn too", f"{lines:.2f} s from navigation"))
            results.append(("  click on the biggest hub -> its facts in the side panel", f"{click:.2f} s"))
            results.append(("  time slider moved -> graph redrawn as of that date", f"{slide:.2f} s"))
            results.append(("  requests that tried to leave file://, console errors",
                            f"{sum(len(r['requests']) for r in runs)}, {sum(len(r['errors']) for r in runs)}"))
            for k in sizes:
                s = pyvis_settles(browser, out / f"pyvis-{k}.html", args.settle_timeout)
                settled = f"settled after {s['settled']:.1f} s" if s["settled"] else \
                    f"not settled after {args.settle_timeout:.0f} s"
                results.append((f"plain pyvis page, {k} actors, in chromium",
                                f"load event {s['loaded']:.1f} s, {settled}, {len(s['requests'])} CDN requests blocked"))
        finally:
            browser.close()
            pw.stop()

    results.append(("load average (1 min) at start / end, on a machine of 2 cores",
                    f"{load_before:.1f} / {os.getloadavg()[0]:.1f}"))
    width = max(len(k) for k, _ in results)
    for k, v in results:
        print(f"{k:<{width}}  {v}")
    print(f"pages in {out}")


if __name__ == "__main__":
    main()
