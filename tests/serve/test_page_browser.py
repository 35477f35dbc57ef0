"""The query page of ``cpkg serve`` in a real headless chromium, over data with hostile labels."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.settings import Settings, get_settings

from .conftest import start, stop

pytestmark = [pytest.mark.server, pytest.mark.browser]

HOSTILE = Path(__file__).resolve().parents[1] / "visualise" / "fixtures" / "hostile"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-extensions",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def hostile_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from graph.build import build

    root = tmp_path_factory.mktemp("hostile-serve")
    shutil.copytree(HOSTILE, root / "data")
    settings: Settings = get_settings({"CPKG_DATA": str(root / "data"), "CPKG_CORPUS": str(root / "data" / "corpus"),
                                       "CPKG_EXPORTS": str(root / "exports")})
    build(settings)
    server, pool, thread = start(settings)
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        stop(server, pool, thread)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"no chromium at {CHROMIUM}: install Debian's chromium for the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def test_the_page_runs_a_named_query_and_shows_hostile_labels_as_text(hostile_served: str, chromium: Any) -> None:
    ctx = chromium.new_context()
    page = ctx.new_page()
    problems: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (problems.append("dialog: " + d.message), d.dismiss()))
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(hostile_served)
              else (outside.append(r.request.url), r.abort()))
    try:
        page.goto(hostile_served + "/")
        page.wait_for_function("() => document.querySelectorAll('#example option').length > 10")
        page.wait_for_timeout(300)  # /queries.json
        page.select_option("#example", "actors")
        assert "SELECT ?id ?type ?name" in page.input_value("#query")
        page.click("#run")
        page.wait_for_selector("#out table")
        cells = page.eval_on_selector_all("#out td", "tds => tds.map(td => td.textContent)")
        assert "<img src=x onerror=alert(1)>" in cells and "</script><svg onload=alert(5)>" in cells
        assert page.eval_on_selector_all("#out img, #out svg, #out script, #out a", "els => els.length") == 0
        assert "rows in" in page.text_content("#status")
        assert problems == [] and outside == []
        page.fill("#query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
        page.click("#run")
        page.wait_for_selector("#status.error")
        assert "SERVICE (line 1, column 18) is refused" in page.text_content("#status")
        # chromium logs the 400 itself ("Failed to load resource"); nothing else may appear
        assert [p for p in problems if not p.startswith("Failed to load resource")] == [] and outside == []
    finally:
        ctx.close()
