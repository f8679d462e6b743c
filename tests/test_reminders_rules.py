"""The pure parts of reminders: offsets and working days, what an error does to a row, flood windows,
the settings, the plans' deadlines as extended, and `campaign-bot plans extend`."""

from __future__ import annotations

import datetime as dt

import pytest
from telegram.error import RetryAfter

from bot.core.config import LocalSettings, SettingsError, load_settings
from bot.core.schedule import Offset, Rules, parse_offsets
from bot.reminders.catalog import all_due, extend_plan
from bot.reminders.outcomes import SendError, decide
from bot.reminders.rules import previous_working_day, remind_at
from bot.start.cli import main
from bot.transport.windows import FloodWindows
from tests.conftest import VIETNAM

RULES = Rules()


def at(*when: int) -> dt.datetime:
    return dt.datetime(*when, tzinfo=VIETNAM)


@pytest.mark.parametrize(("deadline", "offset", "expected"), [
    (at(2026, 11, 30, 23, 59), "7d", at(2026, 11, 23, 8, 0)),
    (at(2026, 11, 30, 23, 59), "1d", at(2026, 11, 27, 8, 0)),    # Sunday → Friday
    (at(2026, 11, 25, 17, 0), "1d", at(2026, 11, 23, 8, 0)),     # 24/11 Vietnam Cultural Day → Monday
    (at(2026, 2, 23, 17, 0), "3d", at(2026, 2, 13, 8, 0)),       # Tết 16–20/2 and the weekend → Friday 13/2
    (at(2026, 12, 15, 17, 0), "2h", at(2026, 12, 15, 15, 0)),    # hours count from the deadline's own time
    (at(2026, 12, 14, 8, 3), "5m", at(2026, 12, 14, 7, 58)),
    (at(2026, 12, 14, 0, 30), "2h", at(2026, 12, 11, 22, 30)),   # Sunday night → Friday, same hour
])
def test_reminders_go_out_on_the_working_day_before(deadline, offset, expected):
    assert remind_at(deadline, parse_offsets(offset)[0], RULES) == expected


def test_offsets_parse_longest_first_and_reject_nonsense():
    assert parse_offsets("1d, 7d,2h,3d,7d") == (Offset(7, "d"), Offset(3, "d"), Offset(1, "d"), Offset(2, "h"))
    for bad in ("", "7", "0d", "1w", "7d;3d"):
        with pytest.raises(ValueError, match="offset"):
            parse_offsets(bad)
    assert previous_working_day(dt.date(2026, 9, 2)) == dt.date(2026, 8, 28)  # National Day and the day off


def test_settings_name_the_bad_reminder_setting(monkeypatch):
    settings = load_settings(LocalSettings, _env_file=None, reminder_offsets="3d,12h", reminder_time="07:30")
    assert settings.reminder_rules.offsets == (Offset(3, "d"), Offset(12, "h"))
    assert settings.reminder_rules.time == dt.time(7, 30)
    with pytest.raises(SettingsError, match="REMINDER_OFFSETS: '7x' is not an offset"):
        load_settings(LocalSettings, _env_file=None, reminder_offsets="7x")
    with pytest.raises(SettingsError, match="REMINDER_TIME"):
        load_settings(LocalSettings, _env_file=None, reminder_time="8 giờ")


@pytest.mark.parametrize(("error", "attempts", "expected"), [
    (SendError("flood", retry_after=3), 1, ("pending", 3.0, 3.0, False)),
    (SendError("blocked", "Forbidden: bot was blocked by the user"), 1, ("failed", 0.0, 0.0, True)),
    (SendError("not_found", "Bad Request: chat not found"), 1, ("failed", 0.0, 0.0, False)),
    (SendError("network", "Bad Gateway"), 1, ("pending", 1.0, 0.0, False)),
    (SendError("network", "Bad Gateway"), 3, ("pending", 4.0, 0.0, False)),
    (SendError("network", "Bad Gateway"), 5, ("failed", 0.0, 0.0, False)),
    (SendError("unknown", "Timed out"), 1, ("unknown", 0.0, 0.0, False)),
])
def test_each_error_decides_where_the_row_goes(error, attempts, expected):
    decision = decide(error, attempts=attempts, migrated_before=False)
    assert (decision.state, decision.retry_in, decision.pause_all, decision.deactivate) == expected


