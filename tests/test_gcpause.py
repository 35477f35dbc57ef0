"""The collector pause used while building large tables: off inside, restored after, even on error."""

from __future__ import annotations

import gc

import pytest

from graph import gcpause


def test_the_collector_is_off_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with gcpause.paused():
        assert not gc.isenabled()
        with gcpause.paused():  # nested: the inner block does not switch it back on early
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_restores_the_collector() -> None:
    with pytest.raises(RuntimeError), gcpause.paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_as_a_decorator_it_pauses_each_call() -> None:
    @gcpause.paused()
    def inside() -> bool:
        return gc.isenabled()

    assert inside() is False and inside() is False
    assert gc.isenabled()
