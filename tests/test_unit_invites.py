"""End to end: a unit-wide invite (/moi <đơn vị> --nhieu N): one link for up to N officers, each joining once the
admin who made it presses "Duyệt" (or at once with --tu-dong). Through the fake Bot API and the outbox."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.core.models import Invite, JoinRequest
from bot.people import invites
from bot.reporting.guided import NOT_OFFICER
from tests.support.reminders_harness import ADMIN

CAT_NE = "Ủy ban nhân dân xã Cát Nê"
BU_GIA_MAP = "Ủy ban nhân dân huyện Bù Gia Mập"
THANH = 801  # admin of huyện Bù Gia Mập (xã Cát Nê is not under it)


async def wide_link(reminders, options: str = "--nhieu 2", unit: str = "xa-cat-ne") -> str:
    reply = await reminders.user(ADMIN, "Quản trị").say(f"/moi {unit} {options}")
    assert "cho tối đa" in reply.text, reply.text
    return "/start " + re.search(r"\?start=(\S+)", reply.text).group(1)


async def asked(reminders, name: str):
    """The admin's next message: the request of `name`, with its two buttons."""
    await reminders.deliver()
    question = await reminders.fake.next_message(ADMIN)
    assert f"🙋 {name} (Telegram" in question.text and CAT_NE in question.text, question.text
    assert question.buttons == [["✅ Duyệt", "❌ Từ chối"]]
    return question


async def test_the_admin_approves_one_and_refuses_another_and_only_the_approved_reports(reminders):
    link = await wide_link(reminders)
    mai, hoa, admin = reminders.user(701, "Mai"), reminders.user(702, "Hoa"), reminders.user(ADMIN, "Quản trị")
    assert "đã gửi yêu cầu của bạn tới quản trị viên" in (await mai.say(link)).text
    assert "đã gửi yêu cầu" in (await hoa.say(link)).text
    assert NOT_OFFICER in (await mai.say("/baocao")).text  # not an officer before the admin says so
    await reminders.restart()  # the requests and the messages to send are in the database
    for_mai, for_hoa = await asked(reminders, "Mai"), await asked(reminders, "Hoa")
    assert "đang chờ quản trị viên duyệt" in (await mai.say(link)).text  # opening again asks no one again
    approve_mai = for_mai.callback_data("✅ Duyệt")
    await admin.press(for_mai, "✅ Duyệt")
    await reminders.fake.wait_for("editMessageText", lambda c: "Đã duyệt: Mai" in c.params.get("text", ""))
    await admin.press(for_hoa, "❌ Từ chối")
    await reminders.fake.wait_for("editMessageText", lambda c: "Đã từ chối yêu cầu của Hoa" in c.params.get("text", ""))
    await reminders.deliver()
    told = await mai.next()
    assert "đã duyệt" in told.text and f"cán bộ báo cáo của {CAT_NE}" in told.text and "/baocao" in told.text
    refused = await hoa.next()
    assert "chưa được duyệt" in refused.text and "liên hệ quản trị viên" in refused.text
    assert "còn 8/8 chỉ tiêu" in (await mai.say("/baocao")).text
    assert NOT_OFFICER in (await hoa.say("/baocao")).text
    again = reminders.fake.push_callback(for_mai, approve_mai, user_id=ADMIN, stale=True)  # another device
    assert "đã được duyệt rồi" in (await reminders.fake.callback_answer(again)).params["text"]
    await reminders.deliver()
    await mai.hears_nothing(0.2)  # told once


