"""Commands of bot/people/admins.py: /quantri (super-admins appoint the admins of a unit and its sub-units)."""

from __future__ import annotations

from bot.commands.turn import ADMINS, Command, Turn
from bot.core.replies import Reply
from bot.people import appointing


def appointments(turn: Turn) -> Reply:
    if not turn.super_admin:
        return Reply(appointing.SUPER_ONLY)
    return appointing.command(turn.args, turn.who.user_id or 0, turn.now, session=turn.session)


COMMANDS = [
    Command("quantri", "Giao quyền quản trị đơn vị", appointments, audience=ADMINS,
            usage="[them|xoa <người> <đơn vị>]", private=True, menus=("private",)),
]
PRESSES: list = []
