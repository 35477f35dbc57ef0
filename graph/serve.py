"""``cpkg serve``: a read-only SPARQL 1.1 Protocol endpoint over the built graph.

Built on the standard library alone (``http.server.ThreadingHTTPServer`` and a small pool of
worker *processes*, graph/serve_worker.py): nothing else is needed at this scale, and every
safety decision stays in view here.

- ``/sparql``: GET ``?query=``, POST form-encoded, POST ``application/sparql-query``; results
  negotiated by ``Accept`` (SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples, JSON-LD, RDF/XML
  for CONSTRUCT/DESCRIBE) or a ``format=`` parameter.
- ``/``: an offline query page offering the named queries; ``/queries.json``; ``/health``;
  ``/html/...``: the HTML pages of exports/html/ when they exist.

Read-only and safe by default:

- updates (``update=``, ``application/sparql-update``, or an update in ``query=``): 403; the
  store is opened read-only besides;
- ``SERVICE`` (also SILENT or with a variable): 400 before evaluation (graph/serve_guard.py);
  ``FROM``/``FROM NAMED`` and ``default-graph-uri``/``named-graph-uri`` may name only graphs
  the store holds (400 otherwise): nothing is ever fetched or opened;
- malformed query: 400 naming line and column; never a traceback;
- every query has a deadline (503 when it passes; the worker is killed and replaced) and a row
  cap (``X-Cpkg-Row-Limit``; ``X-Cpkg-Truncated: true`` and a ``"cpkg"`` member in JSON when
  cut off). A query that has used more than :data:`SLOW_AFTER` seconds of CPU has its worker's CPU
  priority lowered, and that worker is replaced once it finishes, so a runaway query cannot
  starve the cheap ones, nor occupy the only worker;
- POST bodies over :data:`MAX_BODY` get 413, URLs over :data:`MAX_URL` 414, other content
  types 415; CORS allows any origin, never with credentials; binds 127.0.0.1 by default.
"""

from __future__ import annotations

import json
import os
import queue
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

MAX_BODY = 1024 * 1024
MAX_URL = 16 * 1024
SLOW_AFTER = 0.5
#: Requests in progress at once; more get 503 at once rather than queueing without end.
MAX_IN_FLIGHT = 128
#: Open connections at once (each holds a thread); more are closed on arrival.
MAX_CONNECTIONS = 256
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Cpkg-Row-Limit, X-Cpkg-Truncated, Warning",
}
STATIC_TYPES = {
    ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
    ".txt": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8", ".ico": "image/x-icon",
    ".woff2": "font/woff2", ".graphml": "application/xml", ".gexf": "application/xml",
}


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used, from /proc; None where there is no /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b") ", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, IndexError, ValueError):
        return None


class SlowWatch:
    """Decides when a query is a runaway: by the CPU time its worker spent on it, not by the
    clock, so that a cheap query slowed down by a busy machine is not mistaken for one."""

    def __init__(self, pid: int, slow_down: Any) -> None:
        self.pid = pid
        self.slow_down = slow_down
        self.start = cpu_seconds(pid)
        self.next = time.monotonic() + SLOW_AFTER

    def check(self, worker: Worker) -> None:
        now_cpu = cpu_seconds(self.pid)
        used = (now_cpu - self.start) if (now_cpu is not None and self.start is not None) else SLOW_AFTER
        if used >= SLOW_AFTER:
            self.slow_down(worker)
        else:
            self.next = time.monotonic() + max(0.05, SLOW_AFTER - used)


class WorkerGone(Exception):
    """The worker process ended (crashed) before answering."""


