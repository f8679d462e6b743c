"""End to end: summaries that arrive. A group an admin chose gets the standing weekly and right after each
reporting deadline, once per slot, across restarts. Through the fake Bot API and the outbox."""

from __future__ import annotations

import datetime as dt

from bot.people.invites import ADMINS_ONLY
from tests.support.reminders_harness import ADMIN

KIEN_GIANG = "so-xd-kien-giang"
GROUP = -100888
CHANNEL = -100777


async def test_a_weekly_summary_arrives_in_the_group_once_and_after_the_deadline(reminders):
    reminders.extend(KIEN_GIANG, dt.date(2026, 12, 31))
    boss, member = reminders.member(GROUP, ADMIN, "Quản trị"), reminders.member(GROUP, 602, "Bình")
    assert (await member.say("/tomtat bat weekly")).text == ADMINS_ONLY
    assert "chưa nhận tóm tắt" in (await boss.say("/tomtat")).text
    assert "Chưa rõ lịch gửi" in (await boss.say("/tomtat bat hourly")).text
    assert "hằng tuần" in (await boss.say("/tomtat bat weekly")).text
    assert "nhận tóm tắt tiến độ hằng tuần" in (await boss.say("/tomtat")).text
    await reminders.deliver()
    reminders.report_all(KIEN_GIANG, "2026-H2", but=1)
    await reminders.at(2026, 11, 23, 8, 0)  # Monday 08:00
    summary = await boss.next()
    assert summary.text.startswith("📬 Tóm tắt tiến độ:") and "Tổng hợp" in summary.text
    assert "Chưa nộp đủ" in summary.text and "thiếu 1/" in summary.text
    chart = await boss.next()  # the standing, drawn
    assert chart.file.data.startswith(b"\x89PNG") and chart.text.startswith("📊 Tiến độ")
    await reminders.restart()
    await reminders.at(2026, 11, 23, 9, 0)
    await boss.hears_nothing(0.3)  # once per slot
    await reminders.at(2026, 12, 1, 7, 0)  # the 30/11 reporting deadline has closed
    heads = sorted([(await boss.next()).text.split(":")[0] for _ in range(4)])
    assert heads == ["📊 Tiến độ 6 tháng cuối năm 2026"] * 2 + [
        "📬 Tóm tắt tiến độ", "📬 Tóm tắt tiến độ sau hạn báo cáo"]  # Monday 30/11's, the deadline's, each drawn
    await reminders.deliver()
    await boss.hears_nothing(0.3)
    weekly = [r for r in reminders.rows(chat_id=GROUP) if r.offset_label == "weekly"]
    assert [r.state for r in weekly] == ["sent"] * 4  # 30/11's (text and chart) sent on the 1st: within a day
    assert "Đã tắt" in (await boss.say("/tomtat tat")).text


async def test_an_admin_who_adds_the_bot_to_a_channel_chooses_its_summaries_in_private(reminders):
    reminders.extend(KIEN_GIANG, dt.date(2026, 12, 31))
    boss = reminders.admin()
    reminders.fake.push_bot_member(CHANNEL, "administrator", by=602, title="Kênh CĐS tỉnh")  # not an admin
    reminders.fake.push_bot_member(CHANNEL, "administrator", by=ADMIN, title="Kênh CĐS tỉnh")
    offer = await boss.next()
    assert "kênh «Kênh CĐS tỉnh»" in offer.text
    await boss.press(offer, "Hằng tuần")
    await reminders.fake.wait_for("editMessageText", lambda c: "Kênh này sẽ nhận tóm tắt tiến độ hằng tuần"
                                  in c.params.get("text", ""))
    await reminders.deliver()
    await reminders.at(2026, 11, 23, 8, 0)  # Monday 08:00
    summary, chart = await reminders.fake.next_message(CHANNEL), await reminders.fake.next_message(CHANNEL)
    assert summary.text.startswith("📬 Tóm tắt tiến độ:") and chart.file.data.startswith(b"\x89PNG")
    await reminders.user(602, "Bình").hears_nothing(0.2)
    await boss.press(offer, "Không gửi")
    await reminders.fake.wait_for("editMessageText", lambda c: "sẽ không nhận" in c.params.get("text", ""))
    await reminders.at(2026, 11, 30, 8, 0)  # the next Monday
    await reminders.fake.no_message(CHANNEL, 0.3)


async def test_tomtat_belongs_in_a_group(reminders):
    assert "dùng trong nhóm" in (await reminders.admin().say("/tomtat bat weekly")).text
