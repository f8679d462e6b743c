"""Work that holds the GIL for seconds (an export of 1,000 units × 30 indicators) runs in a process of its
own: in a thread it slowed every other chat's reply fourfold (`python -m bench.submissions --export`)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


@cache
def _pool() -> ProcessPoolExecutor:
    # One process, started on first use and kept: it pays the imports once. Spawned, not forked: the
    # bot's threads may hold locks a forked child would inherit.
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))


def run_elsewhere(work: Callable[..., T], *args: Any) -> T:
    """`work(*args)` in the helper process, waited for on the calling thread (never the event loop's).
    A helper that died (killed, out of memory) is replaced once."""
    try:
        return _pool().submit(work, *args).result()
    except BrokenProcessPool:
        _pool.cache_clear()
        return _pool().submit(work, *args).result()
