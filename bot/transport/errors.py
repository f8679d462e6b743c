"""Telegram's errors as HTTP codes, counted for /metrics (PTB's exceptions carry no status: each class stands
for one)."""

from __future__ import annotations

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.core.metrics import TELEGRAM_ERRORS

# Subclasses first (TimedOut and BadRequest are NetworkErrors).
CODES = ((ChatMigrated, "400"), (BadRequest, "400"), (InvalidToken, "401"), (Forbidden, "403"),
         (EndPointNotFound, "404"), (Conflict, "409"), (RetryAfter, "429"), (TimedOut, "timeout"),
         (NetworkError, "network"))


def count_telegram_error(exc: TelegramError) -> None:
    code = next((code for kind, code in CODES if isinstance(exc, kind)), "other")
    TELEGRAM_ERRORS.labels(code=code).inc()
