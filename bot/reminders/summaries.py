"""Summaries that arrive: a group or channel an admin chose gets the standing (units reported / met, units
still missing) and the standing chart weekly or monthly, and right after each reporting deadline. Planned as
outbox rows (the text and the chart, each once per chat and slot: the key makes it once, across restarts),
written and drawn when sent, so the figures are current."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.models import Delivery, SummaryChat
from bot.core.replies import Button, Reply, notice
from bot.core.who import Who
from bot.reminders.catalog import Due
from bot.reporting import periods, pictures, progress
from bot.reporting.periods import Span

SCHEDULES = {"weekly": "hằng tuần (sáng thứ Hai)", "monthly": "hằng tháng (sáng ngày 1)"}
ON, OFF = ("bat", "bật", "on"), ("tat", "tắt", "off")
SLOT_TIME = dt.time(8, 0)
TEXT, CHART = "summary", "chart"  # the outbox kinds: the standing in words, then drawn
BODY_LIMIT = 3600  # characters: the message stays under Telegram's 4096
VALID_FOR = dt.timedelta(days=1)  # a summary not sent within a day of its slot is missed, not sent stale
USAGE = ("Gõ /tomtat bat weekly (hằng tuần) hoặc /tomtat bat monthly (hằng tháng) để nhóm nhận tóm tắt tiến độ, "
         "/tomtat tat để tắt.")
IN_A_GROUP = ("Lệnh /tomtat dùng trong nhóm sẽ nhận tóm tắt: bạn thêm mình vào nhóm đó rồi gõ lại nhé. Với một kênh, "
              "bạn thêm mình làm quản trị viên của kênh: mình sẽ nhắn bạn để chọn lịch gửi.")
CHANNEL_PREFIX = "tt:"  # tt:<channel id>:weekly|monthly|tat, the buttons of offer_channel


def command(who: Who, args: list[str], units: frozenset[int] | None, *, session: Session) -> Reply:
    """/tomtat [bat weekly|monthly | tat]: the caller has checked that the asker is an admin."""
    if not who.in_group:
        return Reply(IN_A_GROUP)
    word = args[0].lower() if args else ""
    if word in OFF:
        _turn_off(who.chat_id, session=session)
        return Reply(f"🔕 Đã tắt tóm tắt tiến độ cho nhóm này. Bật lại: {USAGE}")
    if word not in ON:
        return Reply(_state(session.get(SummaryChat, who.chat_id)) + "\n" + USAGE)
    schedule = args[1].lower() if len(args) > 1 else ""
    if schedule not in SCHEDULES:
        return Reply(f"Chưa rõ lịch gửi. {USAGE}")
    _turn_on(who.chat_id, schedule, who.user_id, units, session=session)
    return Reply(f"📬 Nhóm này sẽ nhận tóm tắt tiến độ {_when(schedule, units)}. Tắt: /tomtat tat")


def _when(schedule: str, units: frozenset[int] | None) -> str:
    return (f"{SCHEDULES[schedule]} và ngay sau mỗi hạn báo cáo"
            f"{' (các đơn vị bạn quản trị)' if units is not None else ''}")


def _turn_on(chat_id: int, schedule: str, by: int | None, units: frozenset[int] | None, *, session: Session) -> None:
    row = session.get(SummaryChat, chat_id) or SummaryChat(chat_id=chat_id)
    row.schedule, row.active, row.changed_by = schedule, True, by
    row.units = sorted(units) if units is not None else None
    session.add(row)


def _turn_off(chat_id: int, *, session: Session) -> None:
    if (row := session.get(SummaryChat, chat_id)) is not None:
        row.active = False


def offer_channel(channel_id: int, title: str) -> Reply:
    """To the admin who has just made the bot an administrator of a channel (a channel's posts carry no
    author to check, so /tomtat cannot be typed there): send the summaries to it?"""
    ask = f"📣 Mình vừa được thêm làm quản trị viên của kênh «{title[:100]}». Gửi tóm tắt tiến độ vào kênh này?"
    return Reply(ask, _channel_buttons(channel_id))


def _channel_buttons(channel_id: int) -> list[list[Button]]:
    return [[Button("Hằng tuần", f"{CHANNEL_PREFIX}{channel_id}:weekly"),
             Button("Hằng tháng", f"{CHANNEL_PREFIX}{channel_id}:monthly")],
            [Button("Không gửi", f"{CHANNEL_PREFIX}{channel_id}:tat")]]


def channel_press(data: str, who: Who, units: frozenset[int] | None, *, session: Session) -> Reply:
    """A button of offer_channel, pressed by an admin (the caller checked) in their private chat."""
    ident, _, schedule = data.removeprefix(CHANNEL_PREFIX).partition(":")
    if not ident.removeprefix("-").isdecimal() or len(ident) > 20 or schedule not in (*SCHEDULES, "tat"):
        return notice("Nút này đã cũ. Bạn gỡ rồi thêm lại mình làm quản trị viên kênh để chọn lại.")
    channel = int(ident)
    if schedule == "tat":
        _turn_off(channel, session=session)
        return Reply("🔕 Kênh này sẽ không nhận tóm tắt tiến độ. Đổi ý: bấm một nút ở trên.",
                     _channel_buttons(channel), edit=True)
    _turn_on(channel, schedule, who.user_id, units, session=session)
    return Reply(f"📬 Kênh này sẽ nhận tóm tắt tiến độ {_when(schedule, units)}. Đổi ý: bấm một nút ở trên.",
                 _channel_buttons(channel), edit=True)


def _state(row: SummaryChat | None) -> str:
    if row is None or not row.active:
        return "📭 Nhóm này chưa nhận tóm tắt tiến độ."
    return f"📬 Nhóm này nhận tóm tắt tiến độ {SCHEDULES[row.schedule]} và ngay sau mỗi hạn báo cáo."


def slots(schedule: str, start: dt.datetime, end: dt.datetime, tz: ZoneInfo) -> list[dt.datetime]:
    """The schedule's instants in (start, end]: Mondays or first days of the month, at 08:00."""
    day, found = start.astimezone(tz).date(), []
    while (at := dt.datetime.combine(day, SLOT_TIME, tz)) <= end:
        wanted = day.weekday() == 0 if schedule == "weekly" else day.day == 1
        if wanted and at > start:
            found.append(at)
        day += dt.timedelta(days=1)
    return found


