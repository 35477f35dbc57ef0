"""The page as a file: escaping, the Content-Security-Policy, nothing fetched from anywhere.

These tests read the HTML text (no browser); tests/visualise/test_browser.py opens it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from graph.visualise.render import csp_hash, json_for_html, page_html, vis_js, vis_network

PAGES = ("index", "network", "lineage", "entity", "timeline")


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each <script> and <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.blocks: list[tuple[str, dict[str, str | None], str]] = []
        self._open: tuple[str, dict[str, str | None]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = (tag, dict(attrs))
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            self.blocks.append((self._open[0], self._open[1], "".join(self._text)))
            self._open = None


def parse(text: str) -> Elements:
    p = Elements()
    p.feed(text)
    return p


def policy(text: str) -> dict[str, list[str]]:
    tags = parse(text).tags
    meta = next(a for t, a in tags if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy")
    out = {}
    for part in (meta["content"] or "").split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.fixture(scope="module")
def mini_pages(mini_site: Path) -> dict[str, str]:
    return {name: (mini_site / f"{name}.html").read_text(encoding="utf-8") for name in PAGES}


def test_json_for_html_escapes_what_could_end_or_bend_a_script_element() -> None:
    value = {"name": "</script><script>alert(1)</script>", "q": "a & b <!-- c -->", "ls": "x\u2028y\u2029z",
             "khmer": "\u1781\u17d2\u1798\u17c2\u179a", "lone": "\ud800"}
    text = json_for_html(value)
    for bad in ("<", ">", "&", "\u2028", "\u2029", "\ud800"):
        assert bad not in text
    assert "\u1781\u17d2\u1798\u17c2\u179a" in text, "Khmer stays readable UTF-8"
    assert json.loads(text) == value


def test_every_page_starts_its_head_with_the_csp_and_declares_utf8_early(mini_pages: dict[str, str]) -> None:
    for name, text in mini_pages.items():
        head = text.split("<head>", 1)[1].lstrip()
        assert head.startswith('<meta http-equiv="Content-Security-Policy"'), name
        assert '<meta charset="utf-8">' in text.encode("utf-8")[:1024].decode("utf-8", "ignore"), name


def test_the_policy_allows_nothing_from_outside_and_only_the_inline_code_it_hashes(mini_pages: dict[str, str]) -> None:
    for name, text in mini_pages.items():
        csp = policy(text)
        assert csp["default-src"] == ["'none'"]
        assert csp["img-src"] == ["data:"]
        assert "connect-src" not in csp, "default-src 'none' already forbids every connection"
        assert csp["base-uri"] == ["'none'"] and csp["form-action"] == ["'none'"]
        assert csp["require-trusted-types-for"] == ["'script'"]
        for directive in ("script-src", "style-src"):
            assert all(w.startswith("'sha256-") for w in csp[directive]), (name, directive, csp[directive])
        blocks = parse(text).blocks
        scripts = [body for tag, attrs, body in blocks if tag == "script" and attrs.get("type") != "application/json"]
        styles = [body for tag, _a, body in blocks if tag == "style"]
        assert scripts and styles
        assert sorted(csp["script-src"]) == sorted(csp_hash(s) for s in scripts), name
        assert sorted(csp["style-src"]) == sorted(csp_hash(s) for s in styles), name


def test_csp_hash_is_the_base64_sha256_of_the_element_text() -> None:
    digest = base64.b64encode(hashlib.sha256(b"alert(1)").digest()).decode()
    assert csp_hash("alert(1)") == f"'sha256-{digest}'"


def test_no_page_references_anything_outside_itself(mini_pages: dict[str, str]) -> None:
    for name, text in mini_pages.items():
        tags = parse(text).tags
        for tag, attrs in tags:
            assert "src" not in attrs, f"{name}: <{tag} src=...> would load a resource"
            assert tag not in ("link", "iframe", "object", "embed", "base", "img"), f"{name}: <{tag}>"
            href = attrs.get("href")
            if href is not None:
                assert re.fullmatch(r"[a-z]+\.html", href), f"{name}: <{tag} href={href!r}> must be a sibling page"
        assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", text), name
        assert not re.search(r"url\(\s*['\"]?https?:", text), name


def test_data_sits_in_a_json_block_that_parses_back(mini_pages: dict[str, str]) -> None:
    for name, text in mini_pages.items():
        blocks = [b for t, a, b in parse(text).blocks if t == "script" and a.get("type") == "application/json"]
        assert len(blocks) == 1, name
        data = json.loads(blocks[0])
        assert data["page"] == name
        assert data["types"], name


def test_title_and_heading_are_escaped() -> None:
    hostile = '<img src=x onerror=alert(1)> & "quotes" </title>'
    text = page_html(hostile, "timeline", {"page": "timeline"}, vis=False)
    assert "<img" not in text.split("<body", 1)[0] + text.split("<body", 1)[1].split("<script", 1)[0]
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &lt;/title&gt;" in text


def test_vis_network_comes_from_pyvis_and_is_inlined_whole() -> None:
    js = vis_js()
    assert "vis-network" in js[:400] and len(js) > 300_000
    assert "</script" not in js.lower()


def test_pyvis_network_is_filled_directly_with_its_options_merged() -> None:
    nodes = [{"id": f"n{i}", "label": f"N {i}", "x": i, "y": 0} for i in range(3)]
    edges = [{"id": "e0", "from": "n0", "to": "n1", "facts": [0]}]
    net: dict[str, Any] = vis_network(nodes, edges, {"physics": {"enabled": False}, "edges": {"smooth": False}})
    assert [n["id"] for n in net["nodes"]] == ["n0", "n1", "n2"]
    assert net["edges"][0]["from"] == "n0"
    assert net["options"]["physics"]["enabled"] is False
    assert net["options"]["edges"]["smooth"] is False, "our options replace pyvis's dynamic smoothing"
    assert net["options"]["configure"] == {"enabled": False}, "pyvis's defaults are kept otherwise"
