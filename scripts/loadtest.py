#!/usr/bin/env python3
"""A bounded, loopback-only load test of ``cpkg serve``.

Two phases of ``--duration`` seconds each: ``--clients`` concurrent clients (keep-alive
connections) send cheap named queries (the examples the server offers at /queries.json, their
parameters bound) as fast as answers come back; in the second phase one runaway query (a cross
product over the whole graph) is kept in flight all the time, re-sent as soon as the deadline
stops it. Prints, per phase: requests per second, p50/p90/p99/max latency, and errors (any
answer but 200 to a cheap query, or a failed connection).

    python scripts/loadtest.py                      # starts its own `cpkg serve` on a free port
    python scripts/loadtest.py --url http://127.0.0.1:8000 --clients 16 --duration 30

Only 127.0.0.1 / localhost / ::1 are accepted; at most 64 clients and 300 s per phase.
Exit status 0 when both phases had no errors and p99 under --target-ms, else 1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

#: Named queries that answer in a few milliseconds on the project's graph (lineage, entity,
#: neighbours, claims and the like take tens of milliseconds: not "cheap").
CHEAP = ["alliances", "convictions", "detained", "elections", "leaders", "meetings", "members-on-date",
         "statements", "legal-case", "descendants", "sources-for", "stats", "sources", "actors"]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    runaway_answers: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1

    def report(self) -> dict[str, object]:
        lat = sorted(self.latencies)

        def pct(p: float) -> float:
            return lat[min(len(lat) - 1, max(0, int(round(p * len(lat))) - 1))] * 1000 if lat else float("nan")

        return {
            "phase": self.name, "requests": len(lat), "seconds": round(self.seconds, 1),
            "req_per_s": round(len(lat) / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(pct(0.50), 1), "p90_ms": round(pct(0.90), 1), "p99_ms": round(pct(0.99), 1),
            "max_ms": round(lat[-1] * 1000, 1) if lat else None,
            "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None,
            "errors": sum(self.errors.values()), "error_kinds": dict(self.errors),
            "runaway_answers": dict(self.runaway_answers),
        }


def post(conn: http.client.HTTPConnection, query: str) -> tuple[int, bytes]:
    conn.request("POST", "/sparql", body=query.encode("utf-8"),
                 headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    resp = conn.getresponse()
    return resp.status, resp.read()


def client(host: str, port: int, queries: list[str], phase: Phase, stop: float, offset: int) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    i = offset
    while time.monotonic() < stop:
        query = queries[i % len(queries)]
        i += 1
        started = time.perf_counter()
        try:
            status, _ = post(conn, query)
        except (OSError, http.client.HTTPException) as exc:
            phase.error(type(exc).__name__)
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=60)
            continue
        took = time.perf_counter() - started
        with phase.lock:
            phase.latencies.append(took)
        if status != 200:
            phase.error(f"HTTP {status}")
    conn.close()


def runaway(host: str, port: int, phase: Phase, stop: float) -> None:
    while time.monotonic() < stop:
        conn = http.client.HTTPConnection(host, port, timeout=600)
        try:
            status, _ = post(conn, RUNAWAY)
        except (OSError, http.client.HTTPException):
            status = -1
        finally:
            conn.close()
        with phase.lock:
            phase.runaway_answers[status] = phase.runaway_answers.get(status, 0) + 1


def run_phase(name: str, host: str, port: int, queries: list[str], clients: int, duration: float,
              with_runaway: bool) -> Phase:
    phase = Phase(name)
    stop = time.monotonic() + duration
    threads = [threading.Thread(target=client, args=(host, port, queries, phase, stop, k * 7), daemon=True)
               for k in range(clients)]
    if with_runaway:
        slow = threading.Thread(target=runaway, args=(host, port, phase, stop), daemon=True)
        slow.start()
        time.sleep(1.0)  # the runaway is in flight (and past the slow-down threshold) before the clients start
        stop = time.monotonic() + duration
        threads = [threading.Thread(target=client, args=(host, port, queries, phase, stop, k * 7), daemon=True)
                   for k in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    phase.seconds = time.monotonic() - started
    return phase


def rss_tree_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (server + query workers), in MB."""
    total, todo, seen = 0, [pid], set()
    while todo:
        cur = todo.pop()
        if cur in seen:
            continue
        seen.add(cur)
        try:
            with open(f"/proc/{cur}/status", encoding="ascii") as fh:
                total += next(int(ln.split()[1]) for ln in fh if ln.startswith("VmRSS:"))
            for task in os.listdir(f"/proc/{cur}/task"):
                with open(f"/proc/{cur}/task/{task}/children", encoding="ascii") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return round(total / 1024, 1)


