"""Commands of bot/reminders: /hanchot (admins add and remove deadlines), /nhacnho, /guitin, /tomtat;
the buttons of a check-in."""

from __future__ import annotations

from bot.commands.turn import ADMINS, Command, Press, Turn
from bot.core.replies import Reply
from bot.reminders import checkins, commands, notify, summaries


def deadlines(turn: Turn) -> Reply:
    asker = commands.Asker(turn.who, turn.admin, turn.now, turn.tz, turn.rules, turn.units)
    return commands.deadline_command(asker, turn.args, session=turn.session, kb=turn.kb)


def subscription(turn: Turn) -> Reply:
    return notify.subscription(turn.who, turn.args, turn.rules, may_manage_group=turn.group_admin,
                               session=turn.session)


def status(turn: Turn) -> Reply:
    return notify.status(turn.admin, turn.now, turn.tz, session=turn.session, units=turn.units)


def summary_chat(turn: Turn) -> Reply:
    return summaries.command(turn.who, turn.args, turn.units, session=turn.session)


def channel_button(turn: Turn) -> Reply:
    return summaries.channel_press(turn.text, turn.who, turn.units, session=turn.session)


def checkin_button(turn: Turn) -> Reply:
    return checkins.press(turn.who, turn.text, turn.now, turn.tz, turn.super_admins, session=turn.session)


COMMANDS = [
    Command("hanchot", "Hạn báo cáo, sơ kết, tổng kết", deadlines,
            admin_help="/hanchot them 15/12/2026 17:00 <nội dung> [đơn vị] thêm hạn; /hanchot xoa <số> xóa hạn"),
    Command("nhacnho", "Bật hoặc tắt nhắc hạn (trong nhóm: quản trị nhóm bật cho cả nhóm)", subscription,
            usage="bat|tat", group_admin=True),
    Command("guitin", "Tình trạng gửi nhắc hạn 14 ngày qua", status, audience=ADMINS),
    Command("tomtat", "Nhóm nhận tóm tắt tiến độ định kỳ", summary_chat, audience=ADMINS,
            usage="bat weekly|monthly | tat", menus=("group",)),
]
PRESSES = [Press(checkins.PREFIX, checkin_button), Press(summaries.CHANNEL_PREFIX, channel_button, audience=ADMINS)]
