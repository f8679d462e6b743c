"""`campaign-bot run`: the bot fetches its updates from Telegram (long polling), /healthz and the web page
(WEB_PORT) beside it."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import InvalidToken

from bot.core.config import Settings, SettingsError, WebSettings, load_settings
from bot.start.application import build_application
from bot.start.boot import make_runtime
from bot.start.http import serve_health_alongside

log = logging.getLogger(__name__)


def run_polling(settings: Settings) -> None:
    rt = make_runtime(settings, frozenset(settings.bot_admin_ids))
    app = build_application(settings, rt, rate_limited=settings.telegram_rate_limit)
    if settings.health_port:
        serve_health_alongside(app, rt, settings.health_listen, settings.health_port)
    if settings.web_port is not None:  # the web page in this process too (WEB_BASE_URL is then required)
        from bot.start.web import serve_web_alongside

        serve_web_alongside(app, rt, load_settings(WebSettings))
    log.info("polling %s", settings.telegram_api_base_url)
    try:
        # network failures at start-up are retried (the Bot API may come up after us); a bad token is not
        app.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
    except InvalidToken:
        raise SettingsError("TELEGRAM_BOT_TOKEN: Telegram từ chối token này / Telegram rejected this token") from None
    finally:
        rt.db.dispose()
