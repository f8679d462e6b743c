"""/chitieu and /hanchot (with `them`/`xoa` for admins)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from bot.asking.plan_info import targets
from bot.reminders.commands import deadline_command
from handlers.common import runtime, send, who_of


async def on_targets(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    with rt.db.session() as session:
        reply = targets(who_of(update), session=session, kb=rt.kb)
    await send(update, reply)


async def on_deadlines(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    with rt.db.session() as session:
        reply = deadline_command(who_of(update), context.args or [], rt, session=session)
    await send(update, reply)


HANDLERS = [
    CommandHandler("chitieu", on_targets),
    CommandHandler("hanchot", on_deadlines),
]
