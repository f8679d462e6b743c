"""The rate limiter every Bot API call of the bot goes through: PTB's AIORateLimiter plus Telegram's per-chat
limit, with the sliding windows of bot/transport/windows.py instead of its bursts.

A reply that fails for a passing reason is tried again while it is still useful (RETRY_WITHIN seconds from
the first try): a 5xx answer or a request that never left (no connection), after a short backoff; a 429,
after its retry_after, which pauses every chat's messages, not only this one's. A request that left and got
no answer is not repeated: Telegram may have delivered it. The reminder sender (rate_limit_args=ACQUIRED)
keeps its own retries in the outbox and is passed straight through.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import warnings
from typing import Any

import aiohttp
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import AIORateLimiter

from bot.core.metrics import TELEGRAM_RETRIES
from bot.transport.windows import FloodWindows

log = logging.getLogger(__name__)
ACQUIRED = {"windows": "acquired"}  # rate_limit_args of a send whose windows the sender already took
SENDS = ("send", "copy", "forward")
RETRY_WITHIN = 5.0  # seconds from a reply's first try: later than this, the user has given up on it
BACKOFF = (0.25, 0.5, 1.0, 2.0)  # seconds before the 1st, 2nd, 3rd… retry of a 5xx or an unsent request
NOT_RETRIED = ("getUpdates",)  # the updater retries its own long poll


def retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that retry_after becomes a timedelta
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def transient(error: TelegramError) -> str | None:
    """Why a failed request may simply be tried again ('5xx', 'unsent'), or None.

    PTB raises a plain NetworkError for a 5xx answer (no cause) and for a connection error (an aiohttp
    cause); of those only a failed connection proves the request never left. A TimedOut is retried only
    when it timed out connecting (bot/transport/client.py)."""
    if isinstance(error, TimedOut):
        return "unsent" if isinstance(error.__cause__, aiohttp.ConnectionTimeoutError) else None
    if type(error) is not NetworkError:  # BadRequest and the others are answers, not accidents
        return None
    if error.__cause__ is None or isinstance(error.__cause__, TelegramError):  # an answer (its body unreadable)
        return "5xx"
    return "unsent" if isinstance(error.__cause__, aiohttp.ClientConnectorError) else None


class _QuietRetries(logging.Filter):
    """AIORateLimiter logs each 429 as an error ("after maximum of 0 retries"); this limiter retries it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Rate limit hit after maximum")


logging.getLogger("telegram.ext.AIORateLimiter").addFilter(_QuietRetries())


class FloodLimiter(AIORateLimiter):
    """AIORateLimiter plus the per-chat limit, and sliding windows instead of its bursts (bot/transport/windows.py)."""

    def __init__(self, windows: FloodWindows | None = None, *, retry_within: float = RETRY_WITHIN,
                 clock=time.monotonic) -> None:
        super().__init__(max_retries=0)
        self.windows = windows or FloodWindows()
        self.retry_within, self._clock = retry_within, clock

    async def process_request(self, callback: Any, args: Any, kwargs: dict[str, Any], endpoint: str,
                              data: dict[str, Any], rate_limit_args: Any) -> Any:
        if rate_limit_args == ACQUIRED or endpoint in NOT_RETRIED:
            return await self._once(callback, args, kwargs, endpoint, data, rate_limit_args)
        give_up_at = self._clock() + self.retry_within
        for attempt in range(1, 1000):
            try:
                return await self._once(callback, args, kwargs, endpoint, data, rate_limit_args)
            except RetryAfter as exc:
                error, reason, wait = exc, "429", retry_after_seconds(exc) + 0.05
                self.windows.pause(wait)  # Telegram's flood control holds for every chat, not only this one
            except TelegramError as exc:
                error, reason = exc, transient(exc)
                if reason is None:
                    raise
                wait = BACKOFF[min(attempt, len(BACKOFF)) - 1]
            if self._clock() + wait > give_up_at:
                log.warning("%s to chat %s failed (%s) and is not retried: too late to be useful",
                            endpoint, data.get("chat_id"), reason)
                raise error
            TELEGRAM_RETRIES.labels(reason=reason).inc()
            log.info("%s to chat %s failed (%s): retrying in %.2f s", endpoint, data.get("chat_id"), reason, wait)
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    async def shutdown(self) -> None:
        await super().shutdown()
        await self.windows.close()

    async def _once(self, callback: Any, args: Any, kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
                    rate_limit_args: Any) -> Any:
        chat_id = data.get("chat_id")
        if rate_limit_args == ACQUIRED or not isinstance(chat_id, int) or not endpoint.lower().startswith(SENDS):
            return await super().process_request(callback, args, kwargs, endpoint, data, None)
        # a reply to someone who just wrote may follow the previous one at once: Telegram allows short bursts
        sent = await self.windows.acquire(chat_id, per_chat=False, reply=True)
        try:
            return await super().process_request(callback, args, kwargs, endpoint, data, None)
        finally:
            self.windows.answered(sent)


def windows_of(bot: Bot) -> FloodWindows:
    limiter = getattr(bot, "rate_limiter", None)
    return limiter.windows if isinstance(limiter, FloodLimiter) else FloodWindows()
