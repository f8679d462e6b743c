"""Unit-wide invites (/moi <đơn vị> --nhieu 20): one link for up to 20 people. Each person who opens it asks to
join; the admin who made the link gets their name and the unit with "Duyệt" / "Từ chối" (any admin of the unit
may decide), and the person is told the decision. With --tu-dong they join at once, and the admin is told who.

Requests are rows (`join_requests`) and the messages to the admin and the person go through the reminders'
outbox (`deliveries`, sent by bot/reminders/sender.py), so a restart or another replica loses nothing. The places
taken are a counter on the invite: a refusal gives its place back, erasing a person (/xoadulieu) does not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.errors import UserMessageError
from bot.core.models import Delivery, Invite, JoinRequest, Person, Unit
from bot.core.replies import Button, Reply, notice
from bot.core.who import Who
from bot.people import admins, invites
from bot.people.units import remember

PREFIX = "vao:"
APPROVE, REFUSE, REMOVE = "vao:ok:", "vao:no:", "vao:go:"
KIND = "join"  # the outbox rows asking an admin: written with their buttons when sent
SEND_WITHIN = dt.timedelta(days=7)  # an outbox message not sent by then is dropped (the outbox's "missed")
DECIDED = {"approved": "duyệt", "refused": "từ chối", "removed": "gỡ khỏi đơn vị", "joined": "tự duyệt"}
FULL = "Liên kết mời này đã đủ {places} người. Bạn nhờ quản trị viên của đơn vị gửi liên kết mới nhé."
WAITING = "🙋 Mình đã gửi yêu cầu của bạn tới quản trị viên của {unit}. Được duyệt là mình nhắn bạn ngay."
STILL_WAITING = "Yêu cầu vào {unit} của bạn đang chờ quản trị viên duyệt. Có kết quả mình nhắn bạn ngay."
REFUSED = ("Rất tiếc, yêu cầu làm cán bộ báo cáo của {unit} chưa được duyệt. Nếu có nhầm lẫn, bạn liên hệ quản trị "
           "viên của đơn vị để được mời lại. Bạn vẫn hỏi mình về kế hoạch thi đua như thường (/trogiup).")
USED = "Bạn đã dùng liên kết này rồi. Muốn làm cán bộ báo cáo lại, bạn nhờ quản trị viên gửi liên kết mới nhé."
JOINED = ("🙋 {name} (Telegram {id}) đã vào làm cán bộ báo cáo của {unit} qua liên kết mời tự duyệt "
          "({uses}/{places} chỗ). Không phải người của đơn vị thì bạn bấm Gỡ.")
REMOVED = ("Quản trị viên của {unit} đã gỡ bạn khỏi danh sách cán bộ báo cáo của đơn vị. Nếu có nhầm lẫn, bạn "
           "liên hệ quản trị viên để được mời lại. Bạn vẫn hỏi mình về kế hoạch thi đua như thường (/trogiup).")
GONE = "Yêu cầu này không còn (người gửi đã xóa dữ liệu của họ). Không cần làm gì thêm."


def open_link(token: str, who: Who, now: dt.datetime, super_admins: Collection[int], *, session: Session) -> str:
    """/start moi-<token>: what the person who opened an invite link is told (InviteRejected: why not)."""
    invite = invites.locked(token, session=session)
    if invite.places is None:
        return invites.joined(invites.redeem(invite, who, now, session=session))
    _, person = remember(who, session=session)
    if person is None:
        raise UserMessageError(invites.BAD_LINK)
    if person.role == "officer" and person.unit_id == invite.unit_id:
        return invites.joined(invite.unit)  # already: no place taken, no one asked
    mine = session.scalar(select(JoinRequest).where(JoinRequest.invite_id == invite.id,
                                                    JoinRequest.person_id == person.id))
    if mine is not None:
        return _status(mine)
    if now >= invite.expires_at:
        raise invites.InviteRejected(invites.EXPIRED)
    if invite.uses >= invite.places:
        raise invites.InviteRejected(FULL.format(places=invite.places))
    return _ask(invite, person, now, super_admins, session=session)


def _status(request: JoinRequest) -> str:
    """The person's earlier request on this link (an approved one whose person has since stopped reporting)."""
    unit = request.invite.unit
    if request.state == "pending":
        return STILL_WAITING.format(unit=unit.name)
    if request.state in ("refused", "removed"):
        return REFUSED.format(unit=unit.name)
    raise invites.InviteRejected(USED)


def _ask(invite: Invite, person: Person, now: dt.datetime, super_admins: Collection[int], *,
         session: Session) -> str:
    """A new request: joined at once, or the admins asked."""
    invite.uses += 1
    request = JoinRequest(invite=invite, person_id=person.id, name=person.name, created_at=now,
                          state="pending" if invite.approval else "joined")
    session.add(request)
    session.flush()
    if not invite.approval:
        invites.make_officer(person, invite.unit)
        for admin in _deciders(invite, super_admins, session=session):
            _tell(admin, request, "vao", KIND, f"Cán bộ mới của {invite.unit.name}", now, session=session)
        return invites.joined(invite.unit)
    for admin in _deciders(invite, super_admins, session=session):
        _tell(admin, request, "hoi", KIND, f"Duyệt cán bộ báo cáo của {invite.unit.name}", now, session=session)
    return WAITING.format(unit=invite.unit.name)


