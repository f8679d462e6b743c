"""Deadline reminders as people get them: subscribing, each offset, holidays, plan periods, nudges."""

from __future__ import annotations

import datetime as dt

from bot.reminders.planner import plan
from tests.conftest import VIETNAM
from tests.support.reminders_harness import ADMIN

KIEN_GIANG = "so-xd-kien-giang"
GROUP = -100777


async def test_an_extended_plan_reminds_7_then_3_days_before_and_the_1_day_reminder_moves_off_sunday(reminders):
    reminders.extend(KIEN_GIANG, dt.date(2026, 12, 31))  # "30/5 và 30/11" now recurs in 2026
    lan = await reminders.subscriber(501, "Lan", KIEN_GIANG)
    await reminders.deliver()
    await lan.hears_nothing(0.2)
    await reminders.at(2026, 11, 23, 8, 0)
    week = await lan.next()
    assert week.text.startswith("⏰ Nhắc hạn sắp tới:") and "30/11/2026" in week.text and "còn 7 ngày" in week.text
    assert "/baocao" in week.text and "còn thiếu" in week.text
    await reminders.at(2026, 11, 26, 8, 0)
    await lan.hears_nothing(0.2)
    await reminders.at(2026, 11, 27, 8, 0)  # 3 days before; 1 day before is a Sunday: the same Friday, once
    assert "còn 3 ngày" in (await lan.next()).text
    await reminders.at(2026, 11, 29, 8, 0)
    await lan.hears_nothing(0.2)
    assert [(r.offset_label, r.state) for r in reminders.rows(chat_id=501)] == [("7d", "sent"), ("1d", "sent")]
    assert all(r.message_id for r in reminders.rows(chat_id=501))


async def test_a_group_admin_turns_reminders_on_for_the_group_and_a_member_cannot(reminders):
    an, binh = reminders.member(GROUP, 601, "An"), reminders.member(GROUP, 602, "Bình")
    assert "Chỉ quản trị viên của nhóm" in (await an.say(f"/start {KIEN_GIANG}")).text
    reminders.fake.set_member(GROUP, 602, "creator")
    assert "Nhóm này đã chọn đơn vị" in (await binh.say(f"/start {KIEN_GIANG}")).text
    assert "Chỉ quản trị viên của nhóm" in (await an.say("/nhacnho bat")).text
    reminders.fake.set_member(GROUP, 601, "administrator")
    assert "Đã bật nhắc hạn cho nhóm này theo đơn vị Sở Xây dựng tỉnh Kiên Giang" in (await an.say("/nhacnho bat")).text
    assert "đang bật" in (await an.say("/nhacnho")).text
    reminders.extend(KIEN_GIANG, dt.date(2026, 12, 31))
    await reminders.deliver()
    await reminders.at(2026, 11, 23, 8, 0)
    assert "còn 7 ngày" in (await an.next()).text
    assert "Đã tắt nhắc hạn cho nhóm này" in (await an.say("/nhacnho tat")).text
    await reminders.at(2026, 11, 27, 8, 0)
    await an.hears_nothing(0.2)


async def test_expired_plans_stay_silent_unless_extended(reminders):
    lan = await reminders.subscriber(501, "Lan", "huyen-bu-gia-map")  # "15/6, 15/12": the plan ended 2025
    hung = await reminders.subscriber(502, "Hùng", "xa-cat-ne")  # ended 31/12/2024
    await reminders.deliver()
    await reminders.at(2026, 12, 8, 8, 0)
    await lan.hears_nothing(0.2)
    reminders.extend("huyen-bu-gia-map", dt.date(2026, 12, 31))
    await reminders.at(2026, 12, 11, 8, 0)  # 15/12 is a Tuesday; 3 days before is Saturday: Friday 11/12
    assert "15/12/2026" in (await lan.next()).text
    await hung.hears_nothing(0.2)
    assert "15/12/2026" in (await lan.say("/hanchot")).text  # the listing follows the extension too


async def test_an_admins_deadline_reminds_on_the_working_day_before_a_public_holiday(reminders):
    admin = reminders.user(ADMIN, "Quản trị")
    added = await admin.say("/hanchot them 25/11/2026 17:00 Nộp báo cáo chuyên đề xa-cat-ne")
    assert added.text.startswith("✅ Đã thêm hạn số 1: Nộp báo cáo chuyên đề — 17:00 ngày 25/11/2026, cho")
    hung = await reminders.subscriber(502, "Hùng", "xa-cat-ne")
    lan = await reminders.subscriber(501, "Lan", KIEN_GIANG)
    assert "[1] 17:00 ngày 25/11/2026 (còn 3 ngày) — Nộp báo cáo chuyên đề" in (await hung.say("/hanchot")).text
    await reminders.deliver()
    await reminders.at(2026, 11, 23, 8, 0)  # 1 day before is 24/11, Vietnam Cultural Day: Monday 23/11
    assert "Nộp báo cáo chuyên đề" in (await hung.next()).text and "còn 2 ngày" in hung.bot.fake.sent(502)[-1].text
    await lan.hears_nothing(0.2)


