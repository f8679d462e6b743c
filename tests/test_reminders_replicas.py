"""Two `campaign-bot run --webhook` processes on one PostgreSQL database, as two replicas behind a load
balancer: a reminder that falls due while both run reaches each subscribed chat once. Two things stand in
the way of a double send, the leader's advisory lock and the outbox row's atomic claim; the test fails
(each chat gets two) only with both broken. A replica killed mid-broadcast leaves the rest to the other,
and what it had in flight is marked unknown, not sent twice."""

from __future__ import annotations

import asyncio
import datetime as dt
import signal
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from bot.core.models import Delivery
from tests.conftest import VIETNAM
from tests.support.bot_process import bot_env, free_port, start_bot, subscribers_and_a_deadline, wait_healthy
from tests.support.fakebotapi import FakeBotApi
from tests.support.harness import TOKEN
from tests.support.proxies import bypass_proxies
from tests.support.webhook_harness import SECRET, WEBHOOK_URL

CHATS = list(range(3001, 3041))
UNIT = "so-xd-kien-giang"
LEAD = dt.timedelta(seconds=15)  # both processes are up by then (each starts in a few seconds)


async def start_replica(fake: FakeBotApi, url: str, kb_cache: Path, cwd: Path):
    port = free_port()
    env = bot_env(fake.base_url, kb_cache, DATABASE_URL=url, WEBHOOK_URL=WEBHOOK_URL, WEBHOOK_SECRET=SECRET,
                  WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port), REMINDER_OFFSETS="1m")
    process = await start_bot("--webhook", cwd=cwd, env=env)
    return process, f"http://127.0.0.1:{port}/healthz"


async def every_chat_reached(fake: FakeBotApi, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while {m.chat_id for m in fake.sent()} != set(CHATS) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite runs one process
async def test_two_replica_processes_send_each_reminder_once(database_url, kb, kb_cache, tmp_path, monkeypatch):
    bypass_proxies(monkeypatch)
    subscribers_and_a_deadline(database_url, kb, CHATS, UNIT,
                               dt.datetime.now(VIETNAM) + LEAD + dt.timedelta(minutes=1))
    async with FakeBotApi(token=TOKEN) as fake:
        replicas = [await start_replica(fake, database_url, kb_cache, tmp_path) for _ in range(2)]
        try:
            for _, health in replicas:
                await wait_healthy(health)
            await every_chat_reached(fake, timeout=LEAD.total_seconds() + 60)
            await asyncio.sleep(12)  # two reminder ticks of both: a second sender would have sent by now
        finally:
            for process, _ in replicas:
                process.send_signal(signal.SIGTERM)
            await asyncio.gather(*(asyncio.wait_for(p.communicate(), 30) for p, _ in replicas))
    assert Counter(m.chat_id for m in fake.sent()) == dict.fromkeys(CHATS, 1)
    assert all(p.returncode == 0 for p, _ in replicas)


BROADCAST = list(range(4001, 4601))  # 600 chats: 20 s at Telegram's 30 messages a second


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_replica_killed_mid_broadcast_leaves_the_rest_to_the_other_none_sent_twice(
        database_url, kb, kb_cache, tmp_path, monkeypatch):
    bypass_proxies(monkeypatch)
    subscribers_and_a_deadline(database_url, kb, BROADCAST, UNIT, dt.datetime.now(VIETNAM) + dt.timedelta(minutes=1))
    async with FakeBotApi(token=TOKEN) as fake:
        first, health = await start_replica(fake, database_url, kb_cache, tmp_path)
        await wait_healthy(health)
        await reached(fake, 30, timeout=60)  # the first is the sender: the only process
        second, health = await start_replica(fake, database_url, kb_cache, tmp_path)
        try:
            await wait_healthy(health)
            first.kill()  # mid-broadcast, no goodbye: its lock goes with its connection
            await first.wait()
            sent_when_killed = len(fake.sent())
            await reached(fake, len(BROADCAST) - 10, timeout=90)
            await asyncio.sleep(6)  # a further tick: anything left would go now
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.wait_for(second.communicate(), 30)
    counts = Counter(m.chat_id for m in fake.sent())
    assert sent_when_killed < len(BROADCAST) - 100 and max(counts.values()) == 1  # killed mid-way; none twice
    states = outbox_states(database_url)
    assert set(states) <= {"sent", "unknown"} and states.get("unknown", 0) <= 10  # those in flight at the kill
    # a message in flight at the kill may have reached Telegram before its row was marked: "unknown", not resent
    assert states["sent"] <= len(counts) <= states["sent"] + states.get("unknown", 0)
    assert len(counts) >= len(BROADCAST) - 10


async def reached(fake: FakeBotApi, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while len(fake.sent()) < count:
        assert time.monotonic() < deadline, f"{len(fake.sent())} of {count} messages sent in {timeout} s"
        await asyncio.sleep(0.1)


def outbox_states(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = dict(conn.execute(select(Delivery.state, func.count()).group_by(Delivery.state)).all())
    engine.dispose()
    return found
