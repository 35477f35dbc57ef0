"""Fixtures of the endpoint tests: a running ``cpkg serve`` on a free loopback port.

``served`` starts the server of graph/serve.py in a thread of the test process (its query
workers are real subprocesses) over a copy of the built fixture graph, with a short deadline
(3 s) and a small row cap (50), so that the refusals can be shown quickly. ``http`` sends one
plain HTTP request and returns (status, headers, body).
"""

from __future__ import annotations

import http.client as httpclient
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from graph.settings import Settings

TIMEOUT = 3.0
MAX_ROWS = 50


@dataclass
class Served:
    url: str
    host: str
    port: int
    pool: Any
    settings: Settings

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"


def start(settings: Settings, html_dir: Path | None = None, **kw: Any) -> tuple[Any, Any, threading.Thread]:
    from graph.build import open_store
    from graph.serve import make_server

    open_store(settings)
    options = dict(port=0, timeout=TIMEOUT, max_rows=MAX_ROWS, workers=3, quiet=True)
    options.update(kw)
    server, pool = make_server(settings.store_dir / "db", html_dir=html_dir, **options)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    return server, pool, thread


def stop(server: Any, pool: Any, thread: threading.Thread) -> None:
    server.shutdown()
    server.server_close()
    pool.close()
    thread.join(5)


@pytest.fixture(scope="module")
def served(mini_built: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    html = tmp_path_factory.mktemp("site") / "html"
    (html / "person").mkdir(parents=True)
    (html / "index.html").write_text("<!DOCTYPE html><title>pages</title><p>index</p>", encoding="utf-8")
    (html / "person" / "sok-dara.html").write_text("<!DOCTYPE html><p>Sok Dara</p>", encoding="utf-8")
    secret = html.parent / "secret.txt"
    secret.write_text("not to be served", encoding="utf-8")
    (html / "escape").symlink_to(secret)
    server, pool, thread = start(mini_built, html_dir=html)
    host, port = server.server_address[:2]
    try:
        yield Served(f"http://{host}:{port}", host, port, pool, mini_built)
    finally:
        stop(server, pool, thread)


def http(served: Served, method: str, path: str, body: bytes | None = None,
         headers: dict[str, str] | None = None, timeout: float = 30.0) -> tuple[int, dict[str, str], bytes]:
    conn = httpclient.HTTPConnection(served.host, served.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


class Listener:
    """A socket on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        time.sleep(0.3)  # let any late connection arrive before counting
        self._stop = True
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    trap = Listener()
    try:
        yield trap
    finally:
        trap.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def which(name: str) -> str | None:
    return shutil.which(name)


def cli_args(settings: Settings) -> list[str]:
    return ["--data", str(settings.data_dir), "--corpus", str(settings.corpus_dir),
            "--exports", str(settings.exports_dir)]


def cpkg(*args: str, input: str | None = None) -> Result:
    """Run ``cpkg ARGS`` in process, as a user would."""
    from graph.cli import main

    return CliRunner().invoke(main, list(args), input=input)
