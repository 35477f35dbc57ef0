"""Fixtures for the HTML pages: built sites and a real headless chromium.

- ``mini_site``: the pages of the shared ``mini`` fixture (session-scoped);
- ``hostile_site``: the pages of ``fixtures/hostile``, whose names, aliases, titles, notes
  and quoted words are markup and script-like text (session-scoped);
- ``browser``: Debian's chromium driven by Playwright (skipped, saying why, without it);
  ``open_page(path)`` opens a page from disk with every request that leaves ``file://``
  aborted and recorded, and collects console errors, page errors and dialogs.

Screenshots go to ``$CPKG_SCREENSHOTS`` when set (e.g. ``exports/screenshots``), else to a
temporary folder; the path of each is printed (``pytest -s`` shows them).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from graph.settings import Settings, get_settings

HERE = Path(__file__).parent
MINI = HERE.parent / "fixtures" / "mini"
HOSTILE = HERE / "fixtures" / "hostile"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-extensions",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
PAGES = ("index", "network", "lineage", "entity", "timeline")


def settings_for(data: Path, corpus: Path, exports: Path) -> Settings:
    return get_settings({"CPKG_DATA": str(data), "CPKG_CORPUS": str(corpus), "CPKG_EXPORTS": str(exports)})


def copy_data(src: Path, root: Path) -> Settings:
    """A writable copy of a fixture data folder (registry, sources, corpus), exports beside it."""
    shutil.copytree(src, root / "data")
    return settings_for(root / "data", root / "data" / "corpus", root / "exports")


def build_site(settings: Settings) -> Path:
    from graph.build import build
    from graph.visualise import write_site

    result = build(settings)
    write_site(settings, result)
    return settings.exports_dir / "html"


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(copy_data(MINI, tmp_path_factory.mktemp("mini-site")))


@pytest.fixture(scope="session")
def hostile_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return copy_data(HOSTILE, tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def hostile_site(hostile_settings: Settings) -> Path:
    return build_site(hostile_settings)


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get("CPKG_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"no chromium at {CHROMIUM}: install Debian's chromium (make system-deps) for the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        pytest.skip("playwright (python) is not installed: pip install -e '.[test]'")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Opened:
    """A page opened from disk, with what it tried and what went wrong."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def clean(self) -> None:
        assert self.errors == [], f"console or page errors: {self.errors}"
        assert self.requests == [], f"requests that left file://: {self.requests}"
        assert self.dialogs == [], f"dialogs opened (something ran): {self.dialogs}"


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[[Path], Opened]]:
    contexts: list[Any] = []

    def _open(path: Path, *, wait_ready: bool = True) -> Opened:
        ctx = browser.new_context(viewport={"width": 1500, "height": 900}, java_script_enabled=True)
        contexts.append(ctx)
        page = ctx.new_page()
        opened = Opened(page)
        page.on("console", lambda m: opened.errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: opened.errors.append(f"pageerror: {e}"))

        def on_dialog(d: Any) -> None:
            opened.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        page.on("dialog", on_dialog)

        def route(r: Any) -> None:
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                opened.requests.append(r.request.url)
                r.abort()

        ctx.route("**/*", route)
        page.goto(path.as_uri())
        if wait_ready:
            page.wait_for_function("() => document.documentElement.dataset.ready === '1'", timeout=30_000)
        return opened

    yield _open
    for ctx in contexts:
        ctx.close()
