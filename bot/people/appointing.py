"""/quantri: a super-admin appoints and dismisses the admins of a unit and its sub-units, and lists them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from bot.core.models import Person, Unit
from bot.core.replies import Reply
from bot.people import admins
from bot.people.units import find_unit

USAGE = ("Cách dùng:\n/quantri — danh sách quản trị viên đơn vị\n/quantri them <số Telegram hoặc tên> <đơn vị> — "
         "giao quản trị đơn vị và các đơn vị trực thuộc\n/quantri xoa <số Telegram hoặc tên> [đơn vị] — thôi giao")
SUPER_ONLY = ("Chỉ quản trị viên chính của bot (BOT_ADMIN_IDS) mới giao hoặc thôi giao quyền quản trị. "
              "Bạn nhờ họ nhé.")
WHO_WHERE = ("Mình chưa nhận ra người hoặc đơn vị trong “{text}”. Người: số Telegram (ví dụ 123456789) hoặc tên "
             "đầy đủ của người đã nhắn với mình; đơn vị: mã hoặc tên (xem /donvi).\n\n" + USAGE)


def command(args: list[str], by: int, now: dt.datetime, *, session: Session) -> Reply:
    """/quantri [them|xoa …]: the caller has checked that `by` is a super-admin."""
    action = args[0].lower() if args else ""
    if action in ("them", "thêm"):
        return _appoint(args[1:], by, now, session=session)
    if action in ("xoa", "xóa"):
        return _dismiss(args[1:], session=session)
    if action:
        return Reply(USAGE)
    return listing(session=session)


def split(words: list[str], *, session: Session, unit_needed: bool = True) -> tuple[int, Unit | None] | None:
    """The person (the first words) and the unit (the rest) of '<người> <đơn vị>', trying each split."""
    for cut in range(1, len(words) + (0 if unit_needed else 1)):
        person = admins.person_named(" ".join(words[:cut]), session=session)
        rest = " ".join(words[cut:])
        unit = find_unit(rest, session=session) if rest else None
        if person is not None and (unit is not None or (not rest and not unit_needed)):
            return person, unit
    return None


def _appoint(words: list[str], by: int, now: dt.datetime, *, session: Session) -> Reply:
    found = split(words, session=session)
    if found is None:
        return Reply(WHO_WHERE.format(text=" ".join(words)[:80]) if words else USAGE)
    person_id, unit = found
    name = _name(person_id, session=session)
    if not admins.appoint(person_id, unit, by, now, session=session):
        return Reply(f"{name} đã là quản trị viên của {unit.name} rồi. Xem danh sách: /quantri")
    return Reply(f"✅ {name} nay quản trị {unit.name} và các đơn vị trực thuộc (có hiệu lực ngay).\n"
                 f"Thôi giao: /quantri xoa {person_id} {unit.code}")


def _dismiss(words: list[str], *, session: Session) -> Reply:
    found = split(words, session=session, unit_needed=False)
    if found is None:
        return Reply(WHO_WHERE.format(text=" ".join(words)[:80]) if words else USAGE)
    person_id, unit = found
    count = admins.dismiss(person_id, unit, session=session)
    name, where = _name(person_id, session=session), unit.name if unit else "mọi đơn vị"
    if not count:
        return Reply(f"{name} không quản trị {where}. Xem danh sách: /quantri")
    return Reply(f"🗑 {name} thôi quản trị {where} (có hiệu lực ngay).")


def listing(*, session: Session) -> Reply:
    rows = admins.appointments(session=session)
    if not rows:
        return Reply("Chưa giao quản trị đơn vị cho ai. " + USAGE)
    lines = [f"• {_name(r.person_id, session=session)}: {r.unit.name} ({r.unit.code})" for r in rows]
    return Reply("👥 Quản trị viên đơn vị (kèm các đơn vị trực thuộc):\n" + "\n".join(lines) + "\n\n" + USAGE)


def _name(person_id: int, *, session: Session) -> str:
    person = session.get(Person, person_id)
    return f"{person.name} ({person_id})" if person is not None and person.name else str(person_id)
