"""Reminders that came due become outbox rows, once: everything due between the planning mark and now,
so a restart (or a night of downtime) plans what it missed. A reminder whose deadline has passed by
then is recorded as missed; the unique key makes planning twice (or by two workers) harmless."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from bot.core.db import upsert_insert
from bot.core.models import Delivery, ReminderMark
from bot.core.schedule import Offset, Rules
from bot.reminders import summaries
from bot.reminders.catalog import Due, all_due
from bot.reminders.rules import remind_at
from bot.reminders.subscriptions import owing_officers, subscribers, units_in_scope
from knowledge.index import KnowledgeBase

MARK = "planned"
LOOKAHEAD = dt.timedelta(days=40)  # a reminder moves at most a few days earlier (Tết): plenty


def instants(due: Due, rules: Rules) -> dict[dt.datetime, Offset]:
    """When reminders for `due` go out; offsets that land on the same minute go once, as the nearer one."""
    found: dict[dt.datetime, Offset] = {}
    for offset in sorted(rules.offsets, key=lambda o: o.delta):
        found.setdefault(remind_at(due.at, offset, rules), offset)
    return found


def recipients(due: Due, *, session: Session) -> dict[int, tuple[str, int]]:
    """chat id → (kind, unit id): subscribed chats, and officers owing figures (a nudge replaces the plain
    reminder when both would reach the same private chat)."""
    scope = units_in_scope(due, session=session)
    found = {chat: ("chat", unit) for chat, unit in subscribers(scope, session=session).items()}
    if due.period:
        found |= {chat: ("nudge", unit) for chat, unit in owing_officers(scope, due.period, session=session).items()}
    return found


def plan(kb: KnowledgeBase, rules: Rules, now: dt.datetime, *, session: Session) -> int:
    """Outbox rows for every reminder due in (mark, now]; returns how many rows were new."""
    mark = session.get(ReminderMark, MARK)
    if mark is None:  # a fresh install starts from now: nothing of the past is owed
        session.add(ReminderMark(name=MARK, at=now))
        return 0
    start, rows, closed = mark.at, [], []
    for due in all_due(kb, rules.timezone, start, session=session):
        if due.at > now + LOOKAHEAD:
            break
        if due.period and due.at <= now:
            closed.append(due)
        for at, offset in instants(due, rules).items():
            if start < at <= now:
                rows += _rows(due, offset, at, now, session=session)
    rows += summaries.rows(start, now, closed, rules.timezone, now, session=session)
    mark.at = max(mark.at, now)
    return insert_new(rows, session=session)


def _rows(due: Due, offset: Offset, at: dt.datetime, now: dt.datetime, *, session: Session) -> list[dict[str, Any]]:
    missed = due.at <= now
    base = {"deadline_key": due.key, "offset_label": offset.label, "occurrence": due.at, "title": due.title[:300],
            "period": due.period, "due_at": at, "state": "missed" if missed else "pending",
            "reason": "due while the bot was down; the deadline has passed" if missed else "",
            "finished_at": now if missed else None, "attempts": 0, "created_at": now}
    return [base | {"chat_id": chat, "kind": kind, "unit_id": unit}
            for chat, (kind, unit) in recipients(due, session=session).items()]


def insert_new(rows: list[dict[str, Any]], *, session: Session) -> int:
    if not rows:
        return 0
    table = Delivery.__table__
    statement = upsert_insert(session, table).on_conflict_do_nothing().returning(table.c.id)
    return len(session.connection().execute(statement, rows).all())


def set_mark(at: dt.datetime, *, session: Session) -> None:
    """Plan from `at` on (tests and benchmarks start the clock where they need it)."""
    mark = session.get(ReminderMark, MARK) or ReminderMark(name=MARK, at=at)
    mark.at = at
    session.add(mark)
