"""Ingest 1,000 articles and print articles per second (median of 3 runs).

The articles are made by templating the short test articles in
``tests/ingest/fixtures/articles`` (our own words): names, dates and numbers vary, so
no two texts are the same.  Each run reads the files, drafts them against the test
registry and writes the drafts atomically into a fresh folder, as ``cpkg ingest`` does.

    python benchmarks/bench_ingest.py [--articles 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.ingest import ingest_files, load_registry  # noqa: E402

FIXTURES = ROOT / "tests" / "ingest" / "fixtures"
FAMILY = ["Chan", "Sok", "Keo", "Lim", "Meas", "Ouk", "Nhem", "Srey", "Pen", "Yim", "Tep", "Prak", "Hak", "Nuon"]
GIVEN = ["Dara", "Sothea", "Bopha", "Rotha", "Vanna", "Sitha", "Malis", "Rithy", "Neang", "Kosal", "Veasna",
         "Chantha", "Piseth", "Sreymom", "Vichet", "Kimly"]
INVENTED = re.compile(r"\b(Ouk Sothea|Nhem Kosal|Chan Rotha|Yim Sokun|Tep Vanna|Prak Sitha|Srey Neang|Srey Vuthy|"
                      r"Hak Veasna|Pen Malis|Pen Rithy|Nuon Chantha|Heng Samnang)\b")


def make_articles(folder: Path, count: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    templates = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "articles").glob("*.txt"))]
    paths = []
    for i in range(count):
        text = templates[i % len(templates)]
        names = {old: f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}{i}" for old in sorted(set(INVENTED.findall(text)))}
        text = INVENTED.sub(lambda m, names=names: names[m.group()], text)  # type: ignore[misc]
        text = re.sub(r"^date: \d{4}", f"date: {2015 + i % 10}", text, flags=re.M)
        text = re.sub(r"\b(three|four|two) years\b", lambda m: rng.choice(["two", "three", "five"]) + " years", text)
        text += f"\nThis is article number {i}.\n"
        path = folder / f"article-{i:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    registry = load_registry(FIXTURES / "registry.yaml", None)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "articles"
        src.mkdir()
        paths = make_articles(src, args.articles)
        rates = []
        for run in range(args.runs):
            out = Path(tmp) / f"drafts-{run}"
            start = time.perf_counter()
            result = ingest_files(paths, out_dir=out, registry=registry)
            elapsed = time.perf_counter() - start
            assert not result.errors, result.errors[:3]
            facts = sum(len(d["facts"]) for d in result.drafts)
            rates.append(len(paths) / elapsed)
            print(f"run {run + 1}: {len(paths)} articles, {facts} facts in {elapsed:.2f} s "
                  f"({len(paths) / elapsed:.0f} articles/s)")
    print(f"median: {statistics.median(rates):.0f} articles/second")


if __name__ == "__main__":
    main()
