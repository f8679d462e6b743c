"""What /healthz reports: the process answers, the database answers, and when the bot last did its work."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot.core.runtime import Runtime

log = logging.getLogger(__name__)
DATABASE_TIMEOUT = 2.0  # seconds; a health probe must answer well within its own timeout
# One thread of its own: a hung database check delays later checks (which then time out and report
# the database down) but never the threads that answer questions.
PROBE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health")


async def database_reachable(rt: Runtime, timeout: float = DATABASE_TIMEOUT) -> bool:
    ping = asyncio.get_running_loop().run_in_executor(PROBE, rt.db.ping)
    try:
        await asyncio.wait_for(ping, timeout)
    except Exception as exc:  # any failure, or the time-out, means "not reachable"
        log.warning("health: the database does not answer: %s", exc.__class__.__name__)
        return False
    return True


async def health(rt: Runtime) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body): 200 when the database answers, else 503."""
    database = await database_reachable(rt)
    body = {"status": "ok" if database else "unavailable", "alive": True,
            "database": "ok" if database else "unreachable",
            "last_update_at": _iso(rt.last_update_at), "last_tick_at": _iso(rt.last_tick_at)}
    return (200 if database else 503), body


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None
