"""Shared fixtures.

- ``mini``: a copy of ``tests/fixtures/mini`` (a registry, two short sources written for the
  tests, their corpus) with exports in a temporary folder; ``mini_built`` builds it once per
  test session.
- ``real``: the project's curated data with ``../shared/corpus`` (skips, with the reason,
  where the corpus is absent); ``real_built`` builds it once per session.
Both give a :class:`graph.settings.Settings`; nothing touches the repository's exports/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.settings import PROJECT_DIR, Settings, get_settings

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_CORPUS = (PROJECT_DIR.parent / "shared" / "corpus").resolve()


def settings_for(data: Path, corpus: Path, exports: Path) -> Settings:
    return get_settings({"CPKG_DATA": str(data), "CPKG_CORPUS": str(corpus), "CPKG_EXPORTS": str(exports)})


def copy_mini(dest: Path) -> Settings:
    shutil.copytree(FIXTURES / "mini", dest / "mini")
    return settings_for(dest / "mini", dest / "mini" / "corpus", dest / "exports")


@pytest.fixture
def mini(tmp_path: Path) -> Settings:
    """A fresh, writable copy of the small fixture data set."""
    return copy_mini(tmp_path)


@pytest.fixture(scope="session")
def mini_built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The fixture data set, built once (exports and store in a temporary folder)."""
    from graph.build import build

    settings = copy_mini(tmp_path_factory.mktemp("mini-built"))
    build(settings)
    return settings


def need_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"the two seed articles are not at {SHARED_CORPUS} (../shared/corpus); "
                    "tests that quote them need it")
    return SHARED_CORPUS


@pytest.fixture
def real(tmp_path: Path) -> Settings:
    """The curated data of the project with the shared corpus; exports in tmp."""
    corpus = need_corpus()
    return settings_for(PROJECT_DIR / "data", corpus, tmp_path / "exports")


@pytest.fixture(scope="session")
def real_built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from graph.build import build

    corpus = need_corpus()
    settings = settings_for(PROJECT_DIR / "data", corpus, tmp_path_factory.mktemp("real-built") / "exports")
    build(settings)
    return settings
