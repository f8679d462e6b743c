"""Dated milestones of a plan: its deadline facts turned into calendar days.

A recurring date (dd/mm) repeats each year of the plan's period; a quarter means its last day, a month
("tháng 01/2027") its last day; a full date stands once; a monthly day ("hằng tháng trước ngày 25")
falls in every month, a quarterly one ("hằng quý trước ngày 20 của tháng cuối quý") in the given month
of every quarter, each on a real day (the 31st of a 30-day month is its 30th) from the start of the
plan's period to its last day. Issue 5's reminders plan from these same occurrences.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from dataclasses import dataclass

from knowledge.documents import Plan
from knowledge.facts import Fact

EVENT_LABELS = {"report": "Hạn báo cáo", "review": "Sơ kết phong trào", "final_review": "Tổng kết phong trào",
                "end": "Kết thúc phong trào", "start": "Bắt đầu giai đoạn", "launch": "Phát động phong trào",
                "": "Mốc thời gian"}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Occurrence:
    day: dt.date
    fact: Fact

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.fact.event, EVENT_LABELS[""])

    @property
    def when(self) -> str:
        if self.fact.quarter:
            return f"Quý {ROMAN[self.fact.quarter]}/{self.day.year} (hết ngày {self.day:%d/%m/%Y})"
        if self.fact.month and self.fact.year and self.fact.day is None:
            return f"Tháng {self.day.month:02}/{self.day.year} (hết ngày {self.day:%d/%m/%Y})"
        return f"{self.day:%d/%m/%Y}"


def quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _on(year: int, month: int, day: int) -> dt.date:
    """The day-th of the month, or its last day when it is shorter (a real day)."""
    while month > 12:
        year, month = year + 1, month - 12
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _days(fact: Fact, plan: Plan) -> list[dt.date]:
    if fact.quarter and fact.year:
        return [quarter_end(fact.year, fact.quarter)]
    years = range(plan.period_start, max(plan.period_end, plan.valid_until.year) + 1)
    if fact.recurrence == "monthly" and fact.day:
        return [_on(year, month, fact.day) for year in years for month in range(1, 13)]
    if fact.recurrence == "quarterly" and fact.day:
        offset = fact.quarter_month or 3
        return [_on(year, (quarter - 1) * 3 + offset, fact.day) for year in years for quarter in range(1, 5)]
    if fact.month and fact.year and fact.day is None:
        return [month_end(fact.year, fact.month)]
    if fact.day is None or fact.month is None:
        return []
    years = [fact.year] if fact.year else years
    return [day for year in years if (day := _safe_date(year, fact.month, fact.day))]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def occurrences(plan: Plan, facts: list[Fact]) -> list[Occurrence]:
    """Every dated milestone of the plan within its validity, in date order, each once."""
    start = dt.date(plan.period_start, 1, 1)
    found = {(d, f.value, f.event): Occurrence(d, f) for f in facts if f.kind == "deadline"
             for d in _days(f, plan) if d <= plan.valid_until and (d >= start or not f.recurrence)}
    return sorted(found.values(), key=lambda o: (o.day, o.fact.passage))


def extended(plan: Plan, until: dt.date | None) -> Plan:
    """The plan as an admin extended it (`campaign-bot plans extend`): recurring dates run on to `until`."""
    if until is None or until <= plan.valid_until:
        return plan
    return dataclasses.replace(plan, valid_until=until)


def days_left(day: dt.date, today: dt.date) -> str:
    delta = (day - today).days
    if delta == 0:
        return "hôm nay"
    if delta == 1:
        return "ngày mai"
    return f"còn {delta} ngày" if delta > 0 else f"đã qua {-delta} ngày"
