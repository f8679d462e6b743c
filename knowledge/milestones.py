"""Dated milestones of a plan: its deadline facts turned into calendar days.

A recurring date (dd/mm) repeats each year of the plan's period; a quarter means its last day;
a full date stands once. Issue 5's reminders plan from these same occurrences.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from dataclasses import dataclass

from knowledge.documents import Plan
from knowledge.facts import Fact

EVENT_LABELS = {"report": "Hạn báo cáo", "review": "Sơ kết phong trào", "final_review": "Tổng kết phong trào",
                "end": "Kết thúc phong trào", "launch": "Phát động phong trào", "": "Mốc thời gian"}
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
        return f"{self.day:%d/%m/%Y}"


def quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _days(fact: Fact, plan: Plan) -> list[dt.date]:
    if fact.quarter and fact.year:
        return [quarter_end(fact.year, fact.quarter)]
    if fact.day is None or fact.month is None:
        return []
    years = [fact.year] if fact.year else range(plan.period_start, max(plan.period_end, plan.valid_until.year) + 1)
    return [day for year in years if (day := _safe_date(year, fact.month, fact.day))]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def occurrences(plan: Plan, facts: list[Fact]) -> list[Occurrence]:
    """Every dated milestone of the plan within its validity, in date order, each once."""
    found = {(d, f.value, f.event): Occurrence(d, f) for f in facts if f.kind == "deadline"
             for d in _days(f, plan) if d <= plan.valid_until}
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
