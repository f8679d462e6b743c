"""Check-ins that ask (as Geekbot does): the nudge an officer owing figures gets before a deadline carries
one button per missing indicator (a tap starts the guided report on it), 'Nhắc lại sau 1 ngày' (a snooze
kept in the database, and an outbox row of its own a day later) and 'Không phải tôi phụ trách' (the admins
of the unit are told, through the outbox). Written when sent, so a reported indicator is not asked again."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.core.errors import UserMessageError
from bot.core.models import Delivery, Indicator, Person, Snooze, Unit
from bot.core.replies import Button, Reply
from bot.core.who import Who
from bot.people import admins
from bot.reminders.messages import when
from bot.reminders.planner import insert_new
from bot.reporting import guided

PREFIX = "ci:"
REPORT, SNOOZE, HAND_OVER = "ci:r:", "ci:z:", "ci:x:"
SNOOZE_FOR = dt.timedelta(days=1)
BEFORE_DEADLINE = dt.timedelta(hours=1)  # a snoozed check-in still comes an hour before the deadline
NAME_CHARS = 40  # of an indicator's name on its button
STALE = "Lời nhắc này đã cũ. Gõ /baocao để báo cáo, /tiendo để xem tiến độ."
CLOSING = "Hạn đã sát rồi nên mình không hẹn lại được. Bạn bấm một chỉ tiêu ở trên hoặc gõ /baocao để báo cáo ngay nhé."


def buttons(row: Delivery, missing: list[Indicator]) -> list[list[Button]]:
    """One button per missing indicator, then snooze and hand over (the row id names the check-in)."""
    period = row.period or ""
    asks = [[Button(f"📝 {i.code} {i.name[:NAME_CHARS]}", f"{REPORT}{i.id}:{period}")] for i in missing]
    return [*asks, [Button("⏰ Nhắc lại sau 1 ngày", f"{SNOOZE}{row.id}"),
                    Button("🙋 Không phải tôi phụ trách", f"{HAND_OVER}{row.id}")]]


def not_now(row: Delivery, now: dt.datetime, *, session: Session) -> str:
    """Why a check-in is not sent now ('' when it is): its officer snoozed, or handed it over."""
    person = session.get(Person, row.chat_id)
    if person is None or person.role != "officer":
        return "the person is no longer an officer"
    snoozed = session.get(Snooze, row.chat_id)
    if snoozed is not None and now < snoozed.until and not row.offset_label.startswith("z"):
        return "the officer asked to be reminded later"
    return ""


def press(who: Who, data: str, now: dt.datetime, tz: ZoneInfo, super_admins: frozenset[int], *,
          session: Session) -> Reply:
    """A check-in's button."""
    if data.startswith(REPORT):
        indicator_id, _, period = data.removeprefix(REPORT).partition(":")
        return guided.begin_on(who, indicator_id, period, now, session=session)
    row = _own_row(data, who, session=session)
    if data.startswith(SNOOZE):
        return snooze(row, now, tz, session=session)
    return hand_over(row, now, super_admins, session=session)


def _own_row(data: str, who: Who, *, session: Session) -> Delivery:
    ident = data[len(SNOOZE):]
    row = session.get(Delivery, int(ident)) if ident.isdecimal() and len(ident) < 10 else None
    if row is None or row.chat_id != who.user_id or row.kind != "nudge":
        raise UserMessageError(STALE)
    return row


def snooze(row: Delivery, now: dt.datetime, tz: ZoneInfo, *, session: Session) -> Reply:
    """No check-in for a day, then this one again (before the deadline)."""
    until = min(now + SNOOZE_FOR, row.occurrence - BEFORE_DEADLINE)
    if until <= now:
        return Reply(CLOSING)
    found = session.get(Snooze, row.chat_id) or Snooze(person_id=row.chat_id)
    found.until = until
    session.add(found)
    session.flush()
    label = f"z{until.astimezone(dt.UTC):%m%d%H%M}"  # snoozed twice the same minute: one row
    again = {"deadline_key": row.deadline_key, "offset_label": label, "occurrence": row.occurrence,
             "chat_id": row.chat_id, "kind": "nudge", "unit_id": row.unit_id, "title": row.title,
             "period": row.period, "due_at": until, "state": "pending", "reason": "", "attempts": 0,
             "created_at": now, "finished_at": None}
    insert_new([again], session=session)
    return Reply(f"⏰ Được rồi, mình sẽ nhắc lại lúc {when(until, tz)}. Hạn: {when(row.occurrence, tz)}.",
                 close=True)


def hand_over(row: Delivery, now: dt.datetime, super_admins: frozenset[int], *, session: Session) -> Reply:
    """The officer says someone else reports: they stop being the unit's officer, its admins are told."""
    person, unit = session.get(Person, row.chat_id), session.get(Unit, row.unit_id) if row.unit_id else None
    if person is None or unit is None:
        raise UserMessageError(STALE)
    person.role = "staff"
    text = (f"🙋 {person.name or person.id} (Telegram {person.id}) báo không phụ trách báo cáo của {unit.name} "
            f"({row.title}). Gõ /moi {unit.code} để mời đúng người báo cáo.")
    notices = [{"deadline_key": row.deadline_key, "offset_label": f"h{person.id}"[:16], "occurrence": row.occurrence,
                "chat_id": admin, "kind": "notice", "unit_id": unit.id, "title": text[:300], "period": None,
                "due_at": now, "state": "pending", "reason": "", "attempts": 0, "created_at": now,
                "finished_at": None} for admin in admins.admins_of(unit, super_admins, session=session)]
    insert_new(notices, session=session)
    return Reply(f"Cảm ơn bạn, mình đã báo quản trị viên để họ mời đúng người báo cáo cho {unit.name}. "
                 "Bạn sẽ không nhận nhắc báo cáo của đơn vị nữa; nếu bấm nhầm, nhờ quản trị viên gửi lại "
                 "liên kết mời (/moi).", close=True)
