"""A guided report in progress, kept in the database: the step, the indicator, the typed value, the expiry.

One row per person. Any replica, or the bot after a restart, continues where the officer was; a report
left half-way for 15 minutes expires, so a later question is not read as a value.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from bot.core.models import ReportDraft
from bot.reporting.values import Value

TIMEOUT = dt.timedelta(minutes=15)
PICKING, TYPING, CONFIRMING, DONE = "picking", "typing", "confirming", "done"


def open_draft(person_id: int, unit_id: int, period: str, now: dt.datetime, *, step: str,
               indicator_id: int | None = None, supersedes_id: int | None = None, session: Session) -> ReportDraft:
    """A new report for the person, replacing any earlier one."""
    draft = session.get(ReportDraft, person_id) or ReportDraft(person_id=person_id)
    draft.step, draft.unit_id, draft.period, draft.indicator_id = step, unit_id, period, indicator_id
    draft.supersedes_id, draft.submission_id = supersedes_id, None
    forget_value(draft)
    draft.expires_at = now + TIMEOUT
    session.add(draft)
    return draft


def current(person_id: int | None, *, session: Session) -> ReportDraft | None:
    """The person's report row, whatever its step (expired or done included)."""
    return session.get(ReportDraft, person_id) if person_id is not None else None


def is_live(draft: ReportDraft | None, now: dt.datetime) -> bool:
    return draft is not None and draft.step != DONE and now < draft.expires_at


def move(draft: ReportDraft, step: str, now: dt.datetime) -> None:
    """The next step; the officer has another 15 minutes from now."""
    draft.step, draft.expires_at = step, now + TIMEOUT


def keep_value(draft: ReportDraft, value: Value, note: str) -> None:
    draft.value, draft.numerator, draft.denominator = value.number, value.numerator, value.denominator
    draft.yes, draft.shown, draft.note = value.yes, value.shown, note


def forget_value(draft: ReportDraft) -> None:
    draft.value = draft.numerator = draft.denominator = draft.yes = None
    draft.shown, draft.note = "", ""


def value_of(draft: ReportDraft) -> Value:
    return Value(draft.value, draft.numerator, draft.denominator, draft.yes, draft.shown)


def finish(draft: ReportDraft, submission_id: int) -> None:
    """Stored: a ✅ pressed again answers with this submission."""
    draft.step, draft.submission_id = DONE, submission_id
