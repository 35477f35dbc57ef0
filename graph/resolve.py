"""The entity registry: one actor, one id, every surface form an alias.

Names reach cpkg in many forms: Khmer order and Western order ("Theary Seng" / "Seng
Theary"), a surname alone ("Chhay"), misspellings ("Hun Sun"), acronyms ("CLP"), and
Unicode variants (a zero-width space inside a Khmer name, a non-breaking space,
decomposed Latin letters).  :func:`name_key` folds all of these into one matching key
while the original labels are kept as written.  Identity decisions are data: every alias
sits in ``data/entities.yaml``, optionally with the reason it was judged the same actor.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from .errors import InputError
from .factfile import EntityDecl

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_PUNCT = re.compile(r"[\u2018\u2019'\"“”().,:;!?]")
_SPACE = re.compile(r"\s+")
_COENG = "\u17d2"
_RO = "\u179a"


def _khmer_canonical(text: str) -> str:
    """Put a subscript RO (coeng + RO) after other subscripts, the order Unicode prescribes."""
    out = text
    if _COENG + _RO + _COENG in out:
        out = re.sub(f"{_COENG}{_RO}({_COENG}[\u1780-\u17a2])", rf"\1{_COENG}{_RO}", out)
    return out


def name_key(text: str) -> str:
    """A matching key for a name: Unicode-, case-, space- and punctuation-insensitive."""
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _khmer_canonical(text)
    text = _PUNCT.sub(" ", text.casefold())
    text = re.sub(r"^\s*the\s+", "", text)
    return _SPACE.sub(" ", text).strip()


@dataclass
class Registry:
    """Every known actor by id, and a key index over names and aliases."""

    entities: dict[str, EntityDecl] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    declared_in: dict[str, list[str]] = field(default_factory=dict)

    def add(self, decl: EntityDecl) -> None:
        """Add a declaration; a repeat of a known id may only add aliases."""
        known = self.entities.get(decl.id)
        where = f"entities[{decl.id}]"
        if known is not None:
            if known.type != decl.type:
                raise InputError(
                    f"{decl.id} is a {decl.type} here but a {known.type} in {known.path}:{known.line}",
                    path=decl.path, line=decl.line, field=f"{where}.type",
                )
            if known.name != decl.name and decl.name not in known.aliases:
                raise InputError(
                    f"{decl.id} is named {decl.name!r} here but {known.name!r} in {known.path}:{known.line}",
                    path=decl.path, line=decl.line, field=f"{where}.name",
                    hint="use the registry's name and list other forms as aliases",
                )
            aliases = tuple(dict.fromkeys(known.aliases + tuple(a for a in decl.aliases if a != known.name)))
            notes = tuple(sorted(dict(known.alias_notes + decl.alias_notes).items()))
            decl = replace(known, aliases=aliases, alias_notes=notes)
            self.declared_in[decl.id].append(decl.path)
        else:
            self.declared_in[decl.id] = [decl.path]
        for form in (decl.name, *decl.aliases):
            key = name_key(form)
            other = self.by_key.get(key)
            if other is not None and other != decl.id:
                raise InputError(
                    f"name {form!r} of {decl.id} is already a name of {other}",
                    path=decl.path, line=decl.line, field=f"{where}.aliases",
                    hint="one surface form may name one actor only",
                )
            self.by_key[key] = decl.id
        self.entities[decl.id] = decl

    def resolve(self, name: str) -> str | None:
        """The id an exact (normalised) name or alias denotes, or None."""
        if name in self.entities:
            return name
        return self.by_key.get(name_key(name))

    def find(self, name_or_id: str) -> str:
        """Like :meth:`resolve`, but a clear error (with suggestions) when nothing matches."""
        found = self.resolve(name_or_id)
        if found:
            return found
        key = name_key(name_or_id)
        close = sorted({i for k, i in self.by_key.items() if key and key in k})[:5]
        hint = f"did you mean: {', '.join(close)}" if close else "see `cpkg stats` for what is known"
        raise InputError(f"no entity named {name_or_id!r}", field="ENTITY", hint=hint)

    @classmethod
    def from_decls(cls, decls: list[EntityDecl]) -> Registry:
        reg = cls()
        for decl in decls:
            reg.add(decl)
        return reg
