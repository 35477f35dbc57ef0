"""Options shared by several command families."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..settings import Settings, get_settings


def settings_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--data / --corpus / --exports, overriding the environment (see graph.settings)."""
    func = click.option("--exports", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="Folder for generated files (default: exports/, or $CPKG_EXPORTS).")(func)
    func = click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="Folder of article texts, read for quotes and offsets (default: ../shared/corpus).")(func)
    func = click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="Folder of curated data: entities.yaml and sources/ (default: data/).")(func)
    return func


def make_settings(data: Path | None, corpus: Path | None, exports: Path | None) -> Settings:
    env: dict[str, str] = {}
    import os

    env.update(os.environ)
    if data is not None:
        env["CPKG_DATA"] = str(data)
    if corpus is not None:
        env["CPKG_CORPUS"] = str(corpus)
    if exports is not None:
        env["CPKG_EXPORTS"] = str(exports)
        env.pop("CPKG_STORE", None)
    return get_settings(env)
