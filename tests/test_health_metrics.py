"""/healthz and /metrics, as a probe and Prometheus read them."""

from __future__ import annotations

import asyncio
import datetime as dt
import signal
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiohttp import ClientSession
from prometheus_client import REGISTRY

from bot.core.runtime import Runtime
from bot.start.http import HttpServer, ensure_free, health_routes
from tests.support.bot_process import bot_env, free_port, signed_in, start_bot, wait_healthy
from tests.support.databases import database_down
from tests.support.fakebotapi import FakeBotApi
from tests.support.harness import ADMIN_ID, TOKEN
from tests.support.proxies import bypass_proxies

QUESTION = "chi tieu ho so tthc xu ly hoan toan truc tuyen la bao nhieu"


class Probe:
    def __init__(self, http: ClientSession, base: str) -> None:
        self.http, self.base = http, base

    async def get(self, path: str) -> tuple[int, str]:
        async with self.http.get(self.base + path) as response:
            return response.status, await response.text()

    async def health(self) -> tuple[int, dict]:
        async with self.http.get(self.base + "/healthz") as response:
            return response.status, await response.json()


@asynccontextmanager
async def probe(rt: Runtime) -> AsyncIterator[Probe]:
    """The health server of polling mode, on a free port of 127.0.0.1."""
    server = HttpServer(health_routes(rt), "127.0.0.1", 0)
    port = await server.start()
    try:
        async with ClientSession() as http:
            yield Probe(http, f"http://127.0.0.1:{port}")
    finally:
        await server.stop()


def metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def counted(name: str, expected: float, within: float = 2.0, **labels: str) -> None:
    for _ in range(int(within / 0.01)):
        if metric(name, **labels) == expected:
            return
        await asyncio.sleep(0.01)
    assert metric(name, **labels) == expected


async def test_healthz_tells_the_database_answers_and_when_the_bot_last_worked(telegram, clock):
    async with probe(telegram.rt) as check:
        status, body = await check.health()
        assert status == 200 and body.items() >= {"status": "ok", "alive": True, "database": "ok",
                                                  "reminders": "ok", "last_update_at": None,
                                                  "last_tick_at": None}.items()
        await telegram.user(501, "Lan").say("/start xa-cat-ne")
        telegram.rt.last_tick_at = clock.now + dt.timedelta(minutes=1)  # what the reminder scheduler sets
        status, body = await check.health()
    assert status == 200 and body["last_update_at"] == clock.now.isoformat()
    assert body["last_tick_at"] == (clock.now + dt.timedelta(minutes=1)).isoformat()


async def test_healthz_is_503_while_the_database_is_down(runtime):
    async with probe(runtime) as check:
        with database_down(runtime):
            status, body = await check.health()
        assert status == 503 and body["database"] == "unreachable" and body["alive"] is True
        assert (await check.health())[0] == 200


async def test_metrics_count_updates_answers_and_telegram_errors(telegram):
    before = {"messages": metric("campaign_bot_updates_total", kind="message"),
              "buttons": metric("campaign_bot_updates_total", kind="callback_query"),
              "answers": metric("campaign_bot_answer_seconds_count"),
              "forbidden": metric("campaign_bot_telegram_errors_total", code="403")}
    lan = telegram.user(501, "Lan")
    menu = await lan.say("/start")
    await lan.press(menu, "Ủy ban nhân dân xã Cát Nê")
    await lan.say(QUESTION)
    telegram.fake.block(501)
    lan.send(QUESTION)
    await telegram.fake.wait_for("sendMessage", lambda call: call.error_code == 403)
    async with probe(telegram.rt) as check:
        status, text = await check.get("/metrics")
    assert status == 200 and 'campaign_bot_updates_total{kind="message"}' in text
    assert "# TYPE campaign_bot_submissions_total counter" in text and "# TYPE campaign_bot_reminders_total" in text
    assert metric("campaign_bot_updates_total", kind="message") == before["messages"] + 3
    assert metric("campaign_bot_updates_total", kind="callback_query") == before["buttons"] + 1
    assert metric("campaign_bot_answer_seconds_count") == before["answers"] + 2
    await counted("campaign_bot_telegram_errors_total", before["forbidden"] + 1, code="403")  # by the error handler


def test_a_port_in_use_stops_start_up_naming_the_setting():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(SystemExit, match=r"HEALTH_PORT: .*cannot listen on 127\.0\.0\.1:"):
            ensure_free("127.0.0.1", taken.getsockname()[1], "HEALTH_PORT")


async def test_polling_mode_serves_health_metrics_and_the_web_page_beside_the_bot(tmp_path, kb, kb_cache,
                                                                                     monkeypatch):
    bypass_proxies(monkeypatch)
    port, page = free_port(), free_port()
    async with FakeBotApi(token=TOKEN) as fake:
        env = bot_env(fake.base_url, kb_cache, DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", HEALTH_PORT=str(port),
                      WEB_PORT=str(page), WEB_BASE_URL=f"http://127.0.0.1:{page}", BOT_ADMIN_IDS=str(ADMIN_ID))
        bot = await start_bot(cwd=tmp_path, env=env)
        try:
            health = await wait_healthy(f"http://127.0.0.1:{port}/healthz")
            fake.push_message("/start xa-cat-ne", chat_id=700, first_name="Lan")
            await fake.next_message(700, timeout=30)
            async with ClientSession() as http, http.get(f"http://127.0.0.1:{port}/metrics") as response:
                metrics = await response.text()
            fake.push_message("/web", chat_id=ADMIN_ID, first_name="Hằng")
            standings = await signed_in((await fake.next_message(ADMIN_ID, timeout=30)).text)
        finally:
            bot.send_signal(signal.SIGINT)
            await asyncio.wait_for(bot.communicate(), 30)
    assert health["database"] == "ok" and bot.returncode == 0
    assert 'campaign_bot_updates_total{kind="message"} 1.0' in metrics
    assert "<h1>Tổng hợp" in standings and "/don-vi/" in standings  # the units of the bot's database
