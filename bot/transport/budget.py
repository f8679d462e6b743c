"""One Telegram budget for every process of a deployment: the flood windows of bot/transport/windows.py kept
in Redis, for the bot token as a whole (Telegram counts per token, not per replica).

Each check-and-take is one Lua script, so two replicas never both take the last place in a window; the time
is Redis's own (TIME), so the replicas' clocks do not matter. A message holds its place from when it leaves
until its answer is back (`HOLD_MS` at most), as in the local windows. Replies come first: a reply waiting for
the overall window marks itself waiting, and a broadcast yields to it; broadcasts also leave `reserve`
places of each second to replies. A 429 pauses every process until its retry_after has passed.

Keys: `<prefix>:<sha256 of the token, 16 hex>:…`: never the token itself; a unique prefix isolates a test.
Redis unreachable: this process falls back on its local windows (which always count its own messages),
logs it once and counts it in /metrics, and tries Redis again after `RETRY_REDIS` seconds.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import time
import uuid

import redis.asyncio as redis
from redis.exceptions import RedisError

from bot.core.metrics import BUDGET_FALLBACKS, BUDGET_WAIT_SECONDS
from bot.transport.windows import FloodWindows, Sent, is_group

log = logging.getLogger(__name__)
HOLD_MS = 60_000  # a message still unanswered after this was abandoned (PTB's timeouts end any well before)
POLL = 0.02  # seconds between looks while a place is held by a message in flight elsewhere
REPLY_MARK = 0.5  # seconds: a waiting reply keeps broadcasts back this long after its last look
RETRY_REDIS = 5.0  # seconds on the local windows before Redis is tried again
REDIS_TIMEOUT = 0.5  # seconds: slower than this, Redis counts as down (a send must not hang on it)

# KEYS: overall, chat, group ('' when not a group), pause, waiting replies
# ARGV: member, overall, window, chat gap (0: not checked), group, group window, reply (1/0), reserve, take (1/0), hold,
#       reply mark (ms)
TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local member, overall, window = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local gap, group, group_window = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local reply, reserve, take, hold = ARGV[7] == '1', tonumber(ARGV[8]), ARGV[9] == '1', tonumber(ARGV[10])
local function full_until(key, limit, span)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - span)
  local count = redis.call('ZCARD', key)
  if count < limit then return 0 end
  local frees = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
  return tonumber(frees[2]) + span - now
end
local own = math.max(0, tonumber(redis.call('GET', KEYS[4]) or '0') - now)
if gap > 0 then
  local last = redis.call('GET', KEYS[2])
  if last then own = math.max(own, tonumber(last) + gap - now) end
end
if KEYS[3] ~= '' then own = math.max(own, full_until(KEYS[3], group, group_window)) end
local limit = overall
if not reply then
  limit = overall - reserve
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now)
  if redis.call('ZCARD', KEYS[5]) > 0 then own = math.max(own, 10) end
end
local wait = math.max(own, full_until(KEYS[1], limit, window))
if wait > 0 then
  if reply and own <= 0 then redis.call('ZADD', KEYS[5], now + tonumber(ARGV[11]), member) end
  return wait
end
if take then
  redis.call('ZADD', KEYS[1], now + hold, member)
  redis.call('PEXPIRE', KEYS[1], hold + window)
  redis.call('SET', KEYS[2], now + hold, 'PX', hold + gap + 1)
  if KEYS[3] ~= '' then
    redis.call('ZADD', KEYS[3], now + hold, member)
    redis.call('PEXPIRE', KEYS[3], hold + group_window)
  end
  redis.call('ZREM', KEYS[5], member)
end
return 0
"""
# KEYS: overall, chat, group (''), ARGV: member, chat gap, group window, window: the places count from now
ANSWERED = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
redis.call('SET', KEYS[2], now, 'PX', tonumber(ARGV[2]) + 1)
if KEYS[3] ~= '' then redis.call('ZADD', KEYS[3], 'XX', now, ARGV[1]) end
return 0
"""
PAUSE = """
local t = redis.call('TIME')
local until_ = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
if until_ > tonumber(redis.call('GET', KEYS[1]) or '0') then redis.call('SET', KEYS[1], until_, 'PX', ARGV[1]) end
return 0
"""


def token_key(prefix: str, token: str) -> str:
    return f"{prefix}:{hashlib.sha256(token.encode()).hexdigest()[:16]}"


class SharedSent:
    """A message in the shared windows (`member` there, '' if taken locally) and in this process's own."""

    __slots__ = ("chat_id", "local", "member")

    def __init__(self, local: Sent, chat_id: int | None, member: str) -> None:
        self.local, self.chat_id, self.member = local, chat_id, member