@dataclass
class Worker:
    proc: subprocess.Popen
    slowed: bool = False
    jobs: int = 0

    @property
    def pid(self) -> int:
        return self.proc.pid

    def send(self, job: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        data = json.dumps(job).encode("utf-8")
        self.proc.stdin.write(struct.pack(">I", len(data)) + data)
        self.proc.stdin.flush()

    def _read_exact(self, n: int, deadline: float, on_slow: Any = None) -> bytes:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        chunks: list[bytes] = []
        need = n
        while need:
            now = time.monotonic()
            if now >= deadline:
                raise TimeoutError
            wait = deadline - now
            if on_slow is not None and not self.slowed:
                wait = min(wait, max(0.0, on_slow.next - now))
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                if on_slow is not None and not self.slowed and time.monotonic() >= on_slow.next:
                    on_slow.check(self)
                continue
            chunk = os.read(fd, min(need, 1 << 20))
            if not chunk:
                raise WorkerGone
            chunks.append(chunk)
            need -= len(chunk)
        return b"".join(chunks)

    def read_frame(self, deadline: float, on_slow: Any = None) -> bytes:
        (size,) = struct.unpack(">I", self._read_exact(4, deadline, on_slow))
        return self._read_exact(size, deadline, on_slow)

    def kill(self) -> None:
        try:
            self.proc.kill()
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream:
                    stream.close()
            except OSError:
                pass


@dataclass
class Pool:
    """A few worker processes, each with the store open read-only."""

    store_path: str
    size: int = 3
    idle: queue.Queue[Worker] = field(default_factory=queue.Queue)
    alive: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    replaced: int = 0
    closed: bool = False
    spawn_requests: queue.Queue[tuple[threading.Event, list[Any]] | None] = field(default_factory=queue.Queue)

    def start(self) -> None:
        # every worker is started by one long-lived thread: Linux's "kill me when my parent
        # dies" (PR_SET_PDEATHSIG, set by the worker) follows the thread that started it
        threading.Thread(target=self._spawner, name="cpkg-spawner", daemon=True).start()
        workers = [self._spawn() for _ in range(self.size)]
        for w in workers:
            self._await_ready(w)
            self.idle.put(w)

    def _spawner(self) -> None:
        while True:
            request = self.spawn_requests.get()
            if request is None:
                return
            done, box = request
            try:
                box.append(self._popen())
            except Exception as exc:  # reported to the caller
                box.append(exc)
            done.set()

    def _spawn(self) -> Worker:
        done, box = threading.Event(), []  # type: ignore[var-annotated]
        if self.closed:
            raise RuntimeError("the pool is closed")
        self.spawn_requests.put((done, box))
        if not done.wait(60):
            raise RuntimeError("no worker was started in 60 s")
        if isinstance(box[0], Exception):
            raise box[0]
        worker: Worker = box[0]
        return worker

    def _popen(self) -> Worker:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parent.parent)] +
                                            ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        proc = subprocess.Popen([sys.executable, "-m", "graph.serve_worker", self.store_path],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None,
                                close_fds=True, start_new_session=True, env=env, bufsize=0)
        worker = Worker(proc)
        with self.lock:
            self.alive.add(worker.pid)
        return worker

    def _await_ready(self, worker: Worker, timeout: float = 60.0) -> None:
        header = json.loads(worker.read_frame(time.monotonic() + timeout))
        if not header.get("ready"):
            raise RuntimeError(f"worker {worker.pid} did not start")

    def _replace(self, worker: Worker) -> None:
        """Kill a worker and start another in the background."""
        with self.lock:
            self.alive.discard(worker.pid)
            self.replaced += 1

        def run() -> None:
            worker.kill()
            if self.closed:
                return
            try:
                fresh = self._spawn()
                self._await_ready(fresh)
            except Exception as exc:  # keep serving with fewer workers; say so
                if not self.closed:
                    print(f"cpkg serve: could not start a worker: {exc!r}", file=sys.stderr)
                return
            if self.closed:
                fresh.kill()
            else:
                self.idle.put(fresh)

        threading.Thread(target=run, daemon=True).start()

    @staticmethod
    def _slow_down(worker: Worker) -> None:
        """Lower a long-running worker's CPU priority, so cheap queries keep their share.

        Each worker runs in its own session; where the kernel groups CPU time by session
        (``sched_autogroup``), a process's nice value only counts inside its group, so the
        group's own nice (``/proc/PID/autogroup``) is lowered too.
        """
        try:
            os.setpriority(os.PRIO_PROCESS, worker.pid, 19)
        except OSError:
            pass
        try:
            with open(f"/proc/{worker.pid}/autogroup", "w", encoding="ascii") as f:
                f.write("19")
        except OSError:
            pass
        worker.slowed = True

    def run(self, job: dict[str, Any], timeout: float) -> tuple[int, dict[str, str], str, bytes]:
        """Run a job; (status, headers, content type, body)."""
        start = time.monotonic()
        try:
            worker = self.idle.get(timeout=timeout)
        except queue.Empty:
            return _plain(503, f"all query workers stayed busy for {timeout:g} s; try again later",
                          {"Retry-After": "5"})
        deadline = time.monotonic() + max(0.1, timeout - (time.monotonic() - start))
        try:
            worker.send(job)
            header = json.loads(worker.read_frame(deadline, SlowWatch(worker.pid, self._slow_down)))
            body = worker.read_frame(deadline)
        except TimeoutError:
            self._replace(worker)
            return _plain(503, f"the query ran past the {timeout:g} s deadline and was stopped")
        except (WorkerGone, BrokenPipeError, OSError, ValueError):
            self._replace(worker)
            return _plain(500, "the query stopped the query process (it has been restarted); "
                               "simplify the query")
        worker.jobs += 1
        if worker.slowed:  # its priority cannot be raised again without privileges: replace it
            self._replace(worker)
        else:
            self.idle.put(worker)
        return int(header["status"]), dict(header.get("headers") or {}), header["content_type"], body

    def close(self) -> None:
        self.closed = True
        self.spawn_requests.put(None)
        while True:
            try:
                self.idle.get_nowait().kill()
            except queue.Empty:
                break
        with self.lock:
            pids = list(self.alive)
        for pid in pids:  # workers busy at shutdown
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def _plain(status: int, message: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str, bytes]:
    return status, dict(headers or {}), "text/plain; charset=utf-8", f"Error: {message}\n".encode()


