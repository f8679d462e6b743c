"""The Redis of the shared Telegram budget: 127.0.0.1:6379 (TEST_REDIS_URL), a unique key prefix per test.

In CI (CI=true) Redis is required; elsewhere, when it does not answer, the tests that need it skip and say why.
"""

from __future__ import annotations

import os
import uuid

import pytest
import redis

DEFAULT = "redis://127.0.0.1:6379/0"


def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", DEFAULT)
    try:
        with redis.Redis.from_url(url, socket_connect_timeout=1) as client:
            client.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            raise AssertionError(f"CI=true: Redis at {url} must answer ({exc})") from exc
        pytest.skip(f"shared Telegram budget: no Redis answers at {url} (set TEST_REDIS_URL or start redis-server)")
    return url


def unique_prefix() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"
