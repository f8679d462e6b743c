"""/start, /donvi and /trogiup: greeting, choosing a unit (hence a plan), help."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from bot.core.models import Unit
from bot.core.replies import Button, Reply, one_per_row
from bot.core.who import Who
from bot.people import invites
from bot.people.units import choose_unit, list_units, remember, unit_by_code, unit_of

UNIT_PREFIX = "unit:"
GREETING = ("Xin chào{name}! Mình là Trợ lý thi đua Chuyển đổi số.\n"
            "• Hỏi mình về chỉ tiêu, hạn báo cáo, khen thưởng trong kế hoạch thi đua (gõ không dấu cũng được).\n"
            "• Mình trả lời kèm trích dẫn mục của kế hoạch; /nguon xem nguyên văn.\n"
            "• /chitieu xem chỉ tiêu, /hanchot xem các mốc thời gian, /trogiup xem hướng dẫn.")
ASK_UNIT = "Bạn thuộc đơn vị nào? Chọn bên dưới để mình trả lời theo kế hoạch của đơn vị:"
BAD_LINK = "Liên kết này không đúng hoặc đã cũ. Bạn chọn đơn vị ở danh sách bên dưới nhé:"
UNKNOWN_COMMAND = "Mình chưa biết lệnh này. Gõ /trogiup để xem các lệnh."
TEXT_ONLY = "Mình chỉ đọc được tin nhắn chữ. Bạn gõ câu hỏi, hoặc /trogiup để xem hướng dẫn nhé."
ADMIN_HELP = ("\n\n🛠 Quản trị viên\n"
              "• /moi [đơn vị] tạo liên kết mời cán bộ báo cáo (dùng một lần, 7 ngày)\n"
              "• /tonghop [kỳ] tổng hợp các đơn vị; /chuanop [kỳ] đơn vị chưa nộp đủ\n"
              "• /xuat [kỳ] tải file Excel và CSV. Kỳ: 2026-H1, 2026-H2 hoặc 2026\n"
              "• /hanchot them 15/12/2026 17:00 <nội dung> [đơn vị] thêm hạn; /hanchot xoa <id> xóa\n"
              "• /guitin tình trạng gửi nhắc hạn")
OFFICER_STAYS = ("Bạn là cán bộ báo cáo của {unit} nên mình giữ đơn vị này cho bạn. Muốn hỏi về kế hoạch khác, "
                 "bạn ghi tên đơn vị trong câu hỏi (ví dụ: “chỉ tiêu của xã Cát Nê”); muốn chuyển đơn vị, "
                 "bạn nhờ quản trị viên gửi liên kết mời mới.")
UNKNOWN_UNIT = "Không tìm thấy đơn vị này nữa. Gõ /donvi để xem danh sách mới."
HELP = ("📘 Hướng dẫn\n"
        "• Gõ câu hỏi, ví dụ: “chỉ tiêu hồ sơ cấp xã xử lý trên môi trường mạng là bao nhiêu?”, "
        "“khi nào tổng kết phong trào?”, “hồ sơ đề nghị khen thưởng gồm những gì?”.\n"
        "• Trong nhóm: nhắc tên mình (@{bot}), trả lời tin nhắn của mình, hoặc dùng /hoi <câu hỏi>.\n"
        "• /donvi chọn hoặc đổi đơn vị (kế hoạch áp dụng)\n"
        "• /chitieu các chỉ tiêu của kế hoạch\n"
        "• /hanchot các hạn báo cáo, sơ kết, tổng kết\n"
        "• /nhacnho bat|tat bật hoặc tắt nhắc hạn cho bạn (trong nhóm: quản trị nhóm bật cho cả nhóm)\n"
        "• /nguon nguyên văn đoạn kế hoạch của câu trả lời gần nhất\n"
        "• Cán bộ báo cáo: /baocao gửi số liệu, /sua sửa số vừa gửi, /tiendo xem tiến độ, /huy hủy\n"
        "• /xoadulieu xóa dữ liệu cá nhân mình lưu về bạn\n"
        "• /trogiup xem lại hướng dẫn này")


def _current(who: Who, *, session: Session) -> str:
    unit = unit_of(who, session=session)
    return f"\nĐơn vị hiện tại: {unit.name}." if unit else ""


def unit_picker(who: Who, lead: str, *, session: Session) -> Reply:
    buttons = [Button(u.name, f"{UNIT_PREFIX}{u.id}") for u in list_units(session=session)]
    return Reply(f"{lead}{_current(who, session=session)}", one_per_row(buttons))


def start(who: Who, payload: str, now: dt.datetime, *, session: Session) -> Reply:
    remember(who, session=session)
    greeting = GREETING.format(name=f" {who.user_name}" if who.user_name else "")
    if payload.startswith(invites.PAYLOAD_PREFIX):
        return _join(who, payload.removeprefix(invites.PAYLOAD_PREFIX), now, greeting, session=session)
    if payload:
        unit = unit_by_code(payload, session=session)
        if unit is None:
            return unit_picker(who, f"{greeting}\n\n{BAD_LINK}", session=session)
        return Reply(f"{greeting}\n\n{_chosen(who, unit, session=session)}")
    return unit_picker(who, f"{greeting}\n\n{ASK_UNIT}", session=session)


def _join(who: Who, token: str, now: dt.datetime, greeting: str, *, session: Session) -> Reply:
    try:
        unit = invites.redeem(token, who, now, session=session)
    except invites.InviteRejected as rejected:
        return Reply(f"{greeting}\n\n{rejected.message}")
    return Reply(f"{greeting}\n\n{invites.joined(unit)}")


def pick_unit(who: Who, unit_id: int, *, session: Session) -> Reply:
    unit = session.get(Unit, unit_id)
    if unit is None:
        return Reply(UNKNOWN_UNIT)
    return Reply(_chosen(who, unit, session=session))


def _chosen(who: Who, unit: Unit, *, session: Session) -> str:
    _, person = remember(who, session=session)
    if not who.in_group and person is not None and person.role == "officer" and person.unit_id != unit.id:
        return OFFICER_STAYS.format(unit=person.unit.name)
    choose_unit(who, unit, session=session)
    whose = "Nhóm này" if who.in_group else "Bạn"
    return (f"✅ {whose} đã chọn đơn vị: {unit.name}.\n"
            "Giờ hãy hỏi mình, ví dụ: “chỉ tiêu hồ sơ xử lý trên môi trường mạng là bao nhiêu?”")


def help_text(bot_username: str, admin: bool = False) -> str:
    return HELP.format(bot=bot_username or "tên bot") + (ADMIN_HELP if admin else "")
