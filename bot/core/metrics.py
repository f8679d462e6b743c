"""Prometheus metrics of the bot, served at /metrics (see bot/start/http.py).

Each process keeps its own counts: with two replicas, Prometheus scrapes each and sums them.
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

UPDATES = Counter("campaign_bot_updates_total", "Telegram updates handled, by kind", ["kind"])
ANSWER_SECONDS = Histogram("campaign_bot_answer_seconds", "Time to answer a question (search and database)",
                           buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0))
SUBMISSIONS = Counter("campaign_bot_submissions_total", "Figures reported by units")
REMINDERS = Counter("campaign_bot_reminders_total", "Reminders by final state", ["state"])
TELEGRAM_ERRORS = Counter("campaign_bot_telegram_errors_total", "Errors answered by the Telegram Bot API, by code",
                          ["code"])
TELEGRAM_RETRIES = Counter("campaign_bot_telegram_retries_total",
                           "Bot API requests tried again after a passing failure, by reason (429, 5xx, unsent)",
                           ["reason"])
BUDGET_FALLBACKS = Counter("campaign_bot_telegram_budget_fallbacks_total",
                           "Times the shared Telegram budget (Redis) failed and this process kept its own windows")
BUDGET_WAIT_SECONDS = Histogram("campaign_bot_telegram_budget_wait_seconds",
                                "Time a message waited for its place in Telegram's windows, by kind",
                                ["kind"], buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0))
DROPPED_UPDATES = Counter("campaign_bot_dropped_updates_total",
                          "Updates python-telegram-bot could not read, dropped so the others are served")
WEBHOOK_REQUESTS = Counter("campaign_bot_webhook_requests_total", "Webhook requests, by outcome", ["outcome"])

UPDATE_KINDS = ("message", "callback_query")


def count_update(kind: str) -> None:
    UPDATES.labels(kind=kind if kind in UPDATE_KINDS else "other").inc()


def exposition() -> tuple[bytes, str]:
    """The body and content type of a /metrics answer."""
    return generate_latest(), CONTENT_TYPE_LATEST
