"""The composition root of the Telegram side: settings + Runtime → a python-telegram-bot Application."""

from __future__ import annotations

import logging

from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder

import handlers
from bot.core.config import Settings
from bot.core.runtime import Runtime
from bot.transport.client import AiohttpRequest, UpdatesRequest
from bot.transport.errors import count_telegram_error
from bot.transport.limiter import FloodLimiter
from bot.transport.ordering import PerChatUpdateProcessor

log = logging.getLogger(__name__)
POOL = 8  # connections to the Bot API: enough for Telegram's 30 messages/s at its round-trip times


def build_application(settings: Settings, rt: Runtime, *, rate_limited: bool = True,
                      updater: bool = True) -> Application:
    """`rate_limited=False` only for benchmarks: Telegram itself caps a bot near 30 messages/s.

    `updater=False` for webhook mode, where bot/start/webhook.py puts the updates on the queue.
    """
    polling = UpdatesRequest(1)
    builder = (ApplicationBuilder().token(settings.token)
               .base_url(settings.telegram_api_base_url).base_file_url(settings.base_file_url)
               .request(AiohttpRequest(POOL)).get_updates_request(polling)
               .concurrent_updates(PerChatUpdateProcessor()).post_init(_post_init))
    if rate_limited:
        builder.rate_limiter(FloodLimiter())
    if not updater:
        builder.updater(None)
    else:
        rt.polls = polling.polls
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
