"""An incoming message or button press → the reply: the one conversation every front end has.

A command goes to its entry in the table, after the table's checks (admins only, private chats only);
a button to the entry of its data's prefix; other text to the report in progress, else to answering.
A service's UserMessageError becomes its message: bad input is always answered, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.commands import asking, table
from bot.commands.help import UNKNOWN_COMMAND
from bot.commands.turn import ADMINS, Turn
from bot.core.errors import UserMessageError
from bot.core.replies import Reply, notice
from bot.people.invites import ADMINS_ONLY
from bot.plans import uploads
from bot.reminders import summaries
from bot.reporting import guided

PRIVATE_ONLY = "Lệnh này chỉ dùng khi nhắn riêng với mình: bấm vào tên mình rồi chọn Nhắn tin nhé."
STALE_BUTTON = "Nút này đã cũ hoặc không còn dùng được. Gõ /trogiup để xem các lệnh."


def on_command(name: str, turn: Turn) -> Reply:
    command = table.command(name)
    if command is None:
        return Reply(UNKNOWN_COMMAND)
    if command.audience == ADMINS and not turn.admin:
        return Reply(ADMINS_ONLY)
    if command.private and turn.who.in_group:
        return Reply(PRIVATE_ONLY)
    return _answered(command.call, turn)


def on_press(turn: Turn) -> Reply:
    """turn.text is the button's data, turn.label its label (empty when the front end cannot tell)."""
    press = table.press(turn.text)
    if press is None:
        return notice(STALE_BUTTON)
    if press.audience == ADMINS and not turn.admin:
        return notice(ADMINS_ONLY)
    return _answered(press.call, turn)


def on_text(turn: Turn) -> Reply:
    """A message that is not a command: the value of the report in progress, else a question."""
    waiting = guided.waiting(turn.seen.draft_step)
    reply = guided.on_text(turn.who, turn.text, turn.now, session=turn.session) if waiting else None
    return reply if reply is not None else _answered(asking.question, turn)


def on_document(turn: Turn, name: str, content: bytes) -> Reply:
    """A file sent in a private chat: an admin's plan document, previewed before it goes live."""
    if not turn.admin:
        return Reply(uploads.ADMINS_ONLY)
    return _answered(lambda t: uploads.receive(name, content, t.who.user_id, t.now, t.today, session=t.session),
                     turn)


def on_channel_admin(turn: Turn) -> Reply:
    """turn.who made the bot an administrator of the channel turn.who.chat_id: an admin is offered summaries
    there (in their private chat); anyone else is told nothing."""
    if not turn.admin:
        return Reply()
    return summaries.offer_channel(turn.who.chat_id, turn.who.chat_title)


def needs_group_admin(command_name: str | None = None, data: str | None = None) -> bool:
    """Whether the front end must find out if the asker manages the group before answering."""
    found = table.command(command_name) if command_name else table.press(data or "")
    return found is not None and found.group_admin


def _answered(call: Callable[[Turn], Reply], turn: Turn) -> Reply:
    try:
        return call(turn)
    except UserMessageError as refused:
        return Reply(refused.message)
