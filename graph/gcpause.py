"""Pause Python's cyclic garbage collector while cpkg builds large tables of small objects.

Why: reading a million-triple graph allocates millions of small, acyclic objects (terms,
quads, row dicts). CPython 3.11's cyclic collector runs after every ~700 net allocations and
its full collections walk the whole heap, so at 1M triples they cost as much as the work
itself and grow faster than the graph. Measured on this machine (benchmarks/README.md):
reading the 1M-triple build back into tables and the network takes 7.1 s with the collector
and 3.5 s without; at 100k it makes no difference. Nothing built under the pause holds a
reference cycle, and reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Run the block (or, as a decorator, the function) with the cyclic collector off;
    restored after, even on error."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
