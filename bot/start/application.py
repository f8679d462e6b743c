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
from bot.core.seen import first_delivery, forget_seen
from bot.start.taken import Handled, keep_handled
from bot.transport.budget import SharedWindows
from bot.transport.client import AiohttpRequest, RecordIds, UpdatesRequest
from bot.transport.errors import count_telegram_error
from bot.transport.limiter import FloodLimiter
from bot.transport.ordering import PerChatUpdateProcessor
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
    polling = UpdatesRequest(1, record=recorder(rt), tell=lambda chats: tell_held(app, chats))
    handled_ids = Handled(rt)
    builder = (ApplicationBuilder().token(settings.token)
               .base_url(settings.telegram_api_base_url).base_file_url(settings.base_file_url)
               .request(AiohttpRequest(POOL)).get_updates_request(polling)
               .concurrent_updates(PerChatUpdateProcessor(taken=handled_ids.start, done=handled_ids.add,
                                                          drain=handled_ids.write))
               .post_init(_post_init))
    if rate_limited:
        builder.rate_limiter(FloodLimiter(telegram_windows(settings)))
    if not updater:
        builder.updater(None)
    else:
        rt.polls = polling.polls
    app = builder.build()
    app.bot_data["runtime"] = rt
    keep_handled(app, handled_ids)
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


HELD = ("⏳ Hệ thống lưu trữ đang gặp sự cố, quản trị viên đã được báo. Mình đã giữ tin nhắn của bạn "
        "và sẽ trả lời ngay khi hệ thống hoạt động lại, bạn không cần gửi lại.")


async def tell_held(app: Application, chats: list[int]) -> None:
    """Polling, the database failing: each chat whose message waits is told so, once."""
    for chat_id in chats:
        try:
            await app.bot.send_message(chat_id, HELD)
        except TelegramError as exc:
            count_telegram_error(exc)


def recorder(rt: Runtime) -> RecordIds:
    """Polling mode: a batch's ids recorded in the database in one transaction (off the event loop), each with
    its copy until handled; the ones recorded now, not before."""

    def record(batch: dict[int, str | None]) -> set[int]:
        with rt.db.connection() as connection:
            return {i for i, payload in batch.items()
                    if first_delivery(i, rt.clock(), connection=connection, payload=payload)}

    async def fresh(batch: dict[int, str | None]) -> set[int]:
        return await asyncio.get_running_loop().run_in_executor(RECORDING, record, batch)

    return fresh


async def forget_old_updates(context: ContextTypes.DEFAULT_TYPE) -> None:
    """A job: seen_updates keeps only the ids Telegram might still redeliver."""
    rt: Runtime = context.bot_data["runtime"]

    def forget() -> int:
        with rt.db.session() as session:
            return forget_seen(rt.clock(), session=session)

    await asyncio.get_running_loop().run_in_executor(RECORDING, forget)
