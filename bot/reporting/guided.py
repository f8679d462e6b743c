"""/baocao and /sua without Telegram: pick an indicator, type a value, see it against the target, confirm.

A conversation keeps a `Pending` between messages; each step returns the reply to send. The
one-line forms (`/baocao III-1 85%`, `/sua 87%`) go straight to storing: the practised officer
has already seen the target.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.core.models import Indicator, Person, Submission, Unit
from bot.core.replies import Button, Reply, one_per_row
from bot.core.who import Who
from bot.people.units import remember
from bot.reporting import periods, submissions
from bot.reporting.periods import Span
from bot.reporting.submissions import Draft, is_met, target_text
from bot.reporting.values import HINTS, Value, ValueRejected, parse_value

PICK_PREFIX = "bc:"
CONFIRM, RETYPE, CANCEL = "bc:ok", "bc:lai", "bc:huy"
CANCELLED = "Đã hủy, chưa ghi gì. Gõ /baocao khi bạn muốn báo cáo."
NOT_OFFICER = ("Chỉ cán bộ được mời của đơn vị mới gửi số liệu được. Bạn nhờ quản trị viên gửi liên kết mời "
               "(lệnh /moi) nhé. Bạn vẫn có thể hỏi mình về kế hoạch bất cứ lúc nào.")
PRIVATE_ONLY = "Bạn nhắn riêng cho mình để báo cáo số liệu nhé (bấm vào tên mình rồi chọn Nhắn tin)."
NOTHING_TO_CORRECT = "Bạn chưa gửi số liệu nào để sửa. Gõ /baocao để báo cáo."
_NOTE = re.compile(r"\s+-\s+|\s*;\s*|\s*\(|\s*ghi chú:\s*", re.IGNORECASE)
ONE_LINE_HINT = "Cách gõ nhanh: /baocao <mã chỉ tiêu> <giá trị>, ví dụ: /baocao III.1-4 85% hoặc /baocao III.1-4 45/60."


class NotAllowed(Exception):
    """The user cannot report (not an officer, nothing to correct…); `message` says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Pending:
    """What the conversation has gathered so far."""

    unit_id: int
    period: Span
    indicator_id: int | None = None
    supersedes_id: int | None = None
    draft: Draft | None = None


def reporter(who: Who, *, session: Session) -> tuple[Person, Unit]:
    """The officer and the unit they report for, or NotAllowed."""
    _, person = remember(who, session=session)
    if who.in_group:
        raise NotAllowed(PRIVATE_ONLY)
    if person is None or person.role != "officer" or person.unit is None:
        raise NotAllowed(NOT_OFFICER)
    return person, person.unit


def begin(who: Who, today: dt.date, *, session: Session) -> tuple[Reply, Pending]:
    """The unit's indicators as buttons, those still missing for the period first."""
    _, unit = reporter(who, session=session)
    span = periods.half_of(today)
    done = submissions.latest([unit.id], span, session=session)
    indicators = submissions.indicators_for(unit, session=session)
    ordered = sorted(indicators, key=lambda i: (unit.id, i.id) in done)
    buttons = [Button(f"{'✅' if (unit.id, i.id) in done else '⏳'} {i.code} {i.name}", f"{PICK_PREFIX}{i.id}")
               for i in ordered]
    left = len(indicators) - len(done)
    text = (f"📝 Báo cáo {span.label} của {unit.name}: còn {left}/{len(indicators)} chỉ tiêu chưa có số liệu.\n"
            f"Chọn chỉ tiêu (⏳ chưa báo cáo, ✅ đã có số liệu). Gõ /huy để thoát.\n{ONE_LINE_HINT}")
    return Reply(text, one_per_row(buttons)), Pending(unit.id, span)


def pick(pending: Pending, indicator_id: int, *, session: Session) -> Reply:
    indicator = session.get(Indicator, indicator_id)
    unit = session.get(Unit, pending.unit_id)
    if indicator is None or not indicator.active or indicator.plan_id != unit.plan_id:
        raise NotAllowed("Chỉ tiêu này không còn trong kế hoạch. Gõ /baocao để chọn lại.")
    pending.indicator_id, pending.draft = indicator_id, None
    return Reply(f"{indicator.code} {indicator.name}\nChỉ tiêu: {target_text(indicator)}.\n"
                 f"Nhập kết quả của đơn vị. {HINTS[indicator.kind]} Gõ /huy để thoát.")


