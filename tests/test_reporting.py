"""End to end: officers invited, joining, reporting, correcting; admins compiling. Through the fake Bot API."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.core.models import Person as PersonRow
from bot.core.models import Submission
from bot.people.invites import ADMINS_ONLY
from bot.reporting.guided import NOT_OFFICER, PRIVATE_ONLY
from tests.support.fakebotapi import SentMessage
from tests.support.harness import Person
from tests.support.sql import statements

CAT_NE = "Ủy ban nhân dân xã Cát Nê"


def label(message: SentMessage, start: str) -> str:
    """The label of the one button that starts with `start`."""
    found = [b for row in message.buttons for b in row if b.startswith(start)]
    assert len(found) == 1, f"{start!r} in {message.buttons}"
    return found[0]


async def invite_link(telegram, unit: str = "xa cat ne") -> str:
    reply = await telegram.admin().say(f"/moi {unit}")
    return re.search(r"https://t\.me/thidua_bot\?start=(\S+)", reply.text).group(1)


@pytest.fixture
async def officer(telegram) -> Person:
    """Mai, officer of xã Cát Nê, joined through an invite link."""
    mai = telegram.user(701, "Mai")
    await mai.say(f"/start {await invite_link(telegram)}")
    return mai


def stored(telegram) -> list[Submission]:
    with telegram.rt.db.session() as session:
        return list(session.scalars(select(Submission).order_by(Submission.id)))


async def test_an_admin_invites_and_the_link_makes_an_officer_once(telegram):
    payload = await invite_link(telegram)
    mai, hoa = telegram.user(701, "Mai"), telegram.user(702, "Hoa")
    assert f"Bạn đã là cán bộ báo cáo của {CAT_NE}" in (await mai.say(f"/start {payload}")).text
    assert "đã được dùng" in (await hoa.say(f"/start {payload}")).text
    assert NOT_OFFICER in (await hoa.say("/baocao")).text


async def test_an_invite_expires_after_seven_days_and_only_admins_invite(telegram, clock):
    payload = await invite_link(telegram)
    clock.now += dt.timedelta(days=7, minutes=1)
    assert "hết hạn" in (await telegram.user(703, "Tú").say(f"/start {payload}")).text
    assert (await telegram.user(703, "Tú").say("/moi xa cat ne")).text == ADMINS_ONLY


async def test_an_admin_picks_the_unit_from_buttons(telegram):
    admin = telegram.admin()
    menu = await admin.say("/moi")
    await admin.press(menu, CAT_NE)
    edit = await telegram.fake.wait_for("editMessageText")
    assert "https://t.me/thidua_bot?start=moi-" in edit.params["text"]


async def test_a_guided_report_echoes_the_target_and_stores_on_confirmation(officer, telegram):
    menu = await officer.say("/baocao")
    assert "còn 8/8 chỉ tiêu" in menu.text and menu.buttons[0][0].startswith("⏳ III-1")
    await officer.press(menu, label(menu, "⏳ III-3"))
    assert "Chỉ tiêu: 80%" in (await officer.next()).text
    echo = await officer.say("85,5%")
    assert "85,5% — đạt chỉ tiêu 80% ✅" in echo.text and not stored(telegram)
    await officer.press(echo, "✅ Xác nhận")
    done = await officer.next()
    assert "Đã ghi" in done.text and "Còn 7 chỉ tiêu" in done.text
    [row] = stored(telegram)
    assert (row.value, row.met, row.person_name, row.period.code) == (85.5, True, "Mai", "2026-H2")
    menu = await officer.say("/baocao")
    assert menu.buttons[-1][0].startswith("✅ III-3")


async def test_a_value_below_target_is_stored_as_not_met_and_retyping_replaces_it(officer, telegram):
    menu = await officer.say("/baocao")
    await officer.press(menu, label(menu, "⏳ III-3"))
    await officer.next()
    echo = await officer.say("70")
    assert "70% — chưa đạt chỉ tiêu 80% ❌" in echo.text
    await officer.press(echo, "✏️ Nhập lại")
    await officer.next()
    await officer.press(await officer.say("45/60"), "✅ Xác nhận")
    await officer.next()
    [row] = stored(telegram)
    assert (row.numerator, row.denominator, row.value, row.met) == (45, 60, 75.0, False)


async def test_the_one_line_form_stores_at_once(officer, telegram):
    reply = await officer.say("/baocao III-3 45/60")
    assert "Đã ghi: III-3" in reply.text and "45/60 (75%) — chưa đạt ❌" in reply.text
    reply = await officer.say("/baocao ho so tthc xu ly hoan toan truc tuyen 85 phần trăm")
    assert "85% — đạt ✅" in reply.text
    assert [r.value for r in stored(telegram)] == [75.0, 85.0]


async def test_an_officer_who_changed_their_name_reports_under_the_new_one(officer, telegram):
    await officer.say("/baocao III-3 45/60")
    renamed = telegram.user(701, "Mai Nguyễn")
    assert "Đã ghi: III-4" in (await renamed.say("/baocao III-4 85%")).text
    assert [r.person_name for r in stored(telegram)] == ["Mai", "Mai Nguyễn"]
    with telegram.rt.db.session() as session:
        assert session.get(PersonRow, 701).name == "Mai Nguyễn"


async def test_a_one_line_report_costs_few_statements(officer, telegram):
    await officer.say("/baocao III-3 45/60")  # the half-year's period row exists from now on
    with statements(telegram.rt.db.engine) as seen:
        assert "Đã ghi: III-4" in (await officer.say("/baocao III-4 85%")).text
    # the update taken in, who reports, the figure (a redelivery inserts nothing), what is left to report; the
    # plan's indicators and the period are known already; no admin scope, no chat row, no savepoint
    assert len(seen) <= 4, "\n".join(seen)
    assert not any("admin_appointments" in s or "FROM chats" in s for s in seen)


@pytest.mark.parametrize("typed, says", [
    ("/baocao III-3 120%", "Tỷ lệ phải từ 0 đến 100%"),
    ("/baocao III-3 -5%", "Tỷ lệ phải từ 0 đến 100%"),
    ("/baocao III-3 50/40", "không thể lớn hơn tổng số"),
    ("/baocao III-3 chưa có", "Chưa thấy con số"),
    ("/baocao XYZ-9 80%", "Không rõ chỉ tiêu “XYZ-9”"),
])
async def test_bad_values_are_refused_with_a_hint_and_nothing_is_stored(officer, telegram, typed, says):
    assert says in (await officer.say(typed)).text
    assert not stored(telegram)


async def test_a_bad_value_in_the_guided_form_asks_again(officer, telegram):
    menu = await officer.say("/baocao")
    await officer.press(menu, label(menu, "⏳ III-1"))
    await officer.next()
    assert "Tỷ lệ phải từ 0 đến 100%" in (await officer.say("150%")).text
    assert "100% — đạt chỉ tiêu 100% ✅" in (await officer.say("100%")).text


async def test_sua_corrects_the_last_submission_with_a_new_row(officer, telegram):
    await officer.say("/baocao III-3 70%")
    prompt = await officer.say("/sua")
    assert "III-3" in prompt.text and "70%" in prompt.text
    await officer.press(await officer.say("82%"), "✅ Xác nhận")
    assert "Đã ghi (đã sửa)" in (await officer.next()).text
    assert "Đã ghi (đã sửa)" in (await officer.say("/sua 83%")).text
    first, second, third = stored(telegram)
    assert (second.supersedes_id, third.supersedes_id) == (first.id, second.id)
    assert [r.value for r in (first, second, third)] == [70.0, 82.0, 83.0]


async def test_huy_cancels_at_every_step(officer, telegram):
    await officer.say("/baocao")
    assert "Đã hủy" in (await officer.say("/huy")).text
    menu = await officer.say("/baocao")
    await officer.press(menu, label(menu, "⏳ III-1"))
    await officer.next()
    assert "Đã hủy" in (await officer.say("/huy")).text
    menu = await officer.say("/baocao")
    await officer.press(menu, label(menu, "⏳ III-1"))
    await officer.next()
    await officer.press(await officer.say("100%"), "✖️ Hủy")
    assert "Đã hủy" in (await officer.next()).text
    assert not stored(telegram)
    assert "Không có việc gì" in (await officer.say("/huy")).text


async def test_a_redelivered_update_is_stored_once(officer, telegram):
    update_id = officer.send("/baocao III-3 85%")
    first = await officer.next()
    officer.send("/baocao III-3 85%", update_id=update_id)  # Telegram redelivers after a lost confirmation
    await officer.hears_nothing(0.5)  # taken in before: skipped, as the webhook does (tests/test_faults.py)
    assert "Đã ghi" in first.text and len(stored(telegram)) == 1


async def test_only_officers_report_and_only_in_private(officer, telegram):
    assert (await telegram.user(704, "Khách").say("/baocao")).text == NOT_OFFICER
    assert (await telegram.member(-100555, 701, "Mai").say("/baocao")).text == PRIVATE_ONLY


async def test_tiendo_lists_the_indicators_and_sends_a_chart(officer, telegram):
    await officer.say("/baocao III-3 85%")
    await officer.say("/baocao III-1 90%")
    progress = await officer.say("/tiendo")
    assert "Đã báo cáo 2/8 chỉ tiêu, đạt 1" in progress.text
    assert "✅ III-3" in progress.text and "❌ III-1" in progress.text and "⏳ III-2" in progress.text
    chart = await officer.next()
    assert chart.file.data.startswith(b"\x89PNG") and "Biểu đồ" in chart.text


async def test_admins_compile_and_list_who_has_not_submitted(officer, telegram):
    await officer.say("/baocao III-3 85%")
    admin = telegram.admin()
    summary = await admin.say("/tonghop")
    assert f"{CAT_NE}: báo cáo 1/8, đạt 1" in summary.text
    chart = await admin.next()  # the units' standing, drawn
    assert chart.file.data.startswith(b"\x89PNG") and "chưa nộp" in chart.text
    missing = await admin.say("/chuanop 2026-H2")
    assert f"{CAT_NE}: thiếu 7/8 — Mai" in missing.text and "chưa có cán bộ báo cáo" in missing.text
    assert "Không hiểu kỳ" in (await admin.say("/tonghop quý 5")).text
    assert (await officer.say("/tonghop")).text == ADMINS_ONLY


async def test_xuat_sends_a_workbook_and_a_csv_checked_cell_by_cell(officer, telegram):
    await officer.say("/baocao III-3 45/60 ")
    telegram.admin().send("/xuat 2026")
    workbook, table = await telegram.admin().next(), await telegram.admin().next()
    assert workbook.file.file_name == "thi-dua-cds-2026.xlsx" and table.file.file_name == "thi-dua-cds-2026.csv"
    book = load_workbook(io.BytesIO(workbook.file.data))
    assert book.sheetnames[-2:] == ["Chi tiết", "Chưa nộp"] and "Tổng hợp xa-cat-ne" in book.sheetnames
    summary = book["Tổng hợp xa-cat-ne"]
    assert summary["A1"].value == CAT_NE.upper() and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in _values(summary, 1)
    assert summary["A4"].value == "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU CHUYỂN ĐỔI SỐ"
    assert summary["A5"].value.startswith("Kỳ báo cáo: năm 2026") and summary["A6"].value == "Ngày lập: 22/11/2026"
    column = next(c for c in range(3, summary.max_column + 1) if (summary.cell(8, c).value or "").startswith("III-3\n"))
    target, value = summary.cell(9, column), summary.cell(10, column)
    assert (summary["B10"].value, target.value, value.value) == (CAT_NE, 0.8, 0.75)
    assert "%" in target.number_format and value.number_format == '0.0% "✗"'
    assert summary.cell(10, column + 1).value == "chưa nộp"
    assert len(summary.conditional_formatting) >= 8  # a rule pair for each indicator's column
    setup = summary.page_setup
    assert (setup.orientation, int(setup.paperSize), setup.fitToHeight) == ("landscape", 9, 0)  # 9: A4
    assert summary.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1)  # 1 page wide
    assert summary.print_title_rows == "$8:$9"
    detail = [r for r in book["Chi tiết"].iter_rows(min_row=2, values_only=True)
              if r[3] == "III-3" and r[1] == "xa-cat-ne"]
    assert detail[0][5:12] == (0.8, "45/60 (75%)", 0.75, 45, 60, "Chưa đạt", "Mai")
    assert not any("…" in (r[4] or "") for r in book["Chi tiết"].iter_rows(min_row=2, values_only=True))
    owing = {r[0]: r for r in book["Chưa nộp"].iter_rows(min_row=2, values_only=True)}
    assert owing["xa-cat-ne"][2:4] == (7, 8) and owing["xa-cat-ne"][5] == "Mai"
    lines = table.file.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Kỳ,Mã đơn vị") and any("xa-cat-ne" in line and "45/60 (75%)" in line for line in lines)


def _values(sheet, row: int) -> list:
    return [cell.value for cell in sheet[row]]


async def test_an_officer_keeps_their_unit_when_picking_another(officer, telegram):
    menu = await officer.say("/donvi")
    await officer.press(menu, "Sở Xây dựng tỉnh Kiên Giang")
    edit = await telegram.fake.wait_for("editMessageText")
    assert "giữ đơn vị này" in edit.params["text"]
    assert CAT_NE in (await officer.say("/baocao")).text


async def test_help_shows_admins_their_commands(telegram):
    assert "/moi" in (await telegram.admin().say("/trogiup")).text
    assert "/moi" not in (await telegram.user(705, "Bình").say("/trogiup")).text


async def started_report(officer: Person, indicator: str = "⏳ III-3") -> None:
    """The officer opens /baocao and picks an indicator: the bot waits for the value."""
    menu = await officer.say("/baocao")
    await officer.press(menu, label(menu, indicator))
    assert "Nhập kết quả" in (await officer.next()).text


async def test_a_report_goes_on_after_a_restart_and_is_stored_once(officer, telegram):
    await started_report(officer)
    await telegram.restart()  # a new Application: nothing of the report is left in memory
    echo = await officer.say("85,5%")
    assert "85,5% — đạt chỉ tiêu 80% ✅" in echo.text
    await officer.press(echo, "✅ Xác nhận")
    assert "Đã ghi" in (await officer.next()).text
    telegram.fake.push_callback(echo, "bc:ok", user_id=701, stale=True)  # again, from a second phone
    assert "Đã ghi" in (await officer.next()).text
    assert [row.value for row in stored(telegram)] == [85.5]


async def test_a_report_left_for_15_minutes_expires_and_huy_cancels(officer, telegram, clock):
    await started_report(officer)
    clock.now += dt.timedelta(minutes=16)
    assert "hết thời gian chờ" in (await officer.say("85%")).text
    assert "Không có việc gì" in (await officer.say("/huy")).text
    await started_report(officer)
    assert "Đã hủy" in (await officer.say("/huy")).text
    assert not stored(telegram)


async def test_a_report_is_stored_only_for_the_unit_it_was_started_for(officer, telegram):
    await started_report(officer)
    echo = await officer.say("90%")
    await officer.say(f"/start {await invite_link(telegram, 'so xd kien giang')}")  # now an officer elsewhere
    await officer.press(echo, "✅ Xác nhận")
    assert "chưa ghi" in (await officer.next()).text
    assert not stored(telegram)
