"""The compiling office's files for a period: the Excel workbook (bot/reporting/workbook.py) and a CSV of
every unit × indicator with target, value, who and when, in UTF-8 with a byte-order mark so that Excel
opens Vietnamese text correctly."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from itertools import groupby
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.reporting import submissions
from bot.reporting.indicators import target_text
from bot.reporting.periods import Span, halves_of
from bot.reporting.workbook import PlanStanding, workbook
from knowledge.index import KnowledgeBase

HEADERS = ("Kỳ", "Mã đơn vị", "Đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Chỉ tiêu đề ra", "Kết quả", "Giá trị số",
           "Tử số", "Mẫu số", "Đạt", "Người báo cáo", "Thời gian báo cáo", "Ghi chú")


@dataclass(frozen=True)
class Record:
    period: str
    unit_code: str
    unit: str
    code: str
    indicator: str
    target: str
    shown: str
    value: float | None
    numerator: int | None
    denominator: int | None
    met: str
    who: str
    when: str
    note: str


def standings(span: Span, *, session: Session, kb: KnowledgeBase,
              units: frozenset[int] | None = None) -> list[PlanStanding]:
    """The period's standing, plan by plan (a plan the knowledge base no longer has is named by its id)."""
    found = []
    rows = submissions.standing(span, session=session, units=units)
    for plan_id, units in groupby(sorted(rows, key=lambda r: r[0].plan_id), key=lambda r: r[0].plan_id):
        units = list(units)
        plan = kb.plans.get(plan_id)
        found.append(PlanStanding(plan.issuer if plan else plan_id, plan.title if plan else plan_id,
                                  units[0][1], [(unit, done) for unit, _, done in units]))
    return found


def records(span: Span, timezone: ZoneInfo, *, session: Session, units: frozenset[int] | None = None) -> list[Record]:
    """Every unit's every indicator, reported or not (blank), in unit then plan order."""
    found = []
    for unit, indicators, done in submissions.standing(span, session=session, units=units):
        for indicator in indicators:
            row = done.get(indicator.id)
            found.append(Record(
                span.code, unit.code, unit.name, indicator.code, indicator.full_name or indicator.name,
                target_text(indicator), row.shown if row else "", row.value if row else None,
                row.numerator if row else None, row.denominator if row else None, _met(row.met) if row else "",
                row.person_name if row else "", _local(row.submitted_at, timezone) if row else "",
                row.note if row else ""))
    return found


def _met(met: bool | None) -> str:
    return "" if met is None else ("Đạt" if met else "Chưa đạt")


def _local(moment: dt.datetime, timezone: ZoneInfo) -> str:
    return f"{moment.astimezone(timezone):%d/%m/%Y %H:%M}"


def csv_bytes(rows: Iterable[Record]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(astuple(r) for r in rows)
    return buffer.getvalue().encode("utf-8-sig")


def export(span: Span, timezone: ZoneInfo, today: dt.date, *, session: Session, kb: KnowledgeBase,
           units: frozenset[int] | None = None) -> dict[str, bytes]:
    """File name → content: the workbook and the CSV of the period, of `units` only when given (a scope)."""
    found = standings(span, session=session, kb=kb, units=units)
    unit_ids = [unit.id for plan in found for unit, _ in plan.units]
    officers: dict[int, list[str]] = {}
    for person in submissions.officers_of(unit_ids, session=session):
        officers.setdefault(person.unit_id, []).append(person.name or str(person.id))
    name = f"thi-dua-cds-{span.code}"
    return {f"{name}.xlsx": workbook(found, span, today, timezone, officers),
            f"{name}.csv": csv_bytes(r for s in sheets_of(span)
                                     for r in records(s, timezone, session=session, units=units))}


def sheets_of(span: Span) -> list[Span]:
    """The CSV's periods: a half-year, or a year's two halves and the year itself."""
    return [span] if span.kind == "half" else [*halves_of(span), span]