def test_a_migrated_chat_is_resent_once():
    moved = SendError("migrated", new_chat_id=-100999)
    assert decide(moved, attempts=1, migrated_before=False).move_to == -100999
    assert decide(moved, attempts=2, migrated_before=True).state == "failed"


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def answered_at_once(windows: FloodWindows, chat: int) -> None:
    windows.answered(windows.record(chat))


def test_flood_windows_keep_every_sliding_window():
    ticks = Ticks()
    windows = FloodWindows(clock=ticks)
    for chat in range(29):
        assert windows.wait_time(chat) == 0
        answered_at_once(windows, chat)
    assert windows.wait_time(100) == pytest.approx(1.0)  # the 30th message of the second waits
    ticks.now = 1.0
    assert windows.wait_time(100) == 0 and windows.wait_time(5) == pytest.approx(0.01)  # 1.01 s per chat
    assert windows.wait_time(5, per_chat=False) == 0
    for i in range(20):
        ticks.now = 2.0 + i * 1.1
        answered_at_once(windows, -100)
    assert not windows.chat_ready(-100) and windows.wait_time(-100) == pytest.approx(2.0 + 60.5 - ticks.now)
    windows.pause(5)
    assert windows.wait_time(200) == pytest.approx(5)


def test_flood_windows_count_a_message_from_its_answer():
    """A request held up on its way (a stall of the event loop, the network) may reach Telegram late:
    the next message to the chat is spaced from the answer, so it cannot arrive within the second."""
    ticks = Ticks()
    windows = FloodWindows(clock=ticks)
    sent = windows.record(7)
    ticks.now = 3.0
    assert windows.wait_time(7) > 0 and not windows.chat_ready(7)  # still in flight
    windows.answered(sent)
    assert windows.wait_time(7) == pytest.approx(1.01)
    ticks.now = 4.01
    assert windows.chat_ready(7)
    stuck = [windows.record(chat) for chat in range(100, 129)]
    ticks.now = 6.0
    assert windows.wait_time(None) > 0  # the oldest of the last 29 has no answer yet
    for s in stuck:
        windows.answered(s)
    assert windows.wait_time(None) == pytest.approx(1.0)
    ticks.now = 6.0 + 61
    windows.record(200)  # its answer never came: after a minute it no longer holds the others back
    ticks.now += 61
    assert windows.wait_time(200) == 0


def test_extended_plans_have_deadlines_again(runtime):
    after = at(2026, 11, 22, 9, 0)
    with runtime.db.session() as session:
        assert all_due(runtime.kb, VIETNAM, after, session=session) == []
        extend_plan(runtime.kb.plans["so-xd-kien-giang"], dt.date(2026, 12, 31), session=session)
        due = all_due(runtime.kb, VIETNAM, after, session=session)
    assert [(d.at, d.period, d.plan_id) for d in due] == [(at(2026, 11, 30, 23, 59), "2026-H2", "so-xd-kien-giang")]


def test_plans_extend_on_the_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/bot.db")
    monkeypatch.chdir(tmp_path)
    assert main(["plans", "extend", "huyen-bu-gia-map", "--until", "2026-12-31"]) == 0
    assert "huyen-bu-gia-map: runs until 2026-12-31 (the plan says 2025-12-31)" in capsys.readouterr().out
    assert main(["plans", "extend", "nowhere", "--until", "2026-12-31"]) == 2
    assert "unknown plan 'nowhere'" in capsys.readouterr().err


async def test_the_fake_bot_api_enforces_telegrams_flood_rules(fake_api, fake_bot):
    rules = fake_api.flood_rules()
    await fake_bot.send_message(501, "một")
    with pytest.raises(RetryAfter):
        await fake_bot.send_message(501, "hai")  # a second message to a chat within a second
    for chat in range(1, 30):
        await fake_bot.send_message(chat, "x")
    with pytest.raises(RetryAfter):
        await fake_bot.send_message(999, "x")  # the 31st within a second
    assert rules.reasons == ["chat", "overall"] and len(fake_api.sent()) == 30


async def test_an_admin_is_told_when_every_plan_has_expired_and_how_to_go_on(telegram):
    admin, lan = telegram.admin(), telegram.user(502, "Lan")
    await admin.say("/start xa-cat-ne")
    await lan.say("/start xa-cat-ne")
    told = (await admin.say("/hanchot")).text
    assert "Mọi kế hoạch đều đã hết hiệu lực" in told and "campaign-bot plans extend" in told
    assert "Mọi kế hoạch" not in (await lan.say("/hanchot")).text
