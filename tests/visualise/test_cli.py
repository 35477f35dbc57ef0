"""``cpkg build`` writes exports/html/; ``cpkg viz person|lineage|network`` write single pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.settings import Settings

from .conftest import MINI, copy_data


def page_data(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="cpkg-data">(.*?)</script>', text, re.S)
    assert block
    return json.loads(block.group(1))


@pytest.fixture
def mini_copy(tmp_path: Path) -> Settings:
    return copy_data(MINI, tmp_path)


def flags(s: Settings) -> list[str]:
    return ["--data", str(s.data_dir), "--corpus", str(s.corpus_dir), "--exports", str(s.exports_dir)]


def test_build_writes_the_five_pages(mini_copy: Settings) -> None:
    result = CliRunner().invoke(main, ["build", *flags(mini_copy)])
    assert result.exit_code == 0, result.output
    html = mini_copy.exports_dir / "html"
    for name in ("entity", "index", "lineage", "network", "timeline"):
        assert f"wrote {html / name}.html" in result.output
        assert page_data(html / f"{name}.html")["page"] == name
    index = page_data(html / "index.html")
    assert [s["id"] for s in index["sources"]] == ["test-alpha-2024-03-05", "test-beta-page"]
    assert index["summary"]["actors"] == 6


def test_viz_person_by_alias_writes_one_page_of_its_neighbourhood(mini_copy: Settings, tmp_path: Path) -> None:
    out = tmp_path / "out" / "dara.html"
    result = CliRunner().invoke(main, ["viz", "person", "Dara Sok", "-o", str(out), *flags(mini_copy)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(f"wrote {out}")
    data = page_data(out)
    assert data["page"] == "entity" and data["focus"] == "sok-dara" and data["site"] is False
    drawn = {n["id"] for n in data["net"]["nodes"]}
    assert drawn == {"sok-dara", "river-party", "prey-sar-prison", "chan-vuthy", "lotus-party",
                     "phnom-penh-municipal-court"}
    text = out.read_text(encoding="utf-8")
    assert '<h1 id="heading">Sok Dara</h1>' in text
    assert '<nav class="site">' not in text, "a single page has no links to pages that are not there"


def test_viz_lineage_and_network_as_of(mini_copy: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    lin = tmp_path / "lineage.html"
    assert runner.invoke(main, ["viz", "lineage", "-o", str(lin), *flags(mini_copy)]).exit_code == 0
    data = page_data(lin)
    edge = next(e for e in data["net"]["edges"] if e["from"] == "river-party" and e["to"] == "lotus-party")
    assert edge["label"] == "renamed 2020"
    net = tmp_path / "net.html"
    result = runner.invoke(main, ["viz", "network", "--as-of", "2021", "-o", str(net), *flags(mini_copy)])
    assert result.exit_code == 0, result.output
    assert page_data(net)["asOf"] == "2021-12-31", "a year means the graph at its end"
    assert "as of 2021-12-31</h1>" in net.read_text(encoding="utf-8")


def test_viz_network_default_path_is_in_exports_html(mini_copy: Settings) -> None:
    result = CliRunner().invoke(main, ["viz", "network", "--as-of", "2024-03-04", *flags(mini_copy)])
    assert result.exit_code == 0, result.output
    assert (mini_copy.exports_dir / "html" / "network-2024-03-04.html").exists()


def test_a_bad_date_is_a_usage_error(mini_copy: Settings) -> None:
    result = CliRunner().invoke(main, ["viz", "network", "--as-of", "2021-13", *flags(mini_copy)])
    assert result.exit_code == 2
    assert "Error: Invalid value for '--as-of': '2021-13' is not a real date" in result.output


def test_an_unknown_actor_is_one_line_and_exit_1(mini_copy: Settings, tmp_path: Path) -> None:
    out = tmp_path / "nobody.html"
    result = CliRunner().invoke(main, ["viz", "person", "Nobody", "-o", str(out), *flags(mini_copy)])
    assert result.exit_code == 1
    assert result.output == ("Error: no entity named 'Nobody' (give an id, a name or an alias; "
                             "see `cpkg stats`)\n")
    assert not out.exists()


def test_write_site_replaces_the_folder_whole_or_not_at_all(mini_copy: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.build import build
    from graph.visualise import pages, write_site

    result = build(mini_copy)
    written = write_site(mini_copy, result)
    before = {p.name: p.read_bytes() for p in written}

    def broken(*_a: object, **_k: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr(pages, "timeline_page", broken)
    with pytest.raises(RuntimeError):
        write_site(mini_copy, result)
    html = mini_copy.exports_dir / "html"
    assert {p.name: p.read_bytes() for p in html.iterdir()} == before
    assert not [p for p in html.parent.iterdir() if p.name.startswith(".html.")], "no temporary folder left"


def test_pages_are_the_same_bytes_on_every_build(mini_copy: Settings) -> None:
    from graph.build import build
    from graph.visualise import write_site

    result = build(mini_copy)
    first = {p.name: p.read_bytes() for p in write_site(mini_copy, result)}
    second = {p.name: p.read_bytes() for p in write_site(mini_copy, result)}
    assert first == second
