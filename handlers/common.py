"""Glue shared by the feature modules: Update → Who, Reply → Telegram messages."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction
from telegram.ext import ContextTypes

from bot.core.replies import Reply, split_text
from bot.core.runtime import Runtime
from bot.core.who import Who


def runtime(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    return context.bot_data["runtime"]


def who_of(update: Update) -> Who:
    chat, user = update.effective_chat, update.effective_user
    return Who(chat_id=chat.id, chat_kind=chat.type, user_id=user.id if user else None,
               user_name=user.full_name if user else "", chat_title=chat.title or "")


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label[:120], callback_data=b.data) for b in row]
                                 for row in reply.buttons])


async def send(update: Update, reply: Reply) -> Message:
    """Long text goes as several messages cut at line ends; the buttons ride on the last one."""
    chat = update.effective_chat
    pieces = split_text(reply.text)
    for piece in pieces[:-1]:
        await chat.send_message(piece)
    return await chat.send_message(pieces[-1], reply_markup=keyboard(reply))


async def typing(update: Update) -> None:
    await update.effective_chat.send_action(ChatAction.TYPING)
