"""Webhook mode: Telegram POSTs each update with the secret; the bot answers through the (fake) Bot API."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import signal

import pytest
import pytest_asyncio
from aiohttp import ClientSession

from bot.core.models import SeenUpdate
from bot.core.seen import KEEP, UNFINISHED_AFTER, first_delivery, forget_seen, handled, touch, unfinished
from bot.start.cli import main
from bot.start.webhook import SECRET_HEADER
from tests.support.bot_process import bot_env, free_port, signed_in, start_bot, wait_healthy
from tests.support.databases import database_down
from tests.support.fakebotapi import FakeBotApi
from tests.support.fakebotapi_updates import chat_dict, detect_entities, user_dict
from tests.support.harness import ADMIN_ID, TOKEN
from tests.support.proxies import bypass_proxies
from tests.support.webhook_harness import SECRET, WEBHOOK_URL, WebhookBot

CAT_NE = "Ủy ban nhân dân xã Cát Nê"
QUESTION = "chi tieu ho so tthc xu ly hoan toan truc tuyen la bao nhieu"


@pytest_asyncio.fixture
async def fake(monkeypatch):
    bypass_proxies(monkeypatch)
    async with FakeBotApi(token=TOKEN) as api:
        yield api
        api.assert_all_expected()


@pytest_asyncio.fixture
async def webhook(fake, kb, database_url, clock):
    """The real bot serving its webhook on 127.0.0.1, Telegram's deliveries carrying the right secret."""
    bot = WebhookBot(fake, database_url, kb, clock)
    await bot.start()
    yield bot
    await bot.stop()


def text_update(update_id: int, text: str, chat_id: int = 501, name: str = "Lan") -> dict:
    """A user's message as Telegram posts it."""
    return {"update_id": update_id, "message": {"message_id": update_id, "from": user_dict(chat_id, name),
                                                "chat": chat_dict(chat_id, first_name=name), "date": 1_790_000_000,
                                                "text": text, "entities": detect_entities(text)}}


async def test_the_webhook_is_set_with_its_secret_and_users_are_answered(webhook):
    lan = webhook.user(501, "Lan")
    assert f"đã chọn đơn vị: {CAT_NE}" in (await lan.say("/start xa-cat-ne")).text
    assert (await lan.say(QUESTION)).text.startswith("80%")
    setting = await webhook.fake.wait_for("setWebhook")
    assert setting.params["url"] == WEBHOOK_URL and setting.params["secret_token"] == SECRET
    assert "message" in setting.params["allowed_updates"] and "callback_query" in setting.params["allowed_updates"]
    assert [status for _, status in webhook.deliveries] == [200, 200]


async def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_processed(webhook):
    for secret in ("wrong-secret-0123456789abcdef", SECRET[:-1], SECRET + "x", "", None):
        assert await webhook.post(text_update(9001, "/start"), secret=secret) == 403, secret
    await webhook.user(501, "Lan").hears_nothing()
    with webhook.rt.db.session() as session:
        assert session.get(SeenUpdate, 9001) is None  # so Telegram's own delivery of it will be processed


async def test_a_redelivered_update_is_answered_once(webhook):
    update = text_update(9002, "/start xa-cat-ne")
    assert await webhook.post(update) == 200
    assert f"đã chọn đơn vị: {CAT_NE}" in (await webhook.fake.next_message(501)).text
    assert await webhook.post(update) == 200  # acknowledged, so Telegram stops retrying
    await webhook.user(501, "Lan").hears_nothing()


async def test_two_replicas_on_one_database_answer_an_update_once(fake, kb, database_url, clock):
    first, second = WebhookBot(fake, database_url, kb, clock), WebhookBot(fake, database_url, kb, clock)
    await first.start()
    await second.start()
    try:
        update = text_update(9003, "/start xa-cat-ne")
        assert await asyncio.gather(first.post(update), second.post(update)) == [200, 200]
        await fake.next_message(501)
        await first.user(501, "Lan").hears_nothing()
    finally:
        await second.stop()
        await first.stop()


async def test_a_body_that_is_not_an_update_is_a_bad_request(webhook):
    assert await webhook.post(b"not json") == 400
    assert await webhook.post({"message": "no update id"}) == 400
    await webhook.user(501, "Lan").hears_nothing(0.2)


async def test_an_update_the_database_cannot_record_is_not_acknowledged(webhook):
    with database_down(webhook.rt):
        assert await webhook.post(text_update(9004, "/start xa-cat-ne")) == 503  # Telegram will send it again
        await webhook.user(501, "Lan").hears_nothing(0.2)
    assert await webhook.post(text_update(9004, "/start xa-cat-ne")) == 200
    assert f"đã chọn đơn vị: {CAT_NE}" in (await webhook.fake.next_message(501)).text


