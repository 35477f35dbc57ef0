"""Round trips: facts -> YAML -> checked records -> facts; quads -> store -> quads."""

from __future__ import annotations

import datetime as dt
import re

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import yamlsafe
from graph.build import compile_graph, open_store, store_is_fresh
from graph.factfile import parse_source_doc
from graph.facts import fact_dict
from graph.model import load_model
from graph.settings import Settings

MODEL = load_model()
ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
ids = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"),
               min_size=1, max_size=20).map(str.strip).filter(bool)
dates = st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31)).flatmap(
    lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]]))


@st.composite
def facts(draw: st.DrawFn) -> dict[str, object]:
    pred = MODEL.predicates[draw(st.sampled_from(sorted(MODEL.predicates)))]
    kind = pred.object_kind
    if kind == "entity":
        obj: object = draw(ids)
    elif kind == "date":
        obj = draw(dates)
    elif kind == "duration":
        obj = draw(st.sampled_from(["P3Y", "P1Y6M", "P2Y", "P27Y", "P70D"]))
    else:
        obj = draw(text.filter(lambda s: not ID.fullmatch(s)))
    out: dict[str, object] = {"s": draw(ids), "p": pred.name, "o": obj}
    for name in sorted(pred.qualifiers):
        if draw(st.booleans()):
            kinds = {"date": dates, "entity": ids, "boolean": st.booleans(), "literal": text}
            out[name] = draw(kinds[MODEL.qualifiers[name].kind])
    if "start" in out and "end" in out and str(out["end"]) < str(out["start"])[: len(str(out["end"]))]:
        out["start"], out["end"] = out["end"], out["start"]
    if "start" in out and "end" in out and str(out["end"]) < str(out["start"]):
        del out["end"]
    if draw(st.booleans()):
        a = draw(st.integers(0, 5000))
        out["evidence"] = {"start": a, "end": a + draw(st.integers(1, 300))}
    out["status"] = draw(st.sampled_from(["reviewed", "draft"]))
    if out["status"] == "draft":
        out["confidence"] = draw(st.sampled_from([0.5, 0.75, 0.9, 1.0]))
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(facts(), min_size=1, max_size=8))
def test_fact_language_round_trip(items: list[dict[str, object]]) -> None:
    doc = {"source": {"id": "roundtrip", "publisher": "Test"}, "facts": items}
    parsed = parse_source_doc(yamlsafe.loads(yamlsafe.dumps(doc), "rt.yaml"), "rt.yaml", MODEL)
    assert [fact_dict(f) for f in parsed.facts] == items


def test_memory_and_disk_stores_hold_the_same_quads(mini_built: Settings) -> None:
    built = {str(q) for q in compile_graph(mini_built, validate=False).quads}
    for memory in (True, False):
        store = open_store(mini_built, memory=memory)
        assert {str(q) for q in store.quads_for_pattern(None, None, None, None)} == built


def test_a_changed_source_makes_the_store_stale_and_it_is_rebuilt(mini: Settings) -> None:
    open_store(mini)  # builds the store on first use
    assert store_is_fresh(mini)
    path = mini.sources_dir / "test-beta-page.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("P18M", "P2Y"), encoding="utf-8")
    assert not store_is_fresh(mini)
    store = open_store(mini)
    lengths = {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode("https://w3id.org/cpkg/ontology#sentencedTo"), None, None)}
    assert lengths == {"P3Y", "P2Y"}
