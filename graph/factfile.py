"""Read fact-language files (FACTS.md) into checked records.

Everything a hand-edited YAML file can get wrong is caught here, with the file, line and
field in the message: unknown keys and predicates, impossible dates, bad durations, URLs
that are not http(s), ids that are not ``[a-z0-9-]``, control characters in labels.
Cross-file checks (does the entity exist, does the text hash match) belong to
:mod:`graph.registry` and :mod:`graph.load`, which know the other files.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import yamlsafe
from .errors import InputError
from .model import UNIVERSAL_KEYS, Model
from .namespaces import ID_PATTERN

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DURATION = re.compile(r"^P(?=\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`\x00-\x1f\x7f]+$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

SOURCE_KEYS = frozenset(
    {"id", "title", "publisher", "url", "published", "published_precision", "published_note",
     "text_sha256", "language", "kind", "note"}
)
ENTITY_KEYS = frozenset({"id", "name", "type", "aliases", "alias_notes", "description", "khmer_name"})
STATUSES = frozenset({"reviewed", "draft"})


@dataclass(frozen=True)
class Date:
    """A date at the precision a source gives: ``2023``, ``2023-10`` or ``2023-10-18``."""

    text: str

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month", 10: "day"}[len(self.text)]

    @property
    def xsd(self) -> str:
        return {4: "gYear", 7: "gYearMonth", 10: "date"}[len(self.text)]

    def bounds(self) -> tuple[str, str]:
        """First and last day the date may mean, as ISO strings (for as-of comparisons)."""
        if len(self.text) == 10:
            return self.text, self.text
        if len(self.text) == 7:
            y, m = int(self.text[:4]), int(self.text[5:7])
            last = (_dt.date(y + (m == 12), m % 12 + 1, 1) - _dt.timedelta(days=1)).day
            return f"{self.text}-01", f"{self.text}-{last:02d}"
        return f"{self.text}-01-01", f"{self.text}-12-31"


@dataclass(frozen=True)
class SourceMeta:
    id: str
    title: str | None
    publisher: str | None
    url: str | None
    published: Date | None
    published_precision: str | None
    published_note: str | None
    text_sha256: str | None
    language: str | None
    kind: str
    note: str | None
    path: str
    line: int


@dataclass(frozen=True)
class EntityDecl:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    alias_notes: tuple[tuple[str, str], ...]
    description: str | None
    path: str
    line: int


@dataclass(frozen=True)
class Fact:
    s: str
    p: str
    o: Any  # entity id, literal string, Date, or duration string
    qualifiers: tuple[tuple[str, Any], ...]
    evidence: tuple[tuple[int, int], ...]
    status: str
    confidence: float | None
    note: str | None
    path: str
    line: int
    object_is_entity: bool = False
    key_lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, key: str) -> int:
        """The line of one key of this fact (the fact's first line if unknown)."""
        return dict(self.key_lines).get(key, self.line)

    def q(self, name: str, default: Any = None) -> Any:
        for k, v in self.qualifiers:
            if k == name:
                return v
        return default


@dataclass
class SourceDoc:
    meta: SourceMeta
    entities: list[EntityDecl] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    path: str = ""


def parse_date(value: Any, *, path: str, line: int, field_name: str) -> Date:
    """Check a YYYY, YYYY-MM or YYYY-MM-DD string and keep its precision."""
    text = str(value).strip() if isinstance(value, (str, int)) else None
    m = _DATE.match(text or "")
    if not m:
        raise InputError(f"{value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)", path=path, line=line, field=field_name)
    y, mo, d = m.groups()
    try:
        _dt.date(int(y), int(mo or 1), int(d or 1))
    except ValueError:
        raise InputError(f"{text!r} is not a real date", path=path, line=line, field=field_name) from None
    return Date(text or "")


def check_duration(value: Any, *, path: str, line: int, field_name: str) -> str:
    """Check an ISO 8601 duration and return it in xsd:duration canonical form (P18M -> P1Y6M),
    the form a SPARQL store gives back, so exports and query results agree."""
    text = str(value).strip()
    m = _DURATION.match(text)
    if not m:
        raise InputError(f"{value!r} is not an ISO 8601 duration (like P3Y or P18M)", path=path, line=line, field=field_name)
    y, mo, w, d = (int(g or 0) for g in m.groups())
    y, mo, d = y + mo // 12, mo % 12, d + 7 * w
    out = "P" + (f"{y}Y" if y else "") + (f"{mo}M" if mo else "") + (f"{d}D" if d else "")
    return out if out != "P" else "P0D"


def clean_text(value: Any, *, path: str, line: int, field_name: str, allow_empty: bool = False) -> str:
    """A label or literal: a string, NFC-normalised, without control characters."""
    if not isinstance(value, str):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        else:
            raise InputError(f"expected text, got {type(value).__name__}", path=path, line=line, field=field_name)
    if _BAD_CHARS.search(value):
        raise InputError("contains a control character or lone surrogate", path=path, line=line, field=field_name)
    value = unicodedata.normalize("NFC", value).strip()
    if not value and not allow_empty:
        raise InputError("is empty", path=path, line=line, field=field_name)
    return value


def check_id(value: Any, *, path: str, line: int, field_name: str) -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise InputError(f"{value!r} is not an id (lowercase letters, digits and hyphens)", path=path, line=line, field=field_name)
    return value


def _mapping(value: Any, *, path: str, line: int, field_name: str) -> yamlsafe.LineDict:
    if not isinstance(value, dict):
        raise InputError(f"expected a mapping, got {type(value).__name__}", path=path, line=line, field=field_name)
    return value  # type: ignore[return-value]


def _line(d: Any, key: str | None = None, default: int = 0) -> int:
    if isinstance(d, yamlsafe.LineDict):
        return d.line_of(key) if key else d.line
    return default


def _unknown(d: dict[str, Any], allowed: frozenset[str], *, path: str, where: str) -> None:
    for key in d:
        if key not in allowed:
            raise InputError(f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})", path=path, line=_line(d, key), field=f"{where}.{key}")


