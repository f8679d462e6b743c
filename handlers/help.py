"""/trogiup and /help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from bot.replies import Reply
from bot.welcome import help_text
from handlers.common import send


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, Reply(help_text(context.bot.username)))


HANDLERS = [CommandHandler(["trogiup", "help"], on_help)]
