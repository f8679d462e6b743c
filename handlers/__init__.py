"""The composition root: every Telegram handler of the bot is registered here, and only here."""

from __future__ import annotations

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from telegram.ext import Application

from handlers import (
    admin,
    delivery,
    errors,
    flood,
    help,
    observe,
    plan_info,
    privacy,
    progress,
    questions,
    reminders,
    reporting,
    start,
)

OBSERVE_GROUP = -2  # sees every update, even one the flood guard then stops
FLOOD_GROUP = -1  # runs before the features and can stop an update

PRIVATE_COMMANDS = [
    BotCommand("start", "Bắt đầu, chọn đơn vị"),
    BotCommand("donvi", "Chọn hoặc đổi đơn vị"),
    BotCommand("chitieu", "Các chỉ tiêu của kế hoạch"),
    BotCommand("hanchot", "Hạn báo cáo, sơ kết, tổng kết"),
    BotCommand("nhacnho", "Bật hoặc tắt nhắc hạn"),
    BotCommand("nguon", "Nguyên văn nguồn của câu trả lời"),
    BotCommand("baocao", "Báo cáo số liệu của đơn vị (cán bộ)"),
    BotCommand("sua", "Sửa số liệu vừa báo cáo"),
    BotCommand("tiendo", "Tiến độ của đơn vị kỳ này"),
    BotCommand("huy", "Hủy việc đang làm"),
    BotCommand("trogiup", "Hướng dẫn sử dụng"),
]
GROUP_COMMANDS = [BotCommand("hoi", "Hỏi về kế hoạch thi đua"),
                  *(c for c in PRIVATE_COMMANDS[1:] if c.command not in {"baocao", "sua", "huy"})]


def register(app: Application) -> None:
    app.add_handlers(observe.HANDLERS, group=OBSERVE_GROUP)
    app.add_handlers(flood.HANDLERS, group=FLOOD_GROUP)
    app.add_handlers(start.HANDLERS)
    app.add_handlers(reporting.handlers())  # before questions: a value typed mid-report is not a question
    for feature in (help, plan_info, reminders, progress, admin, privacy, questions):
        app.add_handlers(feature.HANDLERS)
    delivery.schedule(app)
    privacy.schedule(app)
    app.add_handlers(help.FALLBACK)
    app.add_error_handler(errors.on_error)


async def set_commands(app: Application) -> None:
    await app.bot.set_my_commands(PRIVATE_COMMANDS, scope=BotCommandScopeAllPrivateChats())
    await app.bot.set_my_commands(GROUP_COMMANDS, scope=BotCommandScopeAllGroupChats())
