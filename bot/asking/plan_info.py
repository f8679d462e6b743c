"""/chitieu and /hanchot: a plan's targets and its dated milestones, cited by section."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.core.replies import Reply
from bot.core.who import Who
from bot.people.units import plan_of
from bot.people.welcome import unit_picker
from knowledge.index import KnowledgeBase
from knowledge.milestones import Occurrence, days_left, extended, occurrences

RECENT = 5


def _shorten(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def targets_text(plan_id: str, kb: KnowledgeBase) -> str:
    plan = kb.plans[plan_id]
    lines = [f"🎯 Chỉ tiêu của {plan.issuer_short} ({plan.title}, {plan.period}):"]
    seen: set[str] = set()
    for fact in kb.facts_of(plan_id, "target"):
        if fact.text in seen:
            continue
        seen.add(fact.text)
        section = kb.passage(plan_id, fact.passage).section or "mở đầu"
        lines.append(f"• {_shorten(fact.text, 200)} (mục {section})")
    if not seen:
        lines.append("Kế hoạch này không nêu chỉ tiêu bằng con số.")
    return "\n".join(lines)


def _milestone(o: Occurrence, kb: KnowledgeBase, today: dt.date) -> str:
    section = kb.passage(o.fact.plan_id, o.fact.passage).section or "mở đầu"
    left = f" ({days_left(o.day, today)})" if o.day >= today else ""
    return f"• {o.when}{left} — {o.label}, mục {section}: «{_shorten(o.fact.text)}»"


def deadlines_text(plan_id: str, kb: KnowledgeBase, today: dt.date, until: dt.date | None = None) -> str:
    """`until`: the plan's last day as an admin extended it."""
    plan = extended(kb.plans[plan_id], until)
    all_ = occurrences(plan, kb.facts_of(plan_id, "deadline"))
    upcoming = [o for o in all_ if o.day >= today]
    if upcoming:
        head = f"📅 Các mốc sắp tới của {plan.issuer_short}:"
        return "\n".join([head, *(_milestone(o, kb, today) for o in upcoming)])
    head = (f"📅 Kế hoạch của {plan.issuer_short} có hiệu lực đến {plan.valid_until:%d/%m/%Y}, "
            "nên không còn mốc nào sắp tới.")
    if not all_:
        return f"{head}\nKế hoạch không nêu mốc thời gian cụ thể."
    return "\n".join([head, "Các mốc cuối cùng của kế hoạch:", *(_milestone(o, kb, today) for o in all_[-RECENT:])])


NO_UNIT = "Bạn chưa chọn đơn vị nên mình chưa biết xem kế hoạch nào. Chọn đơn vị bên dưới rồi gõ lại lệnh nhé:"


def _for_plan(who: Who, render: Callable[[str], str], *, session: Session, kb: KnowledgeBase) -> Reply:
    """The asker's plan rendered, or the unit picker when no unit is chosen yet."""
    plan = plan_of(who, session=session)
    if plan not in kb.plans:
        return unit_picker(who, NO_UNIT, session=session)
    return Reply(render(plan))


def targets(who: Who, *, session: Session, kb: KnowledgeBase) -> Reply:
    return _for_plan(who, lambda plan: targets_text(plan, kb), session=session, kb=kb)


def deadlines(who: Who, today: dt.date, *, session: Session, kb: KnowledgeBase) -> Reply:
    return _for_plan(who, lambda plan: deadlines_text(plan, kb, today), session=session, kb=kb)
