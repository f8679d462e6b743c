"""One run of the reminder service: lead (or leave it to the replica that does), recover what a stopped
sender left, plan what came due and send it all, planning again every few seconds of a long broadcast.
The bot's job queue starts a run every few seconds."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.db import Database
from bot.core.schedule import Rules
from bot.reminders.leader import Leadership
from bot.reminders.planner import plan
from bot.reminders.sender import Sender, SendFn
from bot.transport.windows import FloodWindows
from knowledge.index import KnowledgeBase

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outbox:
    """What the reminder service works with: the database, the plans, the rules and the clock."""

    db: Database
    kb: KnowledgeBase
    rules: Rules
    clock: Callable[[], dt.datetime]


async def run_once(box: Outbox, send: SendFn, windows: FloodWindows, *,
                   running: Callable[[], bool], backoff_base: float = 1.0) -> bool:
    """False when another process leads. The database calls run in worker threads (the lock's liveness check
    aside: a `SELECT 1` every few seconds)."""
    leader = Leadership(box.db.engine)
    if not await asyncio.to_thread(leader.acquire):
        return False
    try:
        sender = Sender(box.db, box.clock, box.rules.timezone, send, windows,
                        alive=lambda: running() and leader.held(), backoff_base=backoff_base, replan=lambda: _plan(box))
        if stuck := await asyncio.to_thread(sender.recover):
            log.warning("%d reminders were being sent when the last sender stopped: recorded as unknown", stuck)
        await sender.drain()
    finally:
        await asyncio.to_thread(leader.release)
    return True


def _plan(box: Outbox) -> int:
    with box.db.session() as session:
        return plan(box.kb, box.rules, box.clock(), session=session)
