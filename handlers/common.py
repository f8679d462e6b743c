"""Glue between Telegram and the conversation: Update → Who, Reply → messages, edits, files and alerts."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.core.replies import Reply, split_text
from bot.core.runtime import Runtime
from bot.core.who import Who

ALERT_CHARS = 200  # Telegram shows at most 200 characters in a callback's alert


def runtime(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    return context.bot_data["runtime"]


def who_of(update: Update) -> Who:
    chat, user = update.effective_chat, update.effective_user
    chat_id = chat.id if chat else (user.id if user else 0)
    return Who(chat_id=chat_id, chat_kind=chat.type if chat else "private", user_id=user.id if user else None,
               user_name=user.full_name if user else "", chat_title=(chat.title or "") if chat else "")


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label[:120], callback_data=b.data) for b in row]
                                 for row in reply.buttons])


async def send(update: Update, reply: Reply) -> None:
    """Long text goes as several messages cut at line ends; the buttons ride on the last one; files follow."""
    chat = update.effective_chat
    if chat is None:
        return
    if reply.text:
        pieces = split_text(reply.text)
        for piece in pieces[:-1]:
            await chat.send_message(piece)
        await chat.send_message(pieces[-1], reply_markup=keyboard(reply))
    for file in reply.files:
        if file.picture:
            await chat.send_photo(file.content, caption=file.caption or None)
        else:
            await chat.send_document(file.content, filename=file.name, caption=file.caption or None)


async def answer_press(update: Update, reply: Reply) -> None:
    """A button press: its alert (or a silent answer), then the pressed message edited or closed, then the
    reply. A press whose message Telegram no longer shows (too old, or none) is answered as a new message."""
    query = update.callback_query
    await query.answer(reply.notice[:ALERT_CHARS] or None, show_alert=bool(reply.notice))
    message = query.message if query.message is not None and query.message.is_accessible else None
    if message is not None and (reply.edit or reply.close):
        try:
            if reply.edit:
                await message.edit_text(reply.text, reply_markup=keyboard(reply))
                return
            await message.edit_reply_markup(None)
        except BadRequest as exc:  # the message can no longer be edited (or has no buttons left): say it anew
            if reply.edit and "not modified" in exc.message:
                return
    if reply.text or reply.files:
        await send(update, reply)


async def typing(update: Update) -> None:
    if update.effective_chat is not None:
        await update.effective_chat.send_action(ChatAction.TYPING)
