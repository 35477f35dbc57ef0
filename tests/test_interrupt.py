"""Ctrl-C and broken model files (RELIABILITY 15, 28)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.model import load_model
from graph.settings import ONTOLOGY_DIR, Settings


def test_broken_turtle_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "cpkg.ttl"
    lines = (ONTOLOGY_DIR / "cpkg.ttl").read_text(encoding="utf-8").splitlines()
    lines[40] = "cpkg:Oops a <not an iri> ."
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_model(broken)
    message = err.value.one_line()
    assert message.startswith(f"{broken}: cannot read the ontology: ")
    assert "line 41" in message or "41:" in message, message


def test_ctrl_c_during_a_build_leaves_the_previous_exports(tmp_path: Path, mini: Settings) -> None:
    """Interrupt a large build mid-way: exit 1, one line, old exports byte-identical, no temp files."""
    from graph.synth import generate

    data = tmp_path / "synth"
    generate(300, 3, data)
    exports = tmp_path / "exports"
    env = dict(os.environ, CPKG_DATA=str(data), CPKG_CORPUS=str(data / "corpus"), CPKG_EXPORTS=str(exports))
    first = subprocess.run([sys.executable, "-m", "graph", "build"], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in exports.glob("graph.*")}
    # change the data so a second build would write different files, then interrupt it
    src = sorted((data / "sources").glob("*.yaml"))[0]
    src.write_text(src.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "graph", "build"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)  # well inside reading, validating or writing
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the build finished before the interrupt arrived (fast machine)")
    assert proc.returncode == 1, err
    assert err.strip().splitlines()[-1] == "Error: interrupted; the previous output is unchanged"
    assert {p.name: p.read_bytes() for p in exports.glob("graph.*")} == before
    assert not [p for p in exports.rglob("*") if p.name.endswith(".tmp") or ".old-" in p.name]
