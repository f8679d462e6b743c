"""Two `campaign-bot run --webhook` processes on one PostgreSQL database and one Redis budget, against the
fake Bot API enforcing Telegram's flood rules: a reminder broadcast to 2,000 chats runs while 200 questions
arrive, half at each replica. Telegram refuses nothing (0 × 429), every question is answered, every reminder
goes out once.

Telegram's own limits (30 messages a second, 1 a chat a second): the leader's broadcast alone fills the
overall window, so each replica keeping its own would collect 429s with the other's answers; the shared
budget keeps both under it, answers first. The broadcast lasts about 70 s at 27 messages a second.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import signal
import time
from collections import Counter
from pathlib import Path

import pytest
from aiohttp import ClientSession

from bot.start.webhook import SECRET_HEADER
from handlers.errors import SORRY
from tests.conftest import VIETNAM
from tests.support.bot_process import bot_env, free_port, start_bot, subscribers_and_a_deadline, wait_healthy
from tests.support.fakebotapi import FakeBotApi
from tests.support.harness import TOKEN
from tests.support.proxies import bypass_proxies
from tests.support.redis_budget import redis_url, unique_prefix
from tests.support.webhook_harness import SECRET, WEBHOOK_URL

SUBSCRIBERS = list(range(10_001, 12_001))
ASKERS = list(range(20_001, 20_201))
QUESTION = "chi tieu ho so tthc xu ly hoan toan truc tuyen la bao nhieu"
UNIT = "so-xd-kien-giang"
LEAD = dt.timedelta(seconds=20)  # both processes are up by then


async def start_replica(fake: FakeBotApi, url: str, budget: dict[str, str], kb_cache: Path, cwd: Path):
    port = free_port()
    env = bot_env(fake.base_url, kb_cache, DATABASE_URL=url, WEBHOOK_URL=WEBHOOK_URL, WEBHOOK_SECRET=SECRET,
                  WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port), REMINDER_OFFSETS="5m", **budget)
    return await start_bot("--webhook", cwd=cwd, env=env), f"http://127.0.0.1:{port}"


async def until_reached(fake: FakeBotApi, chats: list[int], count: int, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while (done := reached(fake, chats)) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what} ({done} of {count} chats)")
        await asyncio.sleep(0.2)


async def ask_spread_over(fake: FakeBotApi, replicas: list[str]) -> None:
    """The 200 questions, 20 every half second, each posted to one replica in turn (as a load balancer would)."""
    async with ClientSession() as http:
        for start in range(0, len(ASKERS), 20):
            for chat_id in ASKERS[start:start + 20]:
                fake.push_message(QUESTION, chat_id=chat_id)
            posts = [http.post(f"{replicas[i % 2]}/telegram/webhook", json=update, headers={SECRET_HEADER: SECRET})
                     for i, update in enumerate(fake.take_updates())]
            for response in await asyncio.gather(*posts):
                assert response.status == 200
                response.release()
            await asyncio.sleep(0.5)


def reached(fake: FakeBotApi, chats: list[int]) -> int:
    wanted = set(chats)
    return len({m.chat_id for m in fake.sent()} & wanted)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite runs one process
async def test_a_broadcast_and_questions_on_two_replicas_share_one_telegram_budget(database_url, kb, kb_cache,
                                                                                     tmp_path, monkeypatch):
    bypass_proxies(monkeypatch)
    budget = {"TELEGRAM_BUDGET_URL": redis_url(), "TELEGRAM_BUDGET_PREFIX": unique_prefix()}
    subscribers_and_a_deadline(database_url, kb, SUBSCRIBERS, UNIT,
                               dt.datetime.now(VIETNAM) + LEAD + dt.timedelta(minutes=5))
    async with FakeBotApi(token=TOKEN) as fake:
        flood = fake.flood_rules()
        replicas = [await start_replica(fake, database_url, budget, kb_cache, tmp_path) for _ in range(2)]
        try:
            for _, base in replicas:
                await wait_healthy(f"{base}/healthz")
            await until_reached(fake, SUBSCRIBERS, 100, LEAD.total_seconds() + 30, "the broadcast starts")
            await ask_spread_over(fake, [base for _, base in replicas])
            assert reached(fake, SUBSCRIBERS) < len(SUBSCRIBERS)  # the questions came during the broadcast
            await until_reached(fake, ASKERS, len(ASKERS), 60, "every question answered")
            await until_reached(fake, SUBSCRIBERS, len(SUBSCRIBERS), 120, "every reminder sent")
            await asyncio.sleep(6)  # a reminder tick of both: a second send would have gone by now
        finally:
            for process, _ in replicas:
                process.send_signal(signal.SIGTERM)
            outputs = await asyncio.gather(*(asyncio.wait_for(p.communicate(), 30) for p, _ in replicas))
    assert flood.rejected == 0, f"429s: {Counter(flood.reasons)}"
    sent = Counter(m.chat_id for m in fake.sent())
    assert {chat: sent[chat] for chat in SUBSCRIBERS} == dict.fromkeys(SUBSCRIBERS, 1)
    answers = [m for m in fake.sent() if m.chat_id in set(ASKERS)]
    assert not [m for m in answers if m.text == SORRY]
    assert all(p.returncode == 0 for p, _ in replicas), [out[:2000] for out, _ in outputs]
