"""Log lines: JSON when asked, and never the token, a phone number or more than 100 characters of a message."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot.core.logs import JsonLines, Redact
from tests.support.harness import TOKEN


@pytest.fixture
def log_lines():
    """A logger writing JSON lines, redacted as the bot's are; the lines it wrote, parsed."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(Redact(TOKEN, "webhook-secret-0123456789"))
    handler.setFormatter(JsonLines())
    logger = logging.getLogger("tests.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, lambda: [json.loads(line) for line in out.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_each_line_is_one_json_object_with_time_level_logger_and_message(log_lines):
    logger, lines = log_lines
    logger.warning("update %s: hỏng", 42)
    [line] = lines()
    assert line["level"] == "WARNING" and line["logger"] == "tests.logs" and line["message"] == "update 42: hỏng"
    assert line["time"].endswith("+00:00")


def test_the_token_and_the_webhook_secret_never_show(log_lines):
    logger, lines = log_lines
    logger.info("calling https://api.telegram.org/bot%s/getMe with webhook-secret-0123456789", TOKEN)
    try:
        raise RuntimeError(f"bad token {TOKEN}")
    except RuntimeError:
        logger.exception("failed")
    text = json.dumps(lines())
    assert TOKEN not in text and TOKEN.split(":")[1] not in text and "webhook-secret" not in text
    assert "bot***/getMe" in lines()[0]["message"] and "RuntimeError: bad token ***" in lines()[1]["exception"]


@pytest.mark.parametrize("phone", ["0912345678", "+84 912 345 678", "0912.345.678", "0912-345-678", "84912345678",
                                   "024 3825 1234"])
def test_vietnamese_phone_numbers_are_redacted(log_lines, phone):
    logger, lines = log_lines
    logger.info("chat 501 wrote: gọi mình qua số %s nhé", phone)
    assert lines()[0]["message"] == "chat 501 wrote: gọi mình qua số <phone> nhé"


def test_ids_times_and_decimals_are_not_taken_for_phone_numbers(log_lines):
    logger, lines = log_lines
    message = "update 123456789 chat -1001234567890 at 2026-11-22T09:00:00.123456+00:00 took 0.123456789 s"
    logger.info(message)
    assert lines()[0]["message"] == message


def test_a_message_text_is_cut_at_100_characters(log_lines):
    logger, lines = log_lines
    text = "chỉ tiêu " * 40
    logger.info("message text=%r", text)
    logged = lines()[0]["message"]
    assert text[:100] in logged and text[:101] not in logged and logged.endswith("…'")
