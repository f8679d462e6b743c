"""/hanchot them|xoa (admins add and remove deadlines) and the /hanchot listing with them."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.orm import Session

from bot.asking.plan_info import deadlines, deadlines_text
from bot.core.models import Deadline, Unit
from bot.core.replies import Reply
from bot.core.runtime import Runtime
from bot.core.who import Who
from bot.people.units import unit_by_code, unit_of
from bot.reminders import outbox
from bot.reminders.catalog import add_deadline, admin_deadlines, extensions
from bot.reminders.messages import when
from bot.reminders.notify import offsets_text
from knowledge.milestones import days_left

ADMIN_ONLY = "Chỉ quản trị viên của bot mới thêm hoặc xóa hạn được. Cần thêm hạn, bạn nhờ quản trị viên nhé."
ADD_USAGE = ("Cách thêm hạn: /hanchot them 15/12/2026 17:00 Báo cáo kết quả năm 2026 [mã đơn vị hoặc kế hoạch]\n"
             "Giờ có thể bỏ (mặc định 17:00); không ghi đơn vị thì hạn áp dụng cho mọi đơn vị.")
REMOVE_USAGE = "Cách xóa hạn: /hanchot xoa <số hạn>. Số hạn có trong danh sách /hanchot."
_NEW = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2})[:hg](\d{2}))?\s+(.+)$", re.IGNORECASE)
DEFAULT_TIME = dt.time(17, 0)


def deadline_command(who: Who, args: list[str], rt: Runtime, *, session: Session) -> Reply:
    """/hanchot [them …|xoa ID]."""
    action = args[0].lower() if args else ""
    if action in ("them", "thêm", "xoa", "xóa") and who.user_id not in rt.admin_ids:
        return Reply(ADMIN_ONLY)
    if action in ("them", "thêm"):
        return _add(who, " ".join(args[1:]), rt, session=session)
    if action in ("xoa", "xóa"):
        return _remove(args[1:], rt, session=session)
    return listing(who, rt, session=session)


def _scope(text: str, rt: Runtime, *, session: Session) -> tuple[str, str | None, Unit | None]:
    """The title and the scope its last word names: a plan id, a unit code, or neither (everyone)."""
    title, _, last = text.rpartition(" ")
    word = last.strip("[]()")
    if title and word in rt.kb.plans:
        return title.rstrip(), word, None
    if title and (unit := unit_by_code(word, session=session)) is not None:
        return title.rstrip(), None, unit
    return text, None, None


def _add(who: Who, text: str, rt: Runtime, *, session: Session) -> Reply:
    match = _NEW.match(text.strip())
    if match is None:
        return Reply(ADD_USAGE)
    day, month, year, hour, minute, rest = match.groups()
    try:
        at = dt.datetime.combine(dt.date(int(year), int(month), int(day)),
                                 dt.time(int(hour), int(minute)) if hour else DEFAULT_TIME, rt.timezone)
    except ValueError:
        return Reply(f"Ngày giờ «{text.split()[0]}» không có thật. {ADD_USAGE}")
    if at <= rt.clock():
        return Reply(f"Hạn {when(at, rt.timezone)} đã qua rồi. Bạn kiểm tra lại ngày nhé.")
    title, plan_id, unit = _scope(rest.strip(), rt, session=session)
    row = add_deadline(title, at, plan_id=plan_id, unit_id=unit.id if unit else None, by=who.user_id or 0,
                       session=session)
    whom = (f"đơn vị {unit.name}" if unit else f"các đơn vị theo kế hoạch của {rt.kb.plans[plan_id].issuer_short}"
            if plan_id else "mọi đơn vị")
    return Reply(f"✅ Đã thêm hạn số {row.id}: {title} — {when(at, rt.timezone)}, cho {whom}.\n"
                 f"Mình sẽ nhắc các nhóm và người đã bật /nhacnho trước {offsets_text(rt.reminders)}.\n"
                 f"Xóa: /hanchot xoa {row.id}")


def _remove(args: list[str], rt: Runtime, *, session: Session) -> Reply:
    if len(args) != 1 or not args[0].lstrip("#").isdigit():
        return Reply(REMOVE_USAGE)
    row = session.get(Deadline, int(args[0].lstrip("#")))
    if row is None or not row.active:
        return Reply(f"Không có hạn số {args[0]}. {REMOVE_USAGE}")
    row.active = False
    outbox.skip_pending(f"admin:{row.id}", "the deadline was removed", rt.clock(), session=session)
    return Reply(f"🗑 Đã xóa hạn số {row.id}: {row.title}. Mình sẽ không nhắc hạn này nữa.")


def _applies(row: Deadline, unit: Unit | None) -> bool:
    if row.unit_id is None and row.plan_id is None:
        return True
    return unit is not None and (row.unit_id == unit.id or row.plan_id == unit.plan_id)


def listing(who: Who, rt: Runtime, *, session: Session) -> Reply:
    """The plan's milestones (as extended) and the admins' deadlines that concern the asker, with days left."""
    today, unit = rt.today(), unit_of(who, session=session)
    if unit is None or unit.plan_id not in rt.kb.plans:
        return deadlines(who, today, session=session, kb=rt.kb)
    text = deadlines_text(unit.plan_id, rt.kb, today, until=extensions(session=session).get(unit.plan_id))
    mine = [row for row in admin_deadlines(rt.clock(), session=session) if _applies(row, unit)]
    if mine:
        text += "\n\n📌 Hạn do quản trị viên thêm:\n" + "\n".join(
            f"• [{row.id}] {when(row.due_at, rt.timezone)} ({days_left(row.due_at.astimezone(rt.timezone).date(), today)})"
            f" — {row.title}" for row in mine)
    return Reply(text)
