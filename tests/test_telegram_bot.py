"""End to end: the real Application, long polling the fake Bot API, as users see it."""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats

import bot.asking.answers
from handlers.errors import SORRY
from tests.support.harness import TOKEN

CAT_NE = "Ủy ban nhân dân xã Cát Nê"
GROUP = -100777


async def test_start_offers_units_and_a_button_press_chooses_one(telegram):
    lan = telegram.user(501, "Lan")
    menu = await lan.say("/start")
    assert menu.text.startswith("Xin chào Lan!") and [CAT_NE] in menu.buttons
    await lan.press(menu, CAT_NE)
    edit = await telegram.fake.wait_for("editMessageText")
    assert f"đã chọn đơn vị: {CAT_NE}" in edit.params["text"] and not telegram.fake.sent(501)[-1].buttons
    reply = await lan.say("chi tieu ho so tthc xu ly hoan toan truc tuyen la bao nhieu")
    assert reply.text.startswith("80%") and "Nguồn: UBND xã Cát Nê, mục III" in reply.text


async def test_the_unit_is_remembered_across_a_restart(telegram):
    lan = telegram.user(501, "Lan")
    await lan.say("/start xa-cat-ne")
    await telegram.restart()
    assert f"Đơn vị hiện tại: {CAT_NE}" in (await lan.say("/donvi")).text


async def test_the_bot_shows_typing_while_a_slow_answer_is_prepared(telegram, monkeypatch):
    hung = telegram.user(502, "Hùng")
    await hung.say("khi nao tong ket phong trao")
    assert not [c for c in telegram.fake.calls if c.method == "sendChatAction"]  # a quick answer needs none
    real = bot.asking.answers.answer
    monkeypatch.setattr("bot.asking.answers.answer", lambda *args, **kwargs: time.sleep(0.6) or real(*args, **kwargs))
    mark = telegram.fake.mark()
    assert "Nguồn:" in (await hung.say("khi nao tong ket phong trao")).text
    typing = await telegram.fake.wait_for("sendChatAction", after=mark)
    answer = await telegram.fake.wait_for("sendMessage", after=mark)
    assert typing.params["action"] == "typing" and typing.at < answer.at


async def test_waiting_behind_busy_workers_shows_no_typing(telegram, monkeypatch):
    """Under load every update waits for a worker: only the slow answer itself shows "typing…"."""
    monkeypatch.setattr("handlers.dialog.WORKERS", ThreadPoolExecutor(max_workers=1))
    real = bot.asking.answers.answer

    def slow_for_hung(kb, question, *args):
        time.sleep(0.8 if "chậm" in question else 0)
        return real(kb, question, *args)

    monkeypatch.setattr("bot.asking.answers.answer", slow_for_hung)
    hung, lan = telegram.user(502, "Hùng"), telegram.user(503, "Lan")
    mark = telegram.fake.mark()
    hung_asked = asyncio.ensure_future(hung.say("khi nao tong ket phong trao (hỏi chậm)"))
    await asyncio.sleep(0.3)  # Hùng's question holds the one worker; Lan's waits for it
    assert "Nguồn:" in (await lan.say("khi nao tong ket phong trao")).text
    await hung_asked
    typed = [c.params["chat_id"] for c in telegram.fake.calls[mark:] if c.method == "sendChatAction"]
    assert typed == [502]


async def test_in_a_group_only_mentions_replies_and_hoi_are_questions(telegram):
    an = telegram.member(GROUP, 601, "An")
    an.send("chỉ tiêu hồ sơ cấp xã là bao nhiêu?")
    await an.hears_nothing()
    reply = await an.say("@thidua_bot chỉ tiêu hồ sơ công việc cấp xã xử lý trên môi trường mạng?")
    assert "Nguồn:" in reply.text
    assert "Nguồn:" in (await an.say("còn tổng kết phong trào vào khi nào?", reply_to=reply)).text
    assert "Nguồn:" in (await an.say("/hoi@thidua_bot khi nao so ket phong trao")).text
    assert "/hoi kèm câu hỏi" in (await an.say("/hoi")).text


async def test_a_groups_unit_is_its_own(telegram):
    an = telegram.member(GROUP, 601, "An")
    telegram.fake.set_member(GROUP, 601, "administrator")
    await an.say("/start so-xd-kien-giang")
    reply = await an.say("/hoi bao cao dinh ky vao ngay nao")
    assert reply.text.startswith("30/5, 30/11")
    assert "chưa chọn đơn vị" in (await telegram.user(601, "An").say("/chitieu")).text


async def test_did_you_mean_buttons_answer_when_pressed(telegram):
    lan = telegram.user(501, "Lan")
    await lan.say("/start huyen-bu-gia-map")
    unsure = await lan.say("muc tien thuong bang khen la bao nhieu")
    assert unsure.text.startswith("Mình chưa tìm thấy") and 1 <= len(unsure.buttons) <= 3
    await lan.press(unsure, unsure.buttons[0][0])
    assert "Nguồn: UBND huyện Bù Gia Mập" in (await lan.next()).text


async def test_targets_deadlines_source_and_help(telegram):
    lan = telegram.user(501, "Lan")
    await lan.say("/start xa-cat-ne")
    assert "Tối thiểu 80% hồ sơ thủ tục hành chính" in (await lan.say("/chitieu")).text
    assert "hiệu lực đến 31/12/2024" in (await lan.say("/hanchot")).text
    await lan.say("chi tieu ho so tthc truc tuyen")
    assert (await lan.say("/nguon")).text.startswith("📄 Kế hoạch phát động phong trào")
    for command in ("/trogiup", "/help"):
        assert "@thidua_bot" in (await lan.say(command)).text


