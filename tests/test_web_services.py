"""The web page's services without a browser: sign-in links and sessions, the unit import's preview,
bulk invites, the nudge's once-a-day key, the /web command and the settings."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import signal
import sys

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from bot.commands.people import WEB_OFF
from bot.core.config import SettingsError, WebSettings, load_settings
from bot.core.models import Delivery, Person
from bot.people import roster, signin
from bot.people.units import unit_by_code
from bot.reminders.nudges import nudge_now
from bot.reporting.periods import half_of
from bot.start import cli
from tests.support.bot_process import free_port, signed_in, wait_healthy
from tests.support.proxies import bypass_proxies

PLANS = {"xa-cat-ne", "so-xd-kien-giang"}


def test_a_link_signs_in_once_and_expires_after_ten_minutes(runtime, clock):
    with runtime.db.session() as session:
        link = signin.new_link(900, "https://thidua.example.gov.vn/", clock(), session=session)
        later = signin.new_link(900, "https://thidua.example.gov.vn", clock(), session=session)
    assert link.startswith("https://thidua.example.gov.vn/dang-nhap/")
    token, stale = link.rsplit("/", 1)[1], later.rsplit("/", 1)[1]
    with runtime.db.session() as session:
        assert signin.redeem(token, clock(), session=session) == 900
    with runtime.db.session() as session, pytest.raises(signin.SignInRefused, match="đã được dùng"):
        signin.redeem(token, clock(), session=session)
    with runtime.db.session() as session, pytest.raises(signin.SignInRefused, match="hết hạn"):
        signin.redeem(stale, clock() + signin.LINK_VALID_FOR, session=session)
    with runtime.db.session() as session, pytest.raises(signin.SignInRefused, match="không đúng"):
        signin.redeem("x" * 32, clock(), session=session)


def test_a_session_ends_after_an_idle_hour_or_on_sign_out(runtime, clock):
    with runtime.db.session() as session:
        started = signin.start(900, clock(), session=session)
        other = signin.start(900, clock(), session=session)
    with runtime.db.session() as session:
        assert signin.current(started.cookie, clock() + dt.timedelta(minutes=59), session=session).person_id == 900
        assert signin.current(started.cookie + "x", clock(), session=session) is None
    with runtime.db.session() as session:  # the idle clock restarted at minute 59
        assert signin.current(started.cookie, clock() + dt.timedelta(minutes=118), session=session) is not None
        assert signin.current(other.cookie, clock() + dt.timedelta(minutes=61), session=session) is None
    with runtime.db.session() as session:
        signin.end(started.cookie, clock(), session=session)
    with runtime.db.session() as session:
        assert signin.current(started.cookie, clock() + dt.timedelta(minutes=119), session=session) is None
        assert signin.signed_in(900, session=session) == []


def xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_unit_import_lists_every_bad_row_and_stores_nothing_until_clean(runtime):
    rows = roster.read_rows("don-vi.xlsx", xlsx([
        ["Mã đơn vị", "Tên đơn vị", "Kế hoạch", "Cấp", "Cấp trên"],
        ["xa-a", "Xã A", "xa-cat-ne", "xã", ""],
        ["xa-b", "Xã B", "ke-hoach-la", "xã", ""],
        ["xa-a", "Xã A lần nữa", "xa-cat-ne", "xã", ""],
        ["xa-c", "Xã C", "xa-cat-ne", "thôn", ""],
        ["xa-d", "Xã D", "xa-cat-ne", "xã", "khong-co"],
        ["xa-cat-ne", "Trùng mã có sẵn", "xa-cat-ne", "xã", ""],
        ["xa-e", "Xã E", "xa-cat-ne", "xã", "xa-a"],
    ]))
    with runtime.db.session() as session:
        preview = roster.check_units(rows, PLANS, session=session)
        assert [e.split(":")[0] for e in preview.errors] == ["Dòng 3", "Dòng 4", "Dòng 5", "Dòng 6", "Dòng 7"]
        with pytest.raises(ValueError, match="stores nothing"):
            roster.store_units(preview, session=session)
    good = [rows[0], rows[1], rows[7]]
    with runtime.db.session() as session:
        stored = roster.store_units(roster.check_units(good, PLANS, session=session), session=session)
        assert [u.code for u in stored] == ["xa-a", "xa-e"]
    with runtime.db.session() as session:
        assert unit_by_code("xa-e", session=session).parent.code == "xa-a"


@pytest.mark.parametrize("content, says", [
    (b"", "Tệp trống"), (b"ten,ma\nX,y\n", "Thiếu cột name, plan"), ("\ufeffcode;name;plan\n".encode(), "")])
def test_a_unit_file_is_read_as_csv_with_a_clear_word_on_a_bad_header(runtime, content, says):
    with runtime.db.session() as session:
        preview = roster.check_units(roster.read_rows("a.csv", content), PLANS, session=session)
    assert (says in preview.errors[0]) if says else preview.errors == []


def test_only_spreadsheets_are_read():
    with pytest.raises(roster.FileUnreadable, match=r"\.xlsx hoặc \.csv"):
        roster.read_rows("don-vi.pdf", b"%PDF")
    with pytest.raises(roster.FileUnreadable, match="Excel"):
        roster.read_rows("don-vi.xlsx", b"not a zip")


def test_bulk_invites_find_units_by_code_or_name_and_give_links_and_qr(runtime, clock):
    rows = [["Họ tên", "Đơn vị"], ["Trần Thu", "xa-cat-ne"], ["Lê Minh", "so xay dung kien giang"], ["Vô Danh", "???"]]
    with runtime.db.session() as session:
        preview = roster.check_invitees(rows, session=session)
        assert preview.errors == ["Dòng 4: không tìm thấy đơn vị “???” (ghi mã đơn vị cho chắc)."]
        issued = roster.issue_invites(roster.check_invitees(rows[:3], session=session), 900, "thidua_bot", clock(),
                                      session=session)
        book = load_workbook(io.BytesIO(roster.invites_workbook(issued, runtime.timezone))).active
        assert [c.value for c in book[2]][:3] == ["Trần Thu", "xa-cat-ne", "Ủy ban nhân dân xã Cát Nê"]
        assert book[3][3].value.startswith("https://t.me/thidua_bot?start=moi-")
    assert roster.qr_svg(issued[0].link).startswith("<svg")


def test_a_nudge_is_queued_once_a_day_per_officer_and_not_after_the_period(runtime, clock):
    with runtime.db.session() as session:
        unit = unit_by_code("xa-cat-ne", session=session)
        session.add(Person(id=701, name="Mai", unit_id=unit.id, role="officer"))
    span = half_of(runtime.today())
    with runtime.db.session() as session:
        assert nudge_now(span, clock(), runtime.timezone, session=session) == (1, 0)
    with runtime.db.session() as session:
        assert nudge_now(span, clock() + dt.timedelta(hours=2), runtime.timezone, session=session) == (0, 1)
        assert nudge_now(span, clock() + dt.timedelta(days=1), runtime.timezone, session=session) == (1, 0)
        assert nudge_now(half_of(dt.date(2026, 3, 1)), clock(), runtime.timezone, session=session) == (0, 0)
    with runtime.db.session() as session:
        rows = list(session.scalars(select(Delivery)))
    assert {(r.kind, r.chat_id, r.state) for r in rows} == {("nudge", 701, "pending")} and len(rows) == 2


async def test_web_without_web_base_url_says_how_to_turn_it_on(telegram):
    assert (await telegram.admin().say("/web")).text == WEB_OFF


def test_the_web_settings_fail_fast_naming_the_setting(monkeypatch):
    monkeypatch.delenv("WEB_BASE_URL", raising=False)
    with pytest.raises(SettingsError, match="WEB_BASE_URL"):
        load_settings(WebSettings, _env_file=None)
    with pytest.raises(SettingsError, match="WEB_BASE_URL: not an http"):
        load_settings(WebSettings, _env_file=None, web_base_url="thidua.gov.vn")
    settings = load_settings(WebSettings, _env_file=None, web_base_url="https://thidua.gov.vn/")
    assert settings.web_base_url == "https://thidua.gov.vn" and settings.secure_cookies


def test_login_link_prints_a_link_for_the_first_admin(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    monkeypatch.setenv("WEB_BASE_URL", "http://127.0.0.1:8080")
    monkeypatch.setenv("BOT_ADMIN_IDS", "900,901")
    assert cli.main(["web", "--login-link"]) == 0
    link = capsys.readouterr().out.strip()
    assert link.startswith("http://127.0.0.1:8080/dang-nhap/")
    monkeypatch.setenv("BOT_ADMIN_IDS", "")
    with pytest.raises(SettingsError, match="BOT_ADMIN_IDS"):
        cli.main(["web", "--login-link"])


async def test_campaign_bot_web_serves_the_page_as_a_process_of_its_own(tmp_path, kb_cache, monkeypatch):
    bypass_proxies(monkeypatch)
    port = free_port()
    env = {**os.environ, "CAMPAIGN_BOT_CACHE": str(kb_cache), "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
           "WEB_BASE_URL": f"http://127.0.0.1:{port}", "WEB_PORT": str(port), "BOT_ADMIN_IDS": "900"}
    page = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "web", cwd=tmp_path, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        await wait_healthy(f"http://127.0.0.1:{port}/healthz")
        printed = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "web", "--login-link",
                                                       cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE)
        standings = await signed_in((await printed.communicate())[0].decode())
    finally:
        page.send_signal(signal.SIGINT)
        await asyncio.wait_for(page.communicate(), 30)
    assert "<h1>Tổng hợp" in standings and "/don-vi/" in standings and page.returncode == 0
