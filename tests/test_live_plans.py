"""Plans as live data: an office adds a plan from its document with `campaign-bot plans add FILE --yes`, and
a running bot answers from it within seconds, without a restart; a new version supersedes, keeping the
history; a retired plan is no longer answered from."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import pytest

from bot.commands.turn import Turn
from bot.core.who import Who
from bot.plans import live, store
from bot.start.cli import main
from knowledge.documents import PLANS_DIR

PHU_LUONG = "Ủy ban nhân dân xã Phú Lương"


def a_new_plan(tmp_path: Path) -> Path:
    """A commune plan nobody packaged: Cát Nê's text, issued by another commune."""
    text = (PLANS_DIR / "xa-cat-ne.md").read_text(encoding="utf-8")
    text = text.replace("id: xa-cat-ne", "id: xa-phu-luong").replace("Cát Nê", "Phú Lương")
    path = tmp_path / "ke-hoach-phu-luong.md"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def database(monkeypatch, database_url):
    monkeypatch.setenv("DATABASE_URL", database_url)
    return database_url


def test_plans_add_previews_and_only_yes_puts_it_live(database, runtime, tmp_path, capsys):
    path = a_new_plan(tmp_path)
    assert main(["plans", "add", str(path)]) == 0
    assert "xa-phu-luong" in capsys.readouterr().out
    with runtime.db.session() as session:
        assert "xa-phu-luong" not in dict(store.signature(session=session))
    assert main(["plans", "add", str(path), "--yes"]) == 0
    assert main(["plans", "add", str(path), "--yes"]) == 0  # a second time: version 2 supersedes version 1
    with runtime.db.session() as session:
        assert dict(store.signature(session=session))["xa-phu-luong"] == 2
        states = [(r.version, r.state) for r in store.history(session=session) if r.plan_id == "xa-phu-luong"]
    assert states == [(1, "superseded"), (2, "live")]
    assert main(["plans", "retire", "xa-phu-luong"]) == 0
    assert main(["plans", "retire", "xa-phu-luong"]) == 2


def test_the_last_live_plan_cannot_be_retired(database, runtime, capsys):
    with runtime.db.session() as session:
        live_ids = [plan_id for plan_id, _ in store.signature(session=session)]
    for plan_id in live_ids[:-1]:
        assert main(["plans", "retire", plan_id]) == 0
    capsys.readouterr()
    assert main(["plans", "retire", live_ids[-1]]) == 2
    assert "kế hoạch cuối cùng" in capsys.readouterr().err
    with runtime.db.session() as session:
        assert [plan_id for plan_id, _ in store.signature(session=session)] == live_ids[-1:]


def test_a_new_version_of_the_same_document_supersedes_the_plan_whatever_its_new_id(database, runtime, tmp_path):
    first = a_new_plan(tmp_path)
    first.write_text(first.read_text(encoding="utf-8").replace('number: ""', 'number: "45/KH-UBND"'), encoding="utf-8")
    assert main(["plans", "add", str(first), "--yes"]) == 0
    renamed = tmp_path / "ke-hoach-phu-luong-sua-doi.md"
    renamed.write_text(first.read_text(encoding="utf-8").replace("id: xa-phu-luong", "id: kh-phu-luong-sua-doi"),
                       encoding="utf-8")
    assert main(["plans", "add", str(renamed), "--yes"]) == 0
    with runtime.db.session() as session:
        live_ids = dict(store.signature(session=session))
    assert live_ids["xa-phu-luong"] == 2 and "kh-phu-luong-sua-doi" not in live_ids
    other = tmp_path / "xa-khac.md"  # the same number from another commune is another document
    other.write_text(renamed.read_text(encoding="utf-8").replace("Phú Lương", "Tân Lập").replace(
        "kh-phu-luong-sua-doi", "xa-tan-lap"), encoding="utf-8")
    assert main(["plans", "add", str(other), "--yes"]) == 0
    blank = tmp_path / "du-thao.md"  # "Số: /KH-UBND" of a draft names no document: it is a plan of its own
    blank.write_text(renamed.read_text(encoding="utf-8").replace("45/KH-UBND", "/KH-UBND").replace(
        "kh-phu-luong-sua-doi", "du-thao-phu-luong"), encoding="utf-8")
    assert main(["plans", "add", str(blank), "--yes"]) == 0
    with runtime.db.session() as session:
        live_ids = dict(store.signature(session=session))
    assert live_ids["du-thao-phu-luong"] == 1 and live_ids["xa-tan-lap"] == 1 and live_ids["xa-phu-luong"] == 2


