"""End to end: check-ins that ask. Before a deadline an officer whose unit owes figures gets one button per
missing indicator; a tap starts the report; snooze and hand-over. Through the fake Bot API and the outbox."""

from __future__ import annotations

import datetime as dt

from bot.core.models import Person, Snooze
from tests.support.reminders_harness import ADMIN

KIEN_GIANG = "so-xd-kien-giang"
WEEK_BEFORE = (2026, 11, 23, 8, 0)
THREE_DAYS_BEFORE = (2026, 11, 27, 8, 0)


def asks(message) -> list[str]:
    return [row[0] for row in message.buttons if row[0].startswith("📝")]


async def officer_owing_two(reminders):
    reminders.extend(KIEN_GIANG, dt.date(2026, 12, 31))
    reminders.officer(701, "Mai", KIEN_GIANG)
    await reminders.deliver()
    reminders.report_all(KIEN_GIANG, "2026-H2", but=2)
    return reminders.user(701, "Mai")


async def test_a_check_in_button_starts_the_report_and_the_next_check_in_omits_it(reminders):
    mai = await officer_owing_two(reminders)
    await reminders.at(*WEEK_BEFORE)
    checkin = await mai.next()
    assert checkin.text.startswith("👋 Mai") and "còn thiếu 2/" in checkin.text and "Bấm một chỉ tiêu" in checkin.text
    first, second = asks(checkin)
    assert checkin.buttons[-1] == ["⏰ Nhắc lại sau 1 ngày", "🙋 Không phải tôi phụ trách"]
    await mai.press(checkin, first)
    asked = await mai.next()
    assert first.removeprefix("📝 ").split()[0] in asked.text and "Nhập kết quả" in asked.text
    confirm = await mai.say("100%")
    await mai.press(confirm, "✅ Xác nhận")
    assert "Đã ghi" in (await mai.next()).text
    await reminders.at(*THREE_DAYS_BEFORE)
    again = await mai.next()
    assert asks(again) == [second] and "còn thiếu 1/" in again.text
    assert [r.state for r in reminders.rows(chat_id=701)] == ["sent", "sent"]  # once each, never twice


async def test_snooze_is_kept_in_the_database_and_brings_the_check_in_back_a_day_later(reminders):
    mai = await officer_owing_two(reminders)
    await reminders.at(*WEEK_BEFORE)
    checkin = await mai.next()
    await mai.press(checkin, "⏰ Nhắc lại sau 1 ngày")
    assert "nhắc lại lúc 08:00 ngày 24/11/2026" in (await mai.next()).text
    with reminders.rt.db.session() as session:
        assert session.get(Snooze, 701).until == dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.UTC)
    await reminders.restart()
    await reminders.at(2026, 11, 23, 20, 0)
    await mai.hears_nothing(0.2)
    await reminders.at(2026, 11, 24, 8, 1)
    back = await mai.next()
    assert back.text.startswith("👋 Mai") and len(asks(back)) == 2
    assert [(r.offset_label, r.state) for r in reminders.rows(chat_id=701)] == [("7d", "sent"), ("z11240100", "sent")]


async def test_hand_over_tells_the_admins_and_stops_the_check_ins(reminders):
    mai = await officer_owing_two(reminders)
    await reminders.at(*WEEK_BEFORE)
    checkin = await mai.next()
    hand_over = checkin.callback_data("🙋 Không phải tôi phụ trách")
    await mai.press(checkin, "🙋 Không phải tôi phụ trách")
    assert "đã báo quản trị viên" in (await mai.next()).text
    await reminders.deliver()
    told = await reminders.fake.next_message(ADMIN)
    assert "Mai (Telegram 701) báo không phụ trách" in told.text and f"/moi {KIEN_GIANG}" in told.text
    with reminders.rt.db.session() as session:
        assert session.get(Person, 701).role == "staff"
    await reminders.at(*THREE_DAYS_BEFORE)
    await mai.hears_nothing(0.2)
    again = reminders.fake.push_callback(checkin, hand_over, user_id=701, first_name="Mai",
                                         stale=True)  # another device still shows it
    await reminders.fake.callback_answer(again)
    assert "đã báo quản trị viên" in (await mai.next()).text
    await reminders.deliver()
    await reminders.fake.no_message(ADMIN, 0.2)  # told once