async def test_replies_longer_than_telegram_allows_come_in_pieces(telegram):
    lan = telegram.user(501, "Lan")
    await lan.say("/start huyen-bu-gia-map")
    lan.send("/chitieu")
    expected = telegram.rt.kb.facts_of("huyen-bu-gia-map", "target")
    first = await lan.next()
    pieces = [first, await lan.next()]
    assert all(len(p.text) <= 4096 for p in pieces) and len(expected) > 30
    assert pieces[1].text.startswith("• ")


async def test_the_command_menu_is_set_for_private_chats_and_groups(telegram):
    private = await telegram.app.bot.get_my_commands(scope=BotCommandScopeAllPrivateChats())
    groups = await telegram.app.bot.get_my_commands(scope=BotCommandScopeAllGroupChats())
    assert {"start", "donvi", "chitieu", "hanchot", "nguon", "trogiup"} <= {c.command for c in private}
    assert BotCommand("hoi", "Hỏi về kế hoạch thi đua") in groups


async def test_a_blocked_user_does_not_stop_the_bot(telegram, caplog):
    telegram.fake.block(503)
    telegram.user(503, "Bình").send("chi tieu ho so")
    await telegram.fake.wait_for("sendMessage", lambda c: c.chat_id == 503 and c.error_code == 403)
    assert "Nguồn:" in (await telegram.user(504, "Chi").say("khi nao tong ket phong trao")).text


async def test_a_failing_handler_is_logged_and_the_user_told(telegram, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("index exploded")

    monkeypatch.setattr("bot.asking.answers.answer", broken)
    with caplog.at_level(logging.ERROR):
        update_id = telegram.user(505, "Dũng").send("chi tieu ho so cap xa " + "rất dài " * 40)
        assert (await telegram.fake.next_message(505)).text == SORRY
    logged = [r for r in caplog.records if r.name == "handlers.errors"]
    assert logged and f"update {update_id} failed" in logged[0].getMessage()
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
    monkeypatch.undo()
    assert "Nguồn:" in (await telegram.user(506, "Em").say("khi nao tong ket phong trao")).text


async def test_a_flooding_user_is_slowed_without_slowing_others(telegram):
    flooder, other = telegram.user(507, "Phúc"), telegram.user(508, "Giang")
    for i in range(25):
        flooder.send(f"/trogiup {i}")
    other.send("/trogiup")
    assert "@thidua_bot" in (await other.next()).text
    replies = [await flooder.next() for _ in range(21)]
    assert sum("gửi hơi nhanh" in r.text for r in replies) == 1
    await flooder.hears_nothing(within=0.3)


@pytest.mark.parametrize("text", ["🙂🙂🙂", "a" * 4000, "\u0000\u200b", "/start " + "x" * 70, "/chitieu@thidua_bot"])
async def test_odd_input_is_always_answered(telegram, text):
    reply = await telegram.user(509, "Hà").say(text)
    assert reply.text and "lỗi" not in reply.text


async def test_a_slow_chat_does_not_hold_up_the_others(telegram):
    telegram.fake.fail("sendMessage", error="slow", delay=1.5, chat_id=510)
    telegram.user(510, "Chậm").send("/trogiup")
    slow = await telegram.fake.wait_for("sendMessage", lambda c: c.chat_id == 510)
    assert "@thidua_bot" in (await telegram.user(511, "Nhanh").say("/trogiup")).text
    assert time.monotonic() < slow.at + 1.5  # served while the slow reply was still in flight


async def test_one_chats_messages_are_answered_in_order(telegram):
    lan = telegram.user(512, "Lan")
    lan.send("/start xa-cat-ne")
    lan.send("/chitieu")
    lan.send("/hanchot")
    texts = [(await lan.next()).text for _ in range(3)]
    assert "đã chọn đơn vị" in texts[0] and texts[1].startswith("🎯") and texts[2].startswith("📅")


async def test_unknown_commands_and_stickers_in_private_get_a_next_step(telegram):
    ha = telegram.user(513, "Hà")
    assert "/trogiup" in (await ha.say("/lenhkhongco")).text
    telegram.fake.push_update({"message": {"message_id": 99, "date": 0, "chat": {"id": 513, "type": "private"},
                                           "from": {"id": 513, "is_bot": False, "first_name": "Hà"},
                                           "sticker": STICKER}})
    assert "chỉ đọc được tin nhắn chữ" in (await ha.next()).text


STICKER = {"file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 512, "height": 512,
           "is_animated": False, "is_video": False}


async def test_only_a_groups_admins_change_its_unit(telegram):
    an, chi = telegram.member(GROUP, 601, "An"), telegram.member(GROUP, 602, "Chi")
    picker = await an.say("/donvi")
    update_id = telegram.fake.push_callback(picker, picker.callback_data("Ủy ban nhân dân xã Cát Nê"), user_id=601)
    alert = await telegram.fake.callback_answer(update_id)
    assert "Chỉ quản trị viên của nhóm" in alert.params["text"] and alert.params["show_alert"]
    assert "Chỉ quản trị viên của nhóm" in (await an.say("/start xa-cat-ne")).text
    telegram.fake.set_member(GROUP, 602, "administrator")
    await chi.press(await chi.say("/donvi"), "Ủy ban nhân dân xã Cát Nê")
    edit = await telegram.fake.wait_for("editMessageText")
    assert "Nhóm này đã chọn đơn vị: Ủy ban nhân dân xã Cát Nê" in edit.params["text"]
    assert "Đơn vị hiện tại: Ủy ban nhân dân xã Cát Nê" in (await an.say("/donvi")).text
