"""The composition root: every Telegram handler of the bot is registered here, and only here."""

from __future__ import annotations

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from telegram.ext import Application

from handlers import delivery, errors, flood, help, plan_info, questions, reminders, start

FLOOD_GROUP = -1  # runs before the features and can stop an update

PRIVATE_COMMANDS = [
    BotCommand("start", "Bắt đầu, chọn đơn vị"),
    BotCommand("donvi", "Chọn hoặc đổi đơn vị"),
    BotCommand("chitieu", "Các chỉ tiêu của kế hoạch"),
    BotCommand("hanchot", "Hạn báo cáo, sơ kết, tổng kết"),
    BotCommand("nhacnho", "Bật hoặc tắt nhắc hạn"),
    BotCommand("nguon", "Nguyên văn nguồn của câu trả lời"),
    BotCommand("trogiup", "Hướng dẫn sử dụng"),
]
GROUP_COMMANDS = [BotCommand("hoi", "Hỏi về kế hoạch thi đua"), *PRIVATE_COMMANDS[1:]]


def register(app: Application) -> None:
    app.add_handlers(flood.HANDLERS, group=FLOOD_GROUP)
    for feature in (start, help, plan_info, reminders, questions):
        app.add_handlers(feature.HANDLERS)
    delivery.schedule(app)
    app.add_handlers(help.FALLBACK)
    app.add_error_handler(errors.on_error)


async def set_commands(app: Application) -> None:
    await app.bot.set_my_commands(PRIVATE_COMMANDS, scope=BotCommandScopeAllPrivateChats())
    await app.bot.set_my_commands(GROUP_COMMANDS, scope=BotCommandScopeAllGroupChats())
