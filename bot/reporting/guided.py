"""/baocao and /sua without Telegram: pick an indicator, type a value, see it against the target, confirm.

The report in progress is a row (bot/reporting/drafts.py), so each step can come to any replica or
after a restart; each step returns the reply to send. The one-line forms (`/baocao III-1 85%`,
`/sua 87%`) go straight to storing: the practised officer has already seen the target.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.orm import Session

from bot.core.errors import UserMessageError
from bot.core.models import Indicator, Person, ReportDraft, Submission, Unit
from bot.core.replies import Button, Reply, notice, one_per_row, quoted
from bot.core.who import Who
from bot.people import glance
from bot.people.units import remember_person
from bot.reporting import drafts, periods, submissions
from bot.reporting.indicators import Listed, find_for, indicators_for, is_met, target_text
from bot.reporting.submissions import Figure
from bot.reporting.values import HINTS, Value, parse_value
from knowledge.index import KnowledgeBase

PICK_PREFIX = "bc:"
CONFIRM, RETYPE, CANCEL = "bc:ok", "bc:lai", "bc:huy"
CANCELLED = "Đã hủy, chưa ghi gì. Gõ /baocao khi bạn muốn báo cáo."
NOTHING_TO_CANCEL = "Không có việc gì đang làm dở để hủy. Gõ /baocao để báo cáo."
NOT_OFFICER = ("Chỉ cán bộ được mời của đơn vị mới gửi số liệu được. Bạn nhờ quản trị viên gửi liên kết mời "
               "(lệnh /moi) nhé. Bạn vẫn có thể hỏi mình về kế hoạch bất cứ lúc nào.")
PRIVATE_ONLY = "Bạn nhắn riêng cho mình để báo cáo số liệu nhé (bấm vào tên mình rồi chọn Nhắn tin)."
NOTHING_TO_CORRECT = "Bạn chưa gửi số liệu nào để sửa. Gõ /baocao để báo cáo."
STALE = "Phiên báo cáo này đã kết thúc. Gõ /baocao để báo cáo, /tiendo để xem số liệu đã ghi."
EXPIRED = "Phiên báo cáo đã hết thời gian chờ, chưa ghi gì. Gõ /baocao để bắt đầu lại."
PRESS_A_BUTTON = "Bạn bấm một nút ở trên để chọn, hoặc gõ /huy để thoát."
OTHER_UNIT = ("Bạn không còn là cán bộ báo cáo của đơn vị của phiên này nên mình chưa ghi. "
              "Gõ /baocao để báo cáo cho đơn vị hiện tại của bạn.")
_NOTE = re.compile(r"\s+-\s+|\s*;\s*|\s*\(|\s*ghi chú:\s*", re.IGNORECASE)
ONE_LINE_HINT = "Cách gõ nhanh: /baocao <mã chỉ tiêu> <giá trị>, ví dụ: /baocao III.1-4 85% hoặc /baocao III.1-4 45/60."
CONFIRM_BUTTONS = [[Button("✅ Xác nhận", CONFIRM), Button("✏️ Nhập lại", RETYPE), Button("✖️ Hủy", CANCEL)]]


def reporter(who: Who, *, session: Session) -> tuple[Person, Unit]:
    """The officer and the unit they report for, or UserMessageError."""
    person = remember_person(who, session=session)
    if who.in_group:
        raise UserMessageError(PRIVATE_ONLY)
    if person is None or person.role != "officer" or person.unit is None:
        raise UserMessageError(NOT_OFFICER)
    return person, person.unit


def begin(who: Who, now: dt.datetime, today: dt.date, *, session: Session) -> Reply:
    """The unit's indicators as buttons, those still missing for the period first."""
    person, unit = reporter(who, session=session)
    span = periods.half_of(today)
    done = submissions.latest([unit.id], span, session=session)
    indicators = indicators_for(unit, session=session)
    ordered = sorted(indicators, key=lambda i: (unit.id, i.id) in done)
    buttons = [Button(f"{'✅' if (unit.id, i.id) in done else '⏳'} {i.code} {i.name}", f"{PICK_PREFIX}{i.id}")
               for i in ordered]
    drafts.open_draft(person.id, unit.id, span.code, now, step=drafts.PICKING, session=session)
    left = len(indicators) - len(done)
    text = (f"📝 Báo cáo {span.label} của {unit.name}: còn {left}/{len(indicators)} chỉ tiêu chưa có số liệu.\n"
            f"Chọn chỉ tiêu (⏳ chưa báo cáo, ✅ đã có số liệu). Gõ /huy để thoát.\n{ONE_LINE_HINT}")
    return Reply(text, one_per_row(buttons))


def begin_on(who: Who, indicator_id: str, period: str, now: dt.datetime, *, session: Session) -> Reply:
    """A check-in's indicator button: the report of that indicator, for the period the check-in asked about."""
    person, unit = reporter(who, session=session)
    span = periods.parse_period(period)
    if span is None:
        raise UserMessageError(STALE)
    span = periods.halves_of(span)[-1]  # a year's figures are its second half's
    drafts.open_draft(person.id, unit.id, span.code, now, step=drafts.PICKING, session=session)
    return pick(who, f"{PICK_PREFIX}{indicator_id}", now, session=session)


