"""Delivery under faults, restarts, downtime and two senders: every row ends sent, failed, unknown, missed
or skipped, and no chat gets a reminder twice."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import text

from bot.core.models import Subscription
from bot.reminders.leader import LOCK_KEY
from bot.reminders.planner import plan, set_mark
from handlers.delivery import run_now
from tests.conftest import VIETNAM
from tests.support.reminders_harness import ReminderBot

KIEN_GIANG = "so-xd-kien-giang"
DUE = (2026, 11, 23, 8, 0)  # 7 days before 30/11/2026


@pytest.fixture
def broadcast(reminders):
    """Kiên Giang's plan extended through 2026, subscribers added by the test, the clock before the 7-day reminder."""
    reminders.extend(KIEN_GIANG, dt.date(2026, 12, 31))
    return reminders


def finals(bot: ReminderBot) -> dict[int, tuple[str, str]]:
    return {row.chat_id: (row.state, row.reason) for row in bot.rows()}


async def test_429_waits_retry_after_and_then_sends(broadcast):
    broadcast.quiet_subscribers([501, 502], KIEN_GIANG)
    await broadcast.deliver()
    broadcast.fake.fail("sendMessage", error=429, retry_after=1, chat_id=501)
    await broadcast.at(*DUE)
    sent = [c for c in broadcast.fake.calls if c.method == "sendMessage" and c.chat_id == 501]
    assert [c.error_code for c in sent] == [429, None] and sent[1].at - sent[0].at >= 1.0
    assert {row.chat_id: (row.state, row.attempts) for row in broadcast.rows()} == {501: ("sent", 1), 502: ("sent", 1)}


async def test_a_chat_that_blocked_the_bot_is_unsubscribed_and_not_retried(broadcast):
    broadcast.quiet_subscribers([501, 502], KIEN_GIANG)
    await broadcast.deliver()
    broadcast.fake.block(502)
    await broadcast.at(*DUE)
    assert finals(broadcast)[502] == ("failed", "blocked: Forbidden: bot was blocked by the user")
    assert finals(broadcast)[501][0] == "sent"
    with broadcast.rt.db.session() as session:
        assert not session.get(Subscription, 502).active
    await broadcast.at(2026, 11, 27, 8, 0)
    assert len([c for c in broadcast.fake.calls if c.chat_id == 502]) == 1


async def test_a_group_that_became_a_supergroup_gets_it_at_its_new_id_once(broadcast):
    group = broadcast.member(-777, 601, "An")
    broadcast.fake.set_member(-777, 601, "creator")
    await group.say(f"/start {KIEN_GIANG}")
    await group.say("/nhacnho bat")
    await broadcast.deliver()
    broadcast.fake.migrate_chat(-777, -100777)
    await broadcast.at(*DUE)
    assert "còn 7 ngày" in broadcast.fake.sent(-100777)[0].text
    assert [(r.chat_id, r.state, r.migrated_from) for r in broadcast.rows()] == [(-100777, "sent", -777)]
    with broadcast.rt.db.session() as session:
        assert session.get(Subscription, -100777).active and not session.get(Subscription, -777).active


async def test_chat_not_found_fails_at_once(broadcast):
    broadcast.quiet_subscribers([501], KIEN_GIANG)
    await broadcast.deliver()
    broadcast.fake.fail("sendMessage", error=400, chat_id=501)
    await broadcast.at(*DUE)
    assert finals(broadcast) == {501: ("failed", "Chat not found")}


async def test_server_errors_are_retried_with_backoff_and_given_up_after_five_tries(broadcast):
    broadcast.quiet_subscribers([501, 502], KIEN_GIANG)
    await broadcast.deliver()
    broadcast.fake.fail("sendMessage", error=500, times=2, chat_id=501)
    broadcast.fake.fail("sendMessage", error=502, times=10, chat_id=502)
    await broadcast.at(*DUE)
    rows = {row.chat_id: row for row in broadcast.rows()}
    assert (rows[501].state, rows[501].attempts) == ("sent", 3)
    assert (rows[502].state, rows[502].attempts) == ("failed", 5) and rows[502].reason.startswith("gave up after 5")
    assert len([c for c in broadcast.fake.calls if c.chat_id == 501 and c.method == "sendMessage"]) == 3


@pytest.mark.parametrize("fault", ["slow", "timeout"])
async def test_a_timeout_after_the_request_left_is_unknown_and_not_resent(broadcast, fault):
    broadcast.quiet_subscribers([501], KIEN_GIANG)
    await broadcast.deliver()
    broadcast.fake.fail("sendMessage", error=fault, chat_id=501, delay=1.0)  # the bot waits 0.5 s
    await broadcast.at(*DUE)
    assert finals(broadcast)[501][0] == "unknown"
    await broadcast.at(2026, 11, 23, 9, 0)
    assert len([c for c in broadcast.fake.calls if c.chat_id == 501 and c.method == "sendMessage"]) == 1


async def test_a_restart_mid_broadcast_sends_the_rest_and_nothing_twice(broadcast):
    chats = list(range(1001, 1041))
    broadcast.quiet_subscribers(chats, KIEN_GIANG)
    await broadcast.deliver()
    broadcast.clock.now = dt.datetime(*DUE, tzinfo=VIETNAM)
    running = asyncio.ensure_future(run_now(broadcast.app))
    await broadcast.fake.wait_for("sendMessage", lambda c: len(broadcast.fake.sent()) >= 15, timeout=10)
    await broadcast.restart()  # stops gracefully: the requests in flight finish first
    await running
    assert 15 <= len(broadcast.fake.sent()) < len(chats)
    await broadcast.deliver()
    assert Counter(m.chat_id for m in broadcast.fake.sent()) == Counter(chats)
    assert Counter(r.state for r in broadcast.rows()) == {"sent": len(chats)}


