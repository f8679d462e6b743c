"""Fixtures for tests that talk to the fake Bot API (a pytest plugin of conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from telegram import Bot

from tests.support.fakebotapi import FakeBotApi
from tests.support.proxies import bypass_proxies


@pytest_asyncio.fixture
async def fake_api(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeBotApi]:
    """A started FakeBotApi; the test fails at teardown if the bot called a method the fake lacks."""
    bypass_proxies(monkeypatch)
    async with FakeBotApi() as fake:
        yield fake
        try:
            fake.assert_all_expected()
        except AssertionError as err:
            pytest.fail(str(err), pytrace=False)


@pytest_asyncio.fixture
async def fake_bot(fake_api: FakeBotApi) -> AsyncIterator[Bot]:
    """An initialized telegram.Bot talking to ``fake_api``."""
    async with Bot(fake_api.token, base_url=fake_api.base_url, base_file_url=fake_api.base_file_url) as bot:
        yield bot
