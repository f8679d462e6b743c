"""One Telegram budget for every replica: two SharedWindows on one Redis stand for two processes of the bot.

Windows are shrunk (5 messages per 0.5 s) so each rule shows in a fraction of a second; the rules are the same.
"""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
import redis.asyncio as aioredis

from bot.core.config import Settings
from bot.core.metrics import BUDGET_FALLBACKS
from bot.start.application import telegram_windows
from bot.transport.budget import SharedWindows, token_key
from bot.transport.windows import FloodWindows
from tests.support.harness import TOKEN
from tests.support.redis_budget import redis_url, unique_prefix

LIMITS = {"overall": 5, "window": 0.5, "chat_gap": 0.3, "group": 3, "group_window": 1.0, "reserve": 1}


@pytest.fixture
def replicas():
    url, prefix = redis_url(), unique_prefix()
    return [SharedWindows.from_url(url, prefix, TOKEN, **LIMITS) for _ in range(2)]


@pytest.fixture
def patient_replicas():
    """Replicas whose waiting reply stays marked 5 s after its last look (0.5 s in service), so a test can let a
    window empty in between; a Redis call may take 5 s too, as a loaded test machine sometimes needs."""
    url, prefix = redis_url(), unique_prefix()
    return [SharedWindows.from_url(url, prefix, TOKEN, timeout=5.0, reply_mark=5.0, **LIMITS) for _ in range(2)]


async def take(windows: SharedWindows, chat_id: int, **kind) -> float:
    """Seconds a message waited for its place; its answer comes back at once."""
    started = time.monotonic()
    windows.answered(await windows.acquire(chat_id, **kind))
    return time.monotonic() - started


async def test_two_processes_share_the_overall_window(replicas):
    a, b = replicas
    waits = [await take(a if i % 2 else b, 100 + i, reply=True) for i in range(5)]
    assert max(waits) < 0.1
    assert await take(a, 200, reply=True) > 0.3  # the 6th of the window waits, whichever process sends it
    await asyncio.gather(a.close(), b.close())


async def test_a_chat_and_a_group_are_counted_across_processes(replicas):
    a, b = replicas
    await take(a, 7)
    assert await take(b, 7) > 0.2  # one message a chat per gap, though the other process sent the first
    for windows in (a, b, a):
        await take(windows, -100, per_chat=False, reply=True)
    assert await take(b, -100, per_chat=False, reply=True) > 0.3  # the group's 4th within its window
    await asyncio.gather(a.close(), b.close())


async def test_a_broadcast_yields_the_window_to_a_waiting_reply(patient_replicas):
    broadcaster, replier = patient_replicas
    for i in range(4):  # a broadcast leaves one place of the window (reserve) to replies
        await take(broadcaster, 300 + i)
    assert await take(replier, 400, reply=True) < 0.1  # the reserved place
    assert await replier.attempt(401, "reply", per_chat=True, reply=True, take=True) > 0  # full: it waits, marked
    await asyncio.sleep(0.55)  # the window empties while the reply has not looked again
    assert await broadcaster.attempt(310, "broadcast", per_chat=True, reply=False, take=True) > 0  # held back
    assert await replier.attempt(401, "reply", per_chat=True, reply=True, take=True) == 0  # takes, unmarked
    assert await broadcaster.attempt(310, "broadcast", per_chat=True, reply=False, take=True) == 0
    await asyncio.gather(broadcaster.close(), replier.close())


async def test_a_429_in_one_process_pauses_the_other(replicas):
    a, b = replicas
    a.pause(0.6)
    await asyncio.sleep(0.05)  # the pause reaches Redis
    assert await take(b, 9, reply=True) > 0.4
    await asyncio.gather(a.close(), b.close())


async def test_keys_name_the_tokens_hash_never_the_token(replicas):
    a, _ = replicas
    await take(a, 11)
    client = aioredis.from_url(redis_url())
    keys = [k.decode() async for k in client.scan_iter(match=f"{a.key}:*")]
    assert keys and all(TOKEN not in k and TOKEN.split(":")[1] not in k for k in keys)
    assert a.key == token_key(a.key.split(":")[0], TOKEN)
    await client.aclose()
    await a.close()


async def test_without_redis_a_process_keeps_its_own_windows_and_says_so(caplog):
    windows = SharedWindows.from_url("redis://127.0.0.1:1/0", unique_prefix(), TOKEN, **LIMITS)  # nothing listens
    before = BUDGET_FALLBACKS._value.get()
    with caplog.at_level(logging.WARNING, logger="bot.transport.budget"):
        waits = [await take(windows, 500 + i) for i in range(4)]
        late = await take(windows, 600)
    assert max(waits) < 0.1 and late > 0.3  # the local windows still hold the rules
    assert "Redis unreachable" in caplog.text and BUDGET_FALLBACKS._value.get() > before
    await windows.close()


async def test_the_budget_is_shared_only_with_its_url_and_its_password_is_never_logged():
    alone = Settings(telegram_bot_token=TOKEN, _env_file=None)
    assert type(telegram_windows(alone)) is FloodWindows and telegram_windows(alone).overall == 29
    url = "redis://:s3cret-pass@127.0.0.1:6379/0"
    shared = Settings(telegram_bot_token=TOKEN, telegram_budget_url=url, telegram_budget_prefix="prod", _env_file=None)
    windows = telegram_windows(shared)
    assert isinstance(windows, SharedWindows) and windows.key == token_key("prod", TOKEN)
    assert url in shared.secrets and "s3cret" not in repr(shared)
    await windows.close()
