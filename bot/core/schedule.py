"""When reminders go out, as settings: offsets before a deadline (REMINDER_OFFSETS), the hour (REMINDER_TIME)
and the time zone. Plain values, so the settings need not load the reminders (bot/reminders/rules.py applies them)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

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
    def spoken(self) -> str:
        return f"{self.amount} {UNITS[self.unit]}"

    @property
    def delta(self) -> dt.timedelta:
        return {"d": dt.timedelta(days=self.amount), "h": dt.timedelta(hours=self.amount),
                "m": dt.timedelta(minutes=self.amount)}[self.unit]


def spoken(label: str) -> str:
    """'7d' → '7 ngày'; a label that is not an offset is left as it is."""
    match = _OFFSET.match(label)
    return Offset(int(match.group(1)), match.group(2)).spoken if match else label


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
