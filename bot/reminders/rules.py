"""When reminders go out: offsets before a deadline (REMINDER_OFFSETS), the hour (REMINDER_TIME), and
working days (a reminder due on a weekend or a Vietnamese public holiday moves to the working day before).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

from bot.core.schedule import Offset, Rules


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
