"""Admin scopes: BOT_ADMIN_IDS are the super-admins (every unit); a super-admin appoints admins for a unit
and its sub-units, kept in the database and read on every update, so a change needs no restart.

`scope()` is the one answer every front end asks: which unit ids may this person administer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.core.errors import UserMessageError
from bot.core.models import Appointment, Person, Unit
from knowledge.text import fold

NOBODY: frozenset[int] = frozenset()
OUT_OF_SCOPE = ("Đơn vị {unit} không thuộc phạm vi bạn quản trị. Bạn chỉ làm được việc này cho đơn vị của mình; "
                "cần thêm, hãy nhờ quản trị viên cấp trên (/quantri).")


class NotYours(UserMessageError):
    """A unit outside the asker's scope; the message says so and whom to ask."""


def scope(user_id: int | None, super_admins: Collection[int], *, session: Session) -> frozenset[int] | None:
    """The unit ids `user_id` may administer: None means every unit (a super-admin), empty means none.
    One indexed query for a person who is no admin; the unit tree is read only for one who is."""
    if user_id is None:
        return NOBODY
    if user_id in super_admins:
        return None
    roots = set(session.scalars(select(Appointment.unit_id).where(Appointment.person_id == user_id)))
    return frozenset(with_sub_units(roots, session=session)) if roots else NOBODY


def with_sub_units(roots: set[int], *, session: Session) -> set[int]:
    """The units and every unit below them (a district's communes), walking the parent links."""
    children: dict[int, list[int]] = {}
    for unit_id, parent_id in session.execute(select(Unit.id, Unit.parent_id).where(Unit.parent_id.is_not(None))):
        children.setdefault(parent_id, []).append(unit_id)
    found, todo = set(), list(roots)
    while todo:
        unit_id = todo.pop()
        if unit_id not in found:
            found.add(unit_id)
            todo.extend(children.get(unit_id, ()))
    return found


def allows(units: frozenset[int] | None, unit: Unit) -> bool:
    return units is None or unit.id in units


def check(units: frozenset[int] | None, unit: Unit) -> Unit:
    """The unit, when within the scope; NotYours (the reply) otherwise."""
    if not allows(units, unit):
        raise NotYours(OUT_OF_SCOPE.format(unit=unit.name))
    return unit


def appoint(person_id: int, unit: Unit, by: int, now: dt.datetime, *, session: Session) -> bool:
    """True when appointed now, False when they already were for this unit."""
    found = session.scalar(select(Appointment).where(Appointment.person_id == person_id,
                                                     Appointment.unit_id == unit.id))
    if found is not None:
        return False
    session.add(Appointment(person_id=person_id, unit=unit, appointed_by=by, appointed_at=now))
    session.flush()
    return True


def dismiss(person_id: int, unit: Unit | None, *, session: Session) -> int:
    """Removes the person's appointments (for one unit, or all): how many."""
    query = delete(Appointment).where(Appointment.person_id == person_id)
    if unit is not None:
        query = query.where(Appointment.unit_id == unit.id)
    return session.execute(query).rowcount


def appointments(*, session: Session) -> list[Appointment]:
    return list(session.scalars(select(Appointment).order_by(Appointment.unit_id, Appointment.person_id)))


def admins_of(unit: Unit, super_admins: Collection[int], *, session: Session) -> list[int]:
    """Who administers this unit: its appointed admins and those of the units above it, then the super-admins."""
    above, current = [], unit
    while current is not None and current.id not in above:
        above.append(current.id)
        current = current.parent
    appointed = session.scalars(select(Appointment.person_id).where(Appointment.unit_id.in_(above)).distinct())
    return sorted(set(appointed)) + sorted(set(super_admins) - set(appointed))


def person_named(text: str, *, session: Session) -> int | None:
    """A Telegram id typed as digits, or a person the bot has met, by their exact name (accents optional)."""
    text = text.strip().removeprefix("@")
    if text.isdecimal() and len(text) < 16:
        return int(text)
    wanted = fold(text)
    found = [p.id for p in session.scalars(select(Person).where(Person.name != "")) if fold(p.name) == wanted]
    return found[0] if len(found) == 1 else None
