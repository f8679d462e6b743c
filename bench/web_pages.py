"""The web page's speed: every page's server time for 1,000 units × 30 indicators (target ≤ 200 ms), beside
a trivial route (/healthz) measured in the same run.

Run: `python -m bench.web_pages [UNITS] [INDICATORS] [--downloads] [--unsettled]`. Prints figures; asserts
nothing. Server time is the handler's own (a middleware times it: queries, rendering, the thread hop);
round trip adds the client.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bench.web_data import build
from bot.core.runtime import settle
from bot.web.app import make_app
from bot.web.auth import COOKIE

ROUNDS = 7
DOWNLOADS_TOO = "--downloads" in sys.argv
SETTLED = "--unsettled" not in sys.argv  # --unsettled: without bot/core/runtime.py settle(), to compare
PAGES = ["/healthz", "/", "/?sap=met", "/?sap=i{first}", "/?cap=xã&trang=5", "/don-vi/xa-0001", "/chua-nop",
         "/han-chot", "/ke-hoach", "/can-bo"]
DOWNLOADS = ["/tai-ve/{span}.csv"]  # files, not pages: /xuat's export (bot/reporting/export.py), timed once


def timed(into: dict[str, list[float]]):
    @web.middleware
    async def timer(request: web.Request, handler):
        started = time.perf_counter()
        response = await handler(request)
        into.setdefault(request.headers["X-Bench"], []).append((time.perf_counter() - started) * 1000)
        return response
    return timer


async def measure(units: int, indicators: int) -> None:
    now = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        rt, cookie = build(Path(folder), None, units, indicators, now)
        if SETTLED:
            settle()  # as `campaign-bot web` does after start-up (bot/start/boot.py make_runtime)
        print(f"data: {units} units × {indicators} indicators in {time.perf_counter() - started:.1f} s")
        with rt.db.session() as session:
            from sqlalchemy import select

            from bot.core.models import Indicator
            first = session.scalar(select(Indicator.id).where(Indicator.plan_id == "xa-cat-ne", Indicator.active))
        span = rt.today().year
        server: dict[str, list[float]] = {}
        app = make_app(rt, secure=False)
        app.middlewares.insert(0, timed(server))
        paths = [p.format(first=first, span=f"{span}-H2") for p in PAGES]
        trips: dict[str, list[float]] = {}
        async with TestClient(TestServer(app), cookies={COOKIE: cookie}) as client:
            for _ in range(ROUNDS):
                for path in paths:
                    begun = time.perf_counter()
                    response = await client.get(path, headers={"X-Bench": path})
                    body = await response.read()
                    trips.setdefault(path, []).append((time.perf_counter() - begun) * 1000)
                    assert response.status == 200, (path, response.status, body[:300])
            for path in [d.format(span=f"{span}-H2") for d in DOWNLOADS] if DOWNLOADS_TOO else []:
                begun = time.perf_counter()
                response = await client.get(path, headers={"X-Bench": path})
                await response.read()
                print(f"download {path}: {(time.perf_counter() - begun) * 1000:.0f} ms round trip (once)")
        print(f"{'page':<34} {'server median':>14} {'server max':>11} {'round trip':>11}  (ms, {ROUNDS} rounds)")
        for path in paths:
            times = server[path][1:]  # the first round warms the template and query caches
            print(f"{path:<34} {statistics.median(times):>14.1f} {max(times):>11.1f} "
                  f"{statistics.median(trips[path][1:]):>11.1f}")
        rt.db.dispose()


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:] if a.isdecimal()][:2]
    asyncio.run(measure(*(arguments + [1000, 30][len(arguments):])))
