"""/xoadulieu: a person erases what the bot holds about them, after confirming."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.privacy import ASK, DONE, KEPT, NOTHING, erase_person
from bot.replies import Button, Reply
from handlers.common import runtime, send

ERASE, KEEP = "xoa:ok", "xoa:khong"


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


HANDLERS = [
    CommandHandler("xoadulieu", on_ask, filters=filters.ChatType.PRIVATE),
    CallbackQueryHandler(on_answer, pattern=f"^({ERASE}|{KEEP})$"),
]