def parse_source_meta(d: Any, path: str) -> SourceMeta:
    d = _mapping(d, path=path, line=1, field_name="source")
    _unknown(d, SOURCE_KEYS, path=path, where="source")

    def opt_text(key: str) -> str | None:
        return clean_text(d[key], path=path, line=_line(d, key), field_name=f"source.{key}") if d.get(key) is not None else None

    if "id" not in d:
        raise InputError("missing", path=path, line=_line(d), field="source.id")
    url = opt_text("url")
    if url is not None and not _URL.match(url):
        raise InputError(f"{url!r} is not an http(s) URL", path=path, line=_line(d, "url"), field="source.url")
    sha = opt_text("text_sha256")
    if sha is not None and not _HEX64.match(sha):
        raise InputError("is not a lowercase hex SHA-256", path=path, line=_line(d, "text_sha256"), field="source.text_sha256")
    published = d.get("published")
    return SourceMeta(
        id=check_id(d["id"], path=path, line=_line(d, "id"), field_name="source.id"),
        title=opt_text("title"),
        publisher=opt_text("publisher"),
        url=url,
        published=parse_date(published, path=path, line=_line(d, "published"), field_name="source.published") if published is not None else None,
        published_precision=opt_text("published_precision"),
        published_note=opt_text("published_note"),
        text_sha256=sha,
        language=opt_text("language"),
        kind=opt_text("kind") or "NewsArticle",
        note=opt_text("note"),
        path=path,
        line=_line(d),
    )