def _deciders(invite: Invite, super_admins: Collection[int], *, session: Session) -> list[int]:
    """The admin who made the link; once they no longer administer the unit (or were erased), its admins."""
    maker = invite.created_by
    if maker and admins.allows(admins.scope(maker, super_admins, session=session), invite.unit):
        return [maker]
    return admins.admins_of(invite.unit, super_admins, session=session)


def _tell(chat_id: int, request: JoinRequest, label: str, kind: str, text: str, now: dt.datetime, *,
          session: Session) -> None:
    session.add(Delivery(deadline_key=f"{PREFIX}{request.id}", offset_label=label, occurrence=now + SEND_WITHIN,
                         chat_id=chat_id, kind=kind, unit_id=request.invite.unit_id, title=text[:300], period=None,
                         due_at=now, created_at=now))


def question(row: Delivery, *, session: Session) -> tuple[str, list[list[Button]]] | None:
    """The message asking an admin (an outbox row of KIND), or None when the request was decided or erased;
    for one who joined at once, who it was, with a button to take them off."""
    ident = row.deadline_key.removeprefix(PREFIX)
    request = session.get(JoinRequest, int(ident)) if ident.isdecimal() else None
    if request is None or request.state not in ("pending", "joined"):
        return None
    invite = request.invite
    if request.state == "joined":
        return (JOINED.format(name=request.name or "Một người", id=request.person_id, unit=invite.unit.name,
                              uses=invite.uses, places=invite.places),
                [[Button("↩️ Gỡ khỏi đơn vị", f"{REMOVE}{request.id}")]])
    text = (f"🙋 {request.name or 'Một người'} (Telegram {request.person_id}) xin làm cán bộ báo cáo của "
            f"{invite.unit.name}, qua liên kết mời nhiều người ({invite.uses}/{invite.places} chỗ). Bạn duyệt không?")
    return text, [[Button("✅ Duyệt", f"{APPROVE}{request.id}"), Button("❌ Từ chối", f"{REFUSE}{request.id}")]]


def decide(data: str, units: frozenset[int] | None, admin_id: int, now: dt.datetime, *, session: Session) -> Reply:
    """An admin's "Duyệt" / "Từ chối" on a request, or "Gỡ" on one who joined at once (only an admin of the
    unit's scope); a second tap says it was done."""
    action = next((a for a in (APPROVE, REFUSE, REMOVE) if data.startswith(a)), REFUSE)
    ident = data.removeprefix(action)
    request = _locked(int(ident), session=session) if ident.isdecimal() and len(ident) < 10 else None
    if request is None:
        return Reply(GONE, edit=True)
    unit = admins.check(units, request.invite.unit)
    if request.state != ("joined" if action == REMOVE else "pending"):
        return notice(f"Yêu cầu của {request.name} đã được {DECIDED[request.state]} rồi, không cần bấm nữa.")
    person = session.get(Person, request.person_id)
    if person is None:
        return Reply(GONE, edit=True)
    request.decided_by, request.decided_at = admin_id, now
    if action == APPROVE:
        return _approve(request, person, unit, now, session=session)
    if action == REMOVE:
        return _remove(request, person, unit, now, session=session)
    return _refuse(request, unit, now, session=session)


def _locked(request_id: int, *, session: Session) -> JoinRequest | None:
    """Locked: two admins pressing at once decide once."""
    return session.scalar(select(JoinRequest).where(JoinRequest.id == request_id).with_for_update(of=JoinRequest))


def _approve(request: JoinRequest, person: Person, unit: Unit, now: dt.datetime, *, session: Session) -> Reply:
    request.state = "approved"
    invites.make_officer(person, unit)
    _tell(person.id, request, "duyet", "notice", f"✅ Quản trị viên đã duyệt yêu cầu của bạn.\n{invites.joined(unit)}",
          now, session=session)
    return Reply(f"✅ Đã duyệt: {request.name} là cán bộ báo cáo của {unit.name}. Mình đã báo cho họ.", edit=True)


def _refuse(request: JoinRequest, unit: Unit, now: dt.datetime, *, session: Session) -> Reply:
    request.state = "refused"
    _tell(request.person_id, request, "tu-choi", "notice", REFUSED.format(unit=unit.name), now, session=session)
    return Reply(f"Đã từ chối yêu cầu của {request.name} ({unit.name}); mình đã báo cho họ. "
                 f"Liên kết còn {_free_place(request.invite, session=session)} chỗ.", edit=True)


def _remove(request: JoinRequest, person: Person, unit: Unit, now: dt.datetime, *, session: Session) -> Reply:
    request.state = "removed"
    if person.role == "officer" and person.unit_id == unit.id:  # not if they joined the unit again another way
        person.role = "staff"
    _tell(person.id, request, "go", "notice", REMOVED.format(unit=unit.name), now, session=session)
    return Reply(f"Đã gỡ {request.name} khỏi cán bộ báo cáo của {unit.name}; mình đã báo cho họ. "
                 f"Liên kết còn {_free_place(request.invite, session=session)} chỗ.", edit=True)


def _free_place(invite: Invite, *, session: Session) -> int:
    """A refused or removed person does not keep a place (counted in SQL: others may be joining); places left."""
    session.execute(update(Invite).where(Invite.id == invite.id).values(uses=Invite.uses - 1))
    session.refresh(invite, ["uses"])
    return invite.places - invite.uses
