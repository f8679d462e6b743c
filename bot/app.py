"""Application wiring: settings + knowledge base + database → a python-telegram-bot Application."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder

import handlers
from bot.aiohttp_request import AiohttpRequest
from bot.concurrency import PerChatUpdateProcessor
from bot.config import LocalSettings, Settings, SettingsError
from bot.runtime import Runtime, open_runtime
from bot.web import serve_health_alongside
from handlers.delivery import FloodLimiter
from handlers.errors import count_telegram_error
from knowledge import default_kb

log = logging.getLogger(__name__)
POOL = 8  # connections to the Bot API: enough for Telegram's 30 messages/s at its round-trip times


def make_runtime(settings: LocalSettings, admin_ids: frozenset[int] = frozenset()) -> Runtime:
    return open_runtime(default_kb(), settings.database_url, timezone=settings.timezone, admin_ids=admin_ids,
                        upgrade=settings.db_auto_upgrade, reminders=settings.reminder_rules,
                        retention=settings.retention)


def build_application(settings: Settings, rt: Runtime, *, rate_limited: bool = True,
                      updater: bool = True) -> Application:
    """`rate_limited=False` only for benchmarks: Telegram itself caps a bot near 30 messages/s.

    `updater=False` for webhook mode, where bot/web.py puts the updates on the queue.
    """
    builder = (ApplicationBuilder().token(settings.token)
               .base_url(settings.telegram_api_base_url).base_file_url(settings.base_file_url)
               .request(AiohttpRequest(POOL)).get_updates_request(AiohttpRequest(1))
               .concurrent_updates(PerChatUpdateProcessor()).post_init(_post_init))
    if rate_limited:
        builder.rate_limiter(FloodLimiter())
    if not updater:
        builder.updater(None)
    app = builder.build()
    app.bot_data["runtime"] = rt
    handlers.register(app)
    return app


async def _post_init(app: Application) -> None:
    try:
        await handlers.set_commands(app)
    except TelegramError as exc:
        count_telegram_error(exc)
        log.warning("could not set the command menu: %s", exc)


def run_polling(settings: Settings) -> None:
    rt = make_runtime(settings, frozenset(settings.bot_admin_ids))
    app = build_application(settings, rt, rate_limited=settings.telegram_rate_limit)
    if settings.health_port:
        serve_health_alongside(app, rt, settings.health_listen, settings.health_port)
    log.info("polling %s", settings.telegram_api_base_url)
    try:
        # network failures at start-up are retried (the Bot API may come up after us); a bad token is not
        app.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
    except InvalidToken:
        raise SettingsError("TELEGRAM_BOT_TOKEN: Telegram từ chối token này / Telegram rejected this token") from None
    finally:
        rt.db.dispose()
