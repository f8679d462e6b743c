"""The bot's services without Telegram: the console drives the same conversation the handlers do."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.who import Who
from bot.start.terminal import Console, render
from knowledge.milestones import occurrences, quarter_end
from tests.conftest import VIETNAM

CAT_NE = "Ủy ban nhân dân xã Cát Nê"


class Chat:
    """One person talking to the bot: `say` returns what the bot answers, buttons numbered."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def say(self, line: str) -> str:
        return render(self.console.handle(line))

    def press(self, label_part: str) -> str:
        labels = [b.label for b in self.console.buttons]
        number = next(i for i, label in enumerate(labels, 1) if label_part in label)
        return self.say(str(number))


@pytest.fixture
def chat(runtime) -> Chat:
    return Chat(Console(runtime, Who(chat_id=501, user_id=501, user_name="Lan")))


def in_group(runtime, user_id: int) -> Chat:
    return Chat(Console(runtime, Who(chat_id=-1001, chat_kind="supergroup", user_id=user_id, chat_title="Tổ CĐS")))


def test_start_greets_and_offers_every_plan_unit(chat):
    reply = chat.say("/start")
    assert reply.startswith("Xin chào Lan!")
    assert "[5]" in reply and CAT_NE in reply and "Sở Xây dựng tỉnh Kiên Giang" in reply


def test_the_chosen_unit_decides_the_plan_of_every_answer(chat):
    chat.say("/donvi")
    assert f"đã chọn đơn vị: {CAT_NE}" in chat.press("Cát Nê")
    reply = chat.say("chi tieu ho so tthc xu ly hoan toan truc tuyen")
    assert "80%" in reply and "UBND xã Cát Nê" in reply
    assert "Đơn vị hiện tại: " + CAT_NE in chat.say("/donvi")


def test_without_a_unit_each_plan_answers_side_by_side_with_a_hint(chat):
    reply = chat.say("chỉ tiêu hồ sơ công việc xử lý trên môi trường mạng là bao nhiêu?")
    assert "Mỗi kế hoạch quy định riêng" in reply and "/donvi" in reply


def test_a_deep_link_joins_its_unit_and_a_bad_one_offers_the_list(chat):
    assert f"đã chọn đơn vị: {CAT_NE}" in chat.say("/start xa-cat-ne")
    reply = chat.say("/start khong-co-don-vi-nay")
    assert "Liên kết này không đúng" in reply and "[1]" in reply


def test_source_shows_the_whole_passage_of_the_last_answer(chat):
    assert "Chưa có câu trả lời" in chat.say("/nguon")
    chat.say("/start xa-cat-ne")
    chat.say("chi tieu ho so tthc xu ly hoan toan truc tuyen")
    source = chat.say("/nguon").splitlines()
    assert source[0] == "📄 Kế hoạch phát động phong trào thi đua chuyển đổi số năm 2024 — Ủy ban nhân dân xã Cát Nê"
    assert source[1].startswith("III. ") and len(source) > 5
    assert any(line.startswith("Tối thiểu 80% hồ sơ thủ tục hành chính") for line in source)


def test_targets_list_the_plan_figures_with_sections(chat):
    assert "chưa chọn đơn vị" in chat.say("/chitieu")
    chat.say("/start xa-cat-ne")
    targets = chat.say("/chitieu")
    assert "Tối thiểu 80% hồ sơ thủ tục hành chính" in targets and "(mục III)" in targets


def test_deadlines_count_days_left_on_the_clock(chat, clock):
    chat.say("/start xa-cat-ne")
    clock.now = dt.datetime(2024, 12, 1, 8, 0, tzinfo=VIETNAM)
    assert "31/12/2024 (còn 30 ngày) — Kết thúc phong trào" in chat.say("/hanchot")
    clock.now = dt.datetime(2026, 11, 22, 8, 0, tzinfo=VIETNAM)
    assert "không còn mốc nào sắp tới" in chat.say("/hanchot")


def test_unknown_questions_offer_suggestions_that_answer_when_pressed(chat):
    chat.say("/start huyen-bu-gia-map")
    reply = chat.say("muc tien thuong bang khen la bao nhieu")
    assert reply.startswith("Mình chưa tìm thấy") and 1 <= len(chat.console.buttons) <= 3
    assert "Nguồn: UBND huyện Bù Gia Mập" in chat.say("1")


def test_a_group_has_its_own_unit_and_falls_back_to_the_askers(runtime, chat):
    chat.say("/start so-xd-kien-giang")
    group = in_group(runtime, user_id=501)
    assert "30/5, 30/11" in group.say("bao cao dinh ky vao ngay nao")
    assert "Nhóm này đã chọn đơn vị" in group.say("/start xa-cat-ne")
    assert "Sở Xây dựng tỉnh Kiên Giang" in chat.say("/donvi")


def test_commands_and_numbers_that_mean_nothing_are_answered(chat):
    assert "/trogiup" in chat.say("/lenhla")
    chat.say("/donvi")
    assert "Không có lựa chọn số 9" in chat.say("9")
    assert "/hoi kèm câu hỏi" in chat.say("/hoi")


def test_recurring_dates_repeat_each_year_and_quarters_end_on_their_last_day(kb):
    plan = kb.plans["so-xd-kien-giang"]
    days = [o.day for o in occurrences(plan, kb.facts_of(plan.id, "deadline"))]
    assert [d for d in days if d.month == 5] == [dt.date(y, 5, 30) for y in range(2022, 2026)]
    assert days == sorted(days) and days[-1] == dt.date(2025, 12, 31)
    assert quarter_end(2024, 1) == dt.date(2024, 3, 31) and quarter_end(2023, 4) == dt.date(2023, 12, 31)


def test_deadlines_never_fall_after_the_plan_ends(kb):
    for plan in kb.plans.values():
        assert all(o.day <= plan.valid_until for o in occurrences(plan, kb.facts_of(plan.id, "deadline")))