async def test_a_crash_mid_send_is_recorded_as_unknown_and_the_rest_is_sent(broadcast):
    broadcast.quiet_subscribers([501, 502], KIEN_GIANG)
    await broadcast.deliver()
    broadcast.clock.now = dt.datetime(*DUE, tzinfo=VIETNAM)
    await broadcast.stop()
    with broadcast.rt.db.session() as session:  # what a killed sender leaves: one row claimed, never answered
        plan(broadcast.kb, broadcast.rt.reminders, broadcast.clock(), session=session)
        session.execute(text("UPDATE deliveries SET state = 'sending', claimed_by = 'dead' WHERE chat_id = 501"))
    await broadcast.start()
    await broadcast.deliver()
    assert finals(broadcast) == {501: ("unknown", "the sender stopped while sending"), 502: ("sent", "")}
    assert [m.chat_id for m in broadcast.fake.sent()] == [502]


async def test_downtime_across_a_due_time_is_caught_up_while_useful_and_recorded_as_missed_after(broadcast):
    broadcast.quiet_subscribers([501], KIEN_GIANG)
    await broadcast.deliver()
    await broadcast.stop()
    broadcast.clock.now = dt.datetime(2026, 11, 24, 10, 0, tzinfo=VIETNAM)  # down over the 23/11 08:00 reminder
    await broadcast.start()
    await broadcast.deliver()
    assert "còn 6 ngày" in broadcast.fake.sent(501)[0].text
    await broadcast.stop()
    broadcast.clock.now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=VIETNAM)  # down over 27/11 and past 30/11
    await broadcast.start()
    await broadcast.deliver()
    assert len(broadcast.fake.sent(501)) == 1
    assert [(r.offset_label, r.state) for r in broadcast.rows()] == [("7d", "sent"), ("1d", "missed")]


async def test_planning_twice_adds_nothing(broadcast):
    broadcast.quiet_subscribers([501], KIEN_GIANG)
    await broadcast.deliver()
    broadcast.clock.now = dt.datetime(*DUE, tzinfo=VIETNAM)
    with broadcast.rt.db.session() as session:
        assert plan(broadcast.kb, broadcast.rt.reminders, broadcast.clock(), session=session) == 1
        set_mark(dt.datetime(2026, 11, 22, 9, 0, tzinfo=VIETNAM), session=session)  # as if a reload forgot it
        assert plan(broadcast.kb, broadcast.rt.reminders, broadcast.clock(), session=session) == 0
    await broadcast.deliver()
    assert len(broadcast.fake.sent(501)) == 1


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite runs one process
async def test_two_processes_on_postgresql_send_each_reminder_once_and_one_takes_over(broadcast, database_url):
    chats = list(range(2001, 2061))
    broadcast.quiet_subscribers(chats, KIEN_GIANG)
    await broadcast.deliver()
    other = ReminderBot(broadcast.fake, database_url, broadcast.kb, broadcast.clock)
    await other.start()
    try:
        broadcast.clock.now = dt.datetime(*DUE, tzinfo=VIETNAM)
        first = asyncio.ensure_future(run_now(broadcast.app))
        await broadcast.fake.wait_for("sendMessage", timeout=10)
        await run_now(other.app)  # the lock is held: the second process leaves the work alone
        assert len(broadcast.fake.sent()) < len(chats)
        with other.rt.db.engine.connect() as conn:  # the first process "dies": its lock connection is cut
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND "
                              "classid = :key AND objid::bigint = (hashtext(current_schema())::bigint & 4294967295)"),
                         {"key": LOCK_KEY})
        first.cancel()
        await asyncio.gather(first, return_exceptions=True)
        await run_now(other.app)
    finally:
        await other.stop()
    counts = Counter(m.chat_id for m in broadcast.fake.sent())
    assert set(counts) <= set(chats) and max(counts.values()) == 1
    rows = {r.chat_id: r.state for r in broadcast.rows()}
    assert len(rows) == len(chats) and set(rows.values()) <= {"sent", "unknown"}
    assert {c for c, state in rows.items() if state == "sent"} <= set(counts)  # sent means Telegram has it
    assert set(chats) - set(counts) <= {c for c, state in rows.items() if state == "unknown"}  # none lost unseen


async def test_a_reminder_falling_due_during_a_long_broadcast_joins_it(broadcast):
    chats = list(range(2001, 2171))  # about 6 s at 29 messages a second: longer than REPLAN
    broadcast.quiet_subscribers(chats, KIEN_GIANG)
    await broadcast.deliver()
    broadcast.clock.now = dt.datetime(*DUE, tzinfo=VIETNAM)
    run = asyncio.ensure_future(broadcast.deliver())
    await broadcast.fake.wait_for("sendMessage", timeout=10)
    broadcast.clock.now = dt.datetime(2026, 11, 27, 8, 0, tzinfo=VIETNAM)  # the 3-day reminder is due
    await run
    assert Counter(m.chat_id for m in broadcast.fake.sent()) == dict.fromkeys(chats, 2)
