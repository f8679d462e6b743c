"""Whatever a stranger types or whatever button data arrives (forged, stale, empty, huge), the bot answers in
Vietnamese, raises nothing, and writes nothing that only officers and admins may write."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.commands import dialog
from bot.commands.table import COMMANDS, PRESSES
from bot.commands.turn import Turn
from bot.core.models import Deadline, Indicator, Invite, PlanExtension, ReportDraft, Submission, Unit
from bot.core.who import Who

PROTECTED = (Submission, Deadline, Invite, Unit, Indicator, ReportDraft, PlanExtension)
STRANGERS = [Who(chat_id=777, user_id=777, user_name="Lạ"),
             Who(chat_id=-100999, chat_kind="supergroup", user_id=778, user_name="Khách", chat_title="Nhóm lạ")]
NAMES = [name for c in COMMANDS for name in c.names] + ["lenhla", "START", "baocao@thidua_bot", ""]
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
WORDS = st.lists(st.sampled_from(["85%", "45/60", "-5", "99999999999999999999", "²", "0000", "0000-H1", "them",
                                  "xoa", "bat", "tat", "15/12/2026", "' OR 1=1--", "III-3", "xa-cat-ne", "moi-x"]),
                 max_size=4).map(" ".join)
ARGS = st.one_of(ANY_TEXT, WORDS)
DATA = st.one_of(ANY_TEXT, st.builds(lambda p, rest: p + rest, st.sampled_from([p.prefix for p in PRESSES]), ARGS))


def counts(session) -> list[int]:
    return [session.scalar(select(func.count()).select_from(model)) for model in PROTECTED]


def answered(reply) -> bool:
    return bool(reply.text.strip() or reply.notice.strip() or reply.files)


def make_turn(runtime, session, who: Who, text: str, label: str = "") -> Turn:
    return Turn(who, text, runtime.clock(), session, runtime.kb, runtime.reminders, label=label)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(who=st.sampled_from(STRANGERS), name=st.sampled_from(NAMES), args=ARGS)
@example(who=STRANGERS[0], name="start", args="\x00")  # PostgreSQL refuses a NUL even in a query's parameter
def test_any_command_with_any_arguments_is_answered_and_writes_nothing(runtime, who, name, args):
    with runtime.db.session() as session:
        before = counts(session)
        assert answered(dialog.on_command(name, make_turn(runtime, session, who, args)))
        assert counts(session) == before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(who=st.sampled_from(STRANGERS), data=DATA, label=st.one_of(st.just(""), ANY_TEXT))
def test_any_button_data_is_answered_and_writes_nothing(runtime, who, data, label):
    with runtime.db.session() as session:
        before = counts(session)
        assert answered(dialog.on_press(make_turn(runtime, session, who, data, label)))
        assert counts(session) == before


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(who=st.sampled_from(STRANGERS[:1]), text=st.one_of(ANY_TEXT, WORDS, st.text(min_size=3000, max_size=5000)))
def test_any_message_is_answered_and_writes_nothing(runtime, who, text):
    with runtime.db.session() as session:
        before = counts(session)
        assert answered(dialog.on_text(make_turn(runtime, session, who, text)))
        assert counts(session) == before
