"""A real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; no browser is ever downloaded)
against the web page served beside the bot under test. A pytest plugin of conftest.py: a failing browser
test leaves screenshots at 1366×768 and 390×844 in test-output/screens/.

    async def test_x(site):                 # the bot (reminders harness), the web page, a browser page
        await site.sign_in()                # /web to the bot, the link opened, the button pressed
        await site.page.goto(site.url("/chua-nop"))
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer

from bot.web.app import make_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-proxy-server"]
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
SCREENS = Path(__file__).resolve().parents[2] / "test-output" / "screens"
FAILED = pytest.StashKey[bool]()


def require_chromium() -> None:
    """Skips, saying why, where Chromium is not installed; in CI (CI=true) a missing browser fails."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: `apt-get install chromium` (.ci/run installs it) to run the browser tests"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[FAILED] = report.failed


class Site:
    def __init__(self, bot, server: TestServer, page) -> None:
        self.bot, self.server, self.page = bot, server, page

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    async def link(self, person=None) -> str:
        """The sign-in link the bot sends an admin (or anyone) who types /web."""
        reply = await (person or self.bot.admin()).say("/web")
        found = re.search(r"http://\S+/dang-nhap/\S+", reply.text)
        assert found, reply.text
        return found.group(0)

    async def sign_in(self) -> None:
        await self.page.goto(await self.link())
        await self.page.get_by_role("button", name="Đăng nhập").click()
        await self.page.wait_for_url(self.url("/"))

    async def screenshots(self, stem: str, folder: Path = SCREENS) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        saved = []
        for name, (width, height) in SIZES.items():
            await self.page.set_viewport_size({"width": width, "height": height})
            path = folder / f"{stem}-{name}.png"
            await self.page.screenshot(path=str(path))
            saved.append(path)
        return saved


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[object]:
    require_chromium()
    from playwright.async_api import async_playwright

    async with async_playwright() as driver:
        chromium = await driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        await chromium.close()


@pytest_asyncio.fixture
async def site(request: pytest.FixtureRequest, reminders, browser) -> AsyncIterator[Site]:
    """The web page of the bot under test (its runtime, its database), and a fresh browser context."""
    server = TestServer(make_app(reminders.rt, secure=False, bot_username="thidua_bot"), host="127.0.0.1")
    await server.start_server()
    reminders.rt.web_url = str(server.make_url("")).rstrip("/")
    context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN",
                                        accept_downloads=True)
    page = await context.new_page()
    found = Site(reminders, server, page)
    yield found
    if request.node.stash.get(FAILED, False):
        await found.screenshots(re.sub(r"[^\w-]+", "_", request.node.name))
    await context.close()
    await server.close()
