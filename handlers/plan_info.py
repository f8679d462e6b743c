"""/chitieu and /hanchot."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from bot.plan_info import deadlines, targets
from handlers.common import runtime, send, who_of


async def on_targets(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    with rt.db.session() as session:
        reply = targets(who_of(update), session=session, kb=rt.kb)
    await send(update, reply)


async def on_deadlines(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    with rt.db.session() as session:
        reply = deadlines(who_of(update), rt.today(), session=session, kb=rt.kb)
    await send(update, reply)


HANDLERS = [
    CommandHandler("chitieu", on_targets),
    CommandHandler("hanchot", on_deadlines),
]