async def test_the_link_fills_up_a_refusal_frees_a_place_and_an_erased_officer_keeps_theirs(reminders):
    link = await wide_link(reminders)
    mai, hoa, tu, lan = (reminders.user(i, n) for i, n in ((701, "Mai"), (702, "Hoa"), (703, "Tú"), (704, "Lan")))
    admin = reminders.user(ADMIN, "Quản trị")
    await mai.say(link)
    await hoa.say(link)
    full = await tu.say(link)
    assert "đã đủ 2 người" in full.text and "quản trị viên" in full.text
    await admin.press(await asked(reminders, "Mai"), "✅ Duyệt")
    await admin.press(await asked(reminders, "Hoa"), "❌ Từ chối")
    await reminders.fake.wait_for("editMessageText", lambda c: "còn 1 chỗ" in c.params.get("text", ""))
    assert "đã gửi yêu cầu" in (await tu.say(link)).text  # Hoa's place
    assert "chưa được duyệt" in (await hoa.say(link)).text  # refused stays refused
    await reminders.deliver()
    assert "đã duyệt" in (await mai.next()).text
    await mai.press(await mai.say("/xoadulieu"), "🗑 Xóa dữ liệu của tôi")
    await reminders.fake.wait_for("editMessageText", lambda c: "Đã xóa" in c.params.get("text", ""))
    assert "đã đủ 2 người" in (await lan.say(link)).text  # erasing Mai gave no place back (issue 15)
    with reminders.rt.db.session() as session:
        assert session.query(JoinRequest).filter_by(person_id=701).count() == 0
        assert session.query(Invite).filter(Invite.places.is_not(None)).one().uses == 2


async def test_with_tu_dong_people_join_at_once_until_full_and_the_link_expires(reminders):
    link = await wide_link(reminders, "--nhieu 2 --tu-dong")
    mai, hoa, tu = reminders.user(701, "Mai"), reminders.user(702, "Hoa"), reminders.user(703, "Tú")
    assert f"Bạn đã là cán bộ báo cáo của {CAT_NE}" in (await mai.say(link)).text
    assert "Bạn đã là cán bộ báo cáo" in (await mai.say(link)).text  # again: no second place
    assert "còn 8/8 chỉ tiêu" in (await mai.say("/baocao")).text
    assert "Bạn đã là cán bộ báo cáo" in (await hoa.say(link)).text
    assert "đã đủ 2 người" in (await tu.say(link)).text
    await reminders.deliver()
    for name in ("Mai", "Hoa"):  # nobody to approve, but the admin knows who came in
        told = await reminders.fake.next_message(ADMIN)
        assert f"🙋 {name} (Telegram" in told.text and "đã vào làm cán bộ báo cáo" in told.text
        assert told.buttons == [["↩️ Gỡ khỏi đơn vị"]]
    later = await wide_link(reminders, "--nhieu 5 --tu-dong")
    reminders.clock.now += dt.timedelta(days=7, minutes=1)
    assert "hết hạn" in (await tu.say(later)).text


async def test_a_district_admin_invites_for_its_units_only_and_decides_only_while_it_administers_them(reminders):
    thanh, boss = reminders.user(THANH, "Thanh"), reminders.user(ADMIN, "Quản trị")
    lan, hung = reminders.user(705, "Lan"), reminders.user(706, "Hùng")
    await boss.say(f"/quantri them {THANH} huyen-bu-gia-map")
    refused = await thanh.say("/moi xa cat ne --nhieu 20")
    assert f"{CAT_NE} không thuộc phạm vi bạn quản trị" in refused.text and "/quantri" in refused.text
    made = await thanh.say("/moi huyen-bu-gia-map --nhieu 20")
    link = "/start " + re.search(r"\?start=(\S+)", made.text).group(1)
    await lan.say(link)
    await reminders.deliver()
    question = await thanh.next()  # the link's maker is asked
    assert "🙋 Lan" in question.text and BU_GIA_MAP in question.text
    await boss.say(f"/quantri xoa {THANH}")
    await boss.say(f"/quantri them {THANH} so-xd-kien-giang")  # Thanh moves to another office
    await thanh.press(question, "✅ Duyệt")
    assert f"{BU_GIA_MAP} không thuộc phạm vi" in (await thanh.next()).text
    assert "đang chờ quản trị viên duyệt" in (await lan.say(link)).text
    await hung.say(link)
    await reminders.deliver()
    for_hung = await reminders.fake.next_message(ADMIN)  # the district's admins now: the super-admin
    assert "🙋 Hùng" in for_hung.text and BU_GIA_MAP in for_hung.text
    await boss.press(for_hung, "✅ Duyệt")
    await reminders.deliver()
    assert f"cán bộ báo cáo của {BU_GIA_MAP}" in (await hung.next()).text