def test_ask_and_facts_answer_from_the_plans_of_the_database(database, kb_cache, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CAMPAIGN_BOT_CACHE", str(kb_cache))
    assert main(["plans", "add", str(a_new_plan(tmp_path)), "--yes"]) == 0
    capsys.readouterr()
    assert main(["ask", "--plan", "xa-phu-luong", "phong trào kéo dài đến ngày nào"]) == 0
    assert "31/12/2024" in capsys.readouterr().out
    assert main(["facts", "--plan", "xa-phu-luong", "--kind", "target"]) == 0
    assert capsys.readouterr().out.startswith("xa-phu-luong")
    assert main(["plans", "retire", "xa-phu-luong"]) == 0
    with pytest.raises(SystemExit):
        main(["ask", "--plan", "xa-phu-luong", "phong trào kéo dài đến ngày nào"])
    assert "unknown plan 'xa-phu-luong'" in capsys.readouterr().err


def test_a_running_process_answers_from_an_added_plan_without_restarting(database, runtime, tmp_path):
    before = runtime.plans
    assert live.changed(runtime.db, before) is None  # nothing changed: one small query, no rebuild
    assert main(["plans", "add", str(a_new_plan(tmp_path)), "--yes"]) == 0
    found = live.changed(runtime.db, before)
    assert found is not None and "xa-phu-luong" in found.kb.plans
    runtime.kb, runtime.plans = found.kb, found.signature
    with runtime.db.session() as session:
        turn = Turn(Who(chat_id=1, user_id=1), "chỉ tiêu hồ sơ thủ tục hành chính xử lý hoàn toàn trực tuyến của xã "
                    "Phú Lương", runtime.clock(), session, runtime.kb, runtime.reminders)
        from bot.commands import dialog

        reply = dialog.on_text(turn)
    assert "80%" in reply.text and "UBND xã Phú Lương" in reply.text
    assert main(["plans", "retire", "xa-phu-luong"]) == 0
    assert "xa-phu-luong" not in live.changed(runtime.db, found.signature).kb.plans


async def test_the_bot_picks_up_a_new_plan_within_seconds(telegram, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", telegram.database_url)
    lan = telegram.user(501, "Lan")
    assert PHU_LUONG not in str((await lan.say("/donvi")).buttons)
    assert main(["plans", "add", str(a_new_plan(tmp_path)), "--yes"]) == 0
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if PHU_LUONG in str((await lan.say("/donvi")).buttons):
            break
        await asyncio.sleep(1)
    menu = await lan.say("/donvi")
    assert PHU_LUONG in str(menu.buttons)
    await lan.press(menu, PHU_LUONG)
    await telegram.fake.wait_for("editMessageText")
    answer = await lan.say("chỉ tiêu hồ sơ thủ tục hành chính xử lý hoàn toàn trực tuyến là bao nhiêu?")
    assert re.search(r"80%.*UBND xã Phú Lương", answer.text, re.DOTALL)


FIXTURES = Path(__file__).parent / "fixtures" / "plans"


async def test_an_admin_sends_a_docx_sees_the_preview_confirms_and_the_bot_answers_from_it(telegram):
    docx = (FIXTURES / "xa-cat-ne.docx").read_bytes()
    stranger = telegram.user(777, "Lạ")
    telegram.fake.push_message("kế hoạch", chat_id=777, user_id=777, document=("ke-hoach.docx", docx))
    assert "Chỉ quản trị viên" in (await stranger.next()).text  # and the file was not even fetched
    assert not [c for c in telegram.fake.calls if c.method == "getFile"]
    admin = telegram.admin()
    telegram.fake.push_message("", chat_id=admin.chat_id, user_id=admin.user_id,
                               document=("ke-hoach-cat-ne.docx", docx))
    preview = await admin.next()
    assert "Xem trước kế hoạch" in preview.text and "xa-cat-ne" in preview.text
    await admin.press(preview, "✅ Đưa vào sử dụng")
    assert "đã được đưa vào sử dụng" in (await admin.next()).text
    with telegram.rt.db.session() as session:
        assert dict(store.signature(session=session))["xa-cat-ne"] == 2  # the packaged version is superseded
    deadline = time.monotonic() + 20
    while telegram.rt.plans == () or dict(telegram.rt.plans).get("xa-cat-ne") != 2:
        assert time.monotonic() < deadline, "the bot did not pick up the new version"
        await asyncio.sleep(0.5)
    answer = await admin.say("/hoi xã Cát Nê chỉ tiêu hồ sơ thủ tục hành chính xử lý hoàn toàn trực tuyến")
    assert "80%" in answer.text
