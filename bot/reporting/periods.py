"""Reporting periods. The plans ask for reports every six months and every year ("định kỳ 6 tháng
(15/6), hàng năm (15/12)", "30/5 và 30/11"), so a figure is reported for a half-year ("2026-H1",
"2026-H2"); a year ("2026") reads the latest figure of its two halves. A report deadline belongs to
the half-year it falls in: 15/6 and 30/5 close H1, 15/12, 30/11 and 20/12 close H2.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from dataclasses import dataclass

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from bot.core.db import upsert_insert
from bot.core.models import Period

_CODE = re.compile(r"^(?:(\d{4})\s*[-/ ]?\s*(?:h|6t|k|ky)?\s*([12])|(?:h|6t|k|ky)\s*([12])\s*[-/ ]\s*(\d{4})|(\d{4}))$",
                   re.ASCII)
YEARS = range(2000, 2101)  # a period outside these is a typing slip, not a campaign year (and year 0 breaks dates)
PERIOD_HINT = "Kỳ viết như 2026-H1 (6 tháng đầu năm), 2026-H2 (6 tháng cuối năm) hoặc 2026 (cả năm)."


@dataclass(frozen=True)
class Span:
    code: str
    kind: str  # "half" | "year"
    starts_on: dt.date
    ends_on: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"năm {self.code}"
        half = "6 tháng đầu năm" if self.code.endswith("H1") else "6 tháng cuối năm"
        return f"{half} {self.code[:4]}"


def half(year: int, number: int) -> Span:
    if number == 1:
        return Span(f"{year}-H1", "half", dt.date(year, 1, 1), dt.date(year, 6, 30))
    return Span(f"{year}-H2", "half", dt.date(year, 7, 1), dt.date(year, 12, 31))


def year(number: int) -> Span:
    return Span(str(number), "year", dt.date(number, 1, 1), dt.date(number, 12, 31))


def half_of(day: dt.date) -> Span:
    """The half-year a day falls in: the period a figure reported that day, or due that day, is for."""
    return half(day.year, 1 if day.month <= 6 else 2)


def parse_period(text: str) -> Span | None:
    """'2026-H2', '2026 h2', 'h2/2026', '6t2-2026'... or '2026'; None when it reads as no period."""
    folded = " ".join(text.strip().lower().split())
    match = _CODE.match(folded)
    if match is None:
        return None
    year_text, number = match.group(1) or match.group(4), match.group(2) or match.group(3)
    if int(match.group(5) or year_text) not in YEARS:
        return None
    if match.group(5):
        return year(int(match.group(5)))
    return half(int(year_text), int(number))


def halves_of(span: Span) -> list[Span]:
    return [span] if span.kind == "half" else [half(span.starts_on.year, 1), half(span.starts_on.year, 2)]


# database (the engine itself: an id could be a dead engine's) → codes of the periods known to exist (rows never go)
_known: weakref.WeakKeyDictionary[object, set[str]] = weakref.WeakKeyDictionary()


def ensure_stored(span: Span, *, session: Session) -> None:
    """The period's row exists: inserted unless there, once per database and process. ON CONFLICT DO NOTHING:
    two officers' first reports of a half-year, at once, both store (a SELECT then INSERT failed the second)."""
    bind = session.get_bind()
    if span.code in _known.get(bind, ()):
        return
    inserted = session.execute(upsert_insert(session, Period).values(
        code=span.code, kind=span.kind, starts_on=span.starts_on, ends_on=span.ends_on).on_conflict_do_nothing())
    if inserted.rowcount == 0:  # there, committed
        _known.setdefault(bind, set()).add(span.code)
    else:  # inserted by this session: other sessions see it once it commits
        session.info.setdefault("periods_inserted", []).append((bind, span.code))


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    for bind, code in session.info.pop("periods_inserted", ()):
        _known.setdefault(bind, set()).add(code)


def stored(span: Span, *, session: Session) -> Period:
    """The period's row, created the first time it is used (by ensure_stored: one way to create it)."""
    ensure_stored(span, session=session)
    return session.scalar(select(Period).where(Period.code == span.code))


def span_of(period: Period) -> Span:
    return Span(period.code, period.kind, period.starts_on, period.ends_on)
