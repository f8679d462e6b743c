"""The last line of defence: log the failure, tell the user, keep serving everyone else."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.transport.errors import count_telegram_error

log = logging.getLogger(__name__)
SORRY = "Xin lỗi, mình gặp lỗi khi xử lý tin nhắn này. Bạn thử lại sau ít phút, hoặc gõ /trogiup để xem hướng dẫn."


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(context.error, TelegramError):
        count_telegram_error(context.error)
    if isinstance(context.error, Forbidden):
        log.warning("update %s: the chat blocked the bot or removed it (%s)", update_id, context.error)
        return
    log.error("update %s failed", update_id, exc_info=context.error)
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is None:
        return
    try:
        await chat.send_message(SORRY)
    except TelegramError as exc:
        count_telegram_error(exc)
        log.warning("update %s: could not tell the user about the failure: %s", update_id, exc)
