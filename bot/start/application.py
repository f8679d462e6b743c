"""The composition root of the Telegram side: settings + Runtime → a python-telegram-bot Application."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor

from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes

import handlers
from bot.core.config import Settings
from bot.core.runtime import Runtime
from bot.core.seen import already_handled, forget_seen
from bot.transport.budget import SharedWindows
from bot.transport.client import AiohttpRequest, UpdatesRequest
from bot.transport.errors import count_telegram_error
from bot.transport.limiter import FloodLimiter
from bot.transport.ordering import FirstDelivery, PerChatUpdateProcessor
from bot.transport.windows import FloodWindows

log = logging.getLogger(__name__)
POOL = 8  # connections to the Bot API: enough for Telegram's 30 messages/s at its round-trip times
FORGET_EVERY = dt.timedelta(hours=1)
REPLY_RESERVE = 2  # places of each second's window a broadcast leaves to replies
# Recording an update id is a database round trip: off the event loop, apart from the answering threads.
RECORDING = ThreadPoolExecutor(max_workers=4, thread_name_prefix="updates")


def build_application(settings: Settings, rt: Runtime, *, rate_limited: bool = True,
                      updater: bool = True) -> Application:
    """`rate_limited=False` only for benchmarks: Telegram itself caps a bot near 30 messages/s.

    `updater=False` for webhook mode, where bot/start/webhook.py puts the updates on the queue.
    """
    polling = UpdatesRequest(1)
    builder = (ApplicationBuilder().token(settings.token)
               .base_url(settings.telegram_api_base_url).base_file_url(settings.base_file_url)
               .request(AiohttpRequest(POOL)).get_updates_request(polling)
               .concurrent_updates(PerChatUpdateProcessor(first_delivery=recorder(rt) if updater else None))
               .post_init(_post_init))
    if rate_limited:
        builder.rate_limiter(FloodLimiter(telegram_windows(settings)))
    if not updater:
        builder.updater(None)
    else:
        rt.polls = polling.polls
    app = builder.build()
    app.bot_data["runtime"] = rt
    if updater:  # the webhook records each id as it acknowledges it, and schedules the forgetting itself
        app.job_queue.run_repeating(forget_old_updates, interval=FORGET_EVERY, first=60)
    handlers.register(app)
    return app


def telegram_windows(settings: Settings) -> FloodWindows:
    """Telegram's windows for the token: shared by every replica through Redis when TELEGRAM_BUDGET_URL is set."""
    limits = {"overall": settings.telegram_messages_per_second - 1, "reserve": REPLY_RESERVE}
    if settings.telegram_budget_url is None:
        return FloodWindows(**limits)
    return SharedWindows.from_url(settings.telegram_budget_url.get_secret_value(), settings.telegram_budget_prefix,
                                  settings.token, **limits)


async def _post_init(app: Application) -> None:
    try:
        await handlers.set_commands(app)
    except TelegramError as exc:
        count_telegram_error(exc)
        log.warning("could not set the command menu: %s", exc)


def recorder(rt: Runtime) -> FirstDelivery:
    """Polling mode: each update's id recorded in the database (off the event loop); False if it was before."""

    def record(update_id: int) -> bool:
        with rt.db.connection() as connection:
            return not already_handled(update_id, rt.clock(), connection=connection)

    async def first_delivery(update_id: int) -> bool:
        return await asyncio.get_running_loop().run_in_executor(RECORDING, record, update_id)

    return first_delivery


async def forget_old_updates(context: ContextTypes.DEFAULT_TYPE) -> None:
    """A job: seen_updates keeps only the ids Telegram might still redeliver."""
    rt: Runtime = context.bot_data["runtime"]

    def forget() -> int:
        with rt.db.session() as session:
            return forget_seen(rt.clock(), session=session)

    await asyncio.get_running_loop().run_in_executor(RECORDING, forget)
