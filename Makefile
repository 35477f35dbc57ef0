# Everyday commands. The first two are the README's: `make build` and `make test`.
PYTHON ?= python3
PIP ?= $(PYTHON) -m pip

.PHONY: build test install install-test system-deps lint typecheck bench clean

## Set up and run the main job: install cpkg, build the graph, write the exports and the HTML.
build: install
	cpkg build

## Install test dependencies (Debian's chromium too, when apt is there) and run the tests.
test: install-test
	$(PYTHON) -m pytest

install:
	$(PIP) install --quiet --disable-pip-version-check -e .

install-test: system-deps
	$(PIP) install --quiet --disable-pip-version-check -e '.[test]'

# Debian's chromium for the browser tests, and a Khmer font so Khmer names render in it;
# skipped (and the browser tests skip, saying why) without root apt-get.
system-deps:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi khmeros; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-khmeros >/dev/null; \
	else echo "note: no chromium and no root apt-get; browser tests will be skipped"; fi

lint:
	ruff check graph tests scripts benchmarks

typecheck:
	mypy graph

bench:
	$(PYTHON) benchmarks/run.py

clean:
	rm -rf exports/store exports/html exports/snapshots exports/graph.* exports/build.json
