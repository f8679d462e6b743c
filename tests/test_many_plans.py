"""Many plans: a question that many plans answer, asked by someone with no unit, gets a question back (which
plan?) with a button for each of the best few, not every plan side by side; a button answers from that plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from filelock import FileLock

from knowledge import KnowledgeBase, answer
from knowledge.answering import CHOICES, MAX_SIDE_BY_SIDE
from knowledge.documents import PLANS_DIR

COMMUNES = ["Phú Lương", "Tân Lập", "Hòa Bình", "An Khánh", "Đông Hưng", "Thanh Sơn", "Mỹ Phước", "Long Điền"]


def commune_plans() -> list[str]:
    """Cát Nê's plan as eight other communes would issue it: the same targets and dates in each."""
    text = (PLANS_DIR / "xa-cat-ne.md").read_text(encoding="utf-8")
    return [text.replace("id: xa-cat-ne", f"id: xa-{n}").replace("Cát Nê", name) for n, name in enumerate(COMMUNES)]


@pytest.fixture(scope="module")
def kb(kb_cache: Path) -> KnowledgeBase:
    with FileLock(kb_cache / "build.lock"):
        return KnowledgeBase.of_texts(commune_plans(), cache_dir=kb_cache)


def test_an_unscoped_question_many_plans_answer_asks_which_plan(kb):
    result = answer(kb, "phong trào thi đua kéo dài đến ngày nào?")
    assert len(COMMUNES) > MAX_SIDE_BY_SIDE
    assert result.found and "Bạn hỏi cho đơn vị nào?" in result.text and len(result.text) < 300
    assert len(result.choices) == CHOICES and set(result.choices) <= set(kb.plans)


def test_a_plan_named_or_the_askers_plan_is_answered_directly(kb):
    named = answer(kb, "phong trào thi đua của xã Tân Lập kéo dài đến ngày nào?")
    assert not named.choices and "31/12/2024" in named.text and named.plan == "xa-1"
    assert "31/12/2024" in answer(kb, "phong trào thi đua kéo dài đến ngày nào?", "xa-3").text


async def test_a_plan_button_answers_the_question_from_that_plan(telegram):
    lan = telegram.user(501, "Lan")
    asked = await lan.say("phong trào thi đua kéo dài đến ngày nào?")
    labels = [label for row in asked.buttons for label in row]
    assert "Bạn hỏi cho đơn vị nào?" in asked.text and len(labels) == CHOICES
    await lan.press(asked, labels[1])
    answered = await lan.next()
    assert "31/12/2024" in answered.text and labels[1] in answered.text


async def test_a_plan_button_of_an_earlier_answer_says_it_is_stale(telegram):
    lan = telegram.user(502, "Lan")
    asked = await lan.say("phong trào thi đua kéo dài đến ngày nào?")
    assert "31/12/2024" in (await lan.say("phong trào thi đua của xã Tân Lập kéo dài đến ngày nào?")).text
    update_id = telegram.fake.push_callback(asked, asked.callback_data(asked.buttons[0][0]), user_id=502)
    assert "đã cũ" in (await telegram.fake.callback_answer(update_id)).params["text"]
