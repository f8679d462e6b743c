"""/xoadulieu: a person erases what the bot holds about them, after confirming."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.core.replies import Button, Reply
from bot.people.privacy import ASK, DONE, KEPT, NOTHING, erase_expired, erase_person
from handlers.common import runtime, send

ERASE, KEEP = "xoa:ok", "xoa:khong"
log = logging.getLogger(__name__)


async def on_ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, Reply(ASK, [[Button("🗑 Xóa dữ liệu của tôi", ERASE), Button("Giữ lại", KEEP)]]))


async def on_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    if query.data == KEEP:
        await query.edit_message_text(KEPT)
        return
    with runtime(context).db.session() as session:
        erased = erase_person(update.effective_user.id, session=session)
    await query.edit_message_text(DONE if erased else NOTHING)


async def erase_expired_daily(context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    with rt.db.session() as session:
        erased = erase_expired(rt.retention, rt.clock(), session=session)
    if erased:
        log.info("erased the personal data of %d people not seen for %d days", erased, rt.retention.days)


def schedule(app: Application) -> None:
    """Every night at 03:00 local time, when a retention is set; idempotent, so every replica may run it."""
    rt = app.bot_data["runtime"]
    if rt.retention is not None:
        app.job_queue.run_daily(erase_expired_daily, dt.time(3, 0, tzinfo=rt.timezone), name="retention")


HANDLERS = [
    CommandHandler("xoadulieu", on_ask, filters=filters.ChatType.PRIVATE),
    CallbackQueryHandler(on_answer, pattern=f"^({ERASE}|{KEEP})$"),
]
