"""What /healthz reports: the process answers, the database answers and takes writes, the reminder tick
keeps time, and when the bot last did its work. 503 when any of these fails: a probe that says "ok" while
nothing can be stored, or while reminders have stopped, is worse than none."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.core.runtime import Runtime
from bot.transport.client import PollState

log = logging.getLogger(__name__)
DATABASE_TIMEOUT = 2.0  # seconds; a health probe must answer well within its own timeout
TICK_LATE = dt.timedelta(seconds=60)  # the reminder tick runs every 5 s: a minute without one means it stopped
POLL_LATE = 120.0  # seconds without a confirmed getUpdates (long polls last 10 s) while polling: stalled
# One thread of its own: a hung database check delays later checks (which then time out and report
# the database down) but never the threads that answer questions.
PROBE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health")


async def database_state(rt: Runtime, timeout: float = DATABASE_TIMEOUT) -> str:
    """'ok', 'unreachable' (no answer to SELECT 1) or 'unwritable' (answers, but a write fails)."""
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(loop.run_in_executor(PROBE, rt.db.ping), timeout)
    except Exception as exc:  # any failure, or the time-out, means "not reachable"
        log.warning("health: the database does not answer: %s", exc.__class__.__name__)
        return "unreachable"
    try:
        await asyncio.wait_for(loop.run_in_executor(PROBE, rt.db.write_probe), timeout)
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        log.error("health: THE DATABASE CANNOT BE WRITTEN (%s: %s): nothing reported now is stored",
                  exc.__class__.__name__, str(exc).splitlines()[0][:200] if str(exc) else "")
        return "unwritable"
    return "ok"


async def database_reachable(rt: Runtime, timeout: float = DATABASE_TIMEOUT) -> bool:
    return await database_state(rt, timeout) == "ok"


def reminders_state(rt: Runtime) -> str:
    """'ok', or 'late' when the reminder tick last ran longer than TICK_LATE ago (or never, since start)."""
    last = rt.last_tick_at or rt.started_at
    if last is None or rt.clock() - last <= TICK_LATE:
        return "ok"
    return "late"


async def health(rt: Runtime) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body): 200 when the database answers and takes writes and the reminder tick is on
    time (and, polling, updates are still confirmed), else 503."""
    database = await database_state(rt)
    reminders = reminders_state(rt)
    polls: PollState = rt.polls if isinstance(rt.polls, PollState) else PollState()
    updates = polls.state(POLL_LATE)
    healthy = database == "ok" and reminders == "ok" and updates != "stalled"
    if reminders != "ok":
        log.error("health: the reminder tick is late (last at %s): reminders are not being sent",
                  _iso(rt.last_tick_at))
    if updates == "stalled":
        log.error("health: no getUpdates confirmed since %s: updates are not being taken in", polls.last_iso())
    body = {"status": "ok" if healthy else "unavailable", "alive": True, "database": database,
            "reminders": reminders, "updates": updates,
            "last_update_at": _iso(rt.last_update_at), "last_tick_at": _iso(rt.last_tick_at),
            "updates_confirmed_at": polls.last_iso()}
    return (200 if healthy else 503), body


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None
