"""Where units stand: /tiendo for one unit, and for admins /tonghop and /chuanop over all units."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.core.errors import UserMessageError
from bot.core.models import Indicator, Submission
from bot.core.replies import Reply
from bot.core.who import Who
from bot.people.units import unit_of
from bot.reporting import submissions
from bot.reporting.indicators import indicators_for, target_text
from bot.reporting.periods import PERIOD_HINT, Span, parse_period

NO_UNIT = "Bạn chưa chọn đơn vị. Gõ /donvi để chọn, rồi /tiendo để xem tiến độ."


@dataclass(frozen=True)
class Bar:
    """One indicator on the progress chart."""

    name: str          # the indicator's short name: the chart's label
    value: float | None
    target: float
    met: bool | None
    percent: bool = True  # a share; otherwise a count, drawn against its target
    shown: str = ""    # the value as the officer reported it ('45/60 (75%)', '12')


@dataclass
class Progress:
    reply: Reply
    title: str
    bars: list[Bar]


def period_or_hint(text: str, default: Span) -> Span:
    """The period typed after a command, the default when none; UserMessageError with the hint when unreadable."""
    if not text.strip():
        return default
    span = parse_period(text)
    if span is None:
        raise UserMessageError(f"Không hiểu kỳ “{text.strip()[:40]}”. {PERIOD_HINT}")
    return span


def line(indicator: Indicator, row: Submission | None) -> str:
    if row is None:
        return f"⏳ {indicator.code} {indicator.name}: chưa báo cáo (chỉ tiêu {target_text(indicator)})"
    mark = "✅" if row.met else "❌"
    return f"{mark} {indicator.code} {indicator.name}: {row.shown} / {target_text(indicator)}"


def progress(who: Who, span: Span, *, session: Session) -> Progress:
    unit = unit_of(who, session=session)
    if unit is None:
        return Progress(Reply(NO_UNIT), "", [])
    done = submissions.latest([unit.id], span, session=session)
    indicators = indicators_for(unit, session=session)
    rows = [(i, done.get((unit.id, i.id))) for i in indicators]
    met = sum(1 for _, row in rows if row is not None and row.met)
    head = (f"📊 Tiến độ {span.label} — {unit.name}\n"
            f"Đã báo cáo {len(done)}/{len(indicators)} chỉ tiêu, đạt {met}.")
    body = "\n".join(line(i, row) for i, row in rows)
    bars = [Bar(i.name, row.value if row else None, i.target, row.met if row else None, i.kind == "percent",
                row.shown if row else "") for i, row in rows if i.kind != "yesno"]
    return Progress(Reply(f"{head}\n\n{body}"), f"{unit.name} — {span.label}", bars)


@dataclass(frozen=True)
class Standing:
    """A unit's line of /tonghop, and its bar of the standing chart."""

    name: str
    reported: int
    met: int
    indicators: int


def summary(span: Span, *, session: Session, units: frozenset[int] | None = None) -> tuple[Reply, list[Standing]]:
    """/tonghop: every unit's (of `units`, when given) count of reported and met indicators."""
    found = [Standing(unit.name, len(done), sum(1 for row in done.values() if row.met), len(indicators))
             for unit, indicators, done in submissions.standing(span, session=session, units=units)]
    lines = [f"📋 Tổng hợp {span.label}",
             *(f"• {u.name}: báo cáo {u.reported}/{u.indicators}, đạt {u.met}" for u in found)]
    return Reply("\n".join(lines)), found


def not_submitted(span: Span, *, session: Session, units: frozenset[int] | None = None) -> Reply:
    """/chuanop: units (of `units`, when given) still missing figures, with their officers (or how to invite)."""
    lines = [f"⏳ Chưa nộp đủ {span.label}"]
    owing = [(u, i, d) for u, i, d in submissions.standing(span, session=session, units=units)
             if len(d) < len(i)]
    officers = submissions.officers_of([unit.id for unit, _, _ in owing], session=session)
    for unit, indicators, done in owing:
        names = [p.name or str(p.id) for p in officers if p.unit_id == unit.id]
        who = ", ".join(names) or "chưa có cán bộ báo cáo (mời bằng /moi)"
        lines.append(f"• {unit.name}: thiếu {len(indicators) - len(done)}/{len(indicators)} — {who}")
    if len(lines) == 1:
        lines.append("Tất cả đơn vị đã nộp đủ 🎉")
    return Reply("\n".join(lines))
