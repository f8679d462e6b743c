"""The rate limiter every Bot API call of the bot goes through: PTB's AIORateLimiter plus Telegram's per-chat
limit, with the sliding windows of bot/transport/windows.py instead of its bursts."""

from __future__ import annotations

from typing import Any

from telegram import Bot
from telegram.ext import AIORateLimiter

from bot.transport.windows import FloodWindows

ACQUIRED = {"windows": "acquired"}  # rate_limit_args of a send whose windows the sender already took
SENDS = ("send", "copy", "forward")


class FloodLimiter(AIORateLimiter):
    """AIORateLimiter plus the per-chat limit, and sliding windows instead of its bursts (bot/transport/windows.py)."""

    def __init__(self, windows: FloodWindows | None = None) -> None:
        super().__init__(max_retries=0)
        self.windows = windows or FloodWindows()

    async def process_request(self, callback: Any, args: Any, kwargs: dict[str, Any], endpoint: str,
                              data: dict[str, Any], rate_limit_args: Any) -> Any:
        chat_id = data.get("chat_id")
        if rate_limit_args == ACQUIRED or not isinstance(chat_id, int) or not endpoint.lower().startswith(SENDS):
            return await super().process_request(callback, args, kwargs, endpoint, data, None)
        # a reply to someone who just wrote may follow the previous one at once: Telegram allows short bursts
        sent = await self.windows.acquire(chat_id, per_chat=False)
        try:
            return await super().process_request(callback, args, kwargs, endpoint, data, None)
        finally:
            self.windows.answered(sent)


def windows_of(bot: Bot) -> FloodWindows:
    limiter = getattr(bot, "rate_limiter", None)
    return limiter.windows if isinstance(limiter, FloodLimiter) else FloodWindows()
