"""When reminders go out: offsets before a deadline (REMINDER_OFFSETS), the hour (REMINDER_TIME), and
working days (a reminder due on a weekend or a Vietnamese public holiday moves to the working day before).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

_OFFSET = re.compile(r"^(\d{1,3})\s*([dhm])$")
UNITS = {"d": "ngày", "h": "giờ", "m": "phút"}


@dataclass(frozen=True)
class Offset:
    """'7d' (at REMINDER_TIME, N days before the deadline's day), '2h' or '5m' (before its exact time)."""

    amount: int
    unit: str  # d | h | m

    @property
    def label(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def delta(self) -> dt.timedelta:
        return {"d": dt.timedelta(days=self.amount), "h": dt.timedelta(hours=self.amount),
                "m": dt.timedelta(minutes=self.amount)}[self.unit]


def parse_offsets(text: str) -> tuple[Offset, ...]:
    """'7d,3d,1d' → offsets, longest first; raises ValueError saying what is wrong."""
    found: set[Offset] = set()
    for part in (p.strip().lower() for p in text.split(",")):
        match = _OFFSET.match(part)
        if not match or int(match.group(1)) == 0:
            raise ValueError(f"'{part}' is not an offset: write e.g. 7d,3d,1d (days), 2h (hours) or 5m (minutes)")
        found.add(Offset(int(match.group(1)), match.group(2)))
    if not found:
        raise ValueError("no offsets: write e.g. 7d,3d,1d")
    return tuple(sorted(found, key=lambda o: o.delta, reverse=True))


@dataclass(frozen=True)
class Rules:
    offsets: tuple[Offset, ...] = field(default_factory=lambda: parse_offsets("7d,3d,1d"))
    time: dt.time = dt.time(8, 0)
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def previous_working_day(day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def remind_at(deadline: dt.datetime, offset: Offset, rules: Rules) -> dt.datetime:
    """The instant (aware) a reminder `offset` before `deadline` goes out, moved off weekends and holidays."""
    local = deadline.astimezone(rules.timezone)
    if offset.unit == "d":
        at = dt.datetime.combine(local.date() - offset.delta, rules.time, rules.timezone)
    else:
        at = local - offset.delta
    moved = previous_working_day(at.date())
    return at if moved == at.date() else dt.datetime.combine(moved, at.timetz().replace(tzinfo=None), rules.timezone)