@dataclass
class App:
    """What the request handler needs: the pool, the limits, the pages."""

    pool: Pool
    timeout: float
    max_rows: int
    html_dir: Path | None
    page: bytes
    script: bytes
    style: bytes
    queries_json: bytes
    health: dict[str, Any]
    in_flight: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(MAX_IN_FLIGHT))
    quiet: bool = False


def _guarded(method: Any) -> Any:
    """Any unexpected error becomes a one-line 500 for the client and a traceback in the log."""

    def run(self: Handler) -> None:
        try:
            method(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception:
            import traceback

            traceback.print_exc(file=sys.stderr)
            self.close_connection = True
            try:
                self.fail(500, "internal error")
            except OSError:
                pass

    run.__name__ = method.__name__
    return run


class Handler(BaseHTTPRequestHandler):
    """One HTTP request. Keep-alive (HTTP/1.1); every response has a Content-Length."""

    protocol_version = "HTTP/1.1"
    # headers and body leave in two writes: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK hold the second for ~40 ms on a keep-alive connection
    disable_nagle_algorithm = True
    server_version = "cpkg"
    sys_version = ""
    timeout = 60  # seconds a client may take to send its request
    app: App  # set on the subclass made by make_server

    # ------------------------------------------------------------------ plumbing

    def version_string(self) -> str:
        return "cpkg"

    def log_message(self, format: str, *args: Any) -> None:
        if not self.app.quiet:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in CORS.items():
            self.send_header(name, value)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def fail(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self.send(status, f"Error: {message}\n".encode(), "text/plain; charset=utf-8", headers)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's own refusals (414, 431, 400 on a bad request line) as plain text."""
        self.close_connection = True
        try:
            self.fail(code, message or self.responses.get(code, ("error",))[0])
        except OSError:
            pass

    # ------------------------------------------------------------------ routes

    @_guarded
    def do_OPTIONS(self) -> None:
        self.send(204, b"", "text/plain", {
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Accept",
            "Access-Control-Max-Age": "600",
        })

    @_guarded
    def do_HEAD(self) -> None:
        self.do_GET()

    @_guarded
    def do_GET(self) -> None:
        if len(self.path) > MAX_URL:
            self.close_connection = True
            self.fail(414, f"the URL is longer than {MAX_URL // 1024} KB; POST the query instead")
            return
        parts = urllib.parse.urlsplit(self.path)
        route = parts.path
        if route == "/sparql":
            self.sparql(parts.query, None, None)
        elif route in ("/", "/index.html"):
            self.send(200, self.app.page, "text/html; charset=utf-8", {
                "Content-Security-Policy": PAGE_CSP, "Referrer-Policy": "no-referrer",
                "X-Frame-Options": "DENY"})
        elif route == "/static/query.js":
            self.send(200, self.app.script, "text/javascript; charset=utf-8")
        elif route == "/static/query.css":
            self.send(200, self.app.style, "text/css; charset=utf-8")
        elif route == "/queries.json":
            self.send(200, self.app.queries_json, "application/json")
        elif route == "/health":
            pool = self.app.pool
            doc = dict(self.app.health, status="ok", workers=len(pool.alive), idle=pool.idle.qsize(),
                       replaced=pool.replaced)
            self.send(200, json.dumps(doc).encode(), "application/json")
        elif route == "/html" or route.startswith("/html/"):
            self.static(route[len("/html"):])
        else:
            self.fail(404, "no such page; the endpoint is /sparql")

    @_guarded
    def do_POST(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        if parts.path != "/sparql":
            self.close_connection = True
            self.fail(404 if parts.path not in ("/", "/health") else 405, "POST queries to /sparql")
            return
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            self.fail(411, "send a Content-Length; chunked bodies are not accepted")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            self.fail(400, "bad Content-Length")
            return
        if length > MAX_BODY:
            self.close_connection = True  # the body is not read: the connection cannot be reused
            self.fail(413, f"the request body is larger than {MAX_BODY // 1024} KB")
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            self.close_connection = True
            self.fail(403, "updates are refused: this endpoint is read-only")
            return
        if ctype not in ("application/x-www-form-urlencoded", "application/sparql-query"):
            self.close_connection = True
            self.fail(415, "send application/sparql-query or application/x-www-form-urlencoded")
            return
        body = self.rfile.read(length) if length else b""
        if ctype == "application/sparql-query":
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                self.fail(400, "the query is not UTF-8")
                return
            self.sparql(parts.query, None, text)
        else:
            try:
                form = body.decode("ascii")
            except UnicodeDecodeError:
                self.fail(400, "a form-encoded body is ASCII (percent-encoded UTF-8)")
                return
            self.sparql(parts.query, form, None)

    @_guarded
    def do_PUT(self) -> None:
        self.close_connection = True
        self.fail(405, "this endpoint is read-only", {"Allow": "GET, POST, OPTIONS, HEAD"})

    do_DELETE = do_PATCH = do_PUT

    # ------------------------------------------------------------------ SPARQL

    def sparql(self, query_string: str, form: str | None, direct: str | None) -> None:
        try:
            params = urllib.parse.parse_qs(query_string, keep_blank_values=True, strict_parsing=False,
                                           max_num_fields=200, errors="strict")
            if form is not None:
                for key, vals in urllib.parse.parse_qs(form, keep_blank_values=True, max_num_fields=200,
                                                       errors="strict").items():
                    params.setdefault(key, []).extend(vals)
        except (ValueError, UnicodeDecodeError):
            self.fail(400, "the parameters are not valid percent-encoded UTF-8")
            return
        queries = params.get("query", [])
        if direct is not None:
            if queries:
                self.fail(400, "the query is in the body; do not give `query` as well")
                return
            queries = [direct]
        updates = params.get("update", [])
        if queries and updates:
            self.fail(400, "give either `query` or `update`, not both")
            return
        if updates:
            self.fail(403, "updates are refused: this endpoint is read-only")
            return
        if len(queries) != 1:
            self.fail(400, "give exactly one `query`" if queries else
                      "no query: give a SPARQL query in the `query` parameter")
            return
        if not self.app.in_flight.acquire(blocking=False):
            self.fail(503, "too many requests at once; try again", {"Retry-After": "2"})
            return
        try:
            asked = params.get("format") or params.get("output") or []
            fmt = asked[0] if asked else None
            job = {"query": queries[0], "accept": self.headers.get("Accept"), "format": fmt,
                   "max_rows": self.app.max_rows,
                   "default_graphs": params.get("default-graph-uri", []),
                   "named_graphs": params.get("named-graph-uri", [])}
            status, headers, ctype, body = self.app.pool.run(job, self.app.timeout)
        finally:
            self.app.in_flight.release()
        headers.setdefault("Vary", "Accept")
        self.send(status, body, ctype, headers)

    # ------------------------------------------------------------------ static pages

    def static(self, rel: str) -> None:
        root = self.app.html_dir
        if root is None or not root.is_dir():
            self.fail(404, "no HTML pages: build them with `cpkg viz`")
            return
        try:
            path = urllib.parse.unquote(rel, errors="strict") if rel else "/"
        except UnicodeDecodeError:
            self.fail(400, "the path is not valid percent-encoded UTF-8")
            return
        parts = [p for p in path.split("/") if p]
        if any(p in (".", "..") or "\\" in p or "\x00" in p or p.startswith(".") for p in parts):
            self.fail(403, "that path is outside the HTML pages")
            return
        target = root.joinpath(*parts) if parts else root
        if target.is_dir():
            target = target / "index.html"
        try:
            real = target.resolve(strict=True)
            base = root.resolve(strict=True)
        except (FileNotFoundError, OSError, RuntimeError):
            self.fail(404, "no such page")
            return
        if not real.is_relative_to(base) or not real.is_file():
            self.fail(403 if not real.is_relative_to(base) else 404, "that path is outside the HTML pages")
            return
        data = real.read_bytes()
        self.send(200, data, STATIC_TYPES.get(real.suffix.lower(), "application/octet-stream"))


PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(self, *args: Any, **kw: Any) -> None:
        self.connections = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(*args, **kw)

    def process_request(self, request: Any, client_address: Any) -> None:
        """One thread per connection, at most MAX_CONNECTIONS of them: idle or slow clients
        cannot make the server start threads without end."""
        if not self.connections.acquire(blocking=False):
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.connections.release()


def make_server(store_path: Path, *, host: str = "127.0.0.1", port: int = 8000, timeout: float = 30.0,
                max_rows: int = 10_000, workers: int = 3, html_dir: Path | None = None,
                quiet: bool = False) -> tuple[Server, Pool]:
    """A ready server (workers started) and its pool; call ``serve_forever()``, then
    ``shutdown()``, ``server_close()`` and ``pool.close()``."""
    import pyoxigraph as ox

    from . import serve_page

    store = ox.Store.read_only(str(store_path))
    health = {"triples": len(store), "graphs": sum(1 for _ in store.named_graphs()),
              "timeout_s": timeout, "max_rows": max_rows}
    examples = serve_page.examples(store)
    del store
    pool = Pool(str(store_path), size=max(1, workers))
    pool.start()
    app = App(pool=pool, timeout=timeout, max_rows=max_rows, html_dir=html_dir,
              page=serve_page.page(examples, timeout=timeout, max_rows=max_rows),
              script=serve_page.SCRIPT.encode("utf-8"), style=serve_page.STYLE.encode("utf-8"),
              queries_json=json.dumps(examples, ensure_ascii=False, indent=1).encode("utf-8"),
              health=health, quiet=quiet)
    handler = type("BoundHandler", (Handler,), {"app": app})
    try:
        server = Server((host, port), handler)
    except OSError:
        pool.close()
        raise
    return server, pool
