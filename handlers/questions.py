"""Questions: free text in private chats; in groups a mention, a reply to the bot, or /hoi.

Also the did-you-mean buttons and /nguon.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from telegram import Bot, Message, MessageEntity, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.asking.answers import ASK_PREFIX, HOW_TO_ASK, ask, last_source
from bot.core.metrics import ANSWER_SECONDS
from bot.core.replies import Reply
from bot.core.runtime import Runtime
from bot.core.who import Who
from handlers.common import runtime, send, typing, who_of

TYPING_AFTER = 0.3  # seconds
# One thread: database round trips never block the event loop, and answering is CPU under the GIL, so
# more threads only add switching (bench/throughput.py: one thread 232-239 questions/s, two 192-243).
ANSWERING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="answer")
STALE_BUTTON = "Gợi ý này đã cũ, bạn gõ lại câu hỏi nhé."


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """Answers off the event loop; "typing" shows only if the answer is slow enough to be noticed.

    Most answers take milliseconds, and a chat action per question would double the requests
    that count against Telegram's 30 per second.
    """
    work = asyncio.get_running_loop().run_in_executor(ANSWERING, _ask, runtime(context), who_of(update), question)
    done, _ = await asyncio.wait({work}, timeout=TYPING_AFTER)
    if not done:
        await typing(update)
    await send(update, await work)


def _ask(rt: Runtime, who: Who, question: str) -> Reply:
    with ANSWER_SECONDS.time(), rt.db.session() as session:
        return ask(question, who, session=session, kb=rt.kb)


async def on_private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_question(update, context, update.effective_message.text)


def addressed_text(message: Message, bot: Bot) -> str | None:
    """The question of a group message meant for the bot, without the mention; None if not meant for it."""
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
        return message.text
    text = message.text or ""
    for entity, shown in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        mine = (entity.user is not None and entity.user.id == bot.id) or shown.lower() == f"@{bot.username}".lower()
        if mine:
            return text.replace(shown, " ").strip()
    return None


async def on_group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    question = addressed_text(update.effective_message, context.bot)
    if question is not None:
        await answer_question(update, context, question)


async def on_ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not context.args:
        await send(update, Reply(HOW_TO_ASK))
        return
    await answer_question(update, context, " ".join(context.args))


def _button_label(message: Message | None, data: str) -> str | None:
    markup = getattr(message, "reply_markup", None)
    rows = markup.inline_keyboard if markup else ()
    return next((b.text for row in rows for b in row if b.callback_data == data), None)


async def on_suggestion(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    question = _button_label(query.message, query.data)
    if question is None:
        await query.answer(STALE_BUTTON, show_alert=True)
        return
    await query.answer()
    await answer_question(update, context, question)


async def on_source(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    with rt.db.session() as session:
        reply = last_source(who_of(update), session=session, kb=rt.kb)
    await send(update, reply)


HANDLERS = [
    CommandHandler("hoi", on_ask_command),
    CommandHandler("nguon", on_source),
    CallbackQueryHandler(on_suggestion, pattern=rf"^{ASK_PREFIX}\d+$"),
    MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, on_private_text),
    MessageHandler(filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND, on_group_text),
]
