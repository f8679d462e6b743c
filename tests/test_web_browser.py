"""The office's web page in a real browser (Chromium), beside the real bot and the fake Bot API: an admin
signs in with the link /web sends, sees what officers just reported, imports, downloads, nudges, signs out;
and everyone else is refused in words."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.core.models import AuditEntry, Unit
from bot.people import signin
from tests.support.browser import Site

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the services run on both
CAT_NE = "Ủy ban nhân dân xã Cát Nê"


async def officer_of_cat_ne(site: Site, user_id: int = 701, name: str = "Mai"):
    reply = await site.bot.admin().say("/moi xa cat ne")
    payload = re.search(r"start=(\S+)", reply.text).group(1)
    mai = site.bot.user(user_id, name)
    assert "cán bộ báo cáo" in (await mai.say(f"/start {payload}")).text
    return mai


def cell(site: Site, unit: str):
    return site.page.locator("table.matrix tbody tr", has_text=unit)


async def test_an_admin_signs_in_by_link_sees_a_figure_just_reported_and_signs_out(site):
    mai = await officer_of_cat_ne(site)
    assert "Đã ghi: III-3" in (await mai.say("/baocao III-3 85%")).text
    await site.sign_in()
    await site.page.select_option("select[name=ke_hoach]", "xa-cat-ne")
    await site.page.get_by_role("button", name="Xem").click()
    row = cell(site, CAT_NE)
    await row.wait_for()
    assert "✔ 85%" in await row.inner_text()
    assert "…" in await row.inner_text()  # the indicators not reported yet, marked by a symbol too
    await site.page.get_by_role("button", name="Đăng xuất").click()
    assert "Bạn đã đăng xuất" in await site.page.inner_text("main")
    response = await site.page.goto(site.url("/"))
    assert response.status == 401 and "Gửi /web cho bot" in await site.page.inner_text("main")
    with site.bot.rt.db.session() as session:
        actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["sign-in", "sign-out"]


async def test_a_unit_page_shows_a_correction_with_the_value_it_replaced(site):
    mai = await officer_of_cat_ne(site)
    await mai.say("/baocao III-3 70%")
    assert "đã sửa" in (await mai.say("/sua 83%")).text
    await site.sign_in()
    await site.page.goto(site.url("/don-vi/xa-cat-ne"))
    line = site.page.locator("table.list tbody tr", has_text="III-3")
    text = await line.inner_text()
    assert "✔ 83%" in text and "đã thay 70%" in text and "Mai" in text
    assert "Mai" in await site.page.locator("main ul").inner_text()  # its officers


async def test_a_unit_import_with_one_bad_row_stores_nothing_and_a_good_one_stores_all(site, tmp_path):
    await site.sign_in()
    await site.page.goto(site.url("/can-bo"))
    bad = tmp_path / "don-vi.csv"
    bad.write_text("code,name,plan,level,parent\nxa-moi-1,Xã Mới Một,xa-cat-ne,xã,\n"
                   "Xa Sai,Xã Sai Mã,xa-cat-ne,xã,\n", encoding="utf-8")
    form = site.page.locator("form[action='/can-bo/nhap']")
    await form.locator("input[type=file]").set_input_files(str(bad))
    await form.get_by_role("button", name="Xem trước").click()
    errors = await site.page.locator(".errors").inner_text()
    assert "chưa lưu gì" in errors and "Dòng 3" in errors and "xa sai" in errors
    good = tmp_path / "don-vi-2.csv"
    good.write_text("code,name,plan,level,parent\nxa-moi-1,Xã Mới Một,xa-cat-ne,xã,\n"
                    "xa-moi-2,Xã Mới Hai,xa-cat-ne,xã,xa-moi-1\n", encoding="utf-8")
    with site.bot.rt.db.session() as session:
        assert session.scalar(select(Unit).where(Unit.code == "xa-moi-1")) is None
    await site.page.goto(site.url("/can-bo"))
    await form.locator("input[type=file]").set_input_files(str(good))
    await form.get_by_role("button", name="Xem trước").click()
    await site.page.get_by_role("button", name="Lưu 2 đơn vị").click()
    assert "Đã lưu 2 đơn vị" in await site.page.inner_text("main")
    with site.bot.rt.db.session() as session:
        child = session.scalar(select(Unit).where(Unit.code == "xa-moi-2"))
        assert child.parent.code == "xa-moi-1" and child.name == "Xã Mới Hai"


async def test_bulk_invites_give_an_excel_of_links_and_qr_codes_that_make_officers(site, tmp_path):
    await site.sign_in()
    await site.page.goto(site.url("/can-bo"))
    people = tmp_path / "can-bo.csv"
    people.write_text("họ tên,đơn vị\nTrần Thu,xa-cat-ne\nLê Minh,so-xd-kien-giang\n", encoding="utf-8")
    form = site.page.locator("form[action='/can-bo/moi']")
    await form.locator("input[type=file]").set_input_files(str(people))
    await form.get_by_role("button", name="Tạo liên kết mời").click()
    assert await site.page.locator("figure.qr svg").count() == 2
    async with site.page.expect_download() as waiting:
        await site.page.get_by_role("link", name="Tải Excel").click()
    sheet = load_workbook(io.BytesIO((await (await waiting.value).path()).read_bytes())).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in rows] == [("Trần Thu", "xa-cat-ne"), ("Lê Minh", "so-xd-kien-giang")]
    payload = rows[0][3].split("start=")[1]
    assert CAT_NE in (await site.bot.user(720, "Thu").say(f"/start {payload}")).text


async def test_the_excel_download_has_the_reported_figure(site):
    mai = await officer_of_cat_ne(site)
    await mai.say("/baocao III-3 45/60")
    await site.sign_in()
    async with site.page.expect_download() as waiting:
        await site.page.get_by_role("link", name="Excel").click()
    download = await waiting.value
    assert download.suggested_filename == "thi-dua-cds-2026-H2.xlsx"
    book = load_workbook(io.BytesIO((await download.path()).read_bytes()))
    values = [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row]
    assert "45/60 (75%)" in values and CAT_NE in values


async def test_a_nudge_goes_to_each_officer_once(site):
    mai = await officer_of_cat_ne(site)
    await site.sign_in()
    await site.page.goto(site.url("/chua-nop"))
    assert CAT_NE in await site.page.inner_text("table.list")
    await site.page.get_by_role("button", name="Nhắc ngay các cán bộ còn thiếu").click()
    assert "Đã xếp 1 tin nhắc" in await site.page.inner_text(".flash")
    await site.page.get_by_role("button", name="Nhắc ngay các cán bộ còn thiếu").click()
    assert "Đã xếp 0 tin nhắc" in await site.page.inner_text(".flash")
    assert "1 cán bộ đã được nhắc hôm nay" in await site.page.inner_text(".flash")
    await site.bot.deliver()
    nudge = await mai.next()
    assert "Mai, nhắc bạn" in nudge.text and "còn thiếu" in nudge.text
    await site.bot.deliver()
    await mai.hears_nothing()


async def test_without_a_session_nothing_shows(site):
    for path in ("/", "/don-vi/xa-cat-ne", "/tai-ve/2026-H2.xlsx"):
        response = await site.page.goto(site.url(path))
        assert response.status == 401 and "Chưa đăng nhập" in await site.page.inner_text("h1")
    response = await site.page.request.post(site.url("/chua-nop/nhac"), form={"ky": "2026-H2"})
    assert response.status == 401


async def test_an_expired_link_and_a_used_link_are_refused(site):
    link = await site.link()
    site.bot.clock.now += signin.LINK_VALID_FOR + dt.timedelta(seconds=1)
    response = await site.page.goto(link)
    assert response.status == 403 and "hết hạn (10 phút)" in await site.page.inner_text("main")
    link = await site.link()
    await site.page.goto(link)
    await site.page.get_by_role("button", name="Đăng nhập").click()
    await site.page.context.clear_cookies()
    response = await site.page.goto(link)
    assert response.status == 403 and "đã được dùng" in await site.page.inner_text("main")


async def test_a_form_without_its_csrf_token_changes_nothing(site):
    await officer_of_cat_ne(site)
    await site.sign_in()
    response = await site.page.request.post(site.url("/chua-nop/nhac"), form={"ky": "2026-H2"})
    assert response.status == 403 and "Biểu mẫu đã cũ" in await response.text()
    response = await site.page.request.post(site.url("/chua-nop/nhac"), form={"ky": "2026-H2", "csrf": "x" * 32})
    assert response.status == 403
    assert site.bot.rows() == []


async def test_a_non_admin_gets_no_link_and_a_link_for_them_signs_nobody_in(site):
    lan = site.bot.user(555, "Lan")
    await lan.say("/start xa-cat-ne")
    assert "/dang-nhap/" not in (await lan.say("/web")).text
    with site.bot.rt.db.session() as session:
        link = signin.new_link(555, site.bot.rt.web_url, site.bot.clock(), session=session)
    await site.page.goto(link)
    await site.page.get_by_role("button", name="Đăng nhập").click()
    assert "chỉ dành cho quản trị viên" in await site.page.inner_text("main")
    response = await site.page.goto(site.url("/"))
    assert response.status == 401


async def test_a_deadline_is_added_in_the_offices_own_date_format_and_a_day_that_does_not_exist_is_refused(site):
    mai = await officer_of_cat_ne(site)
    await site.sign_in()
    await site.page.goto(site.url("/han-chot"))
    form = site.page.locator("form[action='/han-chot/them']")
    await form.get_by_label("Nội dung").fill("Nộp báo cáo năm 2026")
    await form.get_by_label("Ngày").fill("31/02/2027")
    await form.get_by_role("button", name="Thêm hạn").click()
    assert "ví dụ 15/12/2026" in await site.page.inner_text("main")
    await site.page.goto(site.url("/han-chot"))
    await form.get_by_label("Nội dung").fill("Nộp báo cáo năm 2026")
    await form.get_by_label("Ngày").fill("20/12/2026")
    await form.get_by_label("Giờ").fill("16h30")
    await form.get_by_role("button", name="Thêm hạn").click()
    assert "20/12/2026 16:30" in await site.page.inner_text("main")
    assert "Nộp báo cáo năm 2026" in (await mai.say("/hanchot")).text
