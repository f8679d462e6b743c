"""Commands of bot/asking: /hoi, /nguon, /chitieu and the did-you-mean buttons; a question typed as text
is answered through `question` (bot/commands/dialog.py routes it)."""

from __future__ import annotations

from bot.asking import answers, plan_info
from bot.commands.turn import Command, Press, Turn
from bot.core.metrics import ANSWER_SECONDS
from bot.core.replies import Reply, notice

STALE_BUTTON = "Gợi ý này đã cũ, bạn gõ lại câu hỏi nhé."


def question(turn: Turn) -> Reply:
    with ANSWER_SECONDS.time():
        return answers.ask(turn.text, turn.seen, turn.now, session=turn.session, kb=turn.kb)


def ask(turn: Turn) -> Reply:
    return question(turn) if turn.text.strip() else Reply(answers.HOW_TO_ASK)


def suggestion(turn: Turn) -> Reply:
    if not turn.label:
        return notice(STALE_BUTTON)
    with ANSWER_SECONDS.time():
        return answers.ask(turn.label, turn.seen, turn.now, session=turn.session, kb=turn.kb)


def for_plan(turn: Turn) -> Reply:
    with ANSWER_SECONDS.time():
        reply = answers.for_plan(turn.text, turn.seen, turn.now, session=turn.session, kb=turn.kb)
    return reply or notice(STALE_BUTTON)


def more(turn: Turn) -> Reply:
    return answers.more(turn.who, session=turn.session)


def source(turn: Turn) -> Reply:
    return answers.last_source(turn.who, session=turn.session, kb=turn.kb)


def targets(turn: Turn) -> Reply:
    return plan_info.targets(turn.who, session=turn.session, kb=turn.kb)


COMMANDS = [
    Command("hoi", "Hỏi về kế hoạch thi đua", ask, usage="<câu hỏi>", menus=("group",)),
    Command("chitieu", "Các chỉ tiêu của kế hoạch", targets),
    Command("nguon", "Nguyên văn đoạn kế hoạch của câu trả lời gần nhất", source),
]
PRESSES = [Press(answers.ASK_PREFIX, suggestion), Press(answers.FOR_PLAN, for_plan), Press(answers.MORE, more)]
