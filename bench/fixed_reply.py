"""bench/webhook.py's baseline: `python -m bench.fixed_reply`, the webhook bot of `campaign-bot run --webhook`
(the same settings, webhook, update-id recording, PTB and Bot API client) answering every message with one
fixed text: what a replica costs before any campaign work (search, people, reports)."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from bot.core.config import WebhookSettings, load_settings
from bot.start.application import build_application
from bot.start.boot import make_runtime
from bot.start.webhook import _serve_until_stopped

FIXED = "Đã nhận."


async def _fixed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_chat.send_message(FIXED)


def main() -> None:
    settings = load_settings(WebhookSettings)
    rt = make_runtime(settings)
    app = build_application(settings, rt, rate_limited=settings.telegram_rate_limit, updater=False)
    app.handlers.clear()
    app.add_handler(MessageHandler(filters.ALL, _fixed))
    try:
        asyncio.run(_serve_until_stopped(settings, app, rt))
    finally:
        rt.db.dispose()


if __name__ == "__main__":
    main()
