"""/trogiup and /help; and the last resort for what no feature handles in a private chat."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes, MessageHandler, filters

from bot.core.replies import Reply
from bot.people.welcome import TEXT_ONLY, UNKNOWN_COMMAND, help_text
from handlers.common import runtime, send


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    await send(update, Reply(help_text(context.bot.username, runtime(context).is_admin(user.id if user else None))))


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, Reply(UNKNOWN_COMMAND))


async def on_not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, Reply(TEXT_ONLY))


HANDLERS = [CommandHandler(["trogiup", "help"], on_help)]
# registered after every feature: a private message nothing else took is still answered
FALLBACK = [
    MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, on_unknown_command),
    MessageHandler(filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL, on_not_text),
]