def parse_entity(d: Any, path: str, where: str, model: Model) -> EntityDecl:
    d = _mapping(d, path=path, line=0, field_name=where)
    _unknown(d, ENTITY_KEYS, path=path, where=where)
    for key in ("id", "name", "type"):
        if d.get(key) in (None, ""):
            raise InputError("missing", path=path, line=_line(d), field=f"{where}.{key}")
    ent_id = check_id(d["id"], path=path, line=_line(d, "id"), field_name=f"{where}.id")
    where = f"{where}[{ent_id}]"
    type_name = d["type"]
    if type_name not in model.types:
        raise InputError(f"unknown type {type_name!r} (one of {', '.join(sorted(model.types))})", path=path, line=_line(d, "type"), field=f"{where}.type")
    aliases_raw = d.get("aliases") or []
    if not isinstance(aliases_raw, list):
        raise InputError("expected a list", path=path, line=_line(d, "aliases"), field=f"{where}.aliases")
    aliases = tuple(clean_text(a, path=path, line=_line(d, "aliases"), field_name=f"{where}.aliases") for a in aliases_raw)
    notes_raw = d.get("alias_notes") or {}
    notes_raw = _mapping(notes_raw, path=path, line=_line(d, "alias_notes"), field_name=f"{where}.alias_notes")
    notes = []
    for alias, why in notes_raw.items():
        if alias not in aliases:
            raise InputError(f"note for {alias!r}, which is not among the aliases", path=path, line=_line(notes_raw, alias), field=f"{where}.alias_notes")
        notes.append((alias, clean_text(why, path=path, line=_line(notes_raw, alias), field_name=f"{where}.alias_notes")))
    desc = d.get("description")
    return EntityDecl(
        id=ent_id,
        name=clean_text(d["name"], path=path, line=_line(d, "name"), field_name=f"{where}.name"),
        type=type_name,
        aliases=aliases,
        alias_notes=tuple(sorted(notes)),
        description=clean_text(desc, path=path, line=_line(d, "description"), field_name=f"{where}.description") if desc else None,
        path=path,
        line=_line(d),
    )


def _evidence(value: Any, *, path: str, line: int, where: str) -> tuple[tuple[int, int], ...]:
    spans = value if isinstance(value, list) else [value]
    out = []
    for span in spans:
        span = _mapping(span, path=path, line=line, field_name=f"{where}.evidence")
        _unknown(span, frozenset({"start", "end"}), path=path, where=f"{where}.evidence")
        start, end = span.get("start"), span.get("end")
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
            raise InputError("start and end must be whole numbers", path=path, line=_line(span, default=line), field=f"{where}.evidence")
        if not 0 <= start < end:
            raise InputError(f"span {start}-{end} is empty or negative", path=path, line=_line(span, default=line), field=f"{where}.evidence")
        out.append((start, end))
    return tuple(out)


