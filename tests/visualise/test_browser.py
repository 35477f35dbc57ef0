"""The pages in a real headless chromium, opened from disk with the network blocked.

Every test fails on a console error, a page error, a dialog (something ran) or a request
that tried to leave ``file://`` (see ``Opened.clean`` in conftest.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import PAGES, Opened

pytestmark = pytest.mark.browser

OpenPage = Callable[..., Opened]


def shot(o: Opened, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    o.page.screenshot(path=str(path))
    print(f"screenshot: {path}")
    return path


def click_actor(o: Opened, actor: str) -> None:
    """A real mouse click where the actor is drawn."""
    pos = o.page.evaluate("id => window.cpkgPage.screenPosition(id)", actor)
    assert pos, f"{actor} is not on this page"
    box = o.page.locator("#graph").bounding_box()
    o.page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])


def shown(o: Opened, actor: str) -> bool | None:
    result: bool | None = o.page.evaluate("id => window.cpkgPage.isShown(id)", actor)
    return result


def panel(o: Opened) -> str:
    return str(o.page.inner_text("#panel"))


def set_slider(o: Opened, day: str) -> None:
    data = o.page.evaluate("JSON.parse(document.getElementById('cpkg-data').textContent).range")
    offset = (dt.date.fromisoformat(day) - dt.date.fromisoformat(data["min"])).days
    o.page.fill("#asof", str(offset))
    o.page.wait_for_function("d => document.getElementById('asof-date').textContent === d", arg=day)
    o.page.wait_for_function("d => document.getElementById('status').textContent.includes(d)", arg=day)


@pytest.mark.parametrize("name", PAGES)
def test_each_page_opens_offline_and_draws(open_page: OpenPage, mini_site: Path, screenshots: Path, name: str) -> None:
    o = open_page(mini_site / f"{name}.html")
    assert o.page.inner_text("#status").strip() not in ("", "Loading…")
    assert o.page.locator("#legend ul.types li").all_text_contents() == [
        "\u25cfperson (2)", "\u25c6political party (2)", "\u25bccourt (1)", "\u25b2prison (1)"]
    shot(o, screenshots, f"mini-{name}")
    o.clean()


def test_clicking_an_actor_lists_its_facts_with_their_sources(open_page: OpenPage, mini_site: Path,
                                                             screenshots: Path) -> None:
    o = open_page(mini_site / "network.html")
    click_actor(o, "chan-vuthy")
    o.page.wait_for_function("() => document.querySelector('#panel h2') && "
                             "document.querySelector('#panel h2').textContent.includes('Chan Vuthy')")
    text = panel(o)
    assert "Also called: Chan Vuthey, Vuthy" in text  # aliases sorted
    assert "convicted by" in text and "incitement" in text
    assert "Source: Test Wire, 2024-03-05" in text
    assert "Source: Test Encyclopedia, undated" in text, "the second source, which gives another sentence"
    assert "\u201cVuthy was convicted of incitement" in text, "the quoted words, when the corpus was there"
    hrefs = o.page.eval_on_selector_all("#panel a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert set(hrefs) == {"https://example.org/alpha", "https://example.org/beta", "entity.html#chan-vuthy"}
    shot(o, screenshots, "mini-network-clicked")
    o.clean()


def test_clicking_a_line_lists_the_facts_it_stands_for(open_page: OpenPage, mini_site: Path) -> None:
    o = open_page(mini_site / "network.html")
    line = o.page.evaluate("() => window.cpkgPage.lineBetween('sok-dara', 'chan-vuthy')")
    pos = o.page.evaluate("id => window.cpkgPage.lineScreenPosition(id)", line)
    box = o.page.locator("#graph").bounding_box()
    o.page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    o.page.wait_for_function("() => document.querySelector('#panel h3') && "
                             "document.querySelector('#panel h3').textContent === '1 fact on this line'")
    text = panel(o)
    assert "Sok Dara met Chan Vuthy" in " ".join(text.split()).replace("\u25cf", "")
    assert "Source: Test Wire, 2024-03-05" in text and "\u201cHe met Chan Vuthy there\u201d" in text
    o.clean()


def test_search_by_alias_selects_the_actor(open_page: OpenPage, mini_site: Path) -> None:
    o = open_page(mini_site / "network.html")
    o.page.fill("#search", "chan vuthey")
    result = o.page.locator("#search-results .result").first
    assert result.inner_text().startswith("\u25cfChan Vuthy (Chan Vuthey)")
    result.click()
    o.page.wait_for_function("() => document.querySelector('#panel h2').textContent.includes('Chan Vuthy')")
    o.page.fill("#search", "zzz")
    assert o.page.inner_text("#search-results") == "No actor by that name"
    o.clean()


def test_the_time_slider_shows_the_graph_as_it_stood(open_page: OpenPage, mini_site: Path, screenshots: Path) -> None:
    o = open_page(mini_site / "network.html")
    assert all(shown(o, a) for a in ("river-party", "lotus-party", "sok-dara"))
    set_slider(o, "2020-06-01")
    assert shown(o, "river-party") and shown(o, "lotus-party"), "the rename year: both names"
    assert not shown(o, "sok-dara"), "nothing about Sok Dara is dated before 2024"
    set_slider(o, "2024-03-05")
    assert not shown(o, "river-party"), "renamed in 2020: gone by 2024"
    assert shown(o, "sok-dara") and shown(o, "prey-sar-prison") and shown(o, "chan-vuthy")
    assert "as it stood on 2024-03-05" in o.page.inner_text("#status")
    shot(o, screenshots, "mini-network-2024-03-05")
    o.page.uncheck("#asof-on")
    o.page.wait_for_function("() => document.getElementById('asof-date').textContent === 'all dates'")
    o.page.wait_for_function("() => window.cpkgPage.isShown('river-party') === true")
    o.clean()


def test_type_filter_party_filter_and_focus(open_page: OpenPage, mini_site: Path) -> None:
    o = open_page(mini_site / "network.html")
    o.page.uncheck("#legend input[data-type='Person']")
    o.page.wait_for_function("() => window.cpkgPage.isShown('sok-dara') === false")
    assert shown(o, "river-party")
    o.page.check("#legend input[data-type='Person']")
    o.page.select_option("#party", "lotus-party")
    o.page.wait_for_function("() => window.cpkgPage.isShown('sok-dara') === false")
    assert shown(o, "river-party") and shown(o, "lotus-party")
    o.page.click("#unfocus")
    o.page.wait_for_function("() => window.cpkgPage.isShown('sok-dara') === true")
    click_actor(o, "prey-sar-prison")
    o.page.click("text=Focus on its neighbourhood")
    o.page.wait_for_function("() => window.cpkgPage.isShown('chan-vuthy') === false")
    assert shown(o, "sok-dara") and shown(o, "prey-sar-prison")
    o.clean()


def test_actor_page_selector_search_and_hash(open_page: OpenPage, mini_site: Path, screenshots: Path) -> None:
    o = open_page(mini_site / "entity.html")
    o.page.fill("#search", "RP")
    o.page.locator("#search-results .result").first.click()
    o.page.wait_for_function("() => window.cpkgPage.centre() === 'river-party'")
    assert o.page.evaluate("location.hash") == "#river-party"
    assert o.page.locator("#panel h2").inner_text().endswith("River Party")
    o.page.select_option("#entity-select", "prey-sar-prison")
    o.page.wait_for_function("() => window.cpkgPage.centre() === 'prey-sar-prison'")
    assert shown(o, "river-party"), "two steps out: prison -> Sok Dara -> River Party"
    assert shown(o, "lotus-party") is None, "three steps out is not on the ring"
    shot(o, screenshots, "mini-entity-prison")
    o.clean()


def test_timeline_filters(open_page: OpenPage, mini_site: Path) -> None:
    o = open_page(mini_site / "timeline.html")
    rows = int(o.page.evaluate("document.body.dataset.visibleRows"))
    assert rows >= 7
    o.page.uncheck("#legend input[data-cat='legal']")
    o.page.wait_for_function(f"() => +document.body.dataset.visibleRows < {rows}")
    o.page.check("#legend input[data-cat='legal']")
    o.page.focus("#asof")
    o.page.keyboard.press("Home")
    o.page.wait_for_function(f"() => +document.body.dataset.visibleRows < {rows}")
    o.page.uncheck("#asof-on")
    o.page.locator("#list .actor-link", has_text="Prey Sar Prison").first.click()
    assert "Prey Sar Prison" in o.page.locator("#panel h2").inner_text()
    o.clean()


def test_overview_links_every_page_and_every_source(open_page: OpenPage, mini_site: Path) -> None:
    o = open_page(mini_site / "index.html")
    hrefs = o.page.eval_on_selector_all("#list a[href]", "els => els.map(e => e.getAttribute('href'))")
    for page in ("network.html", "lineage.html", "entity.html", "timeline.html",
                 "https://example.org/alpha", "https://example.org/beta"):
        assert page in hrefs
    o.page.fill("#search", "Prey")
    assert o.page.get_attribute("#search-results a", "href") == "entity.html#prey-sar-prison"
    o.clean()


def test_the_policy_is_enforced_and_the_page_still_works(open_page: OpenPage, mini_site: Path) -> None:
    o = open_page(mini_site / "network.html")
    ran = o.page.evaluate("""() => {
        const s = document.createElement('script');
        try { s.text = 'window.injected = 1'; document.body.append(s); } catch (e) {}
        let inner = 'allowed';
        try { document.body.insertAdjacentHTML('beforeend', '<b>x</b>'); } catch (e) { inner = e.name; }
        return [window.injected === undefined, inner];
    }""")
    assert ran == [True, "TypeError"], "no inline script without its hash; Trusted Types stop HTML strings"
    o.errors.clear()  # the blocked attempts above are reported on the console, as they should be
    click_actor(o, "sok-dara")
    o.page.wait_for_function("() => document.querySelector('#panel h2').textContent.includes('Sok Dara')")
    o.clean()


# ------------------------------------------------------------------------ hostile text

def no_injected_markup(o: Opened) -> None:
    found = o.page.evaluate("""() => {
        const out = [];
        for (const el of document.querySelectorAll('*')) {
            for (const a of el.attributes) if (/^on/i.test(a.name)) out.push(el.tagName + ' ' + a.name);
            if (['IMG', 'SVG', 'IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName.toUpperCase())) out.push(el.tagName);
            if (el.tagName === 'A' && !/^(https?:|[a-z]+\\.html(#.*)?$)/i.test(el.getAttribute('href') || 'x.html'))
                out.push('A ' + el.getAttribute('href'));
        }
        const scripts = document.querySelectorAll('script').length;
        return {out, scripts};
    }""")
    assert found["out"] == [], found
    assert found["scripts"] == 3 or found["scripts"] == 2, "only the page's own scripts (data, vis, app)"


@pytest.mark.parametrize("name", PAGES)
def test_hostile_names_and_quotes_show_as_text_and_run_nothing(open_page: OpenPage, hostile_site: Path,
                                                              screenshots: Path, name: str) -> None:
    o = open_page(hostile_site / f"{name}.html")
    no_injected_markup(o)
    if name != "index":
        o.page.fill("#search", "harmless")
        o.page.locator("#search-results .result").first.click()
        o.page.wait_for_function("() => document.querySelector('#panel h2') && "
                                 "document.querySelector('#panel h2').textContent.includes('<img src=x onerror=alert(1)>')")
        text = panel(o)
        assert ("Also called: </script><script>alert(2)</script>, Harmless Alias, "
                "\u179f\u1798 \u179a\u1784\u17d2\u179f\u17ca\u17b8") in text
        assert "javascript:alert(3) <b onmouseover=alert(4)>bold</b>" in text
        assert "<script>alert(9)</script> Wire" in text
        assert '<a href="javascript:alert(8)">A title with href</a> & more' in text
        assert "</script><script>alert(13)</script>" in text
        assert o.page.eval_on_selector_all("#panel a[href]", "els => els.map(e => e.getAttribute('href'))") \
            and all(re.match(r"https://example\.org/|entity\.html#", h) for h in o.page.eval_on_selector_all(
                "#panel a[href]", "els => els.map(e => e.getAttribute('href'))"))
        no_injected_markup(o)
    if name in ("network", "lineage", "entity"):
        pos = o.page.evaluate("() => window.cpkgPage.screenPosition('hostile-party')")
        box = o.page.locator("#graph").bounding_box()
        o.page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
        o.page.wait_for_function("() => !document.getElementById('tip').hidden")
        tip = o.page.evaluate("() => { const t = document.getElementById('tip'); "
                              "return [t.textContent, t.children.length]; }")
        assert tip[0].startswith("</script><svg onload=alert(5)> \u2014 political party") and tip[1] == 0
    shot(o, screenshots, f"hostile-{name}")
    o.clean()


def test_khmer_search_finds_the_actor(open_page: OpenPage, hostile_site: Path) -> None:
    o = open_page(hostile_site / "network.html")
    o.page.fill("#search", "\u179f\u1798")
    assert "\u179f\u1798 \u179a\u1784\u17d2\u179f\u17ca\u17b8" in o.page.inner_text("#search-results")
    o.page.fill("#search", "\u1782\u178e\u1794\u1780\u17d2\u179f")
    o.page.keyboard.press("Enter")
    o.page.wait_for_function("() => document.querySelector('#panel h2').textContent.includes('\u1782\u178e\u1794')")
    o.clean()


def test_a_javascript_url_is_shown_as_text_not_as_a_link(open_page: OpenPage, tmp_path: Path) -> None:
    import networkx as nx

    from graph.visualise.data import site_data
    from graph.visualise.pages import network_page

    g = nx.MultiDiGraph()
    g.add_node("a", label="Alpha", type="Person")
    g.add_node("b", label="Beta", type="Person")
    g.add_edge("a", "b", key="00000000000000aa", predicate="metWith", label="met", source="evil", date="2024",
               object="b")
    site = site_data(g, [{"id": "evil", "title": "Click me", "publisher": "P", "url": "javascript:alert(1)"}])
    path = tmp_path / "evil.html"
    path.write_text(network_page(site, standalone=True), encoding="utf-8")
    o = open_page(path)
    click_actor(o, "a")
    o.page.wait_for_function("() => document.querySelector('#panel h2').textContent.includes('Alpha')")
    assert "Click me (javascript:alert(1))" in panel(o)
    assert o.page.locator("#panel a").count() == 0
    o.clean()


# ------------------------------------------------------------------------ the project's data

def test_real_pages(open_page: OpenPage, real_built: Any, screenshots: Path) -> None:
    from graph.visualise import write_site

    write_site(real_built)
    html = real_built.exports_dir / "html"
    for name in PAGES:
        o = open_page(html / f"{name}.html")
        shot(o, screenshots, f"real-{name}")
        o.clean()
    o = open_page(html / "network.html")
    o.page.fill("#search", "Hun Sun")
    o.page.keyboard.press("Enter")
    o.page.wait_for_function("() => document.querySelector('#panel h2').textContent.includes('Hun Sen')")
    o.clean()
    o = open_page(html / "lineage.html")
    click_actor(o, "cnrp")
    o.page.wait_for_function("() => document.querySelector('#panel h2').textContent.includes('Cambodia National Rescue')")
    assert "dissolved by" in panel(o)
    shot(o, screenshots, "real-lineage-cnrp")
    o.clean()
