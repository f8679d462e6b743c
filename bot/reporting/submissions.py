"""Figures units report, kept as history: a correction is a new row that supersedes the last one.

The latest row of (unit, indicator, half-year) is the unit's figure; a year reads the later of its
two halves. Submitting is idempotent on the Telegram update id, so a redelivered update stores once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from bot.core.db import dialect_insert
from bot.core.metrics import SUBMISSIONS
from bot.core.models import NOTE_LIMIT, NOTE_TOO_LONG, Indicator, Period, Person, Submission, Unit
from bot.people.glance import Officer
from bot.people.units import list_units
from bot.reporting import periods
from bot.reporting.indicators import Listed, indicators_for
from bot.reporting.periods import Span
from bot.reporting.values import Value, ValueRejected


def check_note(note: str) -> str:
    """The note as it will be stored; ValueRejected (the reply to send) when it is longer than is kept.
    The guided report should call it where it reads the value and the note; keeping a longer note in a
    draft or a submission raises UserMessageError anyway (bot/core/models.py)."""
    if len(note) > NOTE_LIMIT:
        raise ValueRejected(NOTE_TOO_LONG.format(length=len(note), limit=NOTE_LIMIT))
    return note


@dataclass(frozen=True)
class Figure:
    """A checked value, judged against its target once, ready to store."""

    unit_id: int
    indicator: Indicator | Listed
    period: Span
    value: Value
    met: bool
    note: str = ""
    supersedes_id: int | None = None

    def __post_init__(self) -> None:
        check_note(self.note)  # never stored cut


def submit(figure: Figure, person: Person | Officer | None, *, update_id: int | None, now: dt.datetime,
           session: Session) -> Submission:
    """Stores the figure; a redelivered update (same id) returns the row it stored the first time.
    One statement once the period's row is known: INSERT … ON CONFLICT (update_id) DO NOTHING RETURNING the row,
    the period's id looked up inside it. The row's relationships are not loaded: the caller has them."""
    value = figure.value
    periods.ensure_stored(figure.period, session=session)
    values = {"indicator_id": figure.indicator.id, "unit_id": figure.unit_id, "period_code": figure.period.code,
              "value": value.number,
              "numerator": value.numerator, "denominator": value.denominator, "yes": value.yes, "shown": value.shown,
              "met": figure.met, "note": check_note(figure.note), "person_id": person.id if person else None,
              "person_name": person.name if person else "", "submitted_at": now, "update_id": update_id,
              "supersedes_id": figure.supersedes_id}
    row = session.scalar(_store(session.get_bind().dialect.name), values)
    if row is None:  # this update was stored before: Telegram redelivered it, or another replica took it
        return session.scalar(select(Submission).where(Submission.update_id == update_id))
    SUBMISSIONS.inc()
    return row


@cache
def _store(dialect: str):
    """The INSERT of a figure for a dialect, built once: building it per report cost more CPU than running it.
    Every column but the period's id comes as a parameter of the execution; Core's INSERT, the ORM only loading
    the row it returns (its bulk-insert path costs more than the statement)."""
    table = Submission.__table__
    period = select(Period.id).where(Period.code == bindparam("period_code")).scalar_subquery()
    insert = (dialect_insert(dialect, table).values(period_id=period)
              .on_conflict_do_nothing(index_elements=[table.c.update_id]).returning(*table.c))
    return select(Submission).from_statement(insert)


def latest(unit_ids: list[int], span: Span, *, session: Session) -> dict[tuple[int, int], Submission]:
    """(unit id, indicator id) → the latest submission of the period (of either half, for a year)."""
    codes = [h.code for h in periods.halves_of(span)]
    newest = (select(func.max(Submission.id)).join(Submission.period)
              .where(Submission.unit_id.in_(unit_ids), Period.code.in_(codes))
              .group_by(Submission.unit_id, Submission.indicator_id))
    rows = session.scalars(select(Submission).where(Submission.id.in_(newest)))
    return {(row.unit_id, row.indicator_id): row for row in rows}


def standing(span: Span, *, session: Session, units: frozenset[int] | None = None, read: Callable = latest
             ) -> list[tuple[Unit, list[Indicator], dict[int, Submission]]]:
    """Every unit with indicators (of `units` only, when given: an admin's scope): its plan's indicators and
    its latest submission of each (by indicator id), as `read` gives them (rows, by default). Three queries,
    however many units."""
    scope = units
    units = [u for u in list_units(session=session) if scope is None or u.id in scope]
    latest_rows = read([u.id for u in units], span, session=session)
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


def left_to_report(plan_id: str, unit_id: int, span: Span, *, session: Session) -> int:
    """How many of the unit's (of that plan) indicators have no figure for the period: one statement, no rows
    loaded."""
    codes = [h.code for h in periods.halves_of(span)]
    return session.scalar(_LEFT, {"plan_id": plan_id, "unit_id": unit_id, "codes": codes})


def _left():
    active = (select(func.count()).select_from(Indicator)
              .where(Indicator.plan_id == bindparam("plan_id"), Indicator.active))
    reported = (select(func.count(func.distinct(Submission.indicator_id))).join(Submission.period)
                .join(Submission.indicator).where(Submission.unit_id == bindparam("unit_id"), Indicator.active,
                                                  Period.code.in_(bindparam("codes", expanding=True))))
    return select(active.scalar_subquery() - reported.scalar_subquery())


_LEFT = _left()  # built once, as _store


def last_of(person_id: int, *, session: Session) -> Submission | None:
    """The person's most recent submission: the one /sua corrects."""
    query = select(Submission).where(Submission.person_id == person_id).order_by(Submission.id.desc()).limit(1)
    return session.scalar(query)


def officers_of(unit_ids: list[int], *, session: Session) -> list[Person]:
    query = select(Person).where(Person.role == "officer", Person.unit_id.in_(unit_ids)).order_by(Person.name)
    return list(session.scalars(query))
