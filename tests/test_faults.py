"""Faults an outside tester found (issue #15): each through the fake Bot API or at the service level."""

from __future__ import annotations

from tests.test_reporting import invite_link


async def test_a_spent_invite_stays_spent_after_its_user_erased_their_data(telegram):
    payload = await invite_link(telegram)
    mai, hoa = telegram.user(701, "Mai"), telegram.user(702, "Hoa")
    assert "Bạn đã là cán bộ báo cáo" in (await mai.say(f"/start {payload}")).text
    await mai.press(await mai.say("/xoadulieu"), "🗑 Xóa dữ liệu của tôi")
    await telegram.fake.wait_for("editMessageText", lambda c: "Đã xóa" in c.params.get("text", ""))
    assert "đã được dùng" in (await hoa.say(f"/start {payload}")).text
    assert "đã được dùng" in (await mai.say(f"/start {payload}")).text
