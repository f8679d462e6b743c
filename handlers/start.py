"""/start (with deep-link payload), /donvi and the unit buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.people.welcome import ASK_UNIT, UNIT_PREFIX, pick_unit, start, unit_picker
from handlers.common import runtime, send, who_of


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    payload = context.args[0] if context.args else ""
    rt = runtime(context)
    with rt.db.session() as session:
        reply = start(who_of(update), payload, rt.clock(), session=session)
    await send(update, reply)


async def on_unit_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    with runtime(context).db.session() as session:
        reply = unit_picker(who_of(update), ASK_UNIT, session=session)
    await send(update, reply)


async def on_unit_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    unit_id = int(query.data.removeprefix(UNIT_PREFIX))
    with runtime(context).db.session() as session:
        reply = pick_unit(who_of(update), unit_id, session=session)
    await query.edit_message_text(reply.text)


HANDLERS = [
    CommandHandler("start", on_start),
    CommandHandler("donvi", on_unit_command),
    CallbackQueryHandler(on_unit_button, pattern=rf"^{UNIT_PREFIX}\d+$"),
]
