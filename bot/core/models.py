"""The bot's tables (SQLAlchemy 2). Schema changes go through Alembic: `bot/migrations/versions/`."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from bot.core.errors import UserMessageError

NOTE_LIMIT = 500  # characters of an officer's note kept with a figure
NOTE_TOO_LONG = ("Ghi chú dài quá ({length} ký tự, tối đa {limit}). Bạn viết ngắn lại rồi gửi lại giá trị "
                 "kèm ghi chú nhé; chưa ghi gì.")


def note_that_fits(note: str | None) -> str | None:
    """The note unchanged; UserMessageError (the reply to send) when it is longer than is kept: never cut."""
    if note is not None and len(note) > NOTE_LIMIT:
        raise UserMessageError(NOTE_TOO_LONG.format(length=len(note), limit=NOTE_LIMIT))
    return note

NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"}


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


class Unit(Base):
    """An office that follows one plan: the plan's issuing unit, or one added by an admin."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    plan_id: Mapped[str] = mapped_column(String(64), index=True)
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    parent: Mapped[Unit | None] = relationship(remote_side=[id])


class Person(Base):
    """A Telegram user the bot has met; `unit` is the one they picked (or joined as officer)."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(20), default="staff")
    last_seen_at: Mapped[dt.datetime | None] = mapped_column()  # for the retention of personal data
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit | None] = relationship(lazy="joined")  # every question needs the unit: one query


class Chat(Base):
    """A private chat or a group; a group's unit is the plan its questions are answered from."""

    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    last_sources: Mapped[list[Any] | None] = mapped_column()
    last_more: Mapped[str] = mapped_column(Text, default="")  # the rest of the last answer ("Xem thêm")
    topic: Mapped[dict[str, Any] | None] = mapped_column()  # what the last answer was about: a follow-up's context
    topic_at: Mapped[dt.datetime | None] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit | None] = relationship(lazy="joined")  # every question needs the unit: one query


class Indicator(Base):
    """A figure units report on, derived from one target of their plan (see bot/reporting/indicators.py)."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_indicators_plan_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    target: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(10))
    comparator: Mapped[str] = mapped_column(String(2))
    section: Mapped[str] = mapped_column(String(32), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)  # false once the plan's text no longer has it
    full_name: Mapped[str] = mapped_column(String(500), default="")  # `name` uncut, for the office's files


class Period(Base):
    """A reporting period: a half-year ("2026-H2") that submissions belong to, or a year ("2026")."""

    __tablename__ = "periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)


class Submission(Base):
    """One reported figure. Rows are never updated: a correction is a new row that supersedes."""

    __tablename__ = "submissions"
    __table_args__ = (Index("ix_submissions_unit_period", "unit_id", "period_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    value: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[int | None] = mapped_column(BigInteger)
    denominator: Mapped[int | None] = mapped_column(BigInteger)
    yes: Mapped[bool | None] = mapped_column()
    shown: Mapped[str] = mapped_column(String(80))
    met: Mapped[bool | None] = mapped_column()
    note: Mapped[str] = mapped_column(String(NOTE_LIMIT), default="")

    @validates("note")
    def _note_fits(self, _key: str, note: str | None) -> str | None:
        return note_that_fits(note)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    person_name: Mapped[str] = mapped_column(String(200), default="")
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    update_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)  # a redelivered update stores once
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))

    indicator: Mapped[Indicator] = relationship(lazy="joined", innerjoin=True)
    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    period: Mapped[Period] = relationship(lazy="joined", innerjoin=True)


class PlanVersion(Base):
    """A plan as the bot answers from it: its text in the plan file format (knowledge/plans/README.md), one
    row per version. The packaged plans are the first versions; an office adds, supersedes and retires its
    own (`campaign-bot plans add|retire`). Every process answers from the live versions."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "version", name="uq_plan_versions_plan_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300), default="")  # the document it was read from
    state: Mapped[str] = mapped_column(String(12), default="live")  # live | superseded | retired
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReportDraft(Base):
    """A guided report in progress (/baocao, /sua): one per person, so any replica, or the bot after a
    restart, continues where the officer was. It ends 'done' with the stored submission, so a ✅ pressed
    again answers what was stored instead of inviting a second report."""

    __tablename__ = "report_drafts"

    person_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    step: Mapped[str] = mapped_column(String(12))  # picking | typing | confirming | done
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(16))
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id"))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    value: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[int | None] = mapped_column(BigInteger)
    denominator: Mapped[int | None] = mapped_column(BigInteger)
    yes: Mapped[bool | None] = mapped_column()
    shown: Mapped[str] = mapped_column(String(80), default="")
    note: Mapped[str] = mapped_column(String(NOTE_LIMIT), default="")

    @validates("note")
    def _note_fits(self, _key: str, note: str | None) -> str | None:
        return note_that_fits(note)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    expires_at: Mapped[dt.datetime] = mapped_column()