def check(pending: Pending, text: str, *, session: Session) -> Reply:
    """The typed value echoed against the target, with confirm/cancel buttons; ValueRejected if unreadable."""
    indicator = session.get(Indicator, pending.indicator_id)
    figure, note = _figure_and_note(text)
    value = parse_value(figure, indicator.kind)
    pending.draft = Draft(pending.unit_id, indicator.id, pending.period, value, note, pending.supersedes_id)
    noted = f"\nGhi chú: {note}" if note else ""
    return Reply(f"{indicator.code} {indicator.name}\n{echo(indicator, value)}{noted}\n"
                 f"Kỳ: {pending.period.label}. Ghi nhận số liệu này?",
                 [[Button("✅ Xác nhận", CONFIRM), Button("✏️ Nhập lại", RETYPE), Button("✖️ Hủy", CANCEL)]])


def _figure_and_note(text: str) -> tuple[str, str]:
    """'85% - đã tính cả hồ sơ quý 3' or '85% (ghi chú: …)' → the figure, then the officer's note."""
    figure, *note = _NOTE.split(" ".join(text.split()), maxsplit=1)
    return figure, (note[0] if note else "").strip(" )")


def echo(indicator: Indicator, value: Value) -> str:
    """'85% — đạt chỉ tiêu 80% ✅'."""
    if is_met(indicator, value):
        return f"{value.shown} — đạt chỉ tiêu {target_text(indicator)} ✅"
    return f"{value.shown} — chưa đạt chỉ tiêu {target_text(indicator)} ❌"


def confirm(pending: Pending, who: Who, update_id: int | None, now: dt.datetime, *, session: Session) -> Reply:
    person, _ = reporter(who, session=session)
    stored = submissions.submit(pending.draft, person, update_id=update_id, now=now, session=session)
    return Reply(_stored_text(stored, session=session))


def _stored_text(row: Submission, *, session: Session) -> str:
    span = periods.span_of(row.period)
    left = submissions.left_to_report(row.unit, span, session=session)
    verdict = "đạt ✅" if row.met else "chưa đạt ❌"
    more = f"Còn {left} chỉ tiêu chưa báo cáo: gõ /baocao để tiếp tục." if left else "Đơn vị đã báo cáo đủ các chỉ tiêu kỳ này 🎉"
    corrected = " (đã sửa)" if row.supersedes_id else ""
    return (f"✅ Đã ghi{corrected}: {row.indicator.code} {row.indicator.name}: {row.shown} — {verdict} "
            f"(chỉ tiêu {target_text(row.indicator)}), kỳ {span.label}.\n{more}\n"
            "Gõ /sua nếu cần sửa, /tiendo để xem tiến độ.")


def one_line(who: Who, text: str, update_id: int | None, now: dt.datetime, today: dt.date, *,
             session: Session) -> Reply:
    """'/baocao III.1-4 85%' or '/baocao ho so tthc truc tuyen 45/60': stored at once."""
    person, unit = reporter(who, session=session)
    indicator, what, figure = submissions.find_in(submissions.indicators_for(unit, session=session), text)
    if indicator is None:
        raise NotAllowed(f"Không rõ chỉ tiêu “{what or text}”. Gõ /chitieu xem mã các chỉ tiêu, "
                         f"hoặc /baocao để chọn từ danh sách.")
    value = parse_value(figure, indicator.kind)
    draft = Draft(unit.id, indicator.id, periods.half_of(today), value)
    return Reply(_stored_text(submissions.submit(draft, person, update_id=update_id, now=now, session=session),
                              session=session))


def begin_correction(who: Who, *, session: Session) -> tuple[Reply, Pending]:
    """/sua: the officer's last submission, to be replaced by a new value."""
    person, _ = reporter(who, session=session)
    last = submissions.last_of(person.id, session=session)
    if last is None:
        raise NotAllowed(NOTHING_TO_CORRECT)
    pending = Pending(last.unit_id, periods.span_of(last.period), last.indicator_id, last.id)
    return Reply(f"✏️ Sửa số liệu gần nhất: {last.indicator.code} {last.indicator.name}: {last.shown} "
                 f"(kỳ {periods.span_of(last.period).label}).\nNhập giá trị mới. {HINTS[last.indicator.kind]} "
                 "Gõ /huy để giữ nguyên."), pending


def correct_one_line(who: Who, text: str, update_id: int | None, now: dt.datetime, *, session: Session) -> Reply:
    """'/sua 87%': the last submission replaced at once."""
    _, pending = begin_correction(who, session=session)
    check(pending, text, session=session)
    return confirm(pending, who, update_id, now, session=session)


def retype(pending: Pending, *, session: Session) -> Reply:
    pending.draft = None
    indicator = session.get(Indicator, pending.indicator_id)
    return Reply(f"Nhập lại kết quả cho {indicator.code}. {HINTS[indicator.kind]}")


def with_hint(error: ValueRejected) -> str:
    return f"{error.message} Gõ /huy để thoát."

