"""Screenshots of every page of the office's web page, at 1366×768 (a laptop) and 390×844 (a phone), in a
real Chromium (/usr/bin/chromium): docs/web-<page>-<laptop|phone>.png.

Run: `python -m bench.web_screens [FOLDER]` (default docs/). The data is bench/web_data.py's, 40 units.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tempfile
from pathlib import Path

from aiohttp.test_utils import TestServer

from bench.web_data import build
from bot.web.app import make_app
from bot.web.auth import COOKIE
from tests.support.browser import ARGS, CHROMIUM, SIZES

PAGES = {"tong-hop": "/", "don-vi": "/don-vi/xa-0003", "chua-nop": "/chua-nop", "han-chot": "/han-chot",
         "ke-hoach": "/ke-hoach", "can-bo": "/can-bo"}


async def shoot(folder: Path) -> None:
    from playwright.async_api import async_playwright

    now = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)
    with tempfile.TemporaryDirectory() as data:
        rt, cookie = build(Path(data), None, 40, 12, now)
        server = TestServer(make_app(rt, secure=False), host="127.0.0.1")
        await server.start_server()
        async with async_playwright() as driver:
            browser = await driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            for size, (width, height) in SIZES.items():
                context = await browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
                await context.add_cookies([{"name": COOKIE, "value": cookie, "url": str(server.make_url("/"))}])
                page = await context.new_page()
                for name, path in PAGES.items():
                    await page.goto(str(server.make_url(path)))
                    target = folder / f"web-{name}-{size}.png"
                    await page.screenshot(path=str(target))
                    print(target)
                await context.close()
            await browser.close()
        await server.close()
        rt.db.dispose()


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs")
    out.mkdir(parents=True, exist_ok=True)
    asyncio.run(shoot(out))
