"""The real bot (python-telegram-bot Application, long polling) against the fake Bot API, driven by users.

    bot = BotUnderTest(fake, database_url, kb, clock); await bot.start()
    lan = bot.user(501, "Lan")
    reply = await lan.say("/start")          # the bot's next message to Lan's chat
    await lan.press(reply, "Ủy ban nhân dân xã Cát Nê")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from telegram.ext import Application

from bot.core.config import Settings
from bot.core.runtime import Runtime
from bot.start.application import build_application
from bot.start.boot import open_runtime
from knowledge import KnowledgeBase
from tests.support.fakebotapi import FakeBotApi, SentMessage

TOKEN = "123456789:TEST-fake-token-0123456789abcdefghij"
ADMIN_ID = 900  # in BOT_ADMIN_IDS of every bot under test


class Person:
    """A Telegram user writing in one chat (their private chat, or a group)."""

    def __init__(self, bot: BotUnderTest, user_id: int, name: str, chat_id: int, title: str | None = None) -> None:
        self.bot, self.user_id, self.name, self.chat_id, self.title = bot, user_id, name, chat_id, title

    def send(self, text: str, *, reply_to: SentMessage | None = None, update_id: int | None = None) -> int:
        return self.bot.fake.push_message(text, chat_id=self.chat_id, user_id=self.user_id, first_name=self.name,
                                          title=self.title, reply_to=reply_to, update_id=update_id)

    async def say(self, text: str, *, reply_to: SentMessage | None = None) -> SentMessage:
        """Sends text and returns the bot's next message in this chat."""
        self.send(text, reply_to=reply_to)
        return await self.bot.fake.next_message(self.chat_id)

    async def press(self, message: SentMessage, label: str) -> int:
        update_id = self.bot.fake.push_callback(message, message.callback_data(label), user_id=self.user_id,
                                                first_name=self.name)
        await self.bot.fake.callback_answer(update_id)
        return update_id

    async def next(self) -> SentMessage:
        return await self.bot.fake.next_message(self.chat_id)

    async def hears_nothing(self, within: float = 0.5) -> None:
        await self.bot.fake.no_message(self.chat_id, within)


class BotUnderTest:
    rate_limited = True  # False where a test sends more than Telegram's pace lets through in its time

    def __init__(self, fake: FakeBotApi, database_url: str, kb: KnowledgeBase,
                 clock: Callable[[], dt.datetime]) -> None:
        self.fake, self.database_url, self.kb, self.clock = fake, database_url, kb, clock
        self.settings = Settings(telegram_bot_token=fake.token, telegram_api_base_url=fake.base_url,
                                 database_url=database_url, _env_file=None)
        self.app: Application | None = None
        self.rt: Runtime | None = None

    async def start(self) -> None:
        self.rt = open_runtime(self.kb, self.database_url, clock=self.clock, admin_ids=frozenset({ADMIN_ID}))
        self.app = build_application(self.settings, self.rt, rate_limited=self.rate_limited)
        await self.app.initialize()
        await self.app.post_init(self.app)  # run_polling() calls it; the tests start the parts themselves
        await self.app.start()
        await self.app.updater.start_polling(poll_interval=0, timeout=1)

    async def stop(self) -> None:
        await self.app.updater.stop()
        await self.app.stop()
        await self.app.shutdown()
        self.rt.db.dispose()

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    def user(self, user_id: int, name: str) -> Person:
        return Person(self, user_id, name, chat_id=user_id)

    def admin(self) -> Person:
        return self.user(ADMIN_ID, "Quản trị")

    def member(self, group_id: int, user_id: int, name: str, title: str = "Tổ chuyển đổi số") -> Person:
        return Person(self, user_id, name, chat_id=group_id, title=title)


@asynccontextmanager
async def running(kind: type[BotUnderTest], kb: KnowledgeBase, database_url: str,
                  clock: Callable[[], dt.datetime]) -> AsyncIterator[BotUnderTest]:
    """A bot of `kind` started against a fresh fake Bot API, stopped after; the fake fails the test if the
    bot called a method it lacks."""
    async with FakeBotApi(token=TOKEN) as fake:
        bot = kind(fake, database_url, kb, clock)
        await bot.start()
        try:
            yield bot
        finally:
            await bot.stop()
        fake.assert_all_expected()
