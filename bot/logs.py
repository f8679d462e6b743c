"""Logging set-up: quiet HTTP client, and no secret ever reaches a log line."""

from __future__ import annotations

import logging

NOISY = ("httpx", "httpcore", "bm25s", "apscheduler.executors.default")


class Redact(logging.Filter):
    """Replaces each secret in the formatted message (and the traceback) with '***'."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self.secrets:
            message = message.replace(secret, "***")
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, "***")
        record.msg, record.args = message, None
        return True


def configure(*secrets: str, level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
    redact = Redact(*secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