def parse_fact(d: Any, path: str, index: int, model: Model) -> Fact:
    where = f"facts[{index}]"
    d = _mapping(d, path=path, line=0, field_name=where)
    line = _line(d)
    for key in ("s", "p", "o"):
        if d.get(key) is None or d.get(key) == "":
            raise InputError("missing", path=path, line=line, field=f"{where}.{key}")
    p = d["p"]
    pred = model.predicates.get(p) if isinstance(p, str) else None
    if pred is None:
        raise InputError(f"unknown predicate {p!r}", path=path, line=_line(d, "p"), field=f"{where}.p",
                         hint="see the predicate table in FACTS.md")
    allowed = UNIVERSAL_KEYS | pred.qualifiers
    for key in d:
        if key not in allowed:
            raise InputError(f"{p} does not take {key!r} (it takes: {', '.join(sorted(pred.qualifiers)) or 'no qualifiers'})",
                             path=path, line=_line(d, key), field=f"{where}.{key}")
    s = check_id(d["s"], path=path, line=_line(d, "s"), field_name=f"{where}.s")
    raw_o = d["o"]
    o_line = _line(d, "o")
    obj: Any
    is_entity = False
    if pred.object_kind == "date":
        obj = parse_date(raw_o, path=path, line=o_line, field_name=f"{where}.o")
    elif pred.object_kind == "duration":
        obj = check_duration(raw_o, path=path, line=o_line, field_name=f"{where}.o")
    elif pred.object_kind == "entity":
        obj = check_id(raw_o, path=path, line=o_line, field_name=f"{where}.o")
        is_entity = True
    elif pred.object_kind == "entity-or-literal" and isinstance(raw_o, str) and ID_PATTERN.match(raw_o):
        obj, is_entity = raw_o, True  # resolved later: an unknown id becomes an error there
    else:
        obj = clean_text(raw_o, path=path, line=o_line, field_name=f"{where}.o")
    quals: list[tuple[str, Any]] = []
    for key in sorted(pred.qualifiers & set(d)):
        value = d[key]
        qual = model.qualifiers[key]
        qline = _line(d, key)
        if value is None:
            continue
        if qual.kind == "date":
            quals.append((key, parse_date(value, path=path, line=qline, field_name=f"{where}.{key}")))
        elif qual.kind == "entity":
            quals.append((key, check_id(value, path=path, line=qline, field_name=f"{where}.{key}")))
        elif qual.kind == "boolean":
            if not isinstance(value, bool):
                raise InputError("expected true or false", path=path, line=qline, field=f"{where}.{key}")
            quals.append((key, value))
        else:
            quals.append((key, clean_text(value, path=path, line=qline, field_name=f"{where}.{key}")))
    qd = dict(quals)
    if "start" in qd and "end" in qd and qd["end"].bounds()[1] < qd["start"].bounds()[0]:
        raise InputError(f"ends ({qd['end'].text}) before it starts ({qd['start'].text})", path=path, line=_line(d, "end"), field=f"{where}.end")
    status = d.get("status", "reviewed")
    if status not in STATUSES:
        raise InputError(f"status {status!r} is not reviewed or draft", path=path, line=_line(d, "status"), field=f"{where}.status")
    conf = d.get("confidence")
    if conf is not None and (isinstance(conf, bool) or not isinstance(conf, (int, float)) or not 0 <= conf <= 1):
        raise InputError("confidence must be a number from 0 to 1", path=path, line=_line(d, "confidence"), field=f"{where}.confidence")
    evidence = _evidence(d["evidence"], path=path, line=_line(d, "evidence"), where=where) if d.get("evidence") is not None else ()
    note = d.get("note")
    return Fact(
        s=s, p=p, o=obj, qualifiers=tuple(quals), evidence=evidence, status=status,
        confidence=float(conf) if conf is not None else None,
        note=clean_text(note, path=path, line=_line(d, "note"), field_name=f"{where}.note") if note else None,
        path=path, line=line, object_is_entity=is_entity,
        key_lines=tuple(sorted(d.key_lines.items())) if isinstance(d, yamlsafe.LineDict) else (),
    )


def parse_source_doc(data: Any, path: str, model: Model) -> SourceDoc:
    """Check one parsed source file (``source``, ``entities``, ``facts``)."""
    doc = _mapping(data, path=path, line=1, field_name="(top level)")
    _unknown(doc, frozenset({"source", "entities", "facts", "negative_facts"}), path=path, where="(top level)")
    if "source" not in doc:
        raise InputError("missing", path=path, line=1, field="source")
    meta = parse_source_meta(doc["source"], path)
    entities = doc.get("entities") or []
    facts = doc.get("facts") or []
    if not isinstance(entities, list):
        raise InputError("expected a list", path=path, line=_line(doc, "entities"), field="entities")
    if not isinstance(facts, list):
        raise InputError("expected a list", path=path, line=_line(doc, "facts"), field="facts")
    return SourceDoc(
        meta=meta,
        entities=[parse_entity(e, path, f"entities[{i}]", model) for i, e in enumerate(entities)],
        facts=[parse_fact(f, path, i, model) for i, f in enumerate(facts)],
        path=path,
    )


def read_registry_file(path: Path, model: Model) -> list[EntityDecl]:
    """Read ``entities.yaml``: a mapping with one key, ``entities``, a list."""
    data = yamlsafe.load_file(path)
    data = _mapping(data, path=str(path), line=1, field_name="(top level)")
    _unknown(data, frozenset({"entities"}), path=str(path), where="(top level)")
    items = data.get("entities") or []
    if not isinstance(items, list):
        raise InputError("expected a list", path=path, line=_line(data, "entities"), field="entities")
    return [parse_entity(e, str(path), f"entities[{i}]", model) for i, e in enumerate(items)]
