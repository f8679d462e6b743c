"""Runs before every other handler: a user past the flood limit is answered once, then ignored a while."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.transport.inbound import SLOW_DOWN, FloodGuard


async def on_any_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    if user is None:
        return
    verdict = context.bot_data.setdefault("flood_guard", FloodGuard()).check(user.id)
    if verdict.allowed:
        return
    if verdict.warn and update.effective_chat is not None:
        await update.effective_chat.send_message(SLOW_DOWN)
    raise ApplicationHandlerStop


HANDLERS = [TypeHandler(Update, on_any_update)]
