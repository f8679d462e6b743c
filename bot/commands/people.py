"""Commands of bot/people: /start, /donvi, /moi, /xoadulieu and their buttons (a unit-wide invite's Duyệt / Từ chối
among them)."""

from __future__ import annotations

from bot.commands.turn import ADMINS, Command, Press, Turn
from bot.core.models import Unit
from bot.core.replies import Button, Reply
from bot.people import admins, invites, joining, privacy, signin, welcome
from bot.people.units import find_unit

ERASE, KEEP = "xoa:ok", "xoa:khong"
WEB_OFF = ("Trang quản lý trên web chưa được bật. Người cài đặt bot đặt WEB_BASE_URL và chạy "
           "`campaign-bot web`, rồi bạn gửi lại /web.")


def start(turn: Turn) -> Reply:
    return welcome.start(turn.who, turn.text.strip(), turn.now, may_change_group=turn.group_admin,
                         session=turn.session, super_admins=turn.super_admins)


def choose_unit(turn: Turn) -> Reply:
    return welcome.unit_picker(turn.who, welcome.ASK_UNIT, session=turn.session)


def unit_button(turn: Turn) -> Reply:
    return welcome.pick_unit(turn.who, turn.text, may_change_group=turn.group_admin, session=turn.session)


def invite(turn: Turn) -> Reply:
    asked = invites.parse(turn.text)
    if not asked.unit:
        return invites.unit_choices(asked, session=turn.session, units=turn.units)
    return _invite(turn, find_unit(asked.unit, session=turn.session), asked)


def invite_button(turn: Turn) -> Reply:
    reply = _invite(turn, *invites.pressed(turn.text, session=turn.session))
    reply.edit = True
    return reply


def _invite(turn: Turn, unit: Unit | None, asked: invites.Asked) -> Reply:
    unit = admins.check(turn.units, unit) if unit is not None else None
    return invites.invite_reply(unit, asked, turn.who.user_id, turn.bot_username, turn.now, session=turn.session)


def join_decision(turn: Turn) -> Reply:
    return joining.decide(turn.text, turn.units, turn.who.user_id or 0, turn.now, session=turn.session)


def web_link(turn: Turn) -> Reply:
    if not turn.web_url:
        return Reply(WEB_OFF)
    link = signin.new_link(turn.who.user_id, turn.web_url, turn.now, session=turn.session)
    return Reply(f"🔐 Liên kết đăng nhập trang quản lý (dùng một lần, hết hạn sau 10 phút):\n{link}\n"
                 "Đừng chuyển liên kết này cho người khác. Hết hạn thì gửi lại /web.")


def ask_erase(turn: Turn) -> Reply:
    return Reply(privacy.ASK, [[Button("🗑 Xóa dữ liệu của tôi", ERASE), Button("Giữ lại", KEEP)]])


def erase_button(turn: Turn) -> Reply:
    if turn.text != ERASE:
        return Reply(privacy.KEPT, edit=True)
    erased = turn.who.user_id is not None and privacy.erase_person(turn.who.user_id, session=turn.session)
    return Reply(privacy.DONE if erased else privacy.NOTHING, edit=True)


COMMANDS = [
    Command("start", "Bắt đầu, chọn đơn vị", start, menus=("private",), group_admin=True),
    Command("donvi", "Chọn hoặc đổi đơn vị (kế hoạch áp dụng)", choose_unit),
    Command("moi", "Tạo liên kết mời cán bộ báo cáo (một người, hoặc cả đơn vị; 7 ngày)", invite, audience=ADMINS,
            usage=f"[đơn vị] [{invites.MANY} <số người>] [{invites.AUTO}]",
            admin_help=f"/moi <đơn vị> {invites.MANY} 20: một liên kết cho tối đa 20 người, mỗi người vào khi bạn "
                       f"bấm Duyệt; thêm {invites.AUTO} để họ vào ngay, không cần duyệt"),
    Command("web", "Nhận liên kết đăng nhập trang quản lý trên web (10 phút, dùng một lần)", web_link,
            audience=ADMINS, private=True, menus=("private",)),
    Command("xoadulieu", "Xóa dữ liệu cá nhân mình lưu về bạn", ask_erase, private=True),
]
PRESSES = [
    Press(welcome.UNIT_PREFIX, unit_button, group_admin=True),
    Press(invites.INVITE_PREFIX, invite_button, audience=ADMINS),
    Press(joining.PREFIX, join_decision, audience=ADMINS),
    Press("xoa:", erase_button),
]