def pick(who: Who, data: str, now: dt.datetime, *, session: Session) -> Reply:
    """An indicator's button: the target, and what to type."""
    draft = drafts.current(who.user_id, session=session)
    if not drafts.is_live(draft, now) or draft.step != drafts.PICKING:
        return notice(STALE)
    indicator = _indicator(data.removeprefix(PICK_PREFIX), draft, session=session)
    draft.indicator_id = indicator.id
    drafts.forget_value(draft)
    drafts.move(draft, drafts.TYPING, now)
    return Reply(f"{indicator.code} {indicator.name}\nChỉ tiêu: {target_text(indicator)}.\n"
                 f"Nhập kết quả của đơn vị. {HINTS[indicator.kind]} Gõ /huy để thoát.")


def _indicator(ident: str, draft: ReportDraft, *, session: Session) -> Indicator:
    indicator = session.get(Indicator, int(ident)) if ident.isdecimal() and len(ident) < 10 else None
    unit = session.get(Unit, draft.unit_id)
    if indicator is None or not indicator.active or unit is None or indicator.plan_id != unit.plan_id:
        raise UserMessageError("Chỉ tiêu này không còn trong kế hoạch. Gõ /baocao để chọn lại.")
    return indicator


def waiting(step: str | None) -> bool:
    """Whether a report at this step (None: none) may be waiting for a typed message."""
    return step is not None and step != drafts.DONE


def on_text(who: Who, text: str, now: dt.datetime, *, session: Session) -> Reply | None:
    """A message typed while a report is open; None when no report is waiting for it (it is a question)."""
    draft = drafts.current(who.user_id, session=session) if not who.in_group else None
    if draft is None or draft.step == drafts.DONE:
        return None
    if not drafts.is_live(draft, now):
        session.delete(draft)
        return Reply(EXPIRED) if draft.step == drafts.TYPING and _looks_like_value(text, draft, session) else None
    if draft.step != drafts.TYPING:
        return Reply(PRESS_A_BUTTON)
    try:
        return check(draft, text, now, session=session)
    except UserMessageError as rejected:
        return Reply(f"{rejected.message} Gõ /huy để thoát.")


def _looks_like_value(text: str, draft: ReportDraft, session: Session) -> bool:
    indicator = session.get(Indicator, draft.indicator_id)
    try:
        parse_value(_figure_and_note(text)[0], indicator.kind)
    except UserMessageError:
        return False
    return True


def check(draft: ReportDraft, text: str, now: dt.datetime, *, session: Session) -> Reply:
    """The typed value echoed against the target, with confirm/cancel buttons; UserMessageError if unreadable."""
    indicator = session.get(Indicator, draft.indicator_id)
    figure, note = _figure_and_note(text)
    value = parse_value(figure, indicator.kind)
    drafts.keep_value(draft, value, note)
    drafts.move(draft, drafts.CONFIRMING, now)
    noted = f"\nGhi chú: {quoted(note)}" if note else ""
    return Reply(f"{indicator.code} {indicator.name}\n{echo(indicator, value)}{noted}\n"
                 f"Kỳ: {periods.parse_period(draft.period).label}. Ghi nhận số liệu này?", CONFIRM_BUTTONS)


def _figure_and_note(text: str) -> tuple[str, str]:
    """'85% - đã tính cả hồ sơ quý 3' or '85% (ghi chú: …)' → the figure, then the officer's note."""
    figure, *note = _NOTE.split(" ".join(text.split()), maxsplit=1)
    return figure, (note[0] if note else "").strip(" )")


def echo(indicator: Indicator, value: Value) -> str:
    """'85% — đạt chỉ tiêu 80% ✅'."""
    if is_met(indicator, value):
        return f"{value.shown} — đạt chỉ tiêu {target_text(indicator)} ✅"
    return f"{value.shown} — chưa đạt chỉ tiêu {target_text(indicator)} ❌"


def confirm(who: Who, update_id: int | None, now: dt.datetime, *, session: Session) -> Reply:
    """✅: stored for the unit the report was started for, once; pressed again, it says what was stored."""
    draft = drafts.current(who.user_id, session=session)
    if draft is not None and draft.step == drafts.DONE and draft.submission_id is not None:
        return _closed(_stored_text(session.get(Submission, draft.submission_id), session=session))
    if not drafts.is_live(draft, now) or draft.step != drafts.CONFIRMING:
        return notice(STALE)
    person, unit = reporter(who, session=session)
    if unit.id != draft.unit_id:
        session.delete(draft)
        return _closed(OTHER_UNIT)
    row = _store(draft, person, update_id, now, session=session)
    drafts.finish(draft, row.id)
    return _closed(_stored_text(row, span=periods.parse_period(draft.period), session=session))


def _closed(text: str) -> Reply:
    return Reply(text, close=True)


def _store(draft: ReportDraft, person: Person, update_id: int | None, now: dt.datetime, *,
           session: Session) -> Submission:
    indicator, value = session.get(Indicator, draft.indicator_id), drafts.value_of(draft)
    figure = Figure(draft.unit_id, indicator, periods.parse_period(draft.period), value, is_met(indicator, value),
                    draft.note, draft.supersedes_id)
    return submissions.submit(figure, person, update_id=update_id, now=now, session=session)


