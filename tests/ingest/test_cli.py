"""``cpkg ingest`` and ``cpkg review`` through click's runner: exit codes and exact messages."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from graph import yamlsafe

from .conftest import ARTICLES


def drafts(data: Path) -> list[Path]:
    return sorted((data / "drafts").glob("*.yaml"))


def test_ingest_writes_one_draft_per_article(cpkg: Any) -> None:
    result = cpkg("ingest", str(ARTICLES / "former.txt"))
    assert result.exit_code == 0, result.output
    (path,) = drafts(cpkg.data)
    assert result.stdout == f"{path}: 5 facts, 5 entities\n"
    doc = yamlsafe.load_file(path)
    assert doc["source"]["id"] == "test-wire-2024-09-03-former-party-leader-joins-new"
    names = {e["id"]: e for e in doc["entities"]}
    assert names["rural-voice-party"] == {"id": "rural-voice-party", "name": "Rural Voice Party",
                                          "type": "PoliticalParty", "aliases": [], "proposed": True}


def test_ingest_to_standard_output(cpkg: Any) -> None:
    result = cpkg("ingest", str(ARTICLES / "typo.txt"), "-o", "-")
    assert result.exit_code == 0
    doc = yamlsafe.loads(result.stdout.split("\n", 1)[1])
    assert doc["source"]["publisher"] == "Test Wire"
    assert not (cpkg.data / "drafts").exists()


def test_flags_override_header(cpkg: Any) -> None:
    result = cpkg("ingest", str(ARTICLES / "typo.txt"), "-o", "-", "--published", "2020-01-02",
                  "--publisher", "Other Desk", "--title", "Another title", "--url", "https://example.org/x")
    doc = yamlsafe.loads(result.stdout.split("\n", 1)[1])
    assert doc["source"] == {**doc["source"], "id": "other-desk-2020-01-02-another-title", "published": "2020-01-02",
                             "url": "https://example.org/x"}


def test_bad_flag_date_is_a_usage_error(cpkg: Any) -> None:
    result = cpkg("ingest", str(ARTICLES / "typo.txt"), "--published", "2023-02-30")
    assert result.exit_code == 2
    assert "'2023-02-30' is not a real date; use YYYY-MM-DD" in result.stderr


def test_bad_files_are_reported_and_the_others_drafted(cpkg: Any, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ARTICLES / "former.txt", folder / "a_good.txt")
    (folder / "b_empty.txt").write_bytes(b"")
    (folder / "c_binary.txt").write_bytes(b"\x00\x01\x02")
    (folder / "d_latin1.txt").write_bytes("Caf\u00e9".encode("latin-1"))
    (folder / "e_date.txt").write_bytes(b"date: 2023-13-45\n\nBody.")
    with (folder / "f_huge.txt").open("wb") as fh:
        fh.truncate(20 * 1024 * 1024)
    shutil.copy(ARTICLES / "typo.txt", folder / "g_good.txt")
    result = cpkg("ingest", str(folder))
    assert result.exit_code == 1
    assert len(drafts(cpkg.data)) == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: {folder / 'b_empty.txt'}: file is empty",
        f"Error: {folder / 'c_binary.txt'}: binary file (contains NUL bytes), not an article",
        f"Error: {folder / 'd_latin1.txt'}: not UTF-8 text (invalid byte at offset 3); convert it to UTF-8 first",
        f"Error: {folder / 'e_date.txt'}:1: date: impossible date '2023-13-45' (use YYYY-MM-DD)",
        f"Error: {folder / 'f_huge.txt'}: file is larger than 2 MB; not read",
    ]
    assert result.stderr.rstrip().endswith("2 of 7 articles drafted; 5 failed")
    assert "Ingesting" in result.stderr  # the progress bar, on stderr
    assert not list((cpkg.data / "drafts").glob(".*"))  # no temporary file left behind


def test_same_text_twice_updates_its_draft(cpkg: Any, tmp_path: Path) -> None:
    copy = tmp_path / "renamed.txt"
    shutil.copy(ARTICLES / "former.txt", copy)
    cpkg("ingest", str(ARTICLES / "former.txt"))
    cpkg("ingest", str(copy), "--title", "A different title")
    assert len(drafts(cpkg.data)) == 1


def _first_ids(path: Path, n: int) -> list[str]:
    return [f["id"] for f in yamlsafe.load_file(path)["facts"][:n]]


def test_review_accept_reject_and_set(cpkg: Any) -> None:
    cpkg("ingest", str(ARTICLES / "former.txt"))
    (draft,) = drafts(cpkg.data)
    a, b, c = _first_ids(draft, 3)
    result = cpkg("review", str(draft), "--set", a, "note=former party president", "--accept", a, "--reject", b)
    curated = cpkg.data / "sources" / "test-wire-2024-09-03-former-party-leader-joins-new.yaml"
    assert result.exit_code == 0, result.output
    assert result.stdout == f"1 accepted, 1 rejected, 3 left in the draft; curated: {curated}\n"
    doc = yamlsafe.load_file(curated)
    (fact,) = doc["facts"]
    assert fact["status"] == "reviewed" and "confidence" not in fact and "id" not in fact
    assert fact["note"] == "former party president"
    left = yamlsafe.load_file(draft)
    assert [f["id"] for f in left["facts"]][0] == c
    assert left["review"]["rejected"] == [b]
    # re-ingesting the same text proposes neither the accepted nor the rejected fact again
    cpkg("ingest", str(ARTICLES / "former.txt"))
    again = [f["id"] for f in yamlsafe.load_file(draft)["facts"]]
    assert b not in again and len(again) == 3


def test_accepting_twice_never_duplicates(cpkg: Any) -> None:
    cpkg("ingest", str(ARTICLES / "party_events.txt"))
    (draft,) = drafts(cpkg.data)
    snapshot = draft.read_text(encoding="utf-8")
    first = cpkg("review", str(draft), "--accept", "all")
    assert first.exit_code == 0
    curated = next((cpkg.data / "sources").glob("*.yaml"))
    before = curated.read_text(encoding="utf-8")
    draft.write_text(snapshot, encoding="utf-8")  # the same decisions again, from an old copy
    second = cpkg("review", str(draft), "--accept", "all")
    assert second.stdout.startswith("0 accepted, 7 already curated")
    assert curated.read_text(encoding="utf-8") == before
    doc = yamlsafe.load_file(curated)
    assert {e["id"] for e in doc["entities"]} == {"people-first-party", "rural-voice-party", "democratic-union-party",
                                                  "heng-samnang", "2023-general-election"}


def test_review_unknown_id_is_one_line(cpkg: Any) -> None:
    cpkg("ingest", str(ARTICLES / "typo.txt"))
    (draft,) = drafts(cpkg.data)
    result = cpkg("review", str(draft), "--accept", "0000000000")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {draft}: no fact with id '0000000000' in this draft\n"


def test_review_bad_assignment(cpkg: Any) -> None:
    cpkg("ingest", str(ARTICLES / "typo.txt"))
    (draft,) = drafts(cpkg.data)
    (a,) = _first_ids(draft, 1)
    result = cpkg("review", str(draft), "--set", a, "date=last week")
    assert result.exit_code == 1
    assert result.stderr == "Error: date 'last week' is not YYYY, YYYY-MM or YYYY-MM-DD\n"


def test_review_lists_facts_without_options(cpkg: Any) -> None:
    cpkg("ingest", str(ARTICLES / "typo.txt"))
    (draft,) = drafts(cpkg.data)
    result = cpkg("review", str(draft))
    assert result.stdout.splitlines()[-1] == f"3 facts to review in {draft}"


def test_interactive_review(cpkg: Any) -> None:
    cpkg("ingest", str(ARTICLES / "former.txt"))
    (draft,) = drafts(cpkg.data)
    ids = _first_ids(draft, 5)
    # accept, reject, edit then accept, skip, quit
    result = cpkg("review", str(draft), "--interactive", input="a\nr\ne\nnote=checked\na\ns\nq\n")
    assert result.exit_code == 0, result.output
    assert "a)ccept r)eject e)dit s)kip q)uit" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("2 accepted, 1 rejected, 2 left in the draft")
    curated = next((cpkg.data / "sources").glob("*.yaml"))
    facts = yamlsafe.load_file(curated)["facts"]
    assert [f.get("note") for f in facts][1] == "checked"
    assert [f["id"] for f in yamlsafe.load_file(draft)["facts"]] == ids[3:]
