"""Telegram's flood rules as sliding windows the bot keeps itself under: at most 30 messages a second
overall, one a second per chat, 20 a minute per group. PTB's AIORateLimiter (a leaky bucket) lets a
burst of 30 through and knows nothing of chats, so a broadcast at full speed collects 429s.

A message counts from when its request leaves until its answer is back: Telegram counts it at some
moment in between. Spacing a message from the answers of those before it (not from when they left)
keeps the rules however long a request was held up on the way, by a busy event loop, a garbage
collection or the network; measured from departure, a 140 ms stall was enough for a 429.

Replies come first: a broadcast (reply=False) leaves `reserve` places of each second's window to replies.
bot/transport/budget.py keeps the same windows in Redis, for every process of a deployment.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

PRUNE_EVERY = 1000
IN_FLIGHT_POLL = 0.005  # seconds between looks at a request whose answer the next message waits for
GIVE_UP = 60.0  # a request still unanswered after this was abandoned (PTB's timeouts end any well before)


def is_group(chat_id: int) -> bool:
    return chat_id < 0


class Sent:
    """One message in the windows: `at` is when it left, then when its answer came back."""

    __slots__ = ("answered", "at")

    def __init__(self, at: float) -> None:
        self.at, self.answered = at, False


class FloodWindows:
    def __init__(self, *, overall: int = 29, window: float = 1.0, chat_gap: float = 1.01, group: int = 20,
                 group_window: float = 60.5, reserve: int = 0, clock: Callable[[], float] = time.monotonic) -> None:
        self.overall, self.window, self.chat_gap, self.reserve = overall, window, chat_gap, reserve
        self.group, self.group_window, self.clock = group, group_window, clock
        self._sent: deque[Sent] = deque(maxlen=overall)
        self._chat_last: dict[int, Sent] = {}
        self._groups: dict[int, deque[Sent]] = {}
        self._paused_until = 0.0
        self._records = 0

    def wait_time(self, chat_id: int | None, *, per_chat: bool = True, reply: bool = False) -> float:
        """Seconds until a message to `chat_id` keeps every window (0: now)."""
        now = self.clock()
        waits = [self._paused_until - now]
        limit = self.overall if reply else self.overall - self.reserve
        if len(self._sent) >= limit:
            waits.append(_until(self._sent[-limit], self.window, now))
        if chat_id is not None and per_chat and chat_id in self._chat_last:
            waits.append(_until(self._chat_last[chat_id], self.chat_gap, now))
        group = self._groups.get(chat_id) if chat_id is not None else None
        if group is not None and len(group) == self.group:
            waits.append(_until(group[0], self.group_window, now))
        return max(0.0, *waits)

    def chat_ready(self, chat_id: int) -> bool:
        """Whether the chat's own windows allow a message now (the overall one aside)."""
        now = self.clock()
        last = self._chat_last.get(chat_id)
        group = self._groups.get(chat_id)
        full = group is not None and len(group) == self.group
        return _free(last, self.chat_gap, now) and (not full or _free(group[0], self.group_window, now))

    def record(self, chat_id: int | None) -> Sent:
        """Counts a message leaving now; `answered` it when its answer is back."""
        sent = Sent(self.clock())
        self._sent.append(sent)
        if chat_id is not None:
            self._chat_last[chat_id] = sent
            if is_group(chat_id):
                self._groups.setdefault(chat_id, deque(maxlen=self.group)).append(sent)
        self._records += 1
        if self._records % PRUNE_EVERY == 0:
            self._prune(sent.at)
        return sent

    def answered(self, sent: Sent) -> None:
        """The message's answer (or its failure) is back: the windows count from now."""
        sent.at, sent.answered = self.clock(), True

    async def ready(self, chat_id: int | None, *, per_chat: bool = True, reply: bool = False) -> None:
        """Waits until a message to the chat may go (without counting one)."""
        while (wait := self.wait_time(chat_id, per_chat=per_chat, reply=reply)) > 0:
            await asyncio.sleep(wait)

    async def acquire(self, chat_id: int | None, *, per_chat: bool = True, reply: bool = False) -> Sent:
        """Waits until the message may go, then counts it as leaving."""
        await self.ready(chat_id, per_chat=per_chat, reply=reply)
        return self.record(chat_id)

    def pause(self, seconds: float) -> None:
        """A 429's retry_after: nothing goes out until it has passed."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    async def close(self) -> None:
        """Nothing to release here (the shared windows close their Redis connections)."""

    def _prune(self, now: float) -> None:
        self._chat_last = {c: s for c, s in self._chat_last.items() if not _free(s, self.chat_gap, now)}
        self._groups = {c: q for c, q in self._groups.items() if not _free(q[-1], self.group_window, now)}


def _until(sent: Sent, span: float, now: float) -> float:
    """Seconds until `span` has passed since the message's answer; a message still in flight holds on."""
    if sent.answered or now - sent.at > GIVE_UP:
        return sent.at + span - now
    return max(IN_FLIGHT_POLL, sent.at + span - now)


def _free(sent: Sent | None, span: float, now: float) -> bool:
    return sent is None or _until(sent, span, now) <= 0
