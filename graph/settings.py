"""The one place that reads the environment.

Every path cpkg uses comes from here, so that tests (and users) can point cpkg at
other data with environment variables or flags instead of patching modules:

- ``CPKG_HOME``: the project folder (default: the checkout this package lives in);
- ``CPKG_DATA``: curated data (default ``$CPKG_HOME/data``);
- ``CPKG_CORPUS``: article texts, read at run time only (default ``$CPKG_HOME/../shared/corpus``);
- ``CPKG_EXPORTS``: generated files (default ``$CPKG_HOME/exports``);
- ``CPKG_STORE``: the persistent query store (default ``$CPKG_EXPORTS/store``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
ONTOLOGY_DIR = PROJECT_DIR / "ontology"
QUERIES_DIR = PROJECT_DIR / "scripts" / "queries"

#: Limits on untrusted input (bytes); a larger file is refused before it is parsed.
MAX_YAML_BYTES = 5 * 1024 * 1024
MAX_ARTICLE_BYTES = 2 * 1024 * 1024
MAX_RDF_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """Resolved folders for one run."""

    home: Path
    data_dir: Path
    corpus_dir: Path
    exports_dir: Path
    store_dir: Path

    @property
    def sources_dir(self) -> Path:
        return self.data_dir / "sources"

    @property
    def registry_path(self) -> Path:
        return self.data_dir / "entities.yaml"

    @property
    def drafts_dir(self) -> Path:
        return self.data_dir / "drafts"


def _path(env: dict[str, str], name: str, default: Path) -> Path:
    value = env.get(name)
    return Path(value).expanduser().resolve() if value else default


def get_settings(env: dict[str, str] | None = None) -> Settings:
    """Read the environment once; callers pass the result down."""
    env = dict(os.environ if env is None else env)
    home = _path(env, "CPKG_HOME", PROJECT_DIR)
    data = _path(env, "CPKG_DATA", home / "data")
    corpus = _path(env, "CPKG_CORPUS", (home.parent / "shared" / "corpus").resolve())
    exports = _path(env, "CPKG_EXPORTS", home / "exports")
    store = _path(env, "CPKG_STORE", exports / "store")
    return Settings(home=home, data_dir=data, corpus_dir=corpus, exports_dir=exports, store_dir=store)
