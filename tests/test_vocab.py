"""graph/vocab.py is generated from the ontology and must not drift from it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from graph.settings import PROJECT_DIR


def test_generated_vocabulary_is_up_to_date() -> None:
    check = subprocess.run([sys.executable, str(PROJECT_DIR / "scripts" / "gen_vocab.py"), "--check"])
    assert check.returncode == 0, "graph/vocab.py is stale: run `python scripts/gen_vocab.py`"


def test_a_typo_fails_loudly() -> None:
    from graph.vocab import CPKG

    assert str(CPKG.Claim) == "https://w3id.org/cpkg/ontology#Claim"
    with pytest.raises(AttributeError):
        CPKG.Clam  # noqa: B018


def test_every_term_has_a_label_and_a_comment() -> None:
    import pyoxigraph as ox

    from graph.namespaces import CPKG, RDFS

    store = ox.Store()
    with open(PROJECT_DIR / "ontology" / "cpkg.ttl", "rb") as fh:
        store.load(fh, format=ox.RdfFormat.TURTLE)
    missing = [row["t"].value for row in store.query(f"""
        SELECT DISTINCT ?t WHERE {{
          ?t a ?kind . FILTER(STRSTARTS(STR(?t), "{CPKG}"))
          FILTER NOT EXISTS {{ ?t <{RDFS}label> ?l . ?t <{RDFS}comment> ?c }}
        }}""")]
    assert missing == []
