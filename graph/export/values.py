"""Making untrusted values safe for each file format.

Labels, notes and quoted words come from curated data and article texts, so they may hold
anything: quotes, newlines, Khmer script, characters that XML 1.0 cannot carry at all (``\\x0b``,
``\\x0c``, other C0 controls, U+FFFE), or a leading ``=`` that a spreadsheet would run as a
formula.  Every exporter passes its strings through one of these functions:

- :func:`xml_text` removes what XML 1.0 forbids (the rest is escaped by the XML writer), so
  GraphML and GEXF stay well-formed;
- :func:`json_text` removes lone surrogates (UTF-8 cannot encode them);
- :func:`csv_cell` neutralises spreadsheet formulas: a cell starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return gets a leading apostrophe (the OWASP advice), which
  spreadsheets show as text and do not evaluate.
"""

from __future__ import annotations

import json
import re
from typing import Any

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SURROGATES = re.compile("[\ud800-\udfff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot represent, even escaped."""
    return _XML_BAD.sub("", value)


def json_text(value: str) -> str:
    return _SURROGATES.sub("", value)


def csv_cell(value: Any) -> str:
    """One CSV cell: ``None`` is empty, booleans are ``true``/``false``, formulas are defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = repr(value)
    else:
        text = json_text(str(value))
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def join_list(values: list[Any]) -> str:
    """A list of plain values as one string: `` | `` between items."""
    return " | ".join(str(v) for v in values)


def flat(value: Any) -> Any:
    """A scalar for GraphML/GEXF/CSV: lists of scalars joined, dicts and nested lists as JSON
    (sorted keys), None unchanged (the caller drops it)."""
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
            return join_list(list(value))
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return value