async def test_start_up_retries_a_bot_api_that_fails_and_stops_on_a_url_telegram_refuses(fake, kb, clock, tmp_path):
    fake.fail("setWebhook", error=502)
    bot = WebhookBot(fake, f"sqlite:///{tmp_path / 'bot.db'}", kb, clock)
    await bot.start()
    await bot.stop()
    assert [call.error_code for call in fake.calls if call.method == "setWebhook"] == [502, None]
    fake.fail("setWebhook", error=400, description="Bad Request: bad webhook: HTTPS url must be provided for webhook")
    refused = r"WEBHOOK_URL: .*Telegram refused it: Bad webhook: https url must be provided"
    with pytest.raises(SystemExit, match=refused):
        await bot.start()
    bot.rt.db.dispose()


def test_update_ids_are_remembered_two_days_then_forgotten(runtime, clock):
    with runtime.db.connection() as connection:
        assert first_delivery(42, clock.now, connection=connection)
        assert not first_delivery(42, clock.now + dt.timedelta(days=1), connection=connection)
    with runtime.db.session() as session:
        assert forget_seen(clock.now + KEEP, session=session) == 0
        assert forget_seen(clock.now + KEEP + dt.timedelta(seconds=1), session=session) == 1
    with runtime.db.connection() as connection:
        assert first_delivery(42, clock.now + KEEP, connection=connection)


def test_an_update_taken_in_and_not_handled_is_claimed_once_unless_its_process_still_holds_it(runtime, clock):
    with runtime.db.connection() as connection:
        for update_id in (1, 2, 3, 4):
            first_delivery(update_id, clock.now, connection=connection, payload=f'{{"update_id": {update_id}}}')
        handled([2], connection=connection)
    later = clock.now + UNFINISHED_AFTER + dt.timedelta(seconds=1)
    with runtime.db.connection() as connection:
        touch([4], later - dt.timedelta(seconds=30), connection=connection)  # its process is alive, holding it
    claims = [(clock.now, frozenset()), (later, frozenset({3})), (later, frozenset()), (later, frozenset())]
    claimed = []
    for now, in_hand in claims:
        with runtime.db.connection() as connection:
            claimed.append(unfinished(now, connection=connection, exclude=in_hand))
    assert claimed == [[], [(1, '{"update_id": 1}')], [(3, '{"update_id": 3}')], []]


def test_webhook_mode_without_a_secret_says_which_setting_is_missing(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("WEBHOOK_URL", WEBHOOK_URL)
    monkeypatch.delenv("WEBHOOK_SECRET", raising=False)
    with pytest.raises(SystemExit) as stop:
        main(["run", "--webhook"])
    assert "WEBHOOK_SECRET: thiếu / missing" in str(stop.value)
    monkeypatch.setenv("WEBHOOK_SECRET", "short")
    with pytest.raises(SystemExit) as stop:
        main(["run", "--webhook"])
    assert "WEBHOOK_SECRET: 16-256 characters" in str(stop.value) and "short" not in str(stop.value)


async def test_run_webhook_as_a_process_serves_telegram_and_logs_json_without_secrets(fake, tmp_path, kb, kb_cache):
    port, page = free_port(), free_port()
    env = bot_env(fake.base_url, kb_cache, DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", WEBHOOK_URL=WEBHOOK_URL,
                  WEBHOOK_SECRET=SECRET, WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port), LOG_FORMAT="json",
                  WEB_PORT=str(page), WEB_BASE_URL=f"http://127.0.0.1:{page}", BOT_ADMIN_IDS=str(ADMIN_ID))
    bot = await start_bot("--webhook", cwd=tmp_path, env=env)
    try:
        health = await wait_healthy(f"http://127.0.0.1:{port}/healthz")
        async with ClientSession() as http:
            url = f"http://127.0.0.1:{port}/telegram/webhook"
            async with http.post(url, json=text_update(1, "/start xa-cat-ne"), headers={SECRET_HEADER: SECRET}) as r:
                assert r.status == 200
            async with http.post(url, json=text_update(2, "/web", ADMIN_ID, "Hằng"), headers={SECRET_HEADER: SECRET}):
                pass
        reply = await fake.next_message(501, timeout=30)
        standings = await signed_in((await fake.next_message(ADMIN_ID, timeout=30)).text)  # the page mounted too
    finally:
        bot.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(bot.communicate(), 30)
    assert health["database"] == "ok" and f"đã chọn đơn vị: {CAT_NE}" in reply.text
    assert "<h1>Tổng hợp" in standings and "/don-vi/" in standings  # the units of the bot's database
    assert bot.returncode == 0 and fake.webhook_url == WEBHOOK_URL
    records = [json.loads(line) for line in output.decode().splitlines()]
    assert any(r["message"] == "Application started" for r in records)
    assert TOKEN.split(":")[1] not in output.decode() and SECRET not in output.decode()
