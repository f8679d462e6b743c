"""/nhacnho bat|tat (a chat turns reminders on or off) and /guitin (admins: how recent reminders went)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.core.replies import Reply
from bot.core.schedule import Rules
from bot.core.who import Who
from bot.people.units import remember, unit_of
from bot.people.welcome import unit_picker
from bot.reminders import outbox
from bot.reminders.subscriptions import is_subscribed, set_subscription

ON, OFF = ("bat", "bật", "on"), ("tat", "tắt", "off")
GROUP_ADMINS_ONLY = ("Chỉ quản trị viên của nhóm mới bật hoặc tắt nhắc hạn cho nhóm. "
                     "Bạn nhờ quản trị viên nhóm gõ /nhacnho bat nhé.")
NO_UNIT = "Bạn chọn đơn vị trước để mình biết nhắc hạn của kế hoạch nào, rồi gõ lại /nhacnho bat nhé:"
STATES = {"sent": "đã gửi", "pending": "chờ gửi", "sending": "đang gửi", "failed": "lỗi", "unknown": "chưa rõ",
          "missed": "lỡ hạn", "skipped": "bỏ qua"}
RECENT = dt.timedelta(days=14)
SHOWN = 10


def offsets_text(rules: Rules) -> str:
    days = any(o.unit == "d" for o in rules.offsets)
    return (", ".join(o.spoken for o in rules.offsets)
            + (f" (nhắc theo ngày lúc {rules.time:%H:%M}, ngày nghỉ thì nhắc sớm hơn)" if days else ""))


def subscription(who: Who, args: list[str], rules: Rules, *, may_manage_group: bool, session: Session) -> Reply:
    """`may_manage_group`: the asker administers the group (or the bot)."""
    word = args[0].lower() if args else ""
    where = "nhóm này" if who.in_group else "bạn"
    if word not in ON + OFF:
        state = "đang bật" if is_subscribed(who.chat_id, session=session) else "đang tắt"
        return Reply(f"🔔 Nhắc hạn cho {where}: {state}.\nGõ /nhacnho bat để bật, /nhacnho tat để tắt.")
    if who.in_group and not may_manage_group:
        return Reply(GROUP_ADMINS_ONLY)
    remember(who, session=session)
    if word in OFF:
        set_subscription(who.chat_id, who.chat_kind, False, by=who.user_id, session=session)
        return Reply(f"🔕 Đã tắt nhắc hạn cho {where}. Bật lại: /nhacnho bat")
    unit = unit_of(who, session=session)
    if unit is None:
        return unit_picker(who, NO_UNIT, session=session)
    set_subscription(who.chat_id, who.chat_kind, True, by=who.user_id, session=session)
    return Reply(f"🔔 Đã bật nhắc hạn cho {where} theo đơn vị {unit.name}: mình nhắc trước mỗi hạn "
                 f"{offsets_text(rules)}.\nTắt: /nhacnho tat")


def status(admin: bool, now: dt.datetime, tz: ZoneInfo, *, session: Session,
           units: frozenset[int] | None = None) -> Reply:
    """/guitin: how the last 14 days' reminders went, of an admin's `units` only when given."""
    if not admin:
        return Reply("Chỉ quản trị viên của bot xem được tình hình gửi nhắc hạn.")
    groups = outbox.counts(now - RECENT, session=session, units=units)
    if not groups:
        return Reply("📬 14 ngày qua chưa có nhắc hạn nào đến lúc gửi.")
    total: dict[str, int] = {}
    for *_, states in groups:
        for state, number in states.items():
            total[state] = total.get(state, 0) + number
    lines = ["📬 Nhắc hạn 14 ngày qua (mới nhất trước):"]
    for title, offset, due_at, states in groups[:SHOWN]:
        shown = ", ".join(f"{STATES.get(s, s)} {n}" for s, n in sorted(states.items()))
        lines.append(f"• {due_at.astimezone(tz):%d/%m %H:%M} (trước {offset}) {title[:80]} — {shown}")
    lines.append("Tổng: " + ", ".join(f"{STATES.get(s, s)} {n}" for s, n in sorted(total.items())))
    return Reply("\n".join(lines))
