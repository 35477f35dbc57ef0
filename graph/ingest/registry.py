"""The entity registry as ingest sees it: a list of ``{id, name, type, aliases}``.

One function reads it (:func:`load_registry`), so that it can later be swapped for
``graph.registry`` without touching the linker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import yamlsafe
from ..errors import InputError

ENTITY_TYPES = (
    "Person", "PoliticalParty", "Court", "Prison", "GovernmentBody", "Organization", "Election", "Event",
)


def load_registry(path: Path | None = None, sources_dir: Path | None = None) -> list[dict[str, Any]]:
    """Entities from ``data/entities.yaml`` plus those declared by source files.

    A missing registry is an empty one (ingest still proposes entities).  An entity
    without id, name or a known type is an error naming the file and line.
    """
    if path is None:
        from ..settings import get_settings

        settings = get_settings()
        path = settings.registry_path
        sources_dir = settings.sources_dir if sources_dir is None else sources_dir
    files: list[Path] = []
    if path.is_file():
        files.append(path)
    if sources_dir is not None and sources_dir.is_dir():
        files.extend(sorted(sources_dir.glob("*.yaml")))
    seen: dict[str, dict[str, Any]] = {}
    for file in files:
        doc = yamlsafe.load_file(file) or {}
        if not isinstance(doc, dict):
            raise InputError("expected a mapping at the top", path=file, line=1)
        items = doc.get("entities") or []
        if not isinstance(items, list):
            raise InputError("expected a list", path=file, field="entities")
        for i, ent in enumerate(items):
            line = getattr(ent, "line", None)
            if not isinstance(ent, dict):
                raise InputError("expected a mapping", path=file, field=f"entities[{i}]")
            for key in ("id", "name", "type"):
                if not isinstance(ent.get(key), str) or not ent.get(key):
                    raise InputError(f"missing {key}", path=file, line=line, field=f"entities[{i}].{key}")
            if ent["type"] not in ENTITY_TYPES:
                raise InputError(
                    f"unknown type {ent['type']!r}", path=file, line=line, field=f"entities[{i}].type",
                    hint="one of " + ", ".join(ENTITY_TYPES),
                )
            aliases = ent.get("aliases") or []
            if not isinstance(aliases, list):
                raise InputError("expected a list", path=file, line=line, field=f"entities[{i}].aliases")
            if ent["id"] in seen:  # the registry wins over a source's declaration
                continue
            seen[ent["id"]] = {
                "id": ent["id"],
                "name": ent["name"],
                "type": ent["type"],
                "aliases": [str(a) for a in aliases],
            }
    return list(seen.values())
