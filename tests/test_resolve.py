"""One actor, one IRI, every form an alias (RELIABILITY 23)."""

from __future__ import annotations

import unicodedata

import pytest

from graph.errors import InputError
from graph.factfile import EntityDecl
from graph.resolve import Registry, name_key


def decl(ent_id: str, name: str, aliases: tuple[str, ...] = (), type_: str = "Person") -> EntityDecl:
    return EntityDecl(ent_id, name, type_, aliases, (), None, "entities.yaml", 1)


def test_name_key_folds_unicode_variants() -> None:
    assert name_key("Theary\u00a0Seng") == name_key("theary seng")  # non-breaking space
    assert name_key("Thea\u200bry Seng") == name_key("Theary Seng")  # zero-width space
    decomposed = unicodedata.normalize("NFD", "Phnom Péñh")
    assert name_key(decomposed) == name_key("Phnom Péñh")
    assert name_key("The Candlelight Party") == name_key("Candlelight Party")
    assert name_key("“Hun Sen”") == name_key("Hun Sen")


def test_khmer_coeng_order_and_zero_width_space_give_one_key() -> None:
    # coeng RO written before another subscript, and the same with a zero-width space inside
    canonical = "\u179f\u17d2\u178f\u17d2\u179a\u17b8"
    reordered = "\u179f\u17d2\u179a\u17d2\u178f\u17b8"
    assert name_key(reordered) == name_key(canonical)
    assert name_key(canonical[:2] + "\u200b" + canonical[2:]) == name_key(canonical)


def test_registry_resolves_aliases_typos_and_khmer_order() -> None:
    reg = Registry.from_decls([
        decl("hun-sen", "Hun Sen", ("Hun Sun",)),
        decl("theary-seng", "Theary Seng", ("Seng Theary",)),
        decl("candlelight-party", "Candlelight Party", ("CLP", "Candlelight"), "PoliticalParty"),
    ])
    assert reg.resolve("Hun Sun") == "hun-sen"
    assert reg.resolve("seng theary") == "theary-seng"
    assert reg.resolve("the Candlelight Party") == reg.resolve("clp") == "candlelight-party"
    assert reg.resolve("Seng") is None  # never a weak single-token match


def test_an_alias_names_one_actor_only() -> None:
    with pytest.raises(InputError, match="name 'Seng' of sina-seng is already a name of theary-seng"):
        Registry.from_decls([decl("theary-seng", "Theary Seng", ("Seng",)), decl("sina-seng", "Sina Seng", ("Seng",))])


def test_a_source_may_add_aliases_but_not_change_the_type() -> None:
    reg = Registry.from_decls([decl("hun-sen", "Hun Sen"), decl("hun-sen", "Hun Sen", ("Hun Sun",))])
    assert reg.entities["hun-sen"].aliases == ("Hun Sun",)
    with pytest.raises(InputError, match="hun-sen is a Court here but a Person in entities.yaml:1"):
        reg.add(decl("hun-sen", "Hun Sen", (), "Court"))


def test_find_suggests_close_names() -> None:
    reg = Registry.from_decls([decl("son-chhay", "Son Chhay", ("Chhay",))])
    with pytest.raises(InputError) as err:
        reg.find("Chha")
    assert err.value.one_line() == "ENTITY: no entity named 'Chha' (did you mean: son-chhay)"
