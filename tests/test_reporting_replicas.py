"""A guided report whose steps reach two `campaign-bot run --webhook` processes in turn (two replicas on one
PostgreSQL database behind a load balancer): each step continues where the other process left the report,
even when that one was killed, and the figure is stored once."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest
from aiohttp import ClientSession
from sqlalchemy import select

from bot.core.models import Chat, Person, Submission
from bot.people.units import unit_by_code
from bot.start.boot import open_runtime
from bot.start.webhook import SECRET_HEADER
from knowledge import KnowledgeBase
from tests.support.bot_process import bot_env, free_port, start_bot, wait_healthy
from tests.support.fakebotapi import FakeBotApi, SentMessage
from tests.support.harness import TOKEN
from tests.support.proxies import bypass_proxies
from tests.support.webhook_harness import SECRET, WEBHOOK_URL

OFFICER = 701


def an_officer_of_cat_ne(url: str, kb: KnowledgeBase) -> None:
    rt = open_runtime(kb, url)
    with rt.db.session() as session:
        unit = unit_by_code("xa-cat-ne", session=session)
        session.add_all([Person(id=OFFICER, name="Mai", unit_id=unit.id, role="officer"),
                         Chat(id=OFFICER, kind="private")])
    rt.db.dispose()


class Replicas:
    """Two webhook processes; each update the fake queues is posted to the next one in turn."""

    def __init__(self, fake: FakeBotApi, http: ClientSession, ports: list[int]) -> None:
        self.fake, self.http, self.ports, self.turn = fake, http, ports, 0

    async def deliver(self) -> None:
        for update in self.fake.take_updates():
            port = self.ports[self.turn % len(self.ports)]
            self.turn += 1
            async with self.http.post(f"http://127.0.0.1:{port}/telegram/webhook", json=update,
                                      headers={SECRET_HEADER: SECRET}) as response:
                assert response.status == 200

    async def say(self, text: str) -> SentMessage:
        self.fake.push_message(text, chat_id=OFFICER, user_id=OFFICER, first_name="Mai")
        await self.deliver()
        return await self.fake.next_message(OFFICER, timeout=15)

    async def press(self, message: SentMessage, label: str) -> SentMessage:
        self.fake.push_callback(message, message.callback_data(label), user_id=OFFICER, first_name="Mai")
        await self.deliver()
        return await self.fake.next_message(OFFICER, timeout=15)


async def start_replica(fake: FakeBotApi, url: str, kb_cache: Path, cwd: Path):
    port = free_port()
    env = bot_env(fake.base_url, kb_cache, DATABASE_URL=url, WEBHOOK_URL=WEBHOOK_URL, WEBHOOK_SECRET=SECRET,
                  WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port))
    process = await start_bot("--webhook", cwd=cwd, env=env)
    await wait_healthy(f"http://127.0.0.1:{port}/healthz")
    return process, port


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite runs one process
async def test_a_report_whose_steps_alternate_between_two_replicas_one_killed_mid_report_is_stored_once(
        database_url, kb, kb_cache, tmp_path, monkeypatch):
    bypass_proxies(monkeypatch)
    an_officer_of_cat_ne(database_url, kb)
    async with FakeBotApi(token=TOKEN) as fake, ClientSession() as http:
        started = [await start_replica(fake, database_url, kb_cache, tmp_path) for _ in range(2)]
        try:
            mai = Replicas(fake, http, [port for _, port in started])
            menu = await mai.say("/baocao")  # to replica A
            prompt = await mai.press(menu, next(b for row in menu.buttons for b in row if "III-3" in b))  # B
            assert "Chỉ tiêu: 80%" in prompt.text
            echo = await mai.say("85,5%")  # A
            assert "85,5% — đạt chỉ tiêu 80% ✅" in echo.text
            killed, _ = started[0]
            killed.send_signal(signal.SIGKILL)  # A dies with the report unconfirmed: only its draft is left
            await killed.wait()
            mai.ports = mai.ports[1:]
            assert "Đã ghi" in (await mai.press(echo, "✅ Xác nhận")).text  # B, from the draft in the database
        finally:
            for process, _ in started:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
            await asyncio.gather(*(asyncio.wait_for(p.communicate(), 30) for p, _ in started))
    rt = open_runtime(kb, database_url)
    with rt.db.session() as session:
        assert [(row.value, row.person_id) for row in session.scalars(select(Submission))] == [(85.5, OFFICER)]
    rt.db.dispose()
