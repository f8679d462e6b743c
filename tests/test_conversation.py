"""The conversation through the real bot: a follow-up carries the last answer's topic (kept in the chat's
row, so a restart or another replica continues it), it expires, and a long answer's rest is one button away."""

from __future__ import annotations

import datetime as dt

from tests.support.sql import statements


async def test_a_follow_up_continues_the_last_answer_even_after_a_restart(telegram):
    lan = telegram.user(501, "Lan")
    first = await lan.say("Sở Xây dựng Kiên Giang gửi báo cáo định kỳ vào ngày nào?")
    assert "30/5" in first.text
    await telegram.restart()
    second = await lan.say("còn Ninh Thuận thì sao?")
    assert "20/12" in second.text and "Ninh Thuận" in second.text


async def test_a_follow_up_long_after_is_a_new_question(telegram, clock):
    lan = telegram.user(501, "Lan")
    await lan.say("Bù Gia Mập sơ kết phong trào khi nào?")
    assert "Quý IV/2025" in (await lan.say("còn tổng kết?")).text
    clock.now += dt.timedelta(minutes=11)
    assert "Quý IV/2025" not in (await lan.say("còn tổng kết?")).text


async def test_a_groups_follow_up_is_the_groups(telegram):
    an = telegram.member(-100321, 601, "An")
    first = await an.say("/hoi Chỉ tiêu hồ sơ công việc xử lý trên môi trường mạng ở Bù Gia Mập là bao nhiêu?")
    assert first.text.startswith("90%")
    assert (await an.say("/hoi thế cấp xã?")).text.startswith("60%")


async def test_a_long_answer_shows_the_rest_behind_xem_them(telegram):
    lan = telegram.user(501, "Lan")
    await lan.press(await lan.say("/donvi"), "Ủy ban nhân dân huyện Bù Gia Mập")
    await telegram.fake.wait_for("editMessageText")
    reply = await lan.say("Lĩnh vực y tế của huyện cần chuyển đổi số những việc gì?")
    assert len(reply.text) <= 1000 and "Xem thêm" in str(reply.buttons)
    await lan.press(reply, "Xem thêm")
    rest = await lan.next()
    assert rest.text and rest.text not in reply.text


async def test_a_question_reads_once_and_writes_only_the_topic(telegram):
    lan = telegram.user(501, "Lan")
    await lan.say("Bù Gia Mập sơ kết phong trào khi nào?")  # Lan and her chat are known from now on
    with statements(telegram.rt.db.engine) as seen:
        assert "Quý IV/2025" in (await lan.say("còn tổng kết?")).text
    # the update taken in; the chat, Lan, her plan and any report of hers in one read; the follow-up's topic
    assert len(seen) <= 3, "\n".join(seen)
    assert [s.split()[0] for s in seen[-2:]] == ["SELECT", "UPDATE"] and "report_drafts" in seen[-2]
    assert not any(s.startswith(("UPDATE people", "INSERT")) for s in seen[-2:])
