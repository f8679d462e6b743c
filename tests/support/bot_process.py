"""`campaign-bot run` as a separate process, the way an operator (or a replica) starts it."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import socket
import sys
import time
from pathlib import Path

from aiohttp import ClientError, ClientSession, CookieJar

from bot.core.models import Chat, Person, Subscription
from bot.people.units import unit_by_code
from bot.reminders.catalog import add_deadline
from bot.reminders.planner import set_mark
from bot.start.boot import open_runtime
from knowledge import KnowledgeBase
from tests.support.harness import TOKEN


def free_port() -> int:
    """A port nothing listens on now (the system's pick), for a process that must be told its port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bot_env(api_base_url: str, kb_cache: Path, **settings: str) -> dict[str, str]:
    """The environment of a bot process: this one's, the fake Bot API, the tests' index cache, and settings."""
    return {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api_base_url,
            "CAMPAIGN_BOT_CACHE": str(kb_cache), **settings}


async def start_bot(*args: str, cwd: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", *args, cwd=cwd, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)


async def signed_in(reply_to_web: str) -> str:
    """The bot's answer to an admin's /web, its link opened and "Đăng nhập" pressed: the page it lands on."""
    link = re.search(r"https?://\S+", reply_to_web).group(0)
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as browser:  # unsafe: cookies of 127.0.0.1
        async with browser.get(link) as shown:
            assert shown.status == 200 and "Đăng nhập" in await shown.text()
        async with browser.post(link) as landed:  # redirected, with the session cookie, to Tổng hợp
            assert landed.status == 200
            return await landed.text()


async def wait_healthy(url: str, timeout: float = 60) -> dict:
    """The first 200 answer of GET `url` (…/healthz), waiting while the process starts."""
    deadline = time.monotonic() + timeout
    async with ClientSession() as http:
        while True:
            try:
                async with http.get(url) as response:
                    if response.status == 200:  # the bot's health in JSON; the web page's "ok"
                        return await response.json() if response.content_type == "application/json" else {}
            except ClientError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"{url} did not answer 200 within {timeout} s")
            await asyncio.sleep(0.1)


def subscribers_and_a_deadline(url: str, kb: KnowledgeBase, chats: list[int], unit: str, due_at: dt.datetime) -> None:
    """For replicas to remind: each chat an officer of `unit`, subscribed; an admin's deadline of its plan due
    at `due_at`; the planner's mark in the past, so the processes plan it as soon as they start."""
    rt = open_runtime(kb, url)
    with rt.db.session() as session:
        officer_of = unit_by_code(unit, session=session)
        for chat_id in chats:
            session.add_all([Person(id=chat_id, name=f"Cán bộ {chat_id}", unit_id=officer_of.id),
                             Chat(id=chat_id, kind="private"), Subscription(chat_id=chat_id, kind="private")])
        add_deadline("Báo cáo nhanh", due_at, plan_id=unit, unit_id=None, by=900, session=session)
        set_mark(due_at - dt.timedelta(days=10), session=session)  # on a weekend the reminder moves to Friday
    rt.db.dispose()
