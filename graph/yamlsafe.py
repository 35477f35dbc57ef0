"""Read YAML as plain data, refusing everything that makes YAML dangerous or surprising.

Curated facts are edited by hand and drafts come from untrusted articles, so the reader:

- builds only mappings, sequences and scalars (no ``!!python/...`` or any other tag);
- refuses anchors and aliases (no alias bombs) and duplicate keys (the second would
  silently win);
- keeps every scalar a string except plain decimal integers, plain decimals (for
  ``confidence``), ``true``/``false`` and ``null``: ``NO`` stays "NO", ``012`` stays "012",
  ``1952-08-05`` stays a string to be checked by the date parser;
- refuses files over :data:`graph.settings.MAX_YAML_BYTES` before parsing;
- remembers the line of every mapping and key, so errors can name them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError
from .settings import MAX_YAML_BYTES

try:  # the C parser is 5-10x faster; construction stays ours either way
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(0|[1-9][0-9]*)\.[0-9]+$")


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _StrictLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A loader whose resolver knows only str, int, float, bool and null."""


# Replace the implicit resolvers: drop timestamps, octal/sexagesimal ints, yes/no booleans.
_StrictLoader.yaml_implicit_resolvers = {}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|)$"), ["~", "n", ""]
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", _INT, list("-+0123456789")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float", _FLOAT, list("-+0123456789")
)

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


def _fail(path: str, node: yaml.Node, message: str) -> InputError:
    return InputError(message, path=path, line=node.start_mark.line + 1)


def _construct(node: yaml.Node, path: str, depth: int = 0) -> Any:
    if depth > 64:
        raise _fail(path, node, "nested more than 64 levels deep")
    if node.tag not in _ALLOWED_TAGS:
        raise _fail(path, node, f"YAML tag {node.tag!r} is not allowed (plain data only)")
    if isinstance(node, yaml.MappingNode):
        out = LineDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _fail(path, key_node, "mapping keys must be plain strings")
            if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                raise _fail(path, key_node, "YAML merge keys (<<) are not allowed")
            key = str(key_node.value)
            if key in out:
                raise _fail(path, key_node, f"duplicate key {key!r}")
            out.key_lines[key] = key_node.start_mark.line + 1
            out[key] = _construct(value_node, path, depth + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, path, depth + 1) for item in node.value]
    value = node.value
    tag = node.tag
    if tag == "tag:yaml.org,2002:int":
        return int(value)
    if tag == "tag:yaml.org,2002:float":
        return float(value)
    if tag == "tag:yaml.org,2002:bool":
        return value == "true"
    if tag == "tag:yaml.org,2002:null":
        return None
    return value


def _check_no_aliases(text: str, path: str) -> None:
    """Refuse anchors and aliases before composing, so an alias bomb never expands."""
    loader = _StrictLoader(text)
    try:
        while True:
            event = loader.get_event()
            if event is None:
                break
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 1 if event.start_mark else None
                raise InputError("YAML anchors and aliases are not allowed", path=path, line=line)
            if isinstance(event, yaml.StreamEndEvent):
                break
    finally:
        loader.dispose()


def loads(text: str, path: str = "<string>") -> Any:
    """Parse one YAML document from ``text`` into plain data (see module doc)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_YAML_BYTES:
        raise InputError(f"file is larger than {MAX_YAML_BYTES // (1024 * 1024)} MB", path=path)
    try:
        if "&" in text or "*" in text:
            _check_no_aliases(text, path)
        loader = _StrictLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = (exc.problem or exc.context or "malformed YAML").strip()
        raise InputError(f"malformed YAML: {problem}", path=path, line=line) from None
    except yaml.YAMLError as exc:
        raise InputError(f"malformed YAML: {exc}", path=path) from None
    if node is None:
        return None
    return _construct(node, path)


def load_file(path: Path) -> Any:
    """Read and parse a YAML file, refusing oversized or undecodable input."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    if size > MAX_YAML_BYTES:
        raise InputError(f"file is larger than {MAX_YAML_BYTES // (1024 * 1024)} MB", path=path)
    return load_bytes(path.read_bytes(), path)


def load_bytes(raw: bytes, path: Path) -> Any:
    """Parse YAML already read from ``path`` (for callers that also need the bytes)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=path) from None
    return loads(text, str(path))


def dumps(data: Any) -> str:
    """Write plain data as block YAML, keys in the order given, strings quoted when needed."""
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    )


try:  # libyaml's emitter: about twice as fast; the representers below stay ours
    _BaseDumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _BaseDumper = yaml.SafeDumper  # type: ignore[misc,assignment]


class _Dumper(_BaseDumper):  # type: ignore[misc,valid-type]
    """Safe dumper that never emits anchors and quotes strings YAML would misread."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Quote anything our strict reader would not read back as the same string.
    style = None
    if _INT.match(value) or _FLOAT.match(value) or value in {"true", "false", "null", "~", ""}:
        style = "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)  # type: ignore[arg-type]
_Dumper.add_representer(LineDict, yaml.representer.SafeRepresenter.represent_dict)
