"""The bot's aiohttp client for the Bot API, against the fake: messages, uploads, and the two timeouts
the reminder sender tells apart (not sent: retry; maybe sent: unknown, never resent)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest_asyncio
from telegram.ext import ExtBot

from bot.reminders.outcomes import SendError
from bot.transport.client import AiohttpRequest
from bot.transport.limiter import FloodLimiter
from handlers.delivery import sender_for
from tests.support.fakebotapi import FakeBotApi


@pytest_asyncio.fixture
async def one_connection_bot(fake_api: FakeBotApi) -> AsyncIterator[ExtBot]:
    request = AiohttpRequest(1, read_timeout=0.5, connect_timeout=0.1)
    async with ExtBot(fake_api.token, base_url=fake_api.base_url, request=request,
                      rate_limiter=FloodLimiter()) as bot:
        yield bot


async def test_messages_and_uploads_reach_the_bot_api(fake_api, one_connection_bot):
    await one_connection_bot.send_message(501, "Xin chào — chỉ tiêu 60%")
    await one_connection_bot.send_document(501, b"a,b\n1,2\n", filename="tong-hop.csv", caption="Tổng hợp")
    assert [m.text for m in fake_api.sent(501)] == ["Xin chào — chỉ tiêu 60%", "Tổng hợp"]
    document = next(c for c in fake_api.calls if c.method == "sendDocument")
    assert document.params["caption"] == "Tổng hợp" and document.files["document"].data == b"a,b\n1,2\n"


async def test_a_request_that_never_left_is_a_network_error_and_one_that_left_is_unknown(fake_api,
                                                                                          one_connection_bot):
    fake_api.fail("sendMessage", error="slow", delay=1.0, chat_id=501)
    send = sender_for(one_connection_bot, read_timeout=0.5)
    outcomes = await asyncio.gather(send(501, "một"), _later(send(502, "hai")), return_exceptions=True)
    assert [o.kind for o in outcomes if isinstance(o, SendError)] == ["unknown", "network"]
    assert [c.chat_id for c in fake_api.calls if c.method == "sendMessage"] == [501]


async def _later(coroutine):
    await asyncio.sleep(0.05)  # the first request holds the only connection by now
    return await coroutine



async def test_requests_go_through_the_proxy_the_environment_sets(fake_api, monkeypatch):
    """The fake stands in for an office's HTTP proxy: a request to a host that does not exist arrives
    at it, as a proxy receives it, and is answered."""
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{fake_api.port}")
    request = AiohttpRequest(1)
    async with ExtBot(fake_api.token, base_url="http://bot-api.invalid/bot", request=request) as bot:
        await bot.send_message(501, "qua proxy")
    assert [m.text for m in fake_api.sent(501)] == ["qua proxy"]
