"""The outbox's states: pending → sending (claimed by one sender) → sent | failed | unknown | missed |
skipped. A claim is a conditional update, so two senders never send the same row."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.core.models import Delivery
from bot.reminders.outcomes import Decision

FINAL = ("sent", "failed", "unknown", "missed", "skipped")


def due_ids(now: dt.datetime, limit: int, *, exclude: set[int] = frozenset(),
            session: Session) -> list[tuple[int, int]]:
    """(row id, chat id) of pending rows due now, oldest first."""
    query = (select(Delivery.id, Delivery.chat_id)
             .where(Delivery.state == "pending", Delivery.due_at <= now)
             .order_by(Delivery.due_at, Delivery.id).limit(limit + len(exclude)))
    return [(i, c) for i, c in session.execute(query) if i not in exclude][:limit]


def claim(row_id: int, token: str, *, session: Session) -> Delivery | None:
    result = session.execute(update(Delivery).where(Delivery.id == row_id, Delivery.state == "pending")
                             .values(state="sending", claimed_by=token, attempts=Delivery.attempts + 1))
    return session.get(Delivery, row_id, populate_existing=True) if result.rowcount == 1 else None


def finish(row: Delivery, state: str, now: dt.datetime, *, reason: str = "", message_id: int | None = None) -> None:
    row.state, row.reason, row.message_id, row.finished_at = state, reason[:300], message_id, now


def apply(row: Delivery, decision: Decision, now: dt.datetime) -> None:
    """A failed try: final, or back to pending (the sender keeps the pause before the next try)."""
    if decision.state != "pending":
        finish(row, decision.state, now, reason=decision.reason)
        return
    row.state, row.reason, row.claimed_by = "pending", decision.reason[:300], None
    if not decision.counts_attempt:
        row.attempts -= 1


def recover(token: str, now: dt.datetime, *, session: Session) -> int:
    """Rows a stopped sender left mid-send: Telegram may have them, so they are unknown, not resent;
    pending rows whose deadline passed are missed. Run by a sender that just became the only one."""
    stuck = session.execute(update(Delivery).where(Delivery.state == "sending", Delivery.claimed_by != token)
                            .values(state="unknown", reason="the sender stopped while sending", finished_at=now))
    session.execute(update(Delivery).where(Delivery.state == "pending", Delivery.occurrence <= now)
                    .values(state="missed", reason="the deadline passed before it could be sent", finished_at=now))
    return stuck.rowcount


def skip_pending(deadline_key: str, reason: str, now: dt.datetime, *, session: Session) -> None:
    session.execute(update(Delivery).where(Delivery.deadline_key == deadline_key, Delivery.state == "pending")
                    .values(state="skipped", reason=reason, finished_at=now))


def counts(since: dt.datetime, *, session: Session,
           units: frozenset[int] | None = None) -> list[tuple[str, str, dt.datetime, dict[str, int]]]:
    """(title, offset, due at, {state: rows}) of reminders due since `since`, newest first; of `units` only
    when given (an admin's scope)."""
    query = (select(Delivery.title, Delivery.offset_label, Delivery.due_at, Delivery.state, func.count())
             .where(Delivery.due_at >= since)
             .group_by(Delivery.title, Delivery.offset_label, Delivery.due_at, Delivery.state))
    if units is not None:
        query = query.where(Delivery.unit_id.in_(units))
    grouped: dict[tuple[str, str, dt.datetime], dict[str, int]] = {}
    for title, offset, due_at, state, number in session.execute(query):
        grouped.setdefault((title, offset, due_at), {})[state] = number
    return sorted(((*key, states) for key, states in grouped.items()), key=lambda r: r[2], reverse=True)

