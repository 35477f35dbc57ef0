"""Prefixes and IRI minting: the only module that knows what cpkg's IRIs look like.

IRIs are stable and readable: an entity's IRI is made from its registry id, a source's
from its source id, a claim's from a hash of what it says (source, subject, predicate,
object, qualifiers), so building twice, in any order, mints the same IRIs.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

BASE = "https://w3id.org/cpkg/"
CPKG = BASE + "ontology#"
ID = BASE + "id/"
SOURCE = BASE + "source/"
GRAPH = BASE + "graph/"
FACT = BASE + "fact/"
CASE = BASE + "case/"
ROLE = BASE + "role/"

REGISTRY_GRAPH = GRAPH + "registry"
ONTOLOGY_GRAPH = GRAPH + "ontology"

PREFIXES: dict[str, str] = {
    "cpkg": CPKG,
    "id": ID,
    "src": SOURCE,
    "fact": FACT,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "oa": "http://www.w3.org/ns/oa#",
    "sh": "http://www.w3.org/ns/shacl#",
}

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
XSD = PREFIXES["xsd"]
ORG = PREFIXES["org"]
PROV = PREFIXES["prov"]
FOAF = PREFIXES["foaf"]
SKOS = PREFIXES["skos"]
TIME = PREFIXES["time"]
SCHEMA = PREFIXES["schema"]
DCTERMS = PREFIXES["dcterms"]
OA = PREFIXES["oa"]

#: Entity and source ids: lowercase letters, digits and single hyphens.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def sparql_prefixes() -> str:
    """The PREFIX block every named query may rely on."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def entity_iri(entity_id: str) -> str:
    return ID + entity_id


def source_iri(source_id: str) -> str:
    return SOURCE + source_id


def graph_iri(source_id: str) -> str:
    return GRAPH + source_id


def role_iri(title: str) -> str:
    """One IRI per role title, so that "deputy president" in two sources is one org:Role."""
    return ROLE + slug(title)


def case_iri(source_id: str, person_id: str) -> str:
    return f"{CASE}{source_id}/{person_id}"


def fact_hash(source_id: str, s: str, p: str, o: Any, qualifiers: dict[str, Any]) -> str:
    """A short stable hash of what a fact says (not of its evidence or review state)."""
    canonical = json.dumps(
        [source_id, s, p, o, sorted(qualifiers.items())], ensure_ascii=False, sort_keys=True, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def fact_iri(digest: str) -> str:
    return FACT + digest


def local_id(iri: str) -> str:
    """The registry id of an entity IRI (``.../id/son-chhay`` -> ``son-chhay``), else the IRI."""
    for base in (ID, SOURCE, FACT):
        if iri.startswith(base):
            return iri[len(base):]
    if iri.startswith(CPKG):
        return iri[len(CPKG):]
    return iri


def slug(text: str) -> str:
    """A lowercase ``[a-z0-9-]`` slug of free text (for role IRIs and proposed ids)."""
    import unicodedata

    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or hashlib.sha256(text.encode()).hexdigest()[:8]
