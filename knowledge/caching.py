"""The on-disk cache every process of a machine shares: index, passage vectors, the dictionary.

Every change of the plans makes a new index file (4 MB for the five plans, far more for hundreds), so the
cache keeps only the newest few indexes and the plans' shares used within a month: an office that edits its
plans for years does not fill the disk. What is dropped is only made again if it is needed again."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
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


KEEP_INDEXES = 4
SHARES_UNUSED = dt.timedelta(days=30)


def touch(path: Path) -> None:
    """Marks a cache file as used now (pruning goes by modification time)."""
    with suppress(OSError):  # a read-only cache is only pruned less
        os.utime(path)


def prune(directory: Path, pattern: str, *, keep: int = 0, unused_for: dt.timedelta | None = None) -> int:
    """Deletes the files matching `pattern` beyond the `keep` newest, or, with `unused_for`, those not used
    for that long; returns how many. Another process may prune at once, or still read one (POSIX keeps its
    open file): a file gone meanwhile is no error."""
    found = sorted(((mtime, path) for path in directory.glob(pattern) if (mtime := _modified(path)) is not None),
                   reverse=True)
    if unused_for is None:
        old = [path for _, path in found[keep:]]
    else:
        cutoff = time.time() - unused_for.total_seconds()
        old = [path for mtime, path in found if mtime < cutoff]
    for path in old:
        with suppress(OSError):
            path.unlink(missing_ok=True)
    return len(old)


def _modified(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


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
