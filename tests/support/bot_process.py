"""`campaign-bot run` as a separate process, the way an operator (or a replica) starts it."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from pathlib import Path

from aiohttp import ClientError, ClientSession

from tests.support.harness import TOKEN


def free_port() -> int:
    """A port nothing listens on now (the system's pick), for a process that must be told its port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bot_env(api_base_url: str, kb_cache: Path, **settings: str) -> dict[str, str]:
    """The environment of a bot process: this one's, the fake Bot API, the tests' index cache, and settings."""
    return {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api_base_url,
            "CAMPAIGN_BOT_CACHE": str(kb_cache), **settings}


async def start_bot(*args: str, cwd: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", *args, cwd=cwd, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)


async def wait_healthy(url: str, timeout: float = 60) -> dict:
    """The first 200 answer of GET `url` (…/healthz), waiting while the process starts."""
    deadline = time.monotonic() + timeout
    async with ClientSession() as http:
        while True:
            try:
                async with http.get(url) as response:
                    if response.status == 200:
                        return await response.json()
            except ClientError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"{url} did not answer 200 within {timeout} s")
            await asyncio.sleep(0.1)