def _stored_text(row: Submission, indicator: Indicator | Listed | None = None, span: periods.Span | None = None, *,
                 plan_id: str | None = None, session: Session) -> str:
    """What was stored; `indicator`, `span` and the unit's `plan_id` when the caller has them (no lazy load of
    the row's)."""
    indicator, span = indicator or row.indicator, span or periods.span_of(row.period)
    left = submissions.left_to_report(plan_id or row.unit.plan_id, row.unit_id, span, session=session)
    verdict = "đạt ✅" if row.met else "chưa đạt ❌"
    more = (f"Còn {left} chỉ tiêu chưa báo cáo: gõ /baocao để tiếp tục." if left
            else "Đơn vị đã báo cáo đủ các chỉ tiêu kỳ này 🎉")
    corrected = " (đã sửa)" if row.supersedes_id else ""
    return (f"✅ Đã ghi{corrected}: {indicator.code} {indicator.name}: {row.shown} — {verdict} "
            f"(chỉ tiêu {target_text(indicator)}), kỳ {span.label}.\n{more}\n"
            "Gõ /sua nếu cần sửa, /tiendo để xem tiến độ.")


def one_line(who: Who, text: str, update_id: int | None, now: dt.datetime, today: dt.date, *,
             kb: KnowledgeBase, session: Session) -> Reply:
    """'/baocao III.1-4 85%' or '/baocao ho so tthc truc tuyen 45/60': stored at once, in three statements (who
    reports, the figure, what is left); the plan's indicators come from the cache."""
    by = glance.officer(who, session=session) or _as_officer(*reporter(who, session=session))
    indicator, what, typed = find_for(by.plan_id, text, kb=kb, session=session)
    if indicator is None:
        raise UserMessageError(f"Không rõ chỉ tiêu “{quoted(what or text, 80)}”. Gõ /chitieu xem mã các chỉ tiêu, "
                               f"hoặc /baocao để chọn từ danh sách.")
    value = parse_value(typed, indicator.kind)
    figure = Figure(by.unit_id, indicator, periods.half_of(today), value, is_met(indicator, value))
    row = submissions.submit(figure, by, update_id=update_id, now=now, session=session)
    return Reply(_stored_text(row, indicator, figure.period, plan_id=by.plan_id, session=session))


def _as_officer(person: Person, unit: Unit) -> glance.Officer:
    return glance.Officer(person.id, person.name, unit.id, unit.plan_id)


def begin_correction(who: Who, now: dt.datetime, *, session: Session) -> Reply:
    """/sua: the officer's last submission, to be replaced by a new value."""
    last = _last(who, session=session)
    drafts.open_draft(who.user_id, last.unit_id, last.period.code, now, step=drafts.TYPING,
                      indicator_id=last.indicator_id, supersedes_id=last.id, session=session)
    return Reply(f"✏️ Sửa số liệu gần nhất: {last.indicator.code} {last.indicator.name}: {last.shown} "
                 f"(kỳ {periods.span_of(last.period).label}).\nNhập giá trị mới. {HINTS[last.indicator.kind]} "
                 "Gõ /huy để giữ nguyên.")


def _last(who: Who, *, session: Session) -> Submission:
    person, unit = reporter(who, session=session)
    last = submissions.last_of(person.id, session=session)
    if last is None or last.unit_id != unit.id:
        raise UserMessageError(NOTHING_TO_CORRECT)
    return last


def correct_one_line(who: Who, text: str, update_id: int | None, now: dt.datetime, *, session: Session) -> Reply:
    """'/sua 87%': the last submission replaced at once."""
    person, _ = reporter(who, session=session)
    last = _last(who, session=session)
    figure, note = _figure_and_note(text)
    value = parse_value(figure, last.indicator.kind)
    span = periods.span_of(last.period)
    row = submissions.submit(Figure(last.unit_id, last.indicator, span, value, is_met(last.indicator, value), note,
                                    last.id), person, update_id=update_id, now=now, session=session)
    return Reply(_stored_text(row, last.indicator, span, session=session))


def retype(who: Who, now: dt.datetime, *, session: Session) -> Reply:
    draft = drafts.current(who.user_id, session=session)
    if not drafts.is_live(draft, now) or draft.step != drafts.CONFIRMING:
        return notice(STALE)
    drafts.forget_value(draft)
    drafts.move(draft, drafts.TYPING, now)
    indicator = session.get(Indicator, draft.indicator_id)
    return Reply(f"Nhập lại kết quả cho {indicator.code}. {HINTS[indicator.kind]}", close=True)


def cancel(who: Who, now: dt.datetime, *, session: Session) -> Reply:
    """/huy (or ✖️): the report in progress is dropped, nothing stored."""
    draft = drafts.current(who.user_id, session=session)
    if not drafts.is_live(draft, now):
        return Reply(NOTHING_TO_CANCEL, close=True)
    session.delete(draft)
    return Reply(CANCELLED, close=True)
