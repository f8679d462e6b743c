"""Test traffic to 127.0.0.1 never goes through a proxy the machine is configured with."""

from __future__ import annotations

import os

import pytest


def bypass_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Else the Bot API client (trust_env) sends even 127.0.0.1 through a configured HTTP_PROXY/ALL_PROXY."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, ",".join(filter(None, [os.environ.get(name), "127.0.0.1", "localhost"])))
