"""End to end: admins kept in the database, each limited to a unit and its sub-units; a super-admin
(BOT_ADMIN_IDS) appoints and dismisses them, effective at the next message. Through the fake Bot API."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys

import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from openpyxl import load_workbook
from telegram import BotCommandScopeChat

from bot.core.models import Appointment, Delivery
from bot.people import admins, signin
from bot.people.appointing import SUPER_ONLY
from bot.people.invites import ADMINS_ONLY
from bot.people.units import add_unit, unit_by_code
from bot.reminders.catalog import admin_deadlines
from bot.reporting.periods import half_of
from bot.web.app import make_app
from bot.web.auth import COOKIE
from handlers import admin_menus

BU_GIA_MAP = "Ủy ban nhân dân huyện Bù Gia Mập"
CAT_NE = "Ủy ban nhân dân xã Cát Nê"
DAK_O = "UBND xã Đắk Ơ"
THANH = 801  # Thanh of the district office


def add_commune(telegram) -> None:
    """xã Đắk Ơ, a commune under huyện Bù Gia Mập (xã Cát Nê belongs to no district here)."""
    with telegram.rt.db.session() as session:
        add_unit("xa-dak-o", DAK_O, plan_id=unit_by_code("huyen-bu-gia-map", session=session).plan_id, level="xã",
                 parent_code="huyen-bu-gia-map", plans=set(telegram.kb.plans), session=session)


async def test_an_appointed_district_admin_administers_its_communes_only_and_at_once(telegram):
    add_commune(telegram)
    thanh, boss = telegram.user(THANH, "Thanh"), telegram.admin()
    assert (await thanh.say("/moi xa dak o")).text == ADMINS_ONLY
    appointed = await boss.say(f"/quantri them {THANH} huyen-bu-gia-map")
    assert f"nay quản trị {BU_GIA_MAP}" in appointed.text
    link = await thanh.say("/moi xa-dak-o")  # no restart: the next message already knows
    assert f"Liên kết mời cán bộ báo cáo của {DAK_O}" in link.text
    refused = await thanh.say("/moi xa cat ne")
    assert f"{CAT_NE} không thuộc phạm vi bạn quản trị" in refused.text and "/quantri" in refused.text
    menu = await thanh.say("/moi")
    assert sorted(menu.buttons) == sorted([[BU_GIA_MAP], [DAK_O]])
    summary = await thanh.say("/tonghop")
    assert DAK_O in summary.text and CAT_NE not in summary.text
    missing = await thanh.say("/chuanop")
    assert DAK_O in missing.text and CAT_NE not in missing.text
    assert "không thuộc phạm vi" in (await thanh.say("/hanchot them 15/12/2026 Báo cáo quý xa-cat-ne")).text
    assert "Đã thêm hạn" in (await thanh.say("/hanchot them 15/12/2026 Báo cáo quý xa-dak-o")).text
    assert "ghi mã đơn vị" in (await thanh.say("/hanchot them 15/12/2026 Báo cáo quý")).text
    assert (await thanh.say("/quantri them 802 xa-dak-o")).text == SUPER_ONLY
    assert "thôi quản trị" in (await boss.say(f"/quantri xoa {THANH}")).text
    assert (await thanh.say("/tonghop")).text == ADMINS_ONLY


async def test_a_district_admins_export_holds_its_units_only(telegram):
    add_commune(telegram)
    thanh = telegram.user(THANH, "Thanh")
    await telegram.admin().say(f"/quantri them {THANH} huyen-bu-gia-map")
    thanh.send("/xuat")
    workbook, table = await thanh.next(), await thanh.next()
    details = load_workbook(io.BytesIO(workbook.file.data))["Chi tiết"]
    units = {cell.value for cell in details["C"]} | {cell.value for cell in details["B"]}
    csv = table.file.data.decode("utf-8-sig")
    assert DAK_O in csv and BU_GIA_MAP in csv and CAT_NE not in csv
    assert CAT_NE not in units


async def test_a_district_admins_guitin_counts_its_units_reminders_only(telegram):
    add_commune(telegram)
    with telegram.rt.db.session() as session:
        for code, title in (("xa-dak-o", "Nhắc Đắk Ơ"), ("xa-cat-ne", "Nhắc Cát Nê")):
            due = telegram.clock() - dt.timedelta(days=1)
            session.add(Delivery(deadline_key=code, offset_label="1d", occurrence=due, chat_id=1, kind="chat",
                                 unit_id=unit_by_code(code, session=session).id, title=title, due_at=due,
                                 state="sent"))
    thanh = telegram.user(THANH, "Thanh")
    await telegram.admin().say(f"/quantri them {THANH} huyen-bu-gia-map")
    mine = (await thanh.say("/guitin")).text
    assert "Nhắc Đắk Ơ" in mine and "Nhắc Cát Nê" not in mine
    everyone = (await telegram.admin().say("/guitin")).text
    assert "Nhắc Đắk Ơ" in everyone and "Nhắc Cát Nê" in everyone


async def test_an_appointed_admins_chat_shows_the_admins_menu_until_dismissed(telegram):
    boss, menu_of_thanh = telegram.admin(), BotCommandScopeChat(THANH)
    await boss.say(f"/quantri them {THANH} huyen-bu-gia-map")
    await admin_menus(telegram.app)  # what the "menus" job does every MENUS_EVERY seconds
    assert {"tonghop", "xuat", "moi"} <= {c.command for c in await telegram.app.bot.get_my_commands(menu_of_thanh)}
    await boss.say(f"/quantri xoa {THANH}")
    await admin_menus(telegram.app)
    assert await telegram.app.bot.get_my_commands(menu_of_thanh) == ()


async def test_quantri_lists_refuses_unknown_people_and_needs_a_private_chat(telegram):
    boss = telegram.admin()
    assert "Chưa giao quản trị" in (await boss.say("/quantri")).text
    unclear = await boss.say("/quantri them Nobody Here xa cat ne")
    assert "chưa nhận ra" in unclear.text and "/quantri them" in unclear.text
    await telegram.user(803, "Trần Văn Bình").say("/start")
    assert "Trần Văn Bình (803) nay quản trị" in (await boss.say("/quantri them tran van binh xa cat ne")).text
    assert f"Trần Văn Bình (803): {CAT_NE} (xa-cat-ne)" in (await boss.say("/quantri")).text
    assert "đã là quản trị viên" in (await boss.say("/quantri them 803 xa-cat-ne")).text


def test_scope_is_every_unit_for_super_admins_a_subtree_for_the_appointed_none_for_others(runtime):
    with runtime.db.session() as session:
        district = unit_by_code("huyen-bu-gia-map", session=session)
        commune = add_unit("xa-dak-o", DAK_O, plan_id=district.plan_id, level="xã", parent_code=district.code,
                           plans=set(runtime.kb.plans), session=session)
        session.add(Appointment(person_id=5, unit=district, appointed_by=900))
        session.flush()
        assert admins.scope(900, {900}, session=session) is None
        assert admins.scope(5, {900}, session=session) == {district.id, commune.id}
        assert admins.scope(6, {900}, session=session) == admins.NOBODY
        assert admins.admins_of(commune, {900}, session=session) == [5, 900]


def test_the_command_line_appoints_lists_and_dismisses(database_url, tmp_path):
    env = {"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot", "admins", *args], env=env, capture_output=True,
                              text=True, timeout=120)

    assert "now administers xa-cat-ne" in run("add", "801", "xa-cat-ne").stdout
    assert "801" in run("list").stdout and "xa-cat-ne" in run("list").stdout
    assert "unknown unit" in run("add", "801", "nowhere").stderr
    assert "removed 1" in run("remove", "801").stdout


@pytest_asyncio.fixture
async def district_web(runtime):
    """The web page, signed in as Thanh, appointed over huyện Bù Gia Mập (and its xã Đắk Ơ)."""
    with runtime.db.session() as session:
        district = unit_by_code("huyen-bu-gia-map", session=session)
        add_unit("xa-dak-o", DAK_O, plan_id=district.plan_id, level="xã", parent_code=district.code,
                 plans=set(runtime.kb.plans), session=session)
        session.add(Appointment(person_id=THANH, unit=district, appointed_by=900))
        cookie = signin.start(THANH, runtime.clock(), session=session)
    async with TestClient(TestServer(make_app(runtime, secure=False)), cookies={COOKIE: cookie.cookie}) as client:
        yield client


async def test_a_district_admin_sees_and_changes_its_units_only_on_the_web_page(district_web, runtime):
    standings = await (await district_web.get("/")).text()
    assert DAK_O in standings and CAT_NE not in standings
    assert (await district_web.get("/don-vi/xa-dak-o")).status == 200
    assert (await district_web.get("/don-vi/xa-cat-ne")).status == 404  # another office's unit: as if none
    missing = await (await district_web.get("/chua-nop")).text()
    assert DAK_O in missing and CAT_NE not in missing
    table = await (await district_web.get(f"/tai-ve/{half_of(runtime.today()).code}.csv")).text()
    assert "xa-dak-o" in table and "xa-cat-ne" not in table
    roster = await (await district_web.get("/can-bo")).text()
    assert "xa-dak-o" in roster and "xa-cat-ne" not in roster and 'action="/can-bo/nhap"' not in roster
    csrf = re.search(r'name="csrf" value="([^"]+)"', roster).group(1)
    refused = await district_web.post("/han-chot/them", data={"csrf": csrf, "tieu_de": "Nộp sớm",
                                                              "ngay": "2026-12-20"})
    assert refused.status == 403 and "chỉ quản trị viên chung" in await refused.text()
    with runtime.db.session() as session:
        assert admin_deadlines(runtime.clock(), session=session) == []
