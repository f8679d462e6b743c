"""Commands of bot/reminders: /hanchot (admins add and remove deadlines), /nhacnho, /guitin; the buttons
of a check-in."""

from __future__ import annotations

from bot.commands.turn import ADMINS, Command, Press, Turn
from bot.core.replies import Reply
from bot.reminders import checkins, commands, notify


def deadlines(turn: Turn) -> Reply:
    asker = commands.Asker(turn.who, turn.admin, turn.now, turn.tz, turn.rules, turn.units)
    return commands.deadline_command(asker, turn.args, session=turn.session, kb=turn.kb)


def subscription(turn: Turn) -> Reply:
    return notify.subscription(turn.who, turn.args, turn.rules, may_manage_group=turn.group_admin,
                               session=turn.session)


def status(turn: Turn) -> Reply:
    return notify.status(turn.admin, turn.now, turn.tz, session=turn.session)


COMMANDS = [
    Command("hanchot", "Hạn báo cáo, sơ kết, tổng kết", deadlines,
            admin_help="/hanchot them 15/12/2026 17:00 <nội dung> [đơn vị] thêm hạn; /hanchot xoa <số> xóa hạn"),
    Command("nhacnho", "Bật hoặc tắt nhắc hạn (trong nhóm: quản trị nhóm bật cho cả nhóm)", subscription,
            usage="bat|tat", group_admin=True),
    Command("guitin", "Tình trạng gửi nhắc hạn 14 ngày qua", status, audience=ADMINS),
]
def checkin_button(turn: Turn) -> Reply:
    return checkins.press(turn.who, turn.text, turn.now, turn.tz, turn.super_admins, session=turn.session)


PRESSES = [Press(checkins.PREFIX, checkin_button)]
