"""The bot's jobs: personal data past its retention erased at night; the plans looked at every few seconds."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from telegram.ext import Application, ContextTypes

from bot.core.runtime import settle
from bot.people.privacy import erase_expired
from bot.plans import live
from handlers.common import runtime

log = logging.getLogger(__name__)
PLANS_EVERY = 5.0  # seconds: a new plan is answered everywhere within this (and its index build)


async def erase_expired_daily(context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)

    def erase() -> int:
        with rt.db.session() as session:
            return erase_expired(rt.retention, rt.clock(), session=session)

    erased = await asyncio.to_thread(erase)  # the event loop keeps answering meanwhile
    if erased:
        log.info("erased the personal data of %d people not seen for %d days", erased, rt.retention.days)


def schedule(app: Application) -> None:
    """Every night at 03:00 local time, when a retention is set; idempotent, so every replica may run it."""
    rt = app.bot_data["runtime"]
    if rt.retention is not None:
        app.job_queue.run_daily(erase_expired_daily, dt.time(3, 0, tzinfo=rt.timezone), name="retention")
    app.job_queue.run_repeating(refresh_plans, interval=PLANS_EVERY, first=PLANS_EVERY, name="plans",
                                job_kwargs={"max_instances": 1, "coalesce": True})


async def refresh_plans(context: ContextTypes.DEFAULT_TYPE) -> None:
    """A plan added, superseded or retired by any process: this one answers from it too (within PLANS_EVERY)."""
    rt = runtime(context)
    found = await asyncio.to_thread(live.changed, rt.db, rt.plans)
    if found is not None:
        rt.kb, rt.plans = found.kb, found.signature
        settle()
        log.info("now answering from %d plans", len(found.kb.plans))
