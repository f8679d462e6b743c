"""One run of the reminder service: lead (or leave it to the replica that does), recover what a stopped
sender left, plan what came due and send it all, planning again every few seconds of a long broadcast.
The bot's job queue starts a run every few seconds."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.core.runtime import Runtime
from bot.reminders.leader import Leadership
from bot.reminders.planner import plan
from bot.reminders.sender import Sender, SendFn
from bot.transport.windows import FloodWindows

log = logging.getLogger(__name__)


async def run_once(rt: Runtime, send: SendFn, windows: FloodWindows, *,
                   running: Callable[[], bool], backoff_base: float = 1.0) -> bool:
    """False when another process leads."""
    leader = Leadership(rt.db.engine)
    if not leader.acquire():
        return False
    try:
        sender = Sender(rt, send, windows, alive=lambda: running() and leader.held(), backoff_base=backoff_base,
                        replan=lambda: _plan(rt))
        if stuck := sender.recover():
            log.warning("%d reminders were being sent when the last sender stopped: recorded as unknown", stuck)
        await sender.drain()
    finally:
        leader.release()
    return True


def _plan(rt: Runtime) -> int:
    with rt.db.session() as session:
        return plan(rt.kb, rt.reminders, rt.clock(), session=session)
