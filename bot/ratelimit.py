"""Telegram's flood rules as sliding windows the bot keeps itself under: at most 30 messages a second
overall, one a second per chat, 20 a minute per group. PTB's AIORateLimiter (a leaky bucket) lets a
burst of 30 through and knows nothing of chats, so a broadcast at full speed collects 429s; these
windows leave a margin instead (29 per 1.015 s, 1.05 s per chat, 20 per 61 s per group).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

PRUNE_EVERY = 1000


def is_group(chat_id: int) -> bool:
    return chat_id < 0


class FloodWindows:
    def __init__(self, *, overall: int = 29, window: float = 1.015, chat_gap: float = 1.05, group: int = 20,
                 group_window: float = 61.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.overall, self.window, self.chat_gap = overall, window, chat_gap
        self.group, self.group_window, self.clock = group, group_window, clock
        self._sent: deque[float] = deque(maxlen=overall)
        self._chat_last: dict[int, float] = {}
        self._groups: dict[int, deque[float]] = {}
        self._paused_until = 0.0
        self._records = 0

    def wait_time(self, chat_id: int | None, *, per_chat: bool = True) -> float:
        """Seconds until a message to `chat_id` keeps every window (0: now)."""
        now = self.clock()
        waits = [self._paused_until - now]
        if len(self._sent) == self.overall:
            waits.append(self._sent[0] + self.window - now)
        if chat_id is not None and per_chat and chat_id in self._chat_last:
            waits.append(self._chat_last[chat_id] + self.chat_gap - now)
        group = self._groups.get(chat_id) if chat_id is not None else None
        if group is not None and len(group) == self.group:
            waits.append(group[0] + self.group_window - now)
        return max(0.0, *waits)

    def chat_ready(self, chat_id: int) -> bool:
        """Whether the chat's own windows allow a message now (the overall one aside)."""
        now = self.clock()
        if self._chat_last.get(chat_id, -1e9) + self.chat_gap > now:
            return False
        group = self._groups.get(chat_id)
        return group is None or len(group) < self.group or group[0] + self.group_window <= now

    def record(self, chat_id: int | None) -> None:
        now = self.clock()
        self._sent.append(now)
        if chat_id is not None:
            self._chat_last[chat_id] = now
            if is_group(chat_id):
                self._groups.setdefault(chat_id, deque(maxlen=self.group)).append(now)
        self._records += 1
        if self._records % PRUNE_EVERY == 0:
            self._prune(now)

    async def ready(self, chat_id: int | None, *, per_chat: bool = True) -> None:
        """Waits until a message to the chat may go (without counting one)."""
        while (wait := self.wait_time(chat_id, per_chat=per_chat)) > 0:
            await asyncio.sleep(wait)

    async def acquire(self, chat_id: int | None, *, per_chat: bool = True) -> None:
        """Waits until the message may go, then counts it as sent."""
        await self.ready(chat_id, per_chat=per_chat)
        self.record(chat_id)

    def pause(self, seconds: float) -> None:
        """A 429's retry_after: nothing goes out until it has passed."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    def _prune(self, now: float) -> None:
        self._chat_last = {c: t for c, t in self._chat_last.items() if t + self.chat_gap > now}
        self._groups = {c: q for c, q in self._groups.items() if q[-1] + self.group_window > now}
