"""The SHACL gate: nothing is written unless the graph conforms.

Loading already refuses most bad input with a file/line message (see :mod:`graph.load`);
the shapes (``ontology/shapes.ttl``) then check the graph as built: every claim has one
source, dates are well typed, memberships name a person and an organisation, lineage
events name a party.  A violation is reported with the file and line of the fact behind
the offending node, when there is one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

import pyoxigraph as ox

from .settings import ONTOLOGY_DIR


@dataclass
class Problem:
    severity: str  # "Violation" or "Warning"
    focus: str
    path: str | None
    message: str
    where: str | None = None  # file:line of the fact behind the node

    def line(self) -> str:
        at = f"{self.where}: " if self.where else ""
        via = f" ({self.path})" if self.path else ""
        return f"{at}{self.severity}: {self.focus}{via}: {self.message}"


@dataclass
class Report:
    conforms: bool
    problems: list[Problem] = field(default_factory=list)

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "Violation"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "Violation"]


def shacl_validate(quads: Iterable[ox.Quad], origins: dict[str, str] | None = None) -> Report:
    """Run pyshacl over the union of all named graphs plus the ontology."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    from .rdfterms import union_graph

    data = union_graph(quads)
    shapes = rdflib.Graph()
    shapes.parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, abort_on_first=False
    )
    report = Report(conforms=bool(conforms))
    origins = origins or {}
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        focus = str(results.value(result, SH.focusNode))
        path: Any = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        text = str(message) if message else "does not conform"
        if value is not None and str(value) != focus:
            text += f" (value {value.n3()})"
        base = focus.split("-time")[0].split("-interval")[0].split("-evidence")[0]
        report.problems.append(
            Problem(severity, focus, str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if path else None, text, origins.get(base))
        )
    report.problems.sort(key=lambda p: (p.severity != "Violation", p.where or "", p.focus, p.message))
    return report
