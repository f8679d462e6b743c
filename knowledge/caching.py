"""The on-disk cache every process of a machine shares: index, passage vectors, the dictionary."""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    """CAMPAIGN_BOT_CACHE, else ~/.cache/campaign-bot."""
    return Path(os.environ.get("CAMPAIGN_BOT_CACHE", Path.home() / ".cache" / "campaign-bot"))


def write_atomic(path: Path, data: bytes) -> None:
    """Written whole or not at all (another process may be reading it); a read-only cache is only slower."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("cannot write cache %s: %s", path, exc)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while an index is assembled: the millions of objects it allocates
    trigger full collections that walk them all again (a third of an assembly at 200 plans,
    `python -m bench.plans`). None of them is garbage, so they are frozen, not walked, when the collector
    resumes (the walk would take the second it saved); the bot's `settle()` collects and freezes again
    once the new index replaced the old."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()
