"""Figures units report, kept as history: a correction is a new row that supersedes the last one.

The latest row of (unit, indicator, half-year) is the unit's figure; a year reads the later of its
two halves. Submitting is idempotent on the Telegram update id, so a redelivered update stores once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.metrics import SUBMISSIONS
from bot.core.models import Indicator, Period, Person, Submission, Unit
from bot.people.units import list_units
from bot.reporting import periods
from bot.reporting.indicators import Indicator as PlanIndicator
from bot.reporting.indicators import find_indicator, indicators_of
from bot.reporting.periods import Span
from bot.reporting.values import Value, format_number, meets, split_value
from knowledge.index import KnowledgeBase

COMPARATOR_WORDS = {">=": "", ">": "trên ", "<=": "tối đa ", "<": "dưới ", "=": ""}


@dataclass(frozen=True)
class Draft:
    """A checked value waiting for the officer's confirmation."""

    unit_id: int
    indicator_id: int
    period: Span
    value: Value
    note: str = ""
    supersedes_id: int | None = None


def sync_indicators(kb: KnowledgeBase, *, session: Session) -> None:
    """Every plan's targets as indicator rows; one the plan no longer has is kept, inactive."""
    rows = {(i.plan_id, i.code): i for i in session.scalars(select(Indicator))}
    for plan_id in kb.plans:
        fresh = {i.code: i for i in indicators_of(kb, plan_id)}
        for (plan, code), row in rows.items():
            if plan == plan_id and code not in fresh:
                row.active = False
        for code, found in fresh.items():
            row = rows.get((plan_id, code)) or Indicator(plan_id=plan_id, code=code)
            row.name, row.target, row.kind, row.comparator = found.name, found.target, found.kind, _reachable(found)
            row.section, row.text, row.active = found.section, found.text, True
            session.add(row)


def _reachable(found: PlanIndicator) -> str:
    """'phủ trên 100% xã' reads 'trên' as 'over (the communes)': no share can exceed 100%."""
    return ">=" if found.kind == "percent" and found.comparator == ">" and found.target >= 100 else found.comparator


def indicators_for(unit: Unit, *, session: Session) -> list[Indicator]:
    """The unit's plan's indicators, in the plan's order."""
    query = select(Indicator).where(Indicator.plan_id == unit.plan_id, Indicator.active).order_by(Indicator.id)
    return list(session.scalars(query))


def find_in(indicators: list[Indicator], text: str) -> tuple[Indicator | None, str, str]:
    """(indicator, what named it, the value typed) from '/baocao' arguments: a leading code settles where
    the value starts ('III-3 chưa có'); else the value starts at the last figure ('hồ sơ … 45/60')."""
    first, _, rest = text.strip().partition(" ")
    by_code = {i.code.casefold(): i for i in indicators}
    if first.casefold() in by_code:
        return by_code[first.casefold()], first, rest
    what, figure = split_value(text)
    return find_indicator(indicators, what), what, figure


def target_text(indicator: Indicator) -> str:
    """'80%', 'trên 90%', '12': the target as the plan sets it."""
    unit = "%" if indicator.kind == "percent" else ""
    return f"{COMPARATOR_WORDS.get(indicator.comparator, '')}{format_number(indicator.target)}{unit}"


def is_met(indicator: Indicator, value: Value) -> bool:
    return meets(value, indicator.target, indicator.comparator)


def submit(draft: Draft, person: Person | None, *, update_id: int | None, now: dt.datetime,
           session: Session) -> Submission:
    """Stores the draft; a redelivered update (same id) returns the row it stored the first time."""
    indicator = session.get(Indicator, draft.indicator_id)
    row = Submission(indicator=indicator, unit_id=draft.unit_id, period=periods.stored(draft.period, session=session),
                     value=draft.value.number, numerator=draft.value.numerator, denominator=draft.value.denominator,
                     yes=draft.value.yes, shown=draft.value.shown, met=is_met(indicator, draft.value),
                     note=draft.note[:500], person_id=person.id if person else None,
                     person_name=person.name if person else "", submitted_at=now, update_id=update_id,
                     supersedes_id=draft.supersedes_id)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # this update was stored before: Telegram redelivered it, or another replica took it
        first = session.scalar(select(Submission).where(Submission.update_id == update_id)) if update_id else None
        if first is None:
            raise
        return first
    SUBMISSIONS.inc()
    return row


def latest(unit_ids: list[int], span: Span, *, session: Session) -> dict[tuple[int, int], Submission]:
    """(unit id, indicator id) → the latest submission of the period (of either half, for a year)."""
    codes = [h.code for h in periods.halves_of(span)]
    newest = (select(func.max(Submission.id)).join(Submission.period)
              .where(Submission.unit_id.in_(unit_ids), Period.code.in_(codes))
              .group_by(Submission.unit_id, Submission.indicator_id))
    rows = session.scalars(select(Submission).where(Submission.id.in_(newest)))
    return {(row.unit_id, row.indicator_id): row for row in rows}


def standing(span: Span, *, session: Session) -> list[tuple[Unit, list[Indicator], dict[int, Submission]]]:
    """Every unit with indicators: its plan's indicators and its latest submission of each (by indicator id).
    One query for the units, one for the indicators, one for the submissions, however many units."""
    units = list_units(session=session)
    latest_rows = latest([u.id for u in units], span, session=session)
    by_plan: dict[str, list[Indicator]] = {}
    for indicator in session.scalars(select(Indicator).where(Indicator.active).order_by(Indicator.id)):
        by_plan.setdefault(indicator.plan_id, []).append(indicator)
    return [(unit, by_plan[unit.plan_id],
             {i.id: latest_rows[(unit.id, i.id)] for i in by_plan[unit.plan_id] if (unit.id, i.id) in latest_rows})
            for unit in units if by_plan.get(unit.plan_id)]


def missing(unit: Unit, span: Span, *, session: Session) -> list[Indicator]:
    """The unit's indicators with no figure yet for the period."""
    done = latest([unit.id], span, session=session)
    return [i for i in indicators_for(unit, session=session) if (unit.id, i.id) not in done]


def left_to_report(unit: Unit, span: Span, *, session: Session) -> int:
    """How many of the unit's indicators have no figure for the period: two counts, no rows loaded."""
    active = select(func.count()).select_from(Indicator).where(Indicator.plan_id == unit.plan_id, Indicator.active)
    reported = (select(func.count(func.distinct(Submission.indicator_id))).join(Submission.period)
                .join(Submission.indicator).where(Submission.unit_id == unit.id, Indicator.active,
                                                  Period.code.in_([h.code for h in periods.halves_of(span)])))
    return session.scalar(active) - session.scalar(reported)


def last_of(person_id: int, *, session: Session) -> Submission | None:
    """The person's most recent submission: the one /sua corrects."""
    query = select(Submission).where(Submission.person_id == person_id).order_by(Submission.id.desc()).limit(1)
    return session.scalar(query)


def officers_of(unit_ids: list[int], *, session: Session) -> list[Person]:
    query = select(Person).where(Person.role == "officer", Person.unit_id.in_(unit_ids)).order_by(Person.name)
    return list(session.scalars(query))
