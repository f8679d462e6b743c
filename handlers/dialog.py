"""Every command, button and message of the command table, answered through bot/commands/dialog.py.

The conversation's work (database, answering, charts, exports) runs in a worker thread with its own
session, one per update, so the event loop only moves messages. "Typing…" shows only when an answer
is slow enough to be noticed: most take milliseconds, and a chat action per message would double the
requests that count against Telegram's 30 per second.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from telegram import Bot, Message, MessageEntity, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import Forbidden
from telegram.ext import ContextTypes

from bot.commands import dialog
from bot.commands.help import TEXT_ONLY, UNKNOWN_COMMAND
from bot.commands.turn import Turn
from bot.core.replies import Reply
from bot.people import admins
from handlers.common import answer_press, keyboard, runtime, send, typing, who_of

log = logging.getLogger(__name__)
TYPING_AFTER = 0.3  # seconds
# A few threads: database round trips wait without the GIL; answering is CPU under it, so more only switch.
WORKERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dialog")
MANAGERS = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


async def _reply(update: Update, context: ContextTypes.DEFAULT_TYPE, handle: Callable[[Turn], Reply], text: str,
                 *, label: str = "", group_admin: bool = False) -> Reply:
    rt, who = runtime(context), who_of(update)
    began: list[float] = []  # when a worker took it up (time.monotonic)

    def work() -> Reply:
        began.append(time.monotonic())
        with rt.db.session() as session:
            return handle(Turn(who, text, rt.clock(), session, rt.kb, rt.reminders,
                               scope=lambda: admins.scope(who.user_id, rt.admin_ids, session=session),
                               super_admins=rt.admin_ids,
                               group_admin=group_admin, bot_username=context.bot.username or "",
                               update_id=update.update_id, label=label, web_url=rt.web_url))

    future = asyncio.get_running_loop().run_in_executor(WORKERS, work)
    if await _slow(future, began):
        await typing(update)
    return await future


async def _slow(future: asyncio.Future, began: list[float]) -> bool:
    """Whether the work has run TYPING_AFTER without an end. Time waiting for a worker does not count: under
    load every update waits, and a chat action each would spend Telegram's budget the answers need."""
    while True:
        now = time.monotonic()
        done, _ = await asyncio.wait({future}, timeout=max(0.0, (began[0] if began else now) + TYPING_AFTER - now))
        if done:
            return False
        if began and time.monotonic() - began[0] >= TYPING_AFTER:
            return True


async def _manages_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type == "private":
        return False
    if runtime(context).is_admin(user.id):
        return True
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in MANAGERS


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    name = update.effective_message.text.split(maxsplit=1)[0][1:]
    manages = dialog.needs_group_admin(command_name=name) and await _manages_group(update, context)
    reply = await _reply(update, context, lambda turn: dialog.on_command(name, turn), " ".join(context.args or []),
                         group_admin=manages)
    await send(update, reply)


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    data = update.callback_query.data or ""
    manages = dialog.needs_group_admin(data=data) and await _manages_group(update, context)
    reply = await _reply(update, context, dialog.on_press, data, label=_label(update.callback_query.message, data),
                         group_admin=manages)
    await answer_press(update, reply)


def _label(message: Message | None, data: str) -> str:
    """The pressed button's label, read from the message it belongs to ('' when Telegram no longer shows it)."""
    markup = getattr(message, "reply_markup", None)
    rows = markup.inline_keyboard if markup else ()
    return next((b.text for row in rows for b in row if b.callback_data == data), "")


async def on_private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, await _reply(update, context, dialog.on_text, update.effective_message.text))


async def on_group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    question = addressed_text(update.effective_message, context.bot)
    if question is not None:
        await send(update, await _reply(update, context, dialog.on_text, question))


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


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file in a private chat: an admin's plan document is fetched and read (off the event loop)."""
    document, user = update.effective_message.document, update.effective_user
    content = b""
    if runtime(context).is_admin(user.id if user else None):
        content = bytes(await (await document.get_file()).download_as_bytearray())
    name = document.file_name or "tep"
    await send(update, await _reply(update, context, lambda turn: dialog.on_document(turn, name, content), ""))


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, Reply(UNKNOWN_COMMAND))


async def on_not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, Reply(TEXT_ONLY))


async def on_my_chat_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot made an administrator of a channel: whoever did it, if a bot admin, chooses its summaries in
    their private chat (a channel cannot be typed a command to)."""
    change = update.my_chat_member
    if change.chat.type != ChatType.CHANNEL or change.new_chat_member.status != ChatMemberStatus.ADMINISTRATOR:
        return
    reply = await _reply(update, context, dialog.on_channel_admin, "")
    if reply.text:
        try:
            await context.bot.send_message(change.from_user.id, reply.text, reply_markup=keyboard(reply))
        except Forbidden:  # they never opened a private chat with the bot: /tomtat's help says how it goes
            log.info("could not offer summaries for channel %s: no private chat with its admin", change.chat.id)
