"""The Telegram side of the bot, registered on an Application by `register`, and only there.

dialog: every command, button and message of the command table (bot/commands/table.py) · common:
Update → Who, Reply → messages · observe: every update counted · guard: the per-user flood guard ·
delivery: the reminder sender's Telegram wiring · jobs: the nightly retention · errors: the last resort.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.commands.help import menu
from bot.commands.table import COMMANDS
from bot.people import admins
from handlers import delivery, dialog, errors, guard, jobs, observe

MENUS_EVERY = 60.0  # seconds: an admin appointed with /quantri sees the admins' menu within this
OBSERVE_GROUP = -2  # sees every update, even one the flood guard then stops
GUARD_GROUP = -1  # runs before the conversation and can stop an update
log = logging.getLogger(__name__)


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
    app.job_queue.run_repeating(_admin_menus_job, interval=MENUS_EVERY, first=MENUS_EVERY, name="menus",
                                job_kwargs={"max_instances": 1, "coalesce": True})
    app.add_error_handler(errors.on_error)


def _listed(where: str, admin: bool = False) -> list[BotCommand]:
    return [BotCommand(name, text) for name, text in menu(COMMANDS, where, admin=admin)]


async def set_commands(app: Application) -> None:
    """The command menus: private chats, groups, and each admin's private chat with their own commands."""
    await app.bot.set_my_commands(_listed("private"), scope=BotCommandScopeAllPrivateChats())
    await app.bot.set_my_commands(_listed("group"), scope=BotCommandScopeAllGroupChats())
    await admin_menus(app)


async def admin_menus(app: Application) -> None:
    """Each admin's private chat shows the admins' commands: BOT_ADMIN_IDS and those appointed with /quantri,
    looked at every MENUS_EVERY seconds; a dismissed admin's chat goes back to everyone's menu."""
    rt = app.bot_data["runtime"]

    def current() -> frozenset[int]:
        with rt.db.session() as session:
            return frozenset(rt.admin_ids) | {a.person_id for a in admins.appointments(session=session)}

    wanted, shown = await asyncio.to_thread(current), app.bot_data.get("admin_menus", frozenset())
    for admin_id in sorted(wanted - shown):
        await _quietly(app.bot.set_my_commands(_listed("private", admin=True), scope=BotCommandScopeChat(admin_id)))
    for admin_id in sorted(shown - wanted):
        await _quietly(app.bot.delete_my_commands(scope=BotCommandScopeChat(admin_id)))
    app.bot_data["admin_menus"] = wanted


async def _quietly(call: Awaitable[object]) -> None:
    """A menu is a convenience: a chat Telegram does not know yet (never opened) fails it, nothing else."""
    try:
        await call
    except BadRequest as exc:
        log.info("a command menu was not set: %s", exc)


async def _admin_menus_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await admin_menus(context.application)
