"""Which Bot API failures a reply may simply try again (bot/transport/limiter.py)."""

from __future__ import annotations

import aiohttp
import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut

from bot.transport.client import NOT_SENT
from bot.transport.limiter import transient


def caused(error: TelegramError, cause: BaseException | None) -> TelegramError:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize("error, reason", [
    (caused(NetworkError("Internal Server Error"), None), "5xx"),
    (caused(NetworkError("Bad Gateway (502)"), TelegramError("Invalid server response")), "5xx"),
    (caused(TimedOut(NOT_SENT), aiohttp.ConnectionTimeoutError()), "unsent"),
    (caused(NetworkError("aiohttp.ClientConnectorError"),
            aiohttp.ClientConnectorError(None, OSError(111, "refused"))), "unsent"),
    (caused(TimedOut(), TimeoutError()), None),  # left, no answer: Telegram may have delivered it
    (caused(NetworkError("aiohttp.ServerDisconnectedError"), aiohttp.ServerDisconnectedError()), None),
    (BadRequest("Bad Request: chat not found"), None),
    (Forbidden("Forbidden: bot was blocked by the user"), None),
])
def test_only_failures_that_did_not_deliver_are_retried(error, reason):
    assert transient(error) == reason
