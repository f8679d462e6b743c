"""What a reminder says: what is due, when, how many days are left, what the unit still owes, and the
command to report. Written when it is sent, so the days left and the missing figures are current."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.core.models import Delivery, Indicator, Person, Unit
from bot.reminders.catalog import END_OF_DAY
from bot.reporting.periods import parse_period
from knowledge.milestones import days_left

SHOWN = 5


def when(at: dt.datetime, tz: ZoneInfo) -> str:
    local = at.astimezone(tz)
    if local.time() == END_OF_DAY:
        return f"hết ngày {local:%d/%m/%Y}"
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def _missing_line(unit: Unit, period: str, missing: list[Indicator], total: int) -> str:
    span = parse_period(period)
    label = span.label if span else period
    if not missing:
        return f"✅ {unit.name} đã báo cáo đủ {total} chỉ tiêu kỳ {label}."
    names = "; ".join(i.name for i in missing[:SHOWN]) + ("…" if len(missing) > SHOWN else "")
    return f"📝 {unit.name} còn thiếu {len(missing)}/{total} chỉ tiêu kỳ {label}: {names}"


def render(row: Delivery, now: dt.datetime, tz: ZoneInfo, *, unit: Unit | None = None,
           missing: list[Indicator] | None = None, total: int = 0, person: Person | None = None) -> str:
    left = days_left(row.occurrence.astimezone(tz).date(), now.astimezone(tz).date())
    head = f"👋 {person.name}, nhắc bạn hạn sắp tới:" if row.kind == "nudge" and person and person.name \
        else "⏰ Nhắc hạn sắp tới:"
    lines = [head, row.title, f"Hạn: {when(row.occurrence, tz)} ({left})."]
    if row.period and unit is not None and missing is not None:
        lines.append(_missing_line(unit, row.period, missing, total))
        lines.append("Bấm một chỉ tiêu bên dưới để báo cáo ngay, hoặc gõ /baocao." if row.kind == "nudge" and missing
                     else "Gõ /baocao để báo cáo số liệu, /tiendo để xem tiến độ.")
    else:
        lines.append("Gõ /hanchot để xem các mốc sắp tới.")
    if row.kind == "chat":
        lines.append("(Tắt nhắc hạn: /nhacnho tat)")
    return "\n".join(lines)
