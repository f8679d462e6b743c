"""What a question needs of its chat and asker (the plan, the last topic, a report in progress), and a one-line
report of its officer, each read in one statement; written back only what changed. Questions and reports are
most of the traffic: the ORM's identity map and unit of work cost more CPU than their own bookkeeping
(bench/webhook.py, bench/submissions.py), so these paths are Core."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, literal, select, update
from sqlalchemy.orm import Session

from bot.core.models import Chat, Person, ReportDraft, Unit, utcnow
from bot.core.who import Who
from bot.people.units import SEEN_GRAIN, remember

_chats, _people, _drafts = Chat.__table__, Person.__table__, ReportDraft.__table__
_chat_unit, _person_unit = Unit.__table__.alias("chat_unit"), Unit.__table__.alias("person_unit")


@dataclass(frozen=True)
class Glance:
    """`current`: both rows exist as Telegram names them, the person seen within SEEN_GRAIN: nothing to write
    but what the answer changes. `plan` is the group's unit's first, then the asker's own (units.unit_of)."""

    who: Who
    plan: str | None = None
    topic: dict[str, Any] | None = None
    topic_at: dt.datetime | None = None
    draft_step: str | None = None  # the asker's report in a private chat (bot/reporting/drafts.py)
    current: bool = False

    def topic_within(self, now: dt.datetime, lasts: dt.timedelta) -> dict[str, Any] | None:
        fresh = self.topic_at is not None and now - self.topic_at < lasts
        return self.topic if fresh else None


def glance(who: Who, *, session: Session) -> Glance:
    row = session.execute(READ, {"chat": who.chat_id, "user": who.user_id}).one()
    chat_current = row.kind == who.chat_kind and row.title == who.chat_title[:200]
    person_current = who.user_id is None or (
        row.name == who.user_name[:200] and row.last_seen_at is not None
        and utcnow() - row.last_seen_at <= SEEN_GRAIN)
    group_plan = row.chat_plan if who.in_group else None
    return Glance(who, group_plan or row.person_plan, row.topic, row.topic_at,
                  draft_step=None if who.in_group else row.step,
                  current=chat_current and person_current)


@dataclass(frozen=True)
class Officer:
    """An officer who needs nothing written (units.remember_person would change nothing), and their unit."""

    id: int
    name: str
    unit_id: int
    plan_id: str


def officer(who: Who, *, session: Session) -> Officer | None:
    """The asker as an officer with a unit, in a private chat; None when not so, or when their row needs
    writing (new name, last seen long ago): the ORM path then says why, or remembers them."""
    if who.in_group or who.user_id is None:
        return None
    row = session.execute(OFFICER, {"user": who.user_id}).one_or_none()
    if (row is None or row.role != "officer" or row.plan_id is None or row.name != who.user_name[:200]
            or row.last_seen_at is None or utcnow() - row.last_seen_at > SEEN_GRAIN):
        return None
    return Officer(who.user_id, row.name, row.unit_id, row.plan_id)


def note(seen: Glance, changes: dict[str, Any], *, session: Session) -> None:
    """The chat and person remembered if they were not current; `changes` (columns of chats) written."""
    if not seen.current:
        remember(seen.who, session=session)
        session.flush()  # the Core UPDATE below must find a chat made just now
    if changes:
        session.execute(WRITE, {"chat_id_": seen.who.chat_id, **changes})


def _read():
    one = select(literal(1).label("one")).subquery()
    return (select(_chats.c.kind, _chats.c.title, _chats.c.topic, _chats.c.topic_at,
                   _chat_unit.c.plan_id.label("chat_plan"), _people.c.name, _people.c.last_seen_at,
                   _person_unit.c.plan_id.label("person_plan"), _drafts.c.step)
            .select_from(one)
            .outerjoin(_chats, _chats.c.id == bindparam("chat"))
            .outerjoin(_chat_unit, _chat_unit.c.id == _chats.c.unit_id)
            .outerjoin(_people, _people.c.id == bindparam("user"))
            .outerjoin(_person_unit, _person_unit.c.id == _people.c.unit_id)
            .outerjoin(_drafts, _drafts.c.person_id == bindparam("user")))


# Built once: building a statement costs more CPU than running it from the compiled cache.
READ = _read()
OFFICER = (select(_people.c.name, _people.c.role, _people.c.last_seen_at, _people.c.unit_id, _person_unit.c.plan_id)
           .outerjoin(_person_unit, _person_unit.c.id == _people.c.unit_id).where(_people.c.id == bindparam("user")))
WRITE = update(_chats).where(_chats.c.id == bindparam("chat_id_"))  # SET: the columns an execution names
