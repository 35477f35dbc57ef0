"""``cpkg serve``: the read-only SPARQL endpoint, its query page and the HTML pages."""

from __future__ import annotations

from pathlib import Path

import click

from .options import make_settings, settings_options


@click.command()
@settings_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only; 0.0.0.0: everyone).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port, printed at start).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds a query may run before it is stopped (503).")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows (or triples) one answer holds; a cut-off is reported, never silent.")
@click.option("--workers", type=click.IntRange(min=1, max=64), default=3, show_default=True,
              help="Query processes; one runaway query occupies one of them until its deadline.")
@click.option("--quiet", is_flag=True, help="Do not log each request on stderr.")
def serve(data: Path | None, corpus: Path | None, exports: Path | None, host: str, port: int,
          timeout: float, max_rows: int, workers: int, quiet: bool) -> None:
    """Serve a read-only SPARQL 1.1 endpoint and the HTML pages.

    /sparql answers the SPARQL 1.1 Protocol (GET, POST form or direct) in JSON, XML, CSV or
    TSV, and Turtle, N-Triples or JSON-LD for CONSTRUCT; / is a query page offering the named
    queries; /html/ serves exports/html/ when it exists; /health says it is up. Updates,
    SERVICE and graphs from elsewhere are refused. Stop with Ctrl-C.
    """
    from ..build import open_store
    from ..serve import make_server

    settings = make_settings(data, corpus, exports)
    store = open_store(settings)  # builds first if the inputs changed
    del store
    server, pool = make_server(settings.store_dir / "db", host=host, port=port, timeout=timeout,
                               max_rows=max_rows, workers=workers, html_dir=settings.exports_dir / "html",
                               quiet=quiet)
    bound_host, bound_port = server.server_address[:2]
    host_text = bound_host.decode() if isinstance(bound_host, bytes) else str(bound_host)
    shown = f"[{host_text}]" if ":" in host_text else host_text
    click.echo(f"cpkg serve: http://{shown}:{bound_port}/ (SPARQL at /sparql; {workers} workers, "
               f"{timeout:g} s deadline, {max_rows} rows at most); Ctrl-C to stop", err=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: reachable from other machines", err=True)
    import signal

    def stop(signum: int, frame: object) -> None:  # `kill` stops like Ctrl-C: the workers go too
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        pool.close()
