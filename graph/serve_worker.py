"""A query worker of ``cpkg serve``: a separate process that checks and runs one query at a time.

The HTTP server keeps a few of these (graph/serve.py). A worker opens the built store
read-only and answers jobs on its standard input with results on its standard output, so
that the server can stop a runaway query by killing the process — a thread could not be
stopped — and a query that crashes the query engine takes only its worker down.

Wire format, both ways: frames of a 4-byte big-endian length and that many bytes. A job is
one JSON frame; an answer is a JSON header frame (status, content type, headers) and a body
frame. The first frame a worker writes is ``{"ready": true, ...}``.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import traceback
from typing import Any, BinaryIO

KINDS = {"SELECT": "solutions", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def read_frame(stream: BinaryIO) -> bytes | None:
    head = stream.read(4)
    if len(head) < 4:
        return None
    (size,) = struct.unpack(">I", head)
    data = stream.read(size)
    return data if len(data) == size else None


def write_frame(stream: BinaryIO, data: bytes) -> None:
    stream.write(struct.pack(">I", len(data)) + data)


def _answer(status: int, message: str, **headers: str) -> tuple[dict[str, Any], bytes]:
    return ({"status": status, "content_type": "text/plain; charset=utf-8", "headers": headers},
            (f"Error: {message}\n").encode())


class Runner:
    """Checks and evaluates queries on one read-only store."""

    def __init__(self, store_path: str) -> None:
        import pyoxigraph as ox

        self.store = ox.Store.read_only(store_path)
        self.graphs = {g.value for g in self.store.named_graphs()}
        self.handle({"query": "ASK { ?s ?p ?o }"})  # warm up: rdflib's parser, the store's caches

    def handle(self, job: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        from . import query as q
        from . import results
        from .errors import QueryError
        from .serve_guard import Refused, inspect

        text = job["query"]
        try:
            info = inspect(text)
        except Refused as exc:
            return _answer(exc.status, exc.message)
        defaults = list(info.from_default) or list(job.get("default_graphs") or [])
        named = list(info.from_named) or list(job.get("named_graphs") or [])
        if (info.from_default or info.from_named) and (job.get("default_graphs") or job.get("named_graphs")):
            return _answer(400, "give the dataset either in the query (FROM) or in the request "
                                "(default-graph-uri, named-graph-uri), not both")
        for iri in defaults + named:
            if iri not in self.graphs:
                return _answer(400, f"<{iri}> is not a graph of this dataset; this endpoint queries only "
                                    "its own data and never opens a file or fetches a URL")
        kind = KINDS[info.form]
        fmt = results.negotiate(kind, job.get("accept"), job.get("format"))
        if fmt is None:
            offered = ", ".join(results.media_type(f).split(";")[0] for f in
                                (results.GRAPH_TYPES if kind == "graph" else ("json", "xml", "csv", "tsv")))
            return _answer(406, f"cannot answer a {info.form} query in any type the request accepts; "
                                f"offered: {offered}")
        max_rows = job.get("max_rows") or None
        try:
            raw = q.run_query(self.store, text, default_graphs=defaults or None, named_graphs=named or None)
            result = results.collect(raw, max_rows)
        except QueryError as exc:
            return _answer(400, _syntax_message(exc.message))
        except SyntaxError as exc:
            return _answer(400, _syntax_message(str(exc)))
        except OSError as exc:
            return _answer(500, f"the query could not be evaluated: {exc}")
        body = results.render(result, fmt)
        headers = {}
        if max_rows:
            headers["X-Cpkg-Row-Limit"] = str(max_rows)
        if getattr(result, "truncated", False):
            headers["X-Cpkg-Truncated"] = "true"
            headers["Warning"] = f'199 cpkg "results cut off at the row limit of {max_rows}"'
        return {"status": 200, "content_type": results.media_type(fmt), "headers": headers}, body


def _syntax_message(message: str) -> str:
    """pyoxigraph's "error at 3:10: expected ..." as "syntax error at line 3, column 10: ..."."""
    import re

    m = re.search(r"error at (\d+):(\d+): (.*)", message)
    if m:
        return f"syntax error at line {m.group(1)}, column {m.group(2)}: {m.group(3)}"
    return message


def serve(store_path: str, inp: BinaryIO, out: BinaryIO) -> None:
    runner = Runner(store_path)
    write_frame(out, json.dumps({"ready": True, "pid": os.getpid(), "graphs": len(runner.graphs)}).encode())
    out.flush()
    while True:
        frame = read_frame(inp)
        if frame is None:
            return  # the server closed the pipe: it is gone or wants us gone
        try:
            header, body = runner.handle(json.loads(frame))
        except Exception:  # never a traceback to the client; one to the server's log
            traceback.print_exc(file=sys.stderr)
            header, body = _answer(500, "internal error while running the query")
        write_frame(out, json.dumps(header).encode("utf-8"))
        write_frame(out, body)
        out.flush()


def die_with_parent() -> None:
    """Ask Linux to kill this worker when the server that started it dies (even by SIGKILL):
    a runaway query would otherwise run on, orphaned, until it finished."""
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent or parent == 1:  # the server died before we asked
        os._exit(1)


def main() -> None:
    from .serve_guard import with_big_stack

    die_with_parent()

    # the protocol owns the real stdout; anything printed by a library goes to stderr
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    inp = os.fdopen(os.dup(sys.stdin.fileno()), "rb")
    sys.stdout = sys.stderr
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    try:
        with_big_stack(serve, sys.argv[1], inp, out)
    except (BrokenPipeError, KeyboardInterrupt):
        pass


if __name__ == "__main__":
    main()
