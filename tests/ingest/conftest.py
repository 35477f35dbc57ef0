"""Fixtures for the ingest tests: a small registry, short test articles in our own words,
and (where the shared folder is present) the scorer and the two corpus articles."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from graph.ingest.registry import load_registry
from graph.settings import get_settings

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = FIXTURES / "articles"
GOLD = FIXTURES / "gold"


@pytest.fixture(scope="session")
def registry() -> list[dict[str, Any]]:
    return load_registry(FIXTURES / "registry.yaml", None)


@pytest.fixture(scope="session")
def scorer() -> Any:
    """``score_facts.py`` from ../shared/tools, the project's yardstick for drafts."""
    path = get_settings().home.parent / "shared" / "tools" / "score_facts.py"
    if not path.is_file():
        pytest.skip(f"the scorer is not at {path} (../shared is absent)")
    spec = importlib.util.spec_from_file_location("score_facts", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def cpkg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """Run ``cpkg ARGS`` with click's runner against a private data folder."""
    from click.testing import CliRunner

    from graph.cli import main

    data = tmp_path / "data"
    (data / "sources").mkdir(parents=True)
    (data / "entities.yaml").write_text((FIXTURES / "registry.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("CPKG_DATA", str(data))

    def run(*args: str, input: str | None = None) -> Any:
        monkeypatch.setattr(sys, "argv", ["cpkg", *args])
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    run.data = data  # type: ignore[attr-defined]
    return run
