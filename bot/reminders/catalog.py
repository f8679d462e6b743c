"""Every deadline reminders are planned from: the plans' dated milestones (within each plan's period, as
extended by an admin) and the deadlines admins add. Each has a stable key: the outbox's identity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.models import Deadline, PlanExtension
from bot.reminders import outbox
from bot.reporting import periods
from knowledge.documents import Plan
from knowledge.index import KnowledgeBase
from knowledge.milestones import Occurrence, extended, occurrences

END_OF_DAY = dt.time(23, 59)  # "đến hết ngày 31/12": a plan's date lasts the whole day


@dataclass(frozen=True)
class Due:
    key: str
    title: str
    at: dt.datetime
    plan_id: str | None = None  # None with unit_id None: every subscribed chat
    unit_id: int | None = None
    period: str | None = None  # the reporting period it closes: officers who have not reported are nudged


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def extensions(*, session: Session) -> dict[str, dt.date]:
    return {row.plan_id: row.until for row in session.scalars(select(PlanExtension))}


def extend_plan(plan: Plan, until: dt.date, *, session: Session) -> Plan:
    """Records the extension (a later one replaces it) and returns the plan as extended."""
    row = session.get(PlanExtension, plan.id) or PlanExtension(plan_id=plan.id, until=until)
    row.until = until
    session.add(row)
    return extended(plan, until)


def plan_as_extended(plan: Plan, *, session: Session) -> Plan:
    row = session.get(PlanExtension, plan.id)
    return extended(plan, row.until if row else None)


def _from_fact(o: Occurrence, tz: ZoneInfo) -> Due:
    key = f"plan:{o.fact.plan_id}:{o.fact.passage}:{o.fact.value}:{o.fact.event}"
    period = periods.half_of(o.day).code if o.fact.event == "report" else None
    return Due(key, f"{o.label} {o.when}: «{_short(o.fact.text)}»", dt.datetime.combine(o.day, END_OF_DAY, tz),
               plan_id=o.fact.plan_id, period=period)


def admin_period(title: str, at: dt.datetime, tz: ZoneInfo) -> str | None:
    """An admin's deadline for a report closes the half-year it falls in."""
    return periods.half_of(at.astimezone(tz).date()).code if "báo cáo" in title.lower() else None


def _from_row(row: Deadline, tz: ZoneInfo) -> Due:
    return Due(f"admin:{row.id}", row.title, row.due_at, plan_id=row.plan_id, unit_id=row.unit_id,
               period=admin_period(row.title, row.due_at, tz))


def all_due(kb: KnowledgeBase, tz: ZoneInfo, after: dt.datetime, *, session: Session) -> list[Due]:
    """Every deadline after `after`, from the plans (as extended) and from admins, in time order."""
    until = extensions(session=session)
    found = [_from_fact(o, tz) for plan in kb.plans.values()
             for o in occurrences(extended(plan, until.get(plan.id)), kb.facts_of(plan.id, "deadline"))]
    rows = session.scalars(select(Deadline).where(Deadline.active, Deadline.due_at > after))
    found += [_from_row(row, tz) for row in rows]
    return sorted((d for d in found if d.at > after), key=lambda d: (d.at, d.key))


def running_plans(kb: KnowledgeBase, until: dict[str, dt.date], today: dt.date) -> list[str]:
    """The plans still running today (as extended): none means no reminder will ever go out."""
    return [p.id for p in kb.plans.values() if max(p.valid_until, until.get(p.id, p.valid_until)) >= today]


def add_deadline(title: str, at: dt.datetime, *, plan_id: str | None, unit_id: int | None, by: int,
                 session: Session) -> Deadline:
    row = Deadline(title=title[:300], due_at=at, plan_id=plan_id, unit_id=unit_id, created_by=by)
    session.add(row)
    session.flush()
    return row


def admin_deadlines(after: dt.datetime, *, session: Session) -> list[Deadline]:
    query = select(Deadline).where(Deadline.active, Deadline.due_at > after).order_by(Deadline.due_at, Deadline.id)
    return list(session.scalars(query))


def remove_deadline(row_id: int, now: dt.datetime, *, session: Session) -> Deadline | None:
    """The admin's deadline, removed with its reminders still to send; None when there is no such live one."""
    row = session.get(Deadline, row_id)
    if row is None or not row.active:
        return None
    row.active = False
    outbox.skip_pending(f"admin:{row.id}", "the deadline was removed", now, session=session)
    return row