async def test_admins_add_and_remove_deadlines_and_others_are_told_who_can(reminders):
    admin, lan = reminders.user(ADMIN, "Quản trị"), await reminders.subscriber(501, "Lan", KIEN_GIANG)
    assert "Chỉ quản trị viên" in (await lan.say("/hanchot them 15/12/2026 Báo cáo năm")).text
    assert "Cách thêm hạn" in (await admin.say("/hanchot them mai nhé")).text
    assert "không có thật" in (await admin.say("/hanchot them 31/11/2026 Báo cáo")).text
    assert "đã qua" in (await admin.say("/hanchot them 01/11/2026 Báo cáo")).text
    added = await admin.say("/hanchot them 30/11/2026 Báo cáo kết quả năm 2026")
    assert "17:00 ngày 30/11/2026, cho mọi đơn vị" in added.text
    assert "Đã xóa hạn số 1" in (await admin.say("/hanchot xoa 1")).text
    assert "Không có hạn số 1" in (await admin.say("/hanchot xoa 1")).text
    await reminders.deliver()
    await reminders.at(2026, 11, 23, 8, 0)
    await lan.hears_nothing(0.2)


async def test_officers_are_nudged_until_their_unit_has_reported_every_figure(reminders):
    reminders.extend(KIEN_GIANG, dt.date(2026, 12, 31))
    reminders.officer(701, "Mai", KIEN_GIANG)
    await reminders.deliver()
    reminders.report_all(KIEN_GIANG, "2026-H2", but=1)
    await reminders.at(2026, 11, 23, 8, 0)
    nudge = await reminders.fake.next_message(701)
    assert nudge.text.startswith("👋 Mai, nhắc bạn hạn sắp tới:") and "còn thiếu 1/" in nudge.text
    reminders.report_all(KIEN_GIANG, "2026-H2")
    await reminders.at(2026, 11, 27, 8, 0)
    await reminders.fake.no_message(701, 0.2)
    assert [r.state for r in reminders.rows(chat_id=701)] == ["sent"]


async def test_a_nudge_planned_before_the_unit_reported_is_dropped_when_its_turn_comes(reminders):
    reminders.extend(KIEN_GIANG, dt.date(2026, 12, 31))
    reminders.officer(701, "Mai", KIEN_GIANG)
    await reminders.deliver()
    reminders.clock.now = dt.datetime(2026, 11, 23, 8, 0, tzinfo=VIETNAM)
    with reminders.rt.db.session() as session:
        assert plan(reminders.kb, reminders.rt.reminders, reminders.clock(), session=session) == 1
    reminders.report_all(KIEN_GIANG, "2026-H2")
    await reminders.deliver()
    await reminders.fake.no_message(701, 0.2)
    assert [(r.state, r.reason) for r in reminders.rows(chat_id=701)] == [
        ("skipped", "the unit has reported every figure")]


async def test_guitin_shows_admins_how_recent_reminders_went(reminders):
    reminders.extend(KIEN_GIANG, dt.date(2026, 12, 31))
    lan = await reminders.subscriber(501, "Lan", KIEN_GIANG)
    reminders.fake.block(502)
    reminders.quiet_subscribers([502], KIEN_GIANG)
    await reminders.deliver()
    await reminders.at(2026, 11, 23, 8, 0)
    status = await reminders.user(ADMIN, "Quản trị").say("/guitin")
    assert "23/11 08:00 (trước 7d)" in status.text and "đã gửi 1" in status.text and "lỗi 1" in status.text
    await lan.next()
    assert "Chỉ quản trị viên" in (await lan.say("/guitin")).text


async def test_the_job_queue_runs_the_service_on_its_own(reminders):
    reminders.extend(KIEN_GIANG, dt.date(2026, 12, 31))
    lan = await reminders.subscriber(501, "Lan", KIEN_GIANG)
    await reminders.deliver()
    reminders.clock.now = dt.datetime(2026, 11, 23, 8, 0, tzinfo=VIETNAM)
    for job in reminders.app.job_queue.get_jobs_by_name("reminders"):
        job.enabled = True
    assert "còn 7 ngày" in (await lan.next()).text  # within one tick (5 s)
    assert reminders.rt.last_tick_at == reminders.clock.now