async def test_moi_offers_the_units_with_the_options_kept_and_explains_them(reminders):
    admin = reminders.user(ADMIN, "Quản trị")
    menu = await admin.say("/moi --nhieu 3")
    await admin.press(menu, CAT_NE)
    edit = await reminders.fake.wait_for("editMessageText")
    assert "cho tối đa 3 người" in edit.params["text"] and "bấm Duyệt" in edit.params["text"]
    assert "--nhieu" in (await admin.say("/moi xa-cat-ne --nhieu")).text
    help_text = (await admin.say("/trogiup")).text
    assert "/moi [đơn vị] [--nhieu <số người>] [--tu-dong]" in help_text and "--tu-dong để họ vào ngay" in help_text


@pytest.mark.parametrize("typed, unit, places, approval", [
    ("xa cat ne", "xa cat ne", None, True),
    ("xa-cat-ne --nhieu 20", "xa-cat-ne", 20, True),
    ("--nhiều 20 xa cat ne —tu-dong", "xa cat ne", 20, False),  # accents, and a phone's dash
    ("", "", None, True),
])
def test_moi_options_are_read(typed, unit, places, approval):
    assert invites.parse(typed) == invites.Asked(unit, places, approval)


@pytest.mark.parametrize("typed, says", [
    ("xa-cat-ne --nhieu", "Sau --nhieu ghi số người"), ("xa-cat-ne --nhieu 0", "từ 1 đến 500"),
    ("xa-cat-ne --nhieu 9999", "từ 1 đến 500"), ("xa-cat-ne --tu-dong", "--tu-dong đi cùng --nhieu"),
    ("xa-cat-ne --het", "Mình không hiểu “--het”"),
])
def test_bad_moi_options_say_how_to_write_them(typed, says):
    with pytest.raises(invites.InviteRejected) as refused:
        invites.parse(typed)
    assert says in refused.value.message and "/moi <đơn vị>" in refused.value.message


async def test_the_admin_takes_off_someone_who_joined_at_once_and_their_place_is_free_again(reminders):
    link = await wide_link(reminders, "--nhieu 1 --tu-dong")
    mai, tu, admin = reminders.user(701, "Mai"), reminders.user(703, "Tú"), reminders.user(ADMIN, "Quản trị")
    assert "Bạn đã là cán bộ báo cáo" in (await mai.say(link)).text
    await reminders.deliver()
    told = await reminders.fake.next_message(ADMIN)
    remove = told.callback_data("↩️ Gỡ khỏi đơn vị")
    await admin.press(told, "↩️ Gỡ khỏi đơn vị")
    await reminders.fake.wait_for("editMessageText", lambda c: "Đã gỡ Mai" in c.params.get("text", "")
                                  and "còn 1 chỗ" in c.params.get("text", ""))
    await reminders.deliver()
    assert "đã gỡ bạn khỏi danh sách cán bộ báo cáo" in (await mai.next()).text
    assert NOT_OFFICER in (await mai.say("/baocao")).text
    assert "chưa được duyệt" in (await mai.say(link)).text  # the same link does not bring them back
    again = reminders.fake.push_callback(told, remove, user_id=ADMIN, stale=True)
    assert "đã được gỡ khỏi đơn vị rồi" in (await reminders.fake.callback_answer(again)).params["text"]
    assert "Bạn đã là cán bộ báo cáo" in (await tu.say(link)).text  # the freed place