def start_server(args: argparse.Namespace) -> tuple[subprocess.Popen[bytes], str]:
    cmd = [sys.executable, "-m", "graph", "serve", "--port", "0", "--quiet", "--workers", str(args.workers),
           "--timeout", str(args.timeout)]
    for option in ("data", "corpus", "exports"):
        value = getattr(args, option)
        if value:
            cmd += [f"--{option}", value]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stderr.readline().decode("utf-8", "replace")
        if not line:
            break
        m = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
        if m:
            threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep draining
            return proc, m.group(1)
    proc.kill()
    raise SystemExit("could not start `cpkg serve`")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="a running server (loopback only); default: start one")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--duration", type=float, default=30.0, help="seconds per phase")
    ap.add_argument("--workers", type=int, default=3, help="workers of the server this script starts")
    ap.add_argument("--timeout", type=float, default=30.0, help="query deadline of the server this script starts")
    ap.add_argument("--target-ms", type=float, default=100.0, help="p99 target for the exit status")
    ap.add_argument("--phases", choices=["both", "cheap", "runaway"], default="both")
    ap.add_argument("--data")
    ap.add_argument("--corpus")
    ap.add_argument("--exports")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    if not 1 <= args.clients <= 64 or not 1 <= args.duration <= 300:
        ap.error("--clients must be 1..64 and --duration 1..300 s")
    proc = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        proc, base = start_server(args)
    parts = urllib.parse.urlsplit(base)
    if parts.hostname not in LOOPBACK or parts.scheme != "http":
        ap.error("only http://127.0.0.1, http://localhost or http://[::1] are load-tested")
    host, port = parts.hostname, parts.port or 80
    try:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        conn.request("GET", "/queries.json")
        examples = json.loads(conn.getresponse().read())
        conn.close()
        queries = [x["query"] for x in examples if x["name"] in CHEAP and not x.get("note")]
        if not queries:
            raise SystemExit("the server offers none of the cheap named queries")
        memory: dict[str, float] = {}
        if proc is not None:  # RELIABILITY 27: memory returns to its baseline after the load
            run_phase("warm-up", host, port, queries, 2, 2.0, False)
            memory["baseline"] = rss_tree_mb(proc.pid)
        phases = []
        if args.phases in ("both", "cheap"):
            phases.append(run_phase("cheap queries", host, port, queries, args.clients, args.duration, False))
            if proc is not None:
                memory["after cheap"] = rss_tree_mb(proc.pid)
        if args.phases in ("both", "runaway"):
            phases.append(run_phase("cheap queries + 1 runaway", host, port, queries, args.clients,
                                    args.duration, True))
            if proc is not None:
                memory["after runaway"] = rss_tree_mb(proc.pid)
        if proc is not None:
            # a runaway still in flight ends at its deadline: read the memory after that
            idle = 5.0 if args.phases == "cheap" else args.timeout + 5.0
            time.sleep(idle)
            memory["idle after the deadline" if idle > 5.0 else "idle 5 s later"] = rss_tree_mb(proc.pid)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
    reports = [p.report() for p in phases]
    back = not memory or list(memory.values())[-1] <= memory["baseline"] * 1.25 + 20
    if args.json:
        print(json.dumps({"phases": reports, "memory_mb": memory, "memory_back_to_baseline": back}, indent=2))
    else:
        print(f"{args.clients} clients, {args.duration:g} s per phase, {len(queries)} cheap named queries, "
              f"{os.cpu_count()} CPUs")
        for r in reports:
            print(f"{r['phase']:<28} {r['requests']:>6} req  {r['req_per_s']:>7} req/s  p50 {r['p50_ms']:>6} ms  "
                  f"p90 {r['p90_ms']:>6} ms  p99 {r['p99_ms']:>6} ms  max {r['max_ms']:>7} ms  "
                  f"errors {r['errors']} {r['error_kinds'] or ''}"
                  + (f"  runaway answers {r['runaway_answers']}" if r['runaway_answers'] else ""))
        if memory:
            print("memory (server + workers, MB): " + ", ".join(f"{k} {v}" for k, v in memory.items())
                  + ("  (back to baseline)" if back else "  (NOT back to baseline)"))
    ok = back and all(r["errors"] == 0 and r["p99_ms"] < args.target_ms for r in reports)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