def rows(start: dt.datetime, end: dt.datetime, closed: list[Due], tz: ZoneInfo, now: dt.datetime, *,
         session: Session) -> list[dict[str, Any]]:
    """Outbox rows of every summary slot in (start, end]: each chat's schedule, and each closed deadline."""
    found = []
    for chat in session.scalars(select(SummaryChat).where(SummaryChat.active)):
        for kind in (TEXT, CHART):
            found += [_row(chat.chat_id, kind, f"{kind}:{chat.schedule}", chat.schedule, at, now)
                      for at in slots(chat.schedule, start, end, tz)]
            found += [_row(chat.chat_id, kind, f"{kind}:{due.key}"[:160], "after", due.at, now, due.period)
                      for due in closed]
    return found


def _row(chat_id: int, kind: str, key: str, label: str, at: dt.datetime, now: dt.datetime,
         period: str | None = None) -> dict[str, Any]:
    period = period or periods.half_of(at.date()).code
    return {"deadline_key": key, "offset_label": label, "occurrence": at + VALID_FOR, "chat_id": chat_id,
            "kind": kind, "unit_id": None, "title": "Tóm tắt tiến độ", "period": period, "due_at": at,
            "state": "pending", "reason": "", "attempts": 0, "created_at": now, "finished_at": None}


def _wanted(row: Delivery, *, session: Session) -> tuple[Span, frozenset[int] | None] | None:
    """The period and units a summary row covers, or None when the chat turned summaries off."""
    chat = session.get(SummaryChat, row.chat_id)
    span = periods.parse_period(row.period or "")
    if chat is None or not chat.active or span is None:
        return None
    return span, frozenset(chat.units) if chat.units is not None else None


def chart(row: Delivery, *, session: Session) -> tuple[str, bytes] | None:
    """The standing chart as it is now, with its caption; None when the chat turned summaries off."""
    wanted = _wanted(row, session=session)
    if wanted is None:
        return None
    span, units = wanted
    _, found = progress.summary(span, session=session, units=units)
    return f"📊 Tiến độ {span.label}: đạt, chưa đạt, chưa nộp", pictures.standing_png(f"Tổng hợp {span.label}", found)


def text(row: Delivery, *, session: Session) -> str | None:
    """The standing as it is now, or None when the chat turned summaries off."""
    wanted = _wanted(row, session=session)
    if wanted is None:
        return None
    span, units = wanted
    standing, found = progress.summary(span, session=session, units=units)
    reported = sum(1 for u in found if u.reported == u.indicators)
    met = sum(1 for u in found if u.met == u.indicators)
    head = (f"📬 Tóm tắt tiến độ{' sau hạn báo cáo' if row.offset_label == 'after' else ''}: "
            f"{reported}/{len(found)} đơn vị đã báo cáo đủ, {met} đơn vị đạt mọi chỉ tiêu.")
    missing = progress.not_submitted(span, session=session, units=units)
    body = f"{standing.text}\n\n{missing.text}"
    if len(body) > BODY_LIMIT:  # one message: the whole list is in /tonghop, /chuanop and /xuat
        body = body[:BODY_LIMIT].rsplit("\n", 1)[0] + "\n… (xem đủ: /tonghop, /chuanop, /xuat)"
    return f"{head}\n\n{body}\n\n(Tắt: /tomtat tat)"
