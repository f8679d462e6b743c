"""Admins invite officers: a one-time deep link, valid 7 days, makes whoever opens it an officer of a unit."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.errors import UserMessageError
from bot.core.models import Invite, Unit
from bot.core.replies import Button, Reply, one_per_row
from bot.core.who import Who
from bot.people.units import list_units, remember

VALID_FOR = dt.timedelta(days=7)
PAYLOAD_PREFIX = "moi-"  # /start payloads allow [A-Za-z0-9_-], at most 64 characters
INVITE_PREFIX = "moi:"
ADMINS_ONLY = "Chỉ quản trị viên của bot dùng được lệnh này. Bạn cần giúp? Hãy liên hệ quản trị viên của đơn vị."
UNKNOWN_UNIT = "Không tìm thấy đơn vị này. Gõ /moi để chọn từ danh sách."


class InviteRejected(UserMessageError):
    """An invite that cannot be used; `message` tells the user why and what to do."""


def create(unit: Unit, admin_id: int, now: dt.datetime, *, session: Session) -> Invite:
    invite = Invite(token=secrets.token_urlsafe(18), unit=unit, created_by=admin_id, created_at=now,
                    expires_at=now + VALID_FOR)
    session.add(invite)
    return invite


def link(invite: Invite, bot_username: str) -> str:
    return f"https://t.me/{bot_username}?start={PAYLOAD_PREFIX}{invite.token}"


def redeem(token: str, who: Who, now: dt.datetime, *, session: Session) -> Unit:
    """The person becomes an officer of the invite's unit; the invite is spent."""
    invite = session.scalar(select(Invite).where(Invite.token == token).with_for_update(of=Invite))
    if invite is None:
        raise InviteRejected("Liên kết mời không đúng. Bạn nhờ quản trị viên gửi lại liên kết mới nhé.")
    _, person = remember(who, session=session)
    if invite.used_at is not None or invite.used_by is not None:  # spent, even once its user was erased
        if invite.used_by == who.user_id:
            return invite.unit
        raise InviteRejected("Liên kết mời này đã được dùng. Mỗi liên kết chỉ dùng một lần: "
                             "bạn nhờ quản trị viên gửi liên kết mới nhé.")
    if now >= invite.expires_at:
        raise InviteRejected("Liên kết mời đã hết hạn (7 ngày). Bạn nhờ quản trị viên gửi liên kết mới nhé.")
    invite.used_by, invite.used_at = person.id, now
    person.unit, person.role = invite.unit, "officer"
    return invite.unit


def invite_reply(unit: Unit | None, admin_id: int, bot_username: str, now: dt.datetime, *, session: Session) -> Reply:
    """/moi <đơn vị>: the link to forward to the new officer."""
    if unit is None:
        return Reply(UNKNOWN_UNIT)
    invite = create(unit, admin_id, now, session=session)
    return Reply(f"🔗 Liên kết mời cán bộ báo cáo của {unit.name} (dùng một lần, hết hạn sau 7 ngày):\n"
                 f"{link(invite, bot_username)}\nGửi liên kết này cho người được mời; họ bấm vào là tham gia.")


def unit_choices(*, session: Session, units: frozenset[int] | None = None) -> Reply:
    """The units (of an admin's scope, when given) to invite an officer for, as buttons."""
    buttons = [Button(u.name, f"{INVITE_PREFIX}{u.id}") for u in list_units(session=session)
               if units is None or u.id in units]
    return Reply("Mời cán bộ cho đơn vị nào? Chọn bên dưới (hoặc gõ /moi <tên hoặc mã đơn vị>):",
                 one_per_row(buttons))


def joined(unit: Unit) -> str:
    return (f"🎉 Bạn đã là cán bộ báo cáo của {unit.name}.\n"
            "Gõ /baocao để gửi số liệu, /tiendo để xem tiến độ của đơn vị.")
