"""Who asks, from which chat, and which unit (hence plan) they belong to."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.errors import UserMessageError
from bot.core.models import Chat, Person, Unit, utcnow
from bot.core.who import Who
from knowledge.documents import Plan
from knowledge.text import fold

SEEN_GRAIN = dt.timedelta(days=1)  # last seen to the day: no write on every message
UNIT_CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")
UNIT_MATCH = 80   # token_set_ratio a typed unit name must reach
UNIT_MARGIN = 5   # ... and by which it must beat the next unit, else it is ambiguous


def sync_plan_units(plans: Iterable[Plan], *, session: Session) -> None:
    """Each plan's issuing unit exists as a unit, named after the plan's issuer."""
    known = {u.code: u for u in session.scalars(select(Unit).where(Unit.code.in_([p.id for p in plans])))}
    for plan in plans:
        unit = known.get(plan.id) or Unit(code=plan.id)
        unit.name, unit.plan_id, unit.level = plan.issuer, plan.id, plan.level
        session.add(unit)


def list_units(*, session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.plan_id, Unit.parent_id.is_not(None), Unit.name)))


def unit_by_code(code: str, *, session: Session) -> Unit | None:
    return session.scalar(select(Unit).where(Unit.code == code.strip().lower()))


def remember(who: Who, *, session: Session) -> tuple[Chat, Person | None]:
    """The chat and the person, created on first contact, names kept current."""
    chat = session.get(Chat, who.chat_id) or Chat(id=who.chat_id, kind=who.chat_kind)
    chat.kind, chat.title = who.chat_kind, who.chat_title[:200]
    session.add(chat)
    return chat, remember_person(who, session=session)


def remember_person(who: Who, *, session: Session) -> Person | None:
    """The person alone (a report needs no more), created on first contact, name kept current."""
    if who.user_id is None:
        return None
    person = session.get(Person, who.user_id) or Person(id=who.user_id)
    person.name = who.user_name[:200]
    now = utcnow()
    if person.last_seen_at is None or now - person.last_seen_at > SEEN_GRAIN:
        person.last_seen_at = now
    session.add(person)
    return person


def choose_unit(who: Who, unit: Unit, *, session: Session) -> None:
    """In a group the choice is the group's; in a private chat it is the person's."""
    chat, person = remember(who, session=session)
    if who.in_group or person is None:
        chat.unit = unit
    else:
        person.unit = unit


def unit_of(who: Who, *, session: Session) -> Unit | None:
    """The group's unit first, then the asker's own."""
    chat = session.get(Chat, who.chat_id)
    if who.in_group and chat is not None and chat.unit is not None:
        return chat.unit
    person = session.get(Person, who.user_id) if who.user_id is not None else None
    return person.unit if person is not None else None


def plan_of(who: Who, *, session: Session) -> str | None:
    unit = unit_of(who, session=session)
    return unit.plan_id if unit is not None else None


def find_unit(text: str, *, session: Session) -> Unit | None:
    """A unit by its code, or by its name typed closely enough ('xa cat ne', 'sở xây dựng kiên giang')."""
    exact = unit_by_code(text, session=session)
    if exact is not None or not text.strip():
        return exact
    units = list_units(session=session)
    names = {u.id: fold(u.name) for u in units}
    best = process.extract(fold(text), names, scorer=fuzz.token_set_ratio, limit=2)
    if not best or best[0][1] < UNIT_MATCH or (len(best) > 1 and best[0][1] - best[1][1] < UNIT_MARGIN):
        return None
    return session.get(Unit, best[0][2])


class UnitRejected(UserMessageError):
    """A unit that cannot be added; the message says why."""


def add_unit(code: str, name: str, *, plan_id: str, level: str, parent_code: str | None, plans: set[str],
             session: Session) -> Unit:
    code = code.strip().lower()
    if not UNIT_CODE.fullmatch(code):
        raise UnitRejected(f"code '{code}': use lower-case letters, digits and '-', e.g. xa-phu-nghia")
    if plan_id not in plans:
        raise UnitRejected(f"unknown plan '{plan_id}' (known: {', '.join(sorted(plans))})")
    if unit_by_code(code, session=session) is not None:
        raise UnitRejected(f"a unit with code '{code}' exists already")
    parent = unit_by_code(parent_code, session=session) if parent_code else None
    if parent_code and parent is None:
        raise UnitRejected(f"unknown parent unit '{parent_code}' (see `campaign-bot units list`)")
    unit = Unit(code=code, name=" ".join(name.split())[:200], plan_id=plan_id, level=level, parent=parent)
    session.add(unit)
    return unit
