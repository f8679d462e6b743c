"""Updates of one chat are handled in order, one at a time; different chats are served concurrently.

So a slow or chatty user never holds up the others, and a conversation never sees its own
messages out of order (PTB's plain `concurrent_updates(True)` gives no such guarantee).

Fair between chats: an update waiting for its chat's earlier ones holds none of the concurrent
slots (PTB's BaseUpdateProcessor takes its semaphore before anything else, so a busy group whose
replies wait out its 20-a-minute window would fill every slot with its queued updates and stall
everyone). Here an update first waits its turn in its chat, then takes a slot: a chat holds at most
one slot, however many updates it has queued.

Updates taken in before arrive here already emptied: the webhook and the long poll's client record
each id as it comes (bot/start/webhook.py, bot/transport/client.py). Each one is told to `taken` as it
arrives and to `done` once handled to its end; `drain` runs at shut-down, once every update taken in has
been handled: the kept copies of handled updates are dropped (bot/core/seen.py).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)


def chat_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


def carries(update: object) -> bool:
    """An update with something in it: not the empty stand-in of one taken in before (or unreadable), whose
    copy, kept by the process that took it in, is that process's to drop or another's to handle."""
    return isinstance(update, Update) and any(getattr(update, kind, None) is not None for kind in Update.ALL_TYPES)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 32, *, taken: Callable[[int], None] | None = None,
                 done: Callable[[int], None] | None = None,
                 drain: Callable[[], Awaitable[None]] | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: Counter[int] = Counter()
        self._taken, self._done, self._drain = taken, done, drain

    async def process_update(self, update: object, coroutine: Awaitable[Any]) -> None:  # type: ignore[misc]
        """Overrides PTB's (marked final): the chat's turn first, then the slot, never the other way."""
        if self._taken is not None and carries(update):
            self._taken(update.update_id)
        key = chat_key(update)
        if key is None:
            async with self._semaphore:
                await self.do_process_update(update, coroutine)
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] += 1
        try:
            async with lock, self._semaphore:
                await self.do_process_update(update, coroutine)
        finally:
            if inspect.iscoroutine(coroutine) and inspect.getcoroutinestate(coroutine) == inspect.CORO_CREATED:
                coroutine.close()  # cancelled while waiting its turn (shutting down): never started
            self._holders[key] -= 1
            if not self._holders[key]:
                del self._holders[key], self._locks[key]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await coroutine  # a handler's error is PTB's to report: it ends here too; a cancellation does not
        if self._done is not None and carries(update):
            self._done(update.update_id)

    async def initialize(self) -> None:
        """Nothing to set up: locks are made on demand."""

    async def shutdown(self) -> None:
        """A lock lives only while its chat has updates in flight: nothing to release but the handled ids."""
        if self._drain is not None:
            await self._drain()
