"""Each file in tests/shapes/ is one SHACL case: data, and on its first line what the gate
must say (``# expect: conforms`` / ``# expect: violation TEXT`` / ``# expect: warning TEXT``,
TEXT found in the report). The ontology is added to the data so subclass targets work."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.settings import ONTOLOGY_DIR
from graph.validate import shacl_validate

CASES = sorted((Path(__file__).parent / "shapes").glob("*.ttl"))


def test_every_case_is_found() -> None:
    # A leftover filter cannot silently hide the cases.
    assert len(CASES) == 11


def _quads(path: Path) -> list[ox.Quad]:
    out = []
    for p in (ONTOLOGY_DIR / "cpkg.ttl", path):
        with open(p, "rb") as fh:
            out += [ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(fh, format=ox.RdfFormat.TURTLE)]
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_shape_case(case: Path) -> None:
    expect = case.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect:").strip()
    report = shacl_validate(_quads(case))
    text = "\n".join(f"{p.severity} {p.focus} {p.path} {p.message}" for p in report.problems)
    if expect == "conforms":
        assert report.conforms and not report.problems, text
        return
    severity, _, needle = expect.partition(" ")
    found = report.violations if severity == "violation" else report.warnings
    assert found, f"expected a {severity}, got:\n{text or 'nothing'}"
    if severity == "warning":
        assert not report.violations, text
    assert needle in text or any(needle in p.focus or needle in (p.path or "") for p in found), text
