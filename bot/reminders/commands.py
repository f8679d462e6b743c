"""/hanchot them|xoa (admins add and remove deadlines) and the /hanchot listing with them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.asking.plan_info import deadlines, deadlines_text
from bot.core.models import Deadline, Unit
from bot.core.replies import Reply, quoted
from bot.core.schedule import Rules
from bot.core.who import Who
from bot.people import admins
from bot.people.units import unit_by_code, unit_of
from bot.reminders import outbox
from bot.reminders.catalog import add_deadline, admin_deadlines, extensions, running_plans
from bot.reminders.messages import when
from bot.reminders.notify import offsets_text
from knowledge.index import KnowledgeBase
from knowledge.milestones import days_left

ADMIN_ONLY = "Chỉ quản trị viên của bot mới thêm hoặc xóa hạn được. Cần thêm hạn, bạn nhờ quản trị viên nhé."
ADD_USAGE = ("Cách thêm hạn: /hanchot them 15/12/2026 17:00 Báo cáo kết quả năm 2026 [mã đơn vị hoặc kế hoạch]\n"
             "Giờ có thể bỏ (mặc định 17:00); không ghi đơn vị thì hạn áp dụng cho mọi đơn vị.")
REMOVE_USAGE = "Cách xóa hạn: /hanchot xoa <số hạn>. Số hạn có trong danh sách /hanchot."
_NEW = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2})[:hg](\d{2}))?\s+(.+)$",
                  re.IGNORECASE | re.ASCII | re.DOTALL)
_ID = re.compile(r"#?([0-9]{1,18})", re.ASCII)
MAX_ID = 2**31 - 1  # ids are INTEGER columns: a larger number names no deadline
TITLE_LIMIT = 300  # Deadline.title's length
DEFAULT_TIME = dt.time(17, 0)
UNIT_ADMIN_ADDS = ("Bạn quản trị một số đơn vị nên hạn phải ghi mã đơn vị ở cuối, ví dụ: /hanchot them 15/12/2026 "
                   "Báo cáo quý xa-cat-ne. Hạn cho mọi đơn vị do quản trị viên cấp trên thêm.")
NOT_YOUR_DEADLINE = ("Hạn này không thuộc đơn vị bạn quản trị nên bạn không xóa được. Cần xóa, hãy nhờ quản trị "
                     "viên cấp trên.")
TITLE_TOO_LONG = (f"Tên hạn dài quá ({{length}} ký tự, tối đa {TITLE_LIMIT}). Bạn viết ngắn lại rồi gửi lại nhé; "
                  "chưa thêm hạn nào.")


@dataclass(frozen=True)
class Asker:
    """What /hanchot needs besides the database: who asks, whether they administer the bot, the time."""

    who: Who
    admin: bool
    now: dt.datetime
    tz: ZoneInfo
    rules: Rules
    units: frozenset[int] | None = None  # an admin's units (bot/people/admins.py); None: every unit

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(self.tz).date()


def deadline_command(asker: Asker, args: list[str], *, session: Session, kb: KnowledgeBase) -> Reply:
    """/hanchot [them …|xoa ID]."""
    action = args[0].lower() if args else ""
    if action in ("them", "thêm", "xoa", "xóa") and not asker.admin:
        return Reply(ADMIN_ONLY)
    if action in ("them", "thêm"):
        return _add(asker, " ".join(args[1:]), session=session, kb=kb)
    if action in ("xoa", "xóa"):
        return _remove(args[1:], asker, session=session)
    return listing(asker, session=session, kb=kb)


def _scope(text: str, *, session: Session, kb: KnowledgeBase) -> tuple[str, str | None, Unit | None]:
    """The title and the scope its last word names: a plan id, a unit code, or neither (everyone)."""
    title, _, last = text.rpartition(" ")
    word = last.strip("[]()")
    if title and word in kb.plans:
        return title.rstrip(), word, None
    if title and (unit := unit_by_code(word, session=session)) is not None:
        return title.rstrip(), None, unit
    return text, None, None


def _add(asker: Asker, text: str, *, session: Session, kb: KnowledgeBase) -> Reply:
    match = _NEW.match(text.strip())
    if match is None:
        return Reply(ADD_USAGE)
    day, month, year, hour, minute, rest = match.groups()
    try:
        at = dt.datetime.combine(dt.date(int(year), int(month), int(day)),
                                 dt.time(int(hour), int(minute)) if hour else DEFAULT_TIME, asker.tz)
    except ValueError:
        return Reply(f"Ngày giờ «{quoted(text.split()[0], 20)}» không có thật. {ADD_USAGE}")
    if at <= asker.now:
        return Reply(f"Hạn {when(at, asker.tz)} đã qua rồi. Bạn kiểm tra lại ngày nhé.")
    title, plan_id, unit = _scope(rest.strip(), session=session, kb=kb)
    if asker.units is not None:  # a unit admin's deadline is for one of their units: a plan's code names its unit
        unit = unit or (unit_by_code(plan_id, session=session) if plan_id else None)
        plan_id = None
        if unit is None:
            return Reply(UNIT_ADMIN_ADDS)
        admins.check(asker.units, unit)
    if len(title) > TITLE_LIMIT:
        return Reply(TITLE_TOO_LONG.format(length=len(title)))
    row = add_deadline(title, at, plan_id=plan_id, unit_id=unit.id if unit else None, by=asker.who.user_id or 0,
                       session=session)
    whom = (f"đơn vị {unit.name}" if unit else f"các đơn vị theo kế hoạch của {kb.plans[plan_id].issuer_short}"
            if plan_id else "mọi đơn vị")
    return Reply(f"✅ Đã thêm hạn số {row.id}: {quoted(title, 200)} — {when(at, asker.tz)}, cho {whom}.\n"
                 f"Mình sẽ nhắc các nhóm và người đã bật /nhacnho trước {offsets_text(asker.rules)}.\n"
                 f"Xóa: /hanchot xoa {row.id}")


def _remove(args: list[str], asker: Asker, *, session: Session) -> Reply:
    match = _ID.fullmatch(args[0]) if len(args) == 1 else None
    if match is None:
        return Reply(REMOVE_USAGE)
    number = int(match.group(1))
    row = session.get(Deadline, number) if number <= MAX_ID else None
    if row is None or not row.active:
        return Reply(f"Không có hạn số {quoted(match.group(1), 20)}. {REMOVE_USAGE}")
    if asker.units is not None and row.unit_id not in asker.units:
        return Reply(NOT_YOUR_DEADLINE)
    row.active = False
    outbox.skip_pending(f"admin:{row.id}", "the deadline was removed", asker.now, session=session)
    return Reply(f"🗑 Đã xóa hạn số {row.id}: {quoted(row.title, 200)}. Mình sẽ không nhắc hạn này nữa.")


ALL_EXPIRED = ("⚠️ Mọi kế hoạch đều đã hết hiệu lực nên sẽ không có nhắc hạn nào. Gửi cho mình tệp kế hoạch mới "
               "(.docx hoặc .pdf), hoặc trên máy chủ: `campaign-bot plans add TỆP --yes`; gia hạn kế hoạch cũ: "
               "`campaign-bot plans extend <mã> --until 2027-12-31`.")


def _applies(row: Deadline, unit: Unit | None) -> bool:
    if row.unit_id is None and row.plan_id is None:
        return True
    return unit is not None and (row.unit_id == unit.id or row.plan_id == unit.plan_id)


def listing(asker: Asker, *, session: Session, kb: KnowledgeBase) -> Reply:
    """The plan's milestones (as extended) and the admins' deadlines that concern the asker, with days left."""
    today, unit = asker.today, unit_of(asker.who, session=session)
    if unit is None or unit.plan_id not in kb.plans:
        return deadlines(asker.who, today, session=session, kb=kb)
    until = extensions(session=session)
    text = deadlines_text(unit.plan_id, kb, today, until=until.get(unit.plan_id))
    if asker.admin and not running_plans(kb, until, today):
        text += f"\n\n{ALL_EXPIRED}"
    mine = [row for row in admin_deadlines(asker.now, session=session) if _applies(row, unit)]
    if mine:
        text += "\n\n📌 Hạn do quản trị viên thêm:\n" + "\n".join(
            f"• [{row.id}] {when(row.due_at, asker.tz)} ({days_left(row.due_at.astimezone(asker.tz).date(), today)})"
            f" — {row.title}" for row in mine)
    return Reply(text)
