"""/nhacnho (reminders on or off for this chat) and /guitin (admins: how recent reminders went)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.ext import CommandHandler, ContextTypes

from bot.reminders.notify import OFF, ON, status, subscription
from handlers.common import runtime, send, who_of

MANAGERS = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


async def _manages_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    if user is None:
        return False
    if user.id in runtime(context).admin_ids:
        return True
    member = await context.bot.get_chat_member(update.effective_chat.id, user.id)
    return member.status in MANAGERS


async def on_subscription(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rt, who = runtime(context), who_of(update)
    changing = bool(context.args) and context.args[0].lower() in ON + OFF
    manages = who.in_group and changing and await _manages_group(update, context)
    with rt.db.session() as session:
        reply = subscription(who, context.args or [], rt, may_manage_group=manages, session=session)
    await send(update, reply)


async def on_status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    with rt.db.session() as session:
        reply = status(who_of(update), rt, session=session)
    await send(update, reply)


HANDLERS = [
    CommandHandler("nhacnho", on_subscription),
    CommandHandler("guitin", on_status),
]
