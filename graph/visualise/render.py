"""One self-contained HTML file per page: template, inlined scripts, data, CSP.

Why our own template and not pyvis's: pyvis's HTML (even with ``cdn_resources="in_line"``)
asks a CDN for Bootstrap, and its default physics and layout stall big pages.  pyvis is
used for what it is good at, holding the vis-network node and edge lists and options
(:func:`vis_network`), filled directly rather than through ``add_node``/``add_edge``,
whose membership checks scan lists and make building a 10,000-actor network quadratic.

Safety, in the order a browser meets it:

1. ``<meta http-equiv="Content-Security-Policy">`` is the first element of ``<head>``:
   nothing may load from anywhere (``default-src 'none'``), only the inline scripts and
   styles whose SHA-256 is listed may run or apply, images only from ``data:``, no
   connections, no ``<base>``, no forms, and Trusted Types are required, so that any
   ``innerHTML`` with a string throws instead of parsing markup;
2. the only text the template interpolates (page title and heading) is HTML-escaped;
3. every piece of data is JSON inside ``<script type="application/json">`` with ``<``,
   ``>``, ``&``, U+2028 and U+2029 written as ``\\uXXXX``, so no ``</script>`` or
   ``<!--`` can end or bend the block, and the script reads it with ``JSON.parse``;
4. the page script builds every element with ``textContent`` and gives links an
   ``href`` only when it is an ``http:``/``https:`` URL.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

ASSETS = Path(__file__).resolve().parent / "assets"
PAGES = ("index", "network", "lineage", "entity", "timeline")
NAV = (("index.html", "Overview"), ("network.html", "Network"), ("lineage.html", "Lineage"),
       ("entity.html", "Actors"), ("timeline.html", "Timeline"))

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_for_html(data: Any) -> str:
    """JSON that can sit inside a ``<script>`` element and parse back to ``data``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _JSON_ESCAPES.items():  # str.replace: ~10x faster than a regex on 20 MB
        if char in text:
            text = text.replace(char, escaped)
    if _LONE_SURROGATE.search(text):
        text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _check_inline(name: str, text: str) -> str:
    """Inline code must not contain what would end or confuse its element."""
    lowered = text.lower()
    for bad in ("</script", "<!--", "</style"):
        if bad in lowered:
            raise ValueError(f"{name} contains {bad!r} and cannot be inlined as is")
    return text


@lru_cache(maxsize=1)
def vis_js() -> str:
    """vis-network as pyvis ships it (the newest copy under pyvis/templates/lib)."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib"
    candidates = sorted(lib.glob("vis-*/vis-network.min.js"),
                        key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)))
    if not candidates:
        raise FileNotFoundError(f"no vis-network.min.js under {lib}")
    return _check_inline("vis-network.min.js", candidates[-1].read_text(encoding="utf-8"))


@cache
def asset(name: str) -> str:
    """A file of assets/; scripts and styles are checked to be safe to inline."""
    text = (ASSETS / name).read_text(encoding="utf-8")
    return text if name.endswith(".html") else _check_inline(name, text)


def vis_network(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], options: dict[str, Any]) -> dict[str, Any]:
    """vis-network data made with pyvis's Network, without its quadratic paths.

    ``Network.add_node`` checks ``n_id not in self.node_ids`` (a list) and ``add_edge``
    checks both ends against ``get_nodes()`` (a list copy), i.e. O(n) per call; appending
    to the lists ourselves is what those methods do once the checks pass.
    """
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="local")
    for node in nodes:
        net.nodes.append(node)
        net.node_ids.append(node["id"])
        net.node_map[node["id"]] = node
    net.edges.extend(edges)
    net.toggle_physics(False)
    base = json.loads(net.options.to_json())
    merged = _merge(base, options)
    n, e, _heading, _h, _w, _opts = net.get_network_data()
    return {"nodes": n, "edges": e, "options": merged}


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def page_html(title: str, page: str, data: dict[str, Any], *, vis: bool = True, nav: bool = True,
              heading: str | None = None) -> str:
    """The whole page; ``data`` becomes the page's JSON block."""
    app_js = asset("app.js")
    app_css = asset("app.css")
    scripts = ([vis_js()] if vis else []) + [app_js]
    policy = "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(csp_hash(s) for s in scripts),
        "style-src " + csp_hash(app_css),
        "img-src data:",
        "font-src data:",
        "base-uri 'none'",
        "form-action 'none'",
        "require-trusted-types-for 'script'",
        "trusted-types 'none'",
    ])
    nav_html = ""
    if nav:
        links = []
        for href, label in NAV:
            current = ' aria-current="page"' if href == f"{page}.html" else ""
            links.append(f'<a href="{href}"{current}>{label}</a>')
        nav_html = '<nav class="site">' + "".join(links) + "</nav>"
    template = asset("page.html")
    parts = {
        "csp": html.escape(policy, quote=False).replace('"', "&quot;"),
        "title": html.escape(title, quote=True),
        "heading": html.escape(heading if heading is not None else title, quote=True),
        "page": html.escape(page, quote=True),
        "nav": nav_html,
        "css": app_css,
        "data": json_for_html(data),
        "scripts": "".join(f"<script>{s}</script>\n" for s in scripts),
    }
    # one pass, so that no value is ever read as a placeholder
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], template)
