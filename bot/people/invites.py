"""Admins invite officers with /moi: a one-time deep link, valid 7 days, makes whoever opens it an officer of a
unit; `/moi <đơn vị> --nhieu 20 [--tu-dong]` makes one link for up to 20 people (bot/people/joining.py)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.errors import UserMessageError
from bot.core.models import Invite, Person, Unit
from bot.core.replies import Button, Reply, one_per_row
from bot.core.who import Who
from bot.people.units import list_units, remember
from knowledge.text import fold

VALID_FOR = dt.timedelta(days=7)
PAYLOAD_PREFIX = "moi-"  # /start payloads allow [A-Za-z0-9_-], at most 64 characters
INVITE_PREFIX = "moi:"
MANY, AUTO = "--nhieu", "--tu-dong"  # /moi's options, as typed (folded: "--nhiều" reads the same)
MAX_PLACES = 500
ADMINS_ONLY = "Chỉ quản trị viên của bot dùng được lệnh này. Bạn cần giúp? Hãy liên hệ quản trị viên của đơn vị."
UNKNOWN_UNIT = "Không tìm thấy đơn vị này. Gõ /moi để chọn từ danh sách."
USAGE = f"Gõ: /moi <đơn vị> [{MANY} <số người>] [{AUTO}], ví dụ /moi xa-cat-ne {MANY} 20."
BAD_LINK = "Liên kết mời không đúng. Bạn nhờ quản trị viên gửi lại liên kết mới nhé."
EXPIRED = "Liên kết mời đã hết hạn (7 ngày). Bạn nhờ quản trị viên gửi liên kết mới nhé."


class InviteRejected(UserMessageError):
    """An invite that cannot be used, or /moi asked wrongly; `message` tells the user why and what to do."""


@dataclass(frozen=True)
class Asked:
    """What /moi asks for: the unit as typed; for a unit-wide link its places, and whether the admin approves
    each person (without --tu-dong) or they join at once."""

    unit: str = ""
    places: int | None = None
    approval: bool = True


def parse(text: str) -> Asked:
    """'/moi xa cat ne --nhieu 20 --tu-dong' → Asked('xa cat ne', 20, approval=False); InviteRejected on bad options.
    A phone's '—' (two dashes it joined) reads as '--'."""
    words, unit, places, auto = text.split(), [], None, False
    while words:
        word = words.pop(0)
        option = "--" + fold(word).lstrip("-—–") if word[0] in "-—–" else ""
        if option == MANY:
            count = words.pop(0) if words else ""
            if not count.isdecimal() or not 1 <= int(count) <= MAX_PLACES:
                raise InviteRejected(f"Sau {MANY} ghi số người dùng được liên kết, từ 1 đến {MAX_PLACES}. {USAGE}")
            places = int(count)
        elif option == AUTO:
            auto = True
        elif option:
            raise InviteRejected(f"Mình không hiểu “{word[:30]}”. {USAGE}")
        else:
            unit.append(word)
    if auto and places is None:
        raise InviteRejected(f"{AUTO} đi cùng {MANY} <số người> (liên kết một lần vốn đã vào ngay). {USAGE}")
    return Asked(" ".join(unit), places, approval=not auto)


def create(unit: Unit, admin_id: int, now: dt.datetime, *, session: Session, asked: Asked = Asked()) -> Invite:
    invite = Invite(token=secrets.token_urlsafe(18), unit=unit, created_by=admin_id, created_at=now,
                    expires_at=now + VALID_FOR, places=asked.places, uses=0,
                    approval=asked.places is not None and asked.approval)
    session.add(invite)
    return invite


def link(invite: Invite, bot_username: str) -> str:
    return f"https://t.me/{bot_username}?start={PAYLOAD_PREFIX}{invite.token}"


def locked(token: str, *, session: Session) -> Invite:
    """The invite of a link, locked until the end of the transaction (its uses are counted under the lock)."""
    invite = session.scalar(select(Invite).where(Invite.token == token).with_for_update(of=Invite)
                            .execution_options(populate_existing=True))
    if invite is None:
        raise InviteRejected(BAD_LINK)
    return invite


def redeem(invite: Invite, who: Who, now: dt.datetime, *, session: Session) -> Unit:
    """A one-time invite: the person becomes an officer of its unit; the invite is spent."""
    _, person = remember(who, session=session)
    if invite.used_at is not None or invite.used_by is not None:  # spent, even once its user was erased
        if invite.used_by == who.user_id:
            return invite.unit
        raise InviteRejected("Liên kết mời này đã được dùng. Mỗi liên kết chỉ dùng một lần: "
                             "bạn nhờ quản trị viên gửi liên kết mới nhé.")
    if now >= invite.expires_at:
        raise InviteRejected(EXPIRED)
    invite.used_by, invite.used_at = person.id, now
    make_officer(person, invite.unit)
    return invite.unit


def make_officer(person: Person, unit: Unit) -> None:
    person.unit, person.role = unit, "officer"


def invite_reply(unit: Unit | None, asked: Asked, admin_id: int, bot_username: str, now: dt.datetime, *,
                 session: Session) -> Reply:
    """/moi <đơn vị>: the link to forward to the new officer, or (--nhieu) to everyone the unit invites."""
    if unit is None:
        return Reply(UNKNOWN_UNIT)
    url = link(create(unit, admin_id, now, session=session, asked=asked), bot_username)
    if asked.places is None:
        return Reply(f"🔗 Liên kết mời cán bộ báo cáo của {unit.name} (dùng một lần, hết hạn sau 7 ngày):\n"
                     f"{url}\nGửi liên kết này cho người được mời; họ bấm vào là tham gia.")
    how = ("Mỗi người bấm vào, mình nhắn bạn tên họ để bấm Duyệt hoặc Từ chối." if asked.approval
           else "Ai bấm vào là thành cán bộ báo cáo ngay, không cần duyệt.")
    return Reply(f"🔗 Liên kết mời cán bộ báo cáo của {unit.name}, cho tối đa {asked.places} người, hết hạn sau "
                 f"7 ngày:\n{url}\nGửi liên kết vào nhóm hoặc cho từng người. {how}")


def unit_choices(asked: Asked, *, session: Session, units: frozenset[int] | None = None) -> Reply:
    """The units (of an admin's scope, when given) to invite officers for, as buttons that keep the options."""
    options = "" if asked.places is None else f":{asked.places}:{'d' if asked.approval else 't'}"
    buttons = [Button(u.name, f"{INVITE_PREFIX}{u.id}{options}") for u in list_units(session=session)
               if units is None or u.id in units]
    return Reply("Mời cán bộ cho đơn vị nào? Chọn bên dưới (hoặc gõ /moi <tên hoặc mã đơn vị>):",
                 one_per_row(buttons))


def pressed(data: str, *, session: Session) -> tuple[Unit | None, Asked]:
    """A unit button of `unit_choices` ('moi:<id>[:<places>:d|t]'): the unit (None if gone) and the options."""
    ident, _, options = data.removeprefix(INVITE_PREFIX).partition(":")
    unit = session.get(Unit, int(ident)) if ident.isdecimal() and len(ident) < 10 else None
    places, _, how = options.partition(":")
    if not (places.isdecimal() and 1 <= int(places) <= MAX_PLACES):
        return unit, Asked()
    return unit, Asked(places=int(places), approval=how != "t")


def joined(unit: Unit) -> str:
    return (f"🎉 Bạn đã là cán bộ báo cáo của {unit.name}.\n"
            "Gõ /baocao để gửi số liệu, /tiendo để xem tiến độ của đơn vị.")
