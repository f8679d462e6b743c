"""Personal data on request and on expiry (Law 91/2025/QH15 on personal data protection).

What a person leaves here: their Telegram id and name, their private chat, their answers' sources,
their reminder subscription and the reminders sent to them, a report they left half-way, their requests to
join a unit, and their name on the figures they reported. Erasing removes all of it. The figures stay, without
a name: they are the unit's official report, not the person's data.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from bot.core.models import (
    Chat,
    Deadline,
    Delivery,
    Invite,
    JoinRequest,
    Person,
    ReportDraft,
    Snooze,
    Submission,
    Subscription,
    SummaryChat,
)

ERASED = "(đã xóa theo yêu cầu)"


def erase_person(user_id: int, *, session: Session) -> bool:
    """Everything the bot holds about the person; False when it holds nothing."""
    person = session.get(Person, user_id)
    chat = session.get(Chat, user_id)  # a private chat's id is the user's id
    if person is None and chat is None:
        return False
    session.execute(update(Submission).where(Submission.person_id == user_id)
                    .values(person_id=None, person_name=ERASED))
    session.execute(update(Invite).where(Invite.used_by == user_id).values(used_by=None))
    session.execute(update(Invite).where(Invite.created_by == user_id).values(created_by=0))
    session.execute(delete(JoinRequest).where(JoinRequest.person_id == user_id))  # the invite's uses stay counted
    session.execute(update(JoinRequest).where(JoinRequest.decided_by == user_id).values(decided_by=None))
    session.execute(update(Deadline).where(Deadline.created_by == user_id).values(created_by=0))
    session.execute(update(Subscription).where(Subscription.changed_by == user_id).values(changed_by=None))
    session.execute(delete(Subscription).where(Subscription.chat_id == user_id))
    session.execute(delete(Delivery).where(Delivery.chat_id == user_id))
    session.execute(delete(ReportDraft).where(ReportDraft.person_id == user_id))
    session.execute(delete(Snooze).where(Snooze.person_id == user_id))
    session.execute(update(SummaryChat).where(SummaryChat.changed_by == user_id).values(changed_by=None))
    for row in (chat, person):
        if row is not None:
            session.delete(row)
    return True


def expired_people(retention: dt.timedelta, now: dt.datetime, *, session: Session) -> list[int]:
    """People not seen for longer than the retention (or never seen since the count began)."""
    cutoff = now - retention
    seen_before = or_(Person.last_seen_at < cutoff, Person.last_seen_at.is_(None) & (Person.created_at < cutoff))
    return list(session.scalars(select(Person.id).where(seen_before)))


def erase_expired(retention: dt.timedelta, now: dt.datetime, *, session: Session) -> int:
    erased = expired_people(retention, now, session=session)
    for user_id in erased:
        erase_person(user_id, session=session)
    return len(erased)



ASK = ("Bạn muốn xóa toàn bộ dữ liệu cá nhân mình đang lưu về bạn (tên, đơn vị đã chọn, vai trò cán bộ báo cáo, "
       "lịch sử hỏi đáp)? Số liệu đơn vị đã báo cáo vẫn giữ nhưng không còn tên bạn. Việc này không hoàn tác được.")
DONE = "🗑 Đã xóa dữ liệu cá nhân của bạn. Nếu nhắn tiếp, bạn sẽ bắt đầu lại như người mới (gõ /start)."
NOTHING = "Mình không lưu dữ liệu nào về bạn."
KEPT = "Đã giữ nguyên dữ liệu của bạn."
