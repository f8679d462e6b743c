"""The real bot in webhook mode against the fake Bot API, with Telegram's side played by an HTTP client.

    bot = WebhookBot(fake, database_url, kb, clock); await bot.start()   # serves 127.0.0.1:<bot.port>
    reply = await bot.user(501, "Lan").say("/start")   # pushed to the fake, POSTed to the webhook
    status = await bot.post(update, secret="wrong")     # one request, as Telegram (or anyone) sends it
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

from aiohttp import ClientSession

from bot.core.config import WebhookSettings
from bot.start.application import build_application
from bot.start.boot import open_runtime
from bot.start.webhook import SECRET_HEADER, serving
from tests.support.fakebotapi_updates import JSON
from tests.support.harness import BotUnderTest

SECRET = "test-webhook-secret-0123456789"
WEBHOOK_URL = "https://bot.example.org/telegram/webhook"
DELIVER_EVERY = 0.005  # seconds between looks at the fake's queue


class WebhookBot(BotUnderTest):
    """BotUnderTest served by webhook: what users send is delivered by POST with the secret."""

    deliveries: list[tuple[int, int]]  # (update_id, HTTP status) of each delivery

    async def start(self) -> None:
        self.settings = WebhookSettings(telegram_bot_token=self.fake.token, telegram_api_base_url=self.fake.base_url,
                                        database_url=self.database_url, webhook_url=WEBHOOK_URL,
                                        webhook_secret=SECRET, webhook_listen="127.0.0.1", webhook_port=0,
                                        _env_file=None)
        self.rt = open_runtime(self.kb, self.database_url, clock=self.clock)
        self.app = build_application(self.settings, self.rt, updater=False)
        self.deliveries = []
        self._stack = AsyncExitStack()
        self.port = await self._stack.enter_async_context(serving(self.settings, self.app, self.rt))
        self.http = await self._stack.enter_async_context(ClientSession())
        self._delivery = asyncio.create_task(self._deliver())

    async def stop(self) -> None:
        self._delivery.cancel()
        await self._stack.aclose()
        self.rt.db.dispose()

    def url(self, path: str = "/telegram/webhook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def post(self, update: JSON | bytes, *, secret: str | None = SECRET) -> int:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        body = {"data": update} if isinstance(update, bytes) else {"json": update}
        async with self.http.post(self.url(), headers=headers, **body) as response:
            return response.status

    async def _deliver(self) -> None:
        while True:
            for update in self.fake.take_updates():
                self.deliveries.append((update["update_id"], await self.post(update)))
            await asyncio.sleep(DELIVER_EVERY)
