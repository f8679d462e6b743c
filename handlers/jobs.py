"""The bot's daily jobs: personal data past its retention erased at night."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from telegram.ext import Application, ContextTypes

from bot.people.privacy import erase_expired
from handlers.common import runtime

log = logging.getLogger(__name__)


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
