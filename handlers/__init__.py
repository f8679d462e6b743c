"""The Telegram side of the bot, registered on an Application by `register`, and only there.

dialog: every command, button and message of the command table (bot/commands/table.py) · common:
Update → Who, Reply → messages · observe: every update counted · guard: the per-user flood guard ·
delivery: the reminder sender's Telegram wiring · jobs: the nightly retention · errors: the last resort.
"""

from __future__ import annotations

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.commands.help import menu
from bot.commands.table import COMMANDS
from handlers import delivery, dialog, errors, guard, jobs, observe

OBSERVE_GROUP = -2  # sees every update, even one the flood guard then stops
GUARD_GROUP = -1  # runs before the conversation and can stop an update


def register(app: Application) -> None:
    app.add_handlers(observe.HANDLERS, group=OBSERVE_GROUP)
    app.add_handlers(guard.HANDLERS, group=GUARD_GROUP)
    app.add_handlers([
        CommandHandler([name for c in COMMANDS for name in c.names], dialog.on_command),
        CallbackQueryHandler(dialog.on_press),
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, dialog.on_private_text),
        MessageHandler(filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND, dialog.on_group_text),
        # a private message nothing above took is still answered
        MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, dialog.on_unknown_command),
        MessageHandler(filters.ChatType.PRIVATE & filters.Document.ALL, dialog.on_document),
        MessageHandler(filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL, dialog.on_not_text),
        ChatMemberHandler(dialog.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
    ])
    delivery.schedule(app)
    jobs.schedule(app)
    app.add_error_handler(errors.on_error)


async def set_commands(app: Application) -> None:
    """The command menus: private chats, groups, and each admin's private chat with their own commands."""
    def listed(where: str, admin: bool = False) -> list[BotCommand]:
        return [BotCommand(name, text) for name, text in menu(COMMANDS, where, admin=admin)]

    await app.bot.set_my_commands(listed("private"), scope=BotCommandScopeAllPrivateChats())
    await app.bot.set_my_commands(listed("group"), scope=BotCommandScopeAllGroupChats())
    for admin_id in sorted(app.bot_data["runtime"].admin_ids):
        await app.bot.set_my_commands(listed("private", admin=True), scope=BotCommandScopeChat(admin_id))
