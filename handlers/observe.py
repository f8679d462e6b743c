"""Every update, before anything else: counted by kind, and its time kept for /healthz."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes, TypeHandler

from bot.core.metrics import count_update
from handlers.common import runtime


def kind_of(update: Update) -> str:
    if update.message is not None:
        return "message"
    return "callback_query" if update.callback_query is not None else "other"


async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    count_update(kind_of(update))
    rt = runtime(context)
    rt.last_update_at = rt.clock()


HANDLERS = [TypeHandler(Update, on_update)]
