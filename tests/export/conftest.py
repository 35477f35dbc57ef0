"""Fixtures of the export tests.

- ``hostile`` / ``hostile_built``: ``tests/fixtures/hostile`` (made-up entities and two sources
  whose names, notes and article text hold quotes, newlines, a vertical tab and a form feed,
  Khmer script, values starting with ``=`` ``+`` ``-`` ``@``, and missing values), copied to a
  temporary folder;
- ``mini_data``, ``hostile_data``, ``real_data``: the :class:`graph.export.ExportData` of the
  built fixtures (``real_data`` skips with the reason when ``../shared/corpus`` is absent).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from graph.settings import Settings, get_settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HOSTILE = FIXTURES / "hostile"


def settings_for(data: Path, corpus: Path, exports: Path) -> Settings:
    return get_settings({"CPKG_DATA": str(data), "CPKG_CORPUS": str(corpus), "CPKG_EXPORTS": str(exports)})


def copy_fixture(src: Path, dest: Path) -> Settings:
    shutil.copytree(src, dest / src.name)
    return settings_for(dest / src.name, dest / src.name / "corpus", dest / "exports")


def no_remote_loader(url: str, *args: Any, **kwargs: Any) -> Any:
    """A JSON-LD document loader that refuses everything: contexts must never be fetched."""
    raise AssertionError(f"tried to load a remote JSON-LD document: {url}")


def folder_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones included) by relative path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    """Temporary files or folders left by an interrupted write."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p.name.endswith(".tmp") or ".old-" in p.name)


def manifest(path: Path) -> dict[str, Any]:
    return json.loads((path / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture
def hostile(tmp_path: Path) -> Settings:
    return copy_fixture(HOSTILE, tmp_path)


@pytest.fixture(scope="session")
def hostile_built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from graph.build import build

    settings = copy_fixture(HOSTILE, tmp_path_factory.mktemp("hostile-built"))
    build(settings)
    return settings


@pytest.fixture(scope="session")
def mini_data(mini_built: Settings) -> Any:
    from graph.export import load

    return load(mini_built)


@pytest.fixture(scope="session")
def hostile_data(hostile_built: Settings) -> Any:
    from graph.export import load

    return load(hostile_built)


@pytest.fixture(scope="session")
def real_data(real_built: Settings) -> Any:
    from graph.export import load

    return load(real_built)
