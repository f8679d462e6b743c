"""/start and /donvi: the greeting, and choosing a unit (hence a plan)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy.orm import Session

from bot.core.errors import UserMessageError
from bot.core.models import Unit
from bot.core.replies import Button, Reply, notice, one_per_row
from bot.core.who import Who
from bot.people import invites, joining
from bot.people.units import choose_unit, list_units, remember, unit_by_code, unit_of

UNIT_PREFIX = "unit:"
GREETING = ("Xin chào{name}! Mình là Trợ lý thi đua Chuyển đổi số.\n"
            "• Hỏi mình về chỉ tiêu, hạn báo cáo, khen thưởng trong kế hoạch thi đua (gõ không dấu cũng được).\n"
            "• Mình trả lời kèm trích dẫn mục của kế hoạch; /nguon xem nguyên văn.\n"
            "• /chitieu xem chỉ tiêu, /hanchot xem các mốc thời gian, /trogiup xem hướng dẫn.")
ASK_UNIT = "Bạn thuộc đơn vị nào? Chọn bên dưới để mình trả lời theo kế hoạch của đơn vị:"
BAD_LINK = "Liên kết này không đúng hoặc đã cũ. Bạn chọn đơn vị ở danh sách bên dưới nhé:"
OFFICER_STAYS = ("Bạn là cán bộ báo cáo của {unit} nên mình giữ đơn vị này cho bạn. Muốn hỏi về kế hoạch khác, "
                 "bạn ghi tên đơn vị trong câu hỏi (ví dụ: “chỉ tiêu của xã Cát Nê”); muốn chuyển đơn vị, "
                 "bạn nhờ quản trị viên gửi liên kết mời mới.")
UNKNOWN_UNIT = "Không tìm thấy đơn vị này nữa. Gõ /donvi để xem danh sách mới."
GROUP_ADMINS_ONLY = "Chỉ quản trị viên của nhóm mới đổi đơn vị của nhóm. Bạn nhờ quản trị viên nhóm chọn nhé."


def _current(who: Who, *, session: Session) -> str:
    unit = unit_of(who, session=session)
    return f"\nĐơn vị hiện tại: {unit.name}." if unit else ""


def unit_picker(who: Who, lead: str, *, session: Session) -> Reply:
    buttons = [Button(u.name, f"{UNIT_PREFIX}{u.id}") for u in list_units(session=session)]
    return Reply(f"{lead}{_current(who, session=session)}", one_per_row(buttons))


def start(who: Who, payload: str, now: dt.datetime, *, may_change_group: bool, session: Session,
          super_admins: Collection[int] = ()) -> Reply:
    """/start [payload]: an invite ('moi-…') makes an officer (a unit-wide one may ask the admins first), a unit
    code chooses that unit (in a group, only its admins choose), nothing offers the list."""
    remember(who, session=session)
    greeting = GREETING.format(name=f" {who.user_name}" if who.user_name else "")
    if payload.startswith(invites.PAYLOAD_PREFIX):
        return _join(who, payload.removeprefix(invites.PAYLOAD_PREFIX), now, greeting, super_admins,
                     session=session)
    if payload and who.in_group and not may_change_group:
        return Reply(f"{greeting}\n\n{GROUP_ADMINS_ONLY}")
    if payload:
        unit = unit_by_code(payload, session=session)
        if unit is None:
            return unit_picker(who, f"{greeting}\n\n{BAD_LINK}", session=session)
        return Reply(f"{greeting}\n\n{_chosen(who, unit, session=session)}")
    return unit_picker(who, f"{greeting}\n\n{ASK_UNIT}", session=session)


def _join(who: Who, token: str, now: dt.datetime, greeting: str, super_admins: Collection[int], *,
          session: Session) -> Reply:
    try:
        said = joining.open_link(token, who, now, super_admins, session=session)
    except UserMessageError as rejected:
        said = rejected.message
    return Reply(f"{greeting}\n\n{said}")


def pick_unit(who: Who, data: str, *, may_change_group: bool, session: Session) -> Reply:
    """A unit button ('unit:<id>'); in a group, only its admins change the group's unit."""
    if who.in_group and not may_change_group:
        return notice(GROUP_ADMINS_ONLY)
    ident = data.removeprefix(UNIT_PREFIX)
    unit = session.get(Unit, int(ident)) if ident.isdecimal() and len(ident) < 10 else None
    if unit is None:
        return Reply(UNKNOWN_UNIT, edit=True)
    return Reply(_chosen(who, unit, session=session), edit=True)


def _chosen(who: Who, unit: Unit, *, session: Session) -> str:
    _, person = remember(who, session=session)
    if not who.in_group and person is not None and person.role == "officer" and person.unit_id != unit.id:
        return OFFICER_STAYS.format(unit=person.unit.name)
    choose_unit(who, unit, session=session)
    whose = "Nhóm này" if who.in_group else "Bạn"
    return (f"✅ {whose} đã chọn đơn vị: {unit.name}.\n"
            "Giờ hãy hỏi mình, ví dụ: “chỉ tiêu hồ sơ xử lý trên môi trường mạng là bao nhiêu?”")
