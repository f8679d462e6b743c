"""Shared fixtures: one knowledge base per test session, built into a private cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio
from filelock import FileLock

from bot.start.boot import open_runtime
from knowledge import Answer, KnowledgeBase, answer
from tests.support import databases
from tests.support.harness import BotUnderTest, running
from tests.support.proxies import bypass_proxies

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
SHARED_PLANS = Path(__file__).resolve().parents[2] / "shared" / "plans"

pytest_plugins = ["tests.support.fake_fixtures", "tests.support.reminders_harness",  # fake_api, fake_bot; reminders
                  "tests.support.browser"]  # browser, site


@pytest.fixture(scope="session")
def kb_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index cache of this test run, shared by its workers (CAMPAIGN_BOT_CACHE for the bot processes
    the tests start)."""
    shared = tmp_path_factory.getbasetemp().parent / "kb-cache"
    shared.mkdir(exist_ok=True)
    return shared


@pytest.fixture(scope="session")
def kb(kb_cache: Path) -> KnowledgeBase:
    with FileLock(kb_cache / "build.lock"):  # one worker builds, the others load what it wrote
        return KnowledgeBase.load(cache_dir=kb_cache)


@pytest.fixture(scope="session")
def ask(kb: KnowledgeBase):
    """ask("question", plan=None) → Answer, as the bot and the CLI call it."""

    def _ask(question: str, plan: str | None = None) -> Answer:
        return answer(kb, question, plan)

    return _ask


@pytest.fixture(scope="session")
def shared_plans() -> Path:
    if not SHARED_PLANS.is_dir():
        pytest.skip(f"the original plan texts are not beside the checkout ({SHARED_PLANS})")
    return SHARED_PLANS


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path):
    """Each database test runs on SQLite and on PostgreSQL (see tests/databases.py)."""
    with databases.database_url(request.param, tmp_path) as url:
        yield url


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 11, 22, 9, 0, tzinfo=VIETNAM))


@pytest.fixture
def runtime(kb: KnowledgeBase, database_url: str, clock: Callable[[], dt.datetime]):
    """The bot's services on a migrated database, with a unit for each plan."""
    rt = open_runtime(kb, database_url, clock=clock)
    yield rt
    rt.db.dispose()


@pytest_asyncio.fixture
async def telegram(kb: KnowledgeBase, database_url: str, clock: Clock, monkeypatch: pytest.MonkeyPatch):
    """The real bot polling a fake Bot API on 127.0.0.1; fails the test if it calls a method the fake lacks."""
    bypass_proxies(monkeypatch)
    async with running(BotUnderTest, kb, database_url, clock) as bot:
        yield bot
