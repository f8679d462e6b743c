"""The compiling office's files for a period: the Excel workbook (bot/reporting/workbook.py) and a CSV of
every unit × indicator with target, value, who and when, in UTF-8 with a byte-order mark so that Excel
opens Vietnamese text correctly."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from itertools import groupby
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.db import make_engine
from bot.core.elsewhere import run_elsewhere
from bot.core.models import Period, Submission
from bot.reporting import submissions
from bot.reporting.indicators import target_text
from bot.reporting.periods import Span, halves_of
from bot.reporting.workbook import Latest, PlanStanding, workbook
from knowledge.index import KnowledgeBase

HEADERS = ("Kỳ", "Mã đơn vị", "Đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Chỉ tiêu đề ra", "Kết quả", "Giá trị số",
           "Tử số", "Mẫu số", "Đạt", "Người báo cáo", "Thời gian báo cáo", "Ghi chú")


def latest(unit_ids: list[int], span: Span, *, session: Session) -> dict[tuple[int, int], Latest]:
    """(unit id, indicator id) → the latest figure of the period (of either half, for a year): read in id
    order with the last kept, no ORM rows built (bot/reporting/matrix.py reads cells the same way)."""
    query = (select(Submission.unit_id, Submission.indicator_id, Period.code, Submission.value, Submission.yes,
                    Submission.met, Submission.shown, Submission.numerator, Submission.denominator,
                    Submission.person_name, Submission.submitted_at, Submission.supersedes_id.is_not(None),
                    Submission.note)
             .join(Period, Submission.period_id == Period.id)
             .where(Period.code.in_([h.code for h in halves_of(span)])).order_by(Submission.id))
    wanted = set(unit_ids)
    return {(row[0], row[1]): Latest._make(row[2:]) for row in session.execute(query) if row[0] in wanted}


class Record(NamedTuple):
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


Titles = Mapping[str, tuple[str, str]]  # plan id → its issuing body and title


def titles_of(kb: KnowledgeBase) -> Titles:
    return {plan_id: (plan.issuer, plan.title) for plan_id, plan in kb.plans.items()}


def standings(span: Span, *, session: Session, titles: Titles,
              units: frozenset[int] | None = None) -> list[PlanStanding]:
    """The period's standing, plan by plan (a plan the knowledge base no longer has is named by its id)."""
    found = []
    rows = submissions.standing(span, session=session, units=units, read=latest)
    for plan_id, units in groupby(sorted(rows, key=lambda r: r[0].plan_id), key=lambda r: r[0].plan_id):
        units = list(units)
        issuer, title = titles.get(plan_id, (plan_id, plan_id))
        found.append(PlanStanding(issuer, title, units[0][1], [(unit, done) for unit, _, done in units]))
    return found


def records(span: Span, standing: list[PlanStanding], timezone: ZoneInfo) -> list[Record]:
    """Every unit's every indicator, reported or not (blank), in plan then unit order."""
    found = []
    for plan in standing:
        targets = {i.id: target_text(i) for i in plan.indicators}
        for unit, done in plan.units:
            for indicator in plan.indicators:
                row = done.get(indicator.id)
                found.append(Record(
                    span.code, unit.code, unit.name, indicator.code, indicator.full_name or indicator.name,
                    targets[indicator.id], row.shown if row else "", row.value if row else None,
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
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def export(span: Span, timezone: ZoneInfo, today: dt.date, *, session: Session, kb: KnowledgeBase,
           units: frozenset[int] | None = None) -> dict[str, bytes]:
    """File name → content: the workbook and the CSV of the period, of `units` only when given (a scope)."""
    return files(span, timezone, today, session=session, titles=titles_of(kb), units=units)


def export_elsewhere(span: Span, timezone: ZoneInfo, today: dt.date, *, session: Session, kb: KnowledgeBase,
                     units: frozenset[int] | None = None) -> dict[str, bytes]:
    """export(), made in a process of its own (bot/core/elsewhere.py) from the database `session` reads."""
    url = session.get_bind().url.render_as_string(hide_password=False)
    return run_elsewhere(_export_from, url, span, timezone, today, titles_of(kb), units)


def _export_from(url: str, span: Span, timezone: ZoneInfo, today: dt.date, titles: Titles,
                 units: frozenset[int] | None) -> dict[str, bytes]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return files(span, timezone, today, session=session, titles=titles, units=units)
    finally:
        engine.dispose()


def files(span: Span, timezone: ZoneInfo, today: dt.date, *, session: Session, titles: Titles,
          units: frozenset[int] | None = None) -> dict[str, bytes]:
    by_span = {s: standings(s, session=session, titles=titles, units=units) for s in sheets_of(span)}
    found = by_span[span]
    unit_ids = [unit.id for plan in found for unit, _ in plan.units]
    officers: dict[int, list[str]] = {}
    for person in submissions.officers_of(unit_ids, session=session):
        officers.setdefault(person.unit_id, []).append(person.name or str(person.id))
    name = f"thi-dua-cds-{span.code}"
    return {f"{name}.xlsx": workbook(found, span.label, today, timezone, officers),
            f"{name}.csv": csv_bytes(r for s, standing in by_span.items() for r in records(s, standing, timezone))}


def sheets_of(span: Span) -> list[Span]:
    """The CSV's periods: a half-year, or a year's two halves and the year itself."""
    return [span] if span.kind == "half" else [*halves_of(span), span]
