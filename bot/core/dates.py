"""Dates and times as Vietnamese offices write them: 15/12/2026, 15-12-2026, 15.12.2026; 17:00, 17h, 17h30.

A form's fields are plain text rather than the browser's date and time pickers, which follow the browser's
language: on an English browser they ask for mm/dd/yyyy and 05:00 PM, which an office misreads. The ISO form
(2026-12-15) is taken too, so a browser that fills in a date itself is understood.
"""

from __future__ import annotations

import datetime as dt
import re

_DAY = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_CLOCK = re.compile(r"(\d{1,2})\s*(?:(?::|h|g|giờ)\s*(\d{2})?\s*(?:phút)?)?", re.ASCII | re.IGNORECASE)


def parse_day(text: str) -> dt.date | None:
    """The day written as d/m/yyyy (or with - or .), or as yyyy-mm-dd; None when it is not a real day."""
    text = text.strip()
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DAY.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_clock(text: str) -> dt.time | None:
    """The time of day on a 24-hour clock: 17:00, 17h, 17h30, 8g15; None when it is not one."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    return dt.time(hour, minute) if hour < 24 and minute < 60 else None
