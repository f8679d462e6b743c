"""`campaign-bot run` as an operator starts it: a separate process, long polling, stopped with Ctrl-C."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import pytest

from bot.start.cli import main
from tests.support.fakebotapi import FakeBotApi
from tests.support.harness import TOKEN
from tests.support.proxies import bypass_proxies


async def test_run_serves_telegram_and_never_logs_the_token(tmp_path, kb, kb_cache, monkeypatch):
    bypass_proxies(monkeypatch)
    async with FakeBotApi(token=TOKEN) as fake:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.base_url,
               "CAMPAIGN_BOT_CACHE": str(kb_cache), "DATABASE_URL": ""}
        del env["DATABASE_URL"]  # the default: ./data/campaign-bot.db under the working directory
        bot = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        fake.push_message("/start xa-cat-ne", chat_id=700, first_name="Lan")
        reply = await fake.next_message(700, timeout=60)
        bot.send_signal(signal.SIGINT)
        output, _ = await asyncio.wait_for(bot.communicate(), 30)
    assert "đã chọn đơn vị: Ủy ban nhân dân xã Cát Nê" in reply.text
    assert bot.returncode == 0 and (tmp_path / "data" / "campaign-bot.db").exists()
    logged = output.decode()
    assert "Application started" in logged and TOKEN.split(":")[1] not in logged


def test_run_without_a_token_says_which_setting_is_missing(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    with pytest.raises(SystemExit) as stop:
        main(["run"])
    assert "TELEGRAM_BOT_TOKEN: thiếu / missing" in str(stop.value) and "campaign-bot chat" in str(stop.value)


async def test_a_token_telegram_rejects_stops_the_bot_with_a_message(tmp_path, kb_cache, monkeypatch):
    bypass_proxies(monkeypatch)
    async with FakeBotApi(token=TOKEN) as fake:
        wrong = TOKEN[:-4] + "XXXX"
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": wrong, "TELEGRAM_API_BASE_URL": fake.base_url,
               "CAMPAIGN_BOT_CACHE": str(kb_cache)}
        bot = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        output, _ = await asyncio.wait_for(bot.communicate(), 60)
    assert bot.returncode == 1 and "TELEGRAM_BOT_TOKEN: Telegram từ chối token này" in output.decode()
    assert wrong.split(":")[1] not in output.decode()