class SharedWindows(FloodWindows):
    """FloodWindows kept in Redis for every process; its own (inherited) windows are the fallback."""

    def __init__(self, client: redis.Redis, key: str, *, reserve: int = 3, reply_mark: float = REPLY_MARK,
                 **limits) -> None:
        super().__init__(**limits)
        self.client, self.key, self.reserve, self.reply_mark = client, key, reserve, reply_mark
        self._take, self._answered = client.register_script(TAKE), client.register_script(ANSWERED)
        self._pause = client.register_script(PAUSE)
        self._ids = itertools.count()
        self._process = uuid.uuid4().hex[:8]
        self._down_until = 0.0
        self._background: set[asyncio.Task] = set()

    @classmethod
    def from_url(cls, url: str, prefix: str, token: str, *, timeout: float = REDIS_TIMEOUT,
                 **limits) -> SharedWindows:
        client = redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        return cls(client, token_key(prefix, token), **limits)

    def _keys(self, chat_id: int | None) -> list[str]:
        chat = f"{self.key}:chat:{chat_id}" if chat_id is not None else f"{self.key}:chat:none"
        group = f"{self.key}:group:{chat_id}" if chat_id is not None and is_group(chat_id) else ""
        return [f"{self.key}:overall", chat, group, f"{self.key}:pause", f"{self.key}:replies"]

    async def attempt(self, chat_id: int | None, member: str, *, per_chat: bool, reply: bool,
                      take: bool) -> float | None:
        """One look at the shared windows as `member`: seconds to wait (0: the place is taken, if `take`), or
        None: Redis is down."""
        if time.monotonic() < self._down_until:
            return None
        gap = int(self.chat_gap * 1000) if per_chat and chat_id is not None else 0
        args = [member, self.overall, int(self.window * 1000), gap, self.group, int(self.group_window * 1000),
                int(reply), self.reserve, int(take), HOLD_MS, int(self.reply_mark * 1000)]
        try:
            return float(await self._take(keys=self._keys(chat_id), args=args)) / 1000
        except (RedisError, OSError) as exc:
            self._fell_back(exc)
            return None

    def _fell_back(self, exc: Exception) -> None:
        if not self._down_until:
            log.warning("telegram budget: Redis unreachable (%s); this process keeps its own windows meanwhile",
                        exc.__class__.__name__)
        BUDGET_FALLBACKS.inc()
        self._down_until = time.monotonic() + RETRY_REDIS

    async def _wait(self, chat_id: int | None, *, per_chat: bool, reply: bool, take: bool) -> str | None:
        """Waits for a place (taking it if `take`); the member it was taken as, or None: use the local windows."""
        member = f"{self._process}:{next(self._ids)}"
        started = time.monotonic()
        while (wait := await self.attempt(chat_id, member, per_chat=per_chat, reply=reply, take=take)) is not None:
            if wait <= 0:
                if self._down_until:
                    log.info("telegram budget: Redis is back; the windows are shared again")
                    self._down_until = 0.0
                BUDGET_WAIT_SECONDS.labels(kind="reply" if reply else "broadcast").observe(time.monotonic() - started)
                return member
            await asyncio.sleep(min(wait, POLL) if reply else min(wait, 0.25))
        return None

    async def ready(self, chat_id: int | None, *, per_chat: bool = True, reply: bool = False) -> None:
        if await self._wait(chat_id, per_chat=per_chat, reply=reply, take=False) is None:
            await super().ready(chat_id, per_chat=per_chat, reply=reply)

    async def acquire(self, chat_id: int | None, *, per_chat: bool = True, reply: bool = False) -> SharedSent:
        member = await self._wait(chat_id, per_chat=per_chat, reply=reply, take=True)
        if member is None:
            await super().ready(chat_id, per_chat=per_chat, reply=reply)
        # counted in this process's own windows too: for chat_ready, and for a fall-back that knows them
        return SharedSent(super().record(chat_id), chat_id, member or "")

    def answered(self, sent: SharedSent) -> None:  # type: ignore[override]
        super().answered(sent.local)
        if sent.member:
            args = [sent.member, int(self.chat_gap * 1000), int(self.group_window * 1000), int(self.window * 1000)]
            self._spawn(self._answered(keys=self._keys(sent.chat_id)[:3], args=args))

    def pause(self, seconds: float) -> None:
        super().pause(seconds)
        self._spawn(self._pause(keys=[f"{self.key}:pause"], args=[int(seconds * 1000)]))

    def _spawn(self, call) -> None:
        async def run() -> None:
            try:
                await call
            except (RedisError, OSError) as exc:
                self._fell_back(exc)

        task = asyncio.get_running_loop().create_task(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def close(self) -> None:
        await asyncio.gather(*self._background, return_exceptions=True)
        await self.client.aclose()
