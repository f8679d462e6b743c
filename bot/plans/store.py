"""The plans' versions in the database. Adding a plan whose id is live (or that is another version of a live
plan's document: the same number from the same issuer) supersedes that version, keeping it
(and the indicators and figures reported against it) in the history; retiring one takes it out of answers
and reminders."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.errors import UserMessageError
from bot.core.models import PlanVersion
from knowledge.documents import Plan, PlanFormatError, parse_plan, plan_files
from knowledge.ingest import IngestedPlan
from knowledge.text import fold

LIVE, SUPERSEDED, RETIRED, DRAFT, DISCARDED = "live", "superseded", "retired", "draft", "discarded"


def seed(*, session: Session) -> int:
    """The packaged plans as first versions, each the first time its id is seen (a retired one stays
    retired); returns how many were added."""
    known = set(session.scalars(select(PlanVersion.plan_id).distinct()))
    added = 0
    for path in plan_files():
        if path.stem not in known:
            session.add(PlanVersion(plan_id=path.stem, version=1, text=path.read_text(encoding="utf-8"),
                                    source=f"packaged: {path.name}", state=LIVE))
            added += 1
    return added


def adopt(ingested: IngestedPlan, *, session: Session) -> str:
    """The id the document is stored under: a live plan's whose document it is another version of (the same
    number, "Số: 45/KH-UBND", from the same issuer), else its own. A clerk's rename of the title or a new
    issue date does not make a second plan."""
    plan = ingested.plan
    found = same_document(plan, session=session)
    if found is not None:
        ingested.metadata["id"] = found
    return found or plan.id


def same_document(plan: Plan, *, session: Session) -> str | None:
    """The live plan, under another id, with the same document number and issuer; None when there is none."""
    number = _document_key(plan.number)
    if not any(c.isdigit() for c in number):  # "Số: /KH-UBND", a draft's blank number, names no document
        return None
    rows = session.scalars(select(PlanVersion).where(PlanVersion.state == LIVE, PlanVersion.plan_id != plan.id))
    for row in rows:
        other = parse_plan(row.text)
        if _document_key(other.number) == number and fold(other.issuer) == fold(plan.issuer):
            return row.plan_id
    return None


def _document_key(number: str) -> str:
    """'Số: 45 /KH-UBND' and '45/KH-UBND' are one number."""
    return "".join(fold(number).removeprefix("so").split()).lstrip(":")


def live_texts(*, session: Session) -> list[str]:
    """The live plans' texts, in plan id order: what the knowledge base is built from."""
    query = select(PlanVersion.text).where(PlanVersion.state == LIVE).order_by(PlanVersion.plan_id)
    return list(session.scalars(query))


def signature(*, session: Session) -> tuple[tuple[str, int], ...]:
    """Which version of which plan is live: a change means the knowledge base is to be rebuilt."""
    query = (select(PlanVersion.plan_id, PlanVersion.version).where(PlanVersion.state == LIVE)
             .order_by(PlanVersion.plan_id))
    return tuple((plan_id, version) for plan_id, version in session.execute(query))


def add(text: str, *, source: str, by: int | None, now: dt.datetime, session: Session) -> tuple[PlanVersion, Plan]:
    """Stores the plan (the plan file format) as its id's next version, live; the version it replaces is
    kept, superseded."""
    row, plan = draft(text, source=source, by=by, now=now, session=session)
    publish(row, session=session)
    return row, plan


def draft(text: str, *, source: str, by: int | None, now: dt.datetime, session: Session) -> tuple[PlanVersion, Plan]:
    """Stores the plan as its id's next version, not yet live: what an admin previews before confirming."""
    try:
        plan = parse_plan(text, source)
    except PlanFormatError as exc:
        raise UserMessageError(f"Không đọc được kế hoạch: {exc}") from None
    last = session.scalar(select(func.max(PlanVersion.version)).where(PlanVersion.plan_id == plan.id)) or 0
    row = PlanVersion(plan_id=plan.id, version=last + 1, text=text, source=source[:300], state=DRAFT, created_by=by,
                      created_at=now)
    session.add(row)
    session.flush()
    return row, plan


def publish(row: PlanVersion, *, session: Session) -> None:
    """The draft goes live; the version it replaces is kept, superseded."""
    current = session.scalar(select(PlanVersion).where(PlanVersion.plan_id == row.plan_id, PlanVersion.state == LIVE))
    if current is not None and current.id != row.id:
        current.state = SUPERSEDED
    row.state = LIVE


def retire(plan_id: str, *, session: Session) -> PlanVersion:
    current = session.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan_id, PlanVersion.state == LIVE))
    if current is None:
        raise UserMessageError(f"Không có kế hoạch đang dùng với mã “{plan_id[:64]}”. Xem `campaign-bot plans`.")
    if len(signature(session=session)) == 1:  # with no plan the bot would have nothing to answer from, nor start
        raise UserMessageError("Đây là kế hoạch cuối cùng đang dùng: thêm kế hoạch mới trước "
                               "(`campaign-bot plans add TỆP --yes`), rồi mới ngừng kế hoạch này.")
    current.state = RETIRED
    return current


def history(*, session: Session) -> list[PlanVersion]:
    """Every version but the drafts never confirmed."""
    query = (select(PlanVersion).where(PlanVersion.state.not_in([DRAFT, DISCARDED]))
             .order_by(PlanVersion.plan_id, PlanVersion.version))
    return list(session.scalars(query))
