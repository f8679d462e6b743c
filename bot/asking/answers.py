"""Questions in, cited answers out: the asker's plan first, did-you-mean buttons, the last source."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from bot.core.replies import Button, Reply, one_per_row
from bot.core.who import Who
from bot.people.glance import Glance, note
from bot.people.units import remember
from knowledge import Answer, answer
from knowledge.index import KnowledgeBase

ASK_PREFIX = "ask:"
PICK_UNIT_HINT = "\n\n💡 Chọn đơn vị bằng /donvi để mình trả lời theo đúng kế hoạch của bạn."
HOW_TO_ASK = "Bạn gõ /hoi kèm câu hỏi nhé, ví dụ: /hoi khi nào tổng kết phong trào?"
NO_SOURCE = "Chưa có câu trả lời nào để xem nguồn. Bạn hãy đặt một câu hỏi trước nhé."
MORE, MORE_LABEL = "more:", "Xem thêm"
FOR_PLAN = "askplan:"  # + the index of a plan the last answer offered (too many plans answered)
NO_MORE = "Câu trả lời gần nhất đã hiện đủ. Gõ /nguon để xem nguyên văn đoạn kế hoạch."
TOPIC_LASTS = dt.timedelta(minutes=10)  # a follow-up after this is a new question


def ask(question: str, seen: Glance, now: dt.datetime, *, session: Session, kb: KnowledgeBase) -> Reply:
    """The answer, from the asker's plan; a follow-up ('còn cấp xã thì sao?') within TOPIC_LASTS of the last
    answer in this chat carries its topic, on any replica (the topic is the chat's row)."""
    result = answer(kb, question, seen.plan, seen.topic_within(now, TOPIC_LASTS))
    reply, changes = _replied(result, now, kb, unscoped=seen.plan is None)
    note(seen, changes, session=session)
    return reply


def for_plan(data: str, seen: Glance, now: dt.datetime, *, session: Session, kb: KnowledgeBase) -> Reply | None:
    """A plan button of an answer too many plans gave: the same question, answered from that plan;
    None when the button is no longer the chat's last offer."""
    topic = seen.topic or {}
    choices, index = topic.get("choices") or [], data.removeprefix(FOR_PLAN)
    if not index.isdecimal() or int(index) >= len(choices) or choices[int(index)] not in kb.plans:
        return None
    result = answer(kb, str(topic.get("question") or ""), choices[int(index)])
    reply, changes = _replied(result, now, kb, unscoped=False)
    note(seen, changes, session=session)
    return reply


def _replied(result: Answer, now: dt.datetime, kb: KnowledgeBase, *, unscoped: bool) -> tuple[Reply, dict[str, Any]]:
    """The answer's text and buttons; what a follow-up, /nguon and "Xem thêm" need kept in the chat's row."""
    changes = {}
    if result.found:
        changes = {"last_sources": [{"plan": s.plan, "ordinal": s.ordinal} for s in result.sources],
                   "last_more": result.more, "topic": topic_of(result), "topic_at": now}
    text = result.text
    if result.found and unscoped and len(result.sources) > 1 and not result.choices:
        text += PICK_UNIT_HINT
    buttons = [Button(kb.plans[p].issuer_short, f"{FOR_PLAN}{i}") for i, p in enumerate(result.choices)]
    buttons += [Button(s, f"{ASK_PREFIX}{i}") for i, s in enumerate(result.suggestions)]
    if result.found and result.more:
        buttons.append(Button(MORE_LABEL, MORE))
    return Reply(text, one_per_row(buttons)), changes


def topic_of(result: Answer) -> dict[str, Any]:
    """What a follow-up to this answer carries: its topic and the plans it offered."""
    return {**(result.topic or {}), "choices": result.choices}


def more(who: Who, *, session: Session) -> Reply:
    """The "Xem thêm" button: the rest of the last answer."""
    chat, _ = remember(who, session=session)
    return Reply(chat.last_more or NO_MORE)


def last_source(who: Who, *, session: Session, kb: KnowledgeBase) -> Reply:
    chat, _ = remember(who, session=session)
    parts = []
    for ref in chat.last_sources or []:
        if ref.get("plan") in kb.plans:
            parts.append(_full_passage(kb, ref["plan"], int(ref["ordinal"])))
    return Reply("\n\n".join(parts) if parts else NO_SOURCE)


def _full_passage(kb: KnowledgeBase, plan_id: str, ordinal: int) -> str:
    p = kb.passage(plan_id, ordinal)
    plan = kb.plans[plan_id]
    lines = [f"📄 {plan.title} — {plan.issuer} ({plan.number})".replace(" ()", "")]
    if p.path:
        lines.append(p.heading)
    lines += [q.text for q in (kb.section(p) if p.path else [p])]
    return "\n".join(lines)
