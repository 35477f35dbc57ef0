"""The SHACL gate: nothing is written unless the graph conforms.

Loading already refuses most bad input with a file/line message (see :mod:`graph.load`);
the shapes (``ontology/shapes.ttl``) then check the graph as built: every claim has one
source, dates are well typed, memberships name a person and an organisation, lineage
events name a party.  A violation is reported with the file and line of the fact behind
the offending node, when there is one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

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


def _sparql_constraints(shapes: Any) -> list[tuple[str, str, str, str]]:
    """(shape, select, message, severity) of every sh:sparql constraint, removed from ``shapes``."""
    import rdflib
    from rdflib.namespace import SH

    out = []
    for shape, constraint in list(shapes.subject_objects(SH.sparql)):
        select = str(shapes.value(constraint, SH.select))
        message = str(shapes.value(constraint, SH.message) or "does not conform")
        severity = str(shapes.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        out.append((str(shape), select, message, severity))
        shapes.remove((shape, SH.sparql, constraint))
        if set(shapes.predicates(shape)) <= {rdflib.RDF.type, rdflib.RDFS.comment, SH.targetSubjectsOf, SH.targetClass}:
            shapes.remove((shape, None, None))  # nothing left for pyshacl to check
    return out


def _run_sparql_constraints(quads: list[ox.Quad], constraints: list[tuple[str, str, str, str]]) -> list[Problem]:
    """Evaluate SPARQL-based constraints on Oxigraph: one query over the whole graph per
    constraint instead of one per focus node, which is what makes them slow in pyshacl.
    ``$this`` is pre-bound per focus node in SHACL; evaluated once over all nodes it is an
    ordinary variable, and each solution names its focus node."""
    from .namespaces import sparql_prefixes
    from .query import select

    store = ox.Store()
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    problems = []
    for _shape, select_text, message, severity in constraints:
        text = sparql_prefixes() + select_text.replace("$this", "?this")
        for row in select(store, text):
            path = row["path"].value.rsplit("#", 1)[-1] if _has(row, "path") else None
            problems.append(Problem(severity, row["this"].value, path, message))
    return problems


def _has(row: Any, name: str) -> bool:
    try:
        return row[name] is not None
    except (KeyError, IndexError):
        return False


def shacl_validate(quads: Iterable[ox.Quad], origins: dict[str, str] | None = None) -> Report:
    """Run the shapes over the union of all named graphs plus the ontology: pyshacl for the
    core constraints (in place: the graph is built for this call only), Oxigraph for the
    SPARQL-based ones."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    from .rdfterms import union_graph

    quads = list(quads)
    data = union_graph(quads)
    shapes = rdflib.Graph()
    shapes.parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    constraints = _sparql_constraints(shapes)
    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, abort_on_first=False,
        inplace=True,
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
        report.problems.append(
            Problem(severity, focus, str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if path else None, text)
        )
    report.problems += _run_sparql_constraints(quads, constraints)
    for p in report.problems:
        base = p.focus.split("-time")[0].split("-interval")[0].split("-evidence")[0]
        p.where = origins.get(base)
    report.conforms = not report.violations
    report.problems.sort(key=lambda p: (p.severity != "Violation", p.where or "", p.focus, p.message))
    return report
