"""Who gets reminders: chats that turned them on (/nhacnho bat), for their unit (the person's unit in a
private chat, the group's in a group), and officers of units that still owe figures (nudges)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.models import Chat, Delivery, Person, Subscription, Unit
from bot.reminders.catalog import Due
from bot.reporting import periods, submissions


def set_subscription(chat_id: int, kind: str, on: bool, *, by: int | None, session: Session) -> Subscription:
    row = session.get(Subscription, chat_id) or Subscription(chat_id=chat_id, kind=kind)
    row.kind, row.active, row.changed_by, row.reason = kind, on, by, "" if on else "turned off"
    session.add(row)
    return row


def is_subscribed(chat_id: int, *, session: Session) -> bool:
    row = session.get(Subscription, chat_id)
    return row is not None and row.active


def deactivate(chat_id: int, reason: str, *, session: Session) -> None:
    """403: the chat blocked or removed the bot; its pending reminders are dropped too."""
    row = session.get(Subscription, chat_id)
    if row is not None:
        row.active, row.reason = False, reason[:200]
    session.execute(update(Delivery).where(Delivery.chat_id == chat_id, Delivery.state == "pending")
                    .values(state="failed", reason=f"chat unreachable: {reason}"[:300]))


def migrate(old_id: int, new_id: int, *, session: Session) -> None:
    """A group became a supergroup: its subscription, pending reminders and unit follow the new id."""
    row = session.get(Subscription, old_id)
    if row is not None and session.get(Subscription, new_id) is None:
        session.add(Subscription(chat_id=new_id, kind="supergroup", active=row.active, changed_by=row.changed_by))
        row.active, row.reason = False, f"migrated to {new_id}"
    chat = session.get(Chat, old_id)
    if chat is not None and session.get(Chat, new_id) is None:
        session.add(Chat(id=new_id, kind="supergroup", title=chat.title, unit_id=chat.unit_id))
    session.execute(update(Delivery).where(Delivery.chat_id == old_id, Delivery.state == "pending")
                    .values(chat_id=new_id, migrated_from=old_id))


def units_in_scope(due: Due, *, session: Session) -> list[Unit] | None:
    """The units a deadline concerns; None: every unit."""
    if due.unit_id is not None:
        return [unit] if (unit := session.get(Unit, due.unit_id)) else []
    if due.plan_id is not None:
        return list(session.scalars(select(Unit).where(Unit.plan_id == due.plan_id)))
    return None


def subscribers(scope: list[Unit] | None, *, session: Session) -> dict[int, int]:
    """chat id → unit id of each active subscription whose unit is in scope."""
    private = (select(Subscription.chat_id, Person.unit_id).join(Person, Person.id == Subscription.chat_id)
               .where(Subscription.active, Subscription.kind == "private"))
    groups = (select(Subscription.chat_id, Chat.unit_id).join(Chat, Chat.id == Subscription.chat_id)
              .where(Subscription.active, Subscription.kind != "private"))
    wanted = None if scope is None else {u.id for u in scope}
    return {chat: unit for query in (private, groups) for chat, unit in session.execute(query)
            if unit is not None and (wanted is None or unit in wanted)}


def owing_officers(scope: list[Unit] | None, period: str, *, session: Session) -> dict[int, int]:
    """person id (their private chat) → unit id of each officer whose unit has not reported every figure."""
    span = periods.parse_period(period)
    if span is None:
        return {}
    ids = frozenset(u.id for u in scope) if scope is not None else None
    owing = [unit.id for unit, indicators, latest in submissions.standing(span, session=session, units=ids)
             if len(latest) < len(indicators)]  # four statements for a province's 1,000 units, not two each
    return {p.id: p.unit_id for p in submissions.officers_of(owing, session=session)} if owing else {}
