"""Logging set-up: quiet HTTP client, text or JSON lines, and no secret or personal data in a log line."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

NOISY = ("httpx", "httpcore", "aiohttp.client", "bm25s", "apscheduler.executors.default", "aiohttp.access")
TEXT_LIMIT = 100  # characters of a user's message a log line may quote
# Vietnamese phone numbers as people write them: 0912345678, 0912.345.678, 0912 345 678, +84 912 345 678,
# 84912345678, landlines 024 3825 1234. Not inside a longer number or a decimal.
PHONE = re.compile(r"(?<![\w.,+])(?:\+84[\s.-]?|84[\s.-]?|0)[2-9](?:[\s.-]?\d){8,9}(?![.,]?\d)")
# A quoted string longer than TEXT_LIMIT: how a message's text shows up in a repr or an error.
LONG_QUOTE = re.compile(rf"""(['"])((?:\\.|(?!\1).){{{TEXT_LIMIT}}})(?:\\.|(?!\1).)+\1""")


def scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    text = PHONE.sub("<phone>", text)
    return LONG_QUOTE.sub(r"\1\2…\1", text)


class Redact(logging.Filter):
    """Replaces each secret and phone number in the formatted message (and the traceback), and cuts
    long quoted texts to TEXT_LIMIT characters."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, self.secrets)
        record.msg, record.args = scrub(message, self.secrets), None
        return True


class JsonLines(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def configure(*secrets: str, level: int = logging.INFO, json_lines: bool = False) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
    redact = Redact(*secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
        if json_lines:
            handler.setFormatter(JsonLines())