class Invite(Base):
    """A deep link that makes whoever opens it an officer of the unit: one-time (`places` None), or unit-wide
    for up to `places` people, each joining at once or once an admin approves (`approval`)."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(48), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column()
    used_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    used_at: Mapped[dt.datetime | None] = mapped_column()
    places: Mapped[int | None] = mapped_column()
    # places taken: a counter, not a count of join requests, so erasing a person's request does not free it
    uses: Mapped[int] = mapped_column(default=0)
    approval: Mapped[bool] = mapped_column(default=False)

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)


class JoinRequest(Base):
    """A person who opened a unit-wide invite: pending an admin's decision, then approved or refused; or joined
    at once (an invite without approval). Erased with the person; the invite's `uses` stays."""

    __tablename__ = "join_requests"
    __table_args__ = (UniqueConstraint("invite_id", "person_id", name="uq_join_requests_invite_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invite_id: Mapped[int] = mapped_column(ForeignKey("invites.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(BigInteger, index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(10), default="pending")  # pending | approved | refused | joined | removed
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[dt.datetime | None] = mapped_column()

    invite: Mapped[Invite] = relationship(lazy="joined", innerjoin=True)


class SeenUpdate(Base):
    """Telegram update ids already taken in: a redelivered update (webhook retry, restart) runs once. Until it
    has been handled its copy is kept, so one taken in by a process killed before handling it is handled by
    another (bot/core/seen.py)."""

    __tablename__ = "seen_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    payload: Mapped[str | None] = mapped_column(Text)  # the update's JSON as Telegram sent it; None once handled


class Deadline(Base):
    """A deadline an admin added (/hanchot them): for one unit, one plan's units, or everyone."""

    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    due_at: Mapped[dt.datetime] = mapped_column()
    plan_id: Mapped[str | None] = mapped_column(String(64))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(default=True)  # false once removed (/hanchot xoa)


class PlanExtension(Base):
    """A plan kept running past its own last day (`campaign-bot plans extend`): its dates keep recurring."""

    __tablename__ = "plan_extensions"

    plan_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    until: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Subscription(Base):
    """A chat that gets reminders for its unit (the person's unit in private, the group's in a group)."""

    __tablename__ = "subscriptions"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    reason: Mapped[str] = mapped_column(String(200), default="")  # why it was turned off
    changed_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Delivery(Base):
    """One reminder to one chat: the outbox row. Its key makes planning idempotent; it ends sent, failed,
    unknown (the request left and no answer came), missed (due while down, deadline past) or skipped."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("deadline_key", "offset_label", "occurrence", "chat_id",
                                       name="uq_deliveries_key"),
                      Index("ix_deliveries_state_due", "state", "due_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_key: Mapped[str] = mapped_column(String(160))
    offset_label: Mapped[str] = mapped_column(String(16))
    occurrence: Mapped[dt.datetime] = mapped_column()  # the deadline's instant
    chat_id: Mapped[int] = mapped_column(BigInteger)
    # chat (a subscription) | nudge (an officer, personally) | summary (a group's standing) | notice (a text)
    # | join (an admin asked to approve a join request, bot/people/joining.py)
    kind: Mapped[str] = mapped_column(String(10))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    title: Mapped[str] = mapped_column(String(300))
    period: Mapped[str | None] = mapped_column(String(16))  # the reporting period the deadline closes
    due_at: Mapped[dt.datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(300), default="")
    migrated_from: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column()


class ReminderMark(Base):
    """How far reminders have been planned: what came due after it (even while the bot was down) is next."""

    __tablename__ = "reminder_marks"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column()


class WebSignIn(Base):
    """A one-time sign-in link for the office's web page (/web): kept as the token's hash, spent once."""

    __tablename__ = "web_sign_ins"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column()
    used_at: Mapped[dt.datetime | None] = mapped_column()


class WebSession(Base):
    """A signed-in browser: the cookie holds the id, the database its hash; idle past the timeout, it ends."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(BigInteger)
    csrf: Mapped[str] = mapped_column(String(64))  # every state-changing form carries it back
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column()


class AuditEntry(Base):
    """Who did what on the web page, and when: every sign-in and every change."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class Appointment(Base):
    """An admin for a unit and its sub-units, appointed by a super-admin (BOT_ADMIN_IDS) with /quantri or
    `campaign-bot admins add`. Read on every update, so a change takes effect without a restart."""

    __tablename__ = "admin_appointments"
    __table_args__ = (UniqueConstraint("person_id", "unit_id", name="uq_admin_appointments_person_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(BigInteger, index=True)  # a Telegram user id, met or not yet
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    appointed_by: Mapped[int] = mapped_column(BigInteger)
    appointed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)


class Snooze(Base):
    """An officer pressed 'Nhắc lại sau 1 ngày' on a check-in: no check-in reaches them before `until`,
    when the one they asked for comes (an outbox row of its own)."""

    __tablename__ = "checkin_snoozes"

    person_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    until: Mapped[dt.datetime] = mapped_column()


class SummaryChat(Base):
    """A group or channel an admin chose (/tomtat bat weekly|monthly) to receive the standing: on that
    schedule and right after each reporting deadline, of the admin's units (`units`; None: every unit)."""

    __tablename__ = "summary_chats"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    schedule: Mapped[str] = mapped_column(String(10))  # weekly | monthly
    active: Mapped[bool] = mapped_column(default=True)
    units: Mapped[list[Any] | None] = mapped_column()
    changed_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
