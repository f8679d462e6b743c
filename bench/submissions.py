"""Submissions through the full stack: 10,000 one-line reports from 500 officers, then /tonghop and /xuat.

Run: `python -m bench.submissions [SUBMISSIONS] [OFFICERS] [--database URL]`. Prints figures; asserts
nothing. The fake Bot API runs in its own process; each stdin line it reads is a batch of messages
to push and the number of bot messages to wait for, and it answers with the seconds that took.
In the same run a baseline bot on the same stack answers every message with a fixed text. 100
communes share the officers; the rate limiter is off (this measures the bot, not Telegram's cap).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time

from sqlalchemy import func, select, text
from telegram.ext import MessageHandler, filters

from bot.core.config import Settings
from bot.core.models import Person, Submission
from bot.core.runtime import Runtime
from bot.people.units import add_unit, unit_by_code
from bot.reporting.submissions import indicators_for
from bot.start.application import build_application
from bot.start.boot import open_runtime
from knowledge import default_kb
from tests.support.fakebotapi import FakeBotApi
from tests.support.harness import ADMIN_ID, TOKEN

PLAN = "huyen-bu-gia-map"
UNITS = 100
FIRST_CHAT = 20_000


async def serve() -> None:
    """The fake Bot API process: prints its port; per stdin batch, pushes and prints the seconds taken."""
    loop = asyncio.get_running_loop()
    async with FakeBotApi(token=TOKEN) as fake:
        print(fake.port, flush=True)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            batch = json.loads(line)
            target = len(fake.sent()) + batch["expect"]
            started = time.perf_counter()
            for chat_id, message in batch["messages"]:
                fake.push_message(message, chat_id=chat_id, user_id=chat_id, first_name=f"Cán bộ {chat_id}")
            while len(fake.sent()) < target:
                await asyncio.sleep(0.002)
            print(json.dumps({"seconds": time.perf_counter() - started}), flush=True)


def seed(rt: Runtime, officers: int) -> list[list[str]]:
    """100 communes of the district plan, officers spread over them; each officer's indicator codes."""
    with rt.db.session() as session:
        district = unit_by_code(PLAN, session=session)
        units = [add_unit(f"xa-{n:03d}", f"UBND xã số {n}", plan_id=PLAN, level="xã", parent_code=district.code,
                          plans=set(rt.kb.plans), session=session) for n in range(UNITS)]
        session.flush()
        codes = [i.code for i in indicators_for(district, session=session)]
        for n in range(officers):
            session.add(Person(id=FIRST_CHAT + n, name=f"Cán bộ {n}", unit=units[n % UNITS], role="officer"))
    return [codes] * officers


def reports(count: int, codes: list[list[str]]) -> list[list]:
    """Officer by officer in turn, each walking through their indicators, values 40–99%."""
    return [[FIRST_CHAT + n % len(codes), (f"/baocao {codes[n % len(codes)][n // len(codes) % len(codes[0])]} "
             f"{40 + n % 60}%")] for n in range(count)]


async def _echo(update, context) -> None:
    await update.effective_chat.send_message("Đã nhận.")


class Session:
    """The fake server process and the bot under test, talking over the batch protocol."""

    def __init__(self, database_url: str, baseline: bool) -> None:
        self.database_url, self.baseline = database_url, baseline

    async def __aenter__(self) -> Session:
        self.server = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.submissions", "--serve", stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE)
        port = int(await self.server.stdout.readline())
        settings = Settings(telegram_bot_token=TOKEN, telegram_api_base_url=f"http://127.0.0.1:{port}/bot",
                            database_url=self.database_url, _env_file=None)
        self.rt = open_runtime(default_kb(), self.database_url, admin_ids=frozenset({ADMIN_ID}))
        self.app = build_application(settings, self.rt, rate_limited=False)
        if self.baseline:
            self.app.handlers.clear()
            self.app.add_handler(MessageHandler(filters.TEXT, _echo))
        await self.app.initialize()
        await self.app.start()
        await self.app.updater.start_polling(poll_interval=0, timeout=1)
        return self

    async def timed(self, messages: list[list], expect: int) -> tuple[float, float]:
        """(wall seconds until `expect` bot messages, CPU seconds of this process meanwhile)."""
        cpu = time.process_time()
        self.server.stdin.write((json.dumps({"messages": messages, "expect": expect}) + "\n").encode())
        seconds = json.loads(await self.server.stdout.readline())["seconds"]
        return seconds, time.process_time() - cpu

    async def __aexit__(self, *exc: object) -> None:
        await self.app.updater.stop()
        await self.app.stop()
        await self.app.shutdown()
        self.rt.db.dispose()
        self.server.stdin.close()
        await self.server.wait()


async def run(count: int, officers: int, database_url: str, baseline: bool) -> dict[str, float]:
    async with Session(database_url, baseline) as bench:
        messages = reports(count, seed(bench.rt, officers))
        seconds, cpu = await bench.timed(messages, count)
        figures = {"seconds": seconds, "cpu": cpu}
        if not baseline:
            with bench.rt.db.session() as session:
                figures["rows"] = session.scalar(select(func.count()).select_from(Submission))
            figures["tonghop"], _ = await bench.timed([[ADMIN_ID, "/tonghop"]], 1)
            figures["xuat"], _ = await bench.timed([[ADMIN_ID, "/xuat"]], 2)
    return figures


def database(url: str | None, tmp: str) -> str:
    if url is None:
        return f"sqlite:///{tmp}/bench.db"
    from sqlalchemy import create_engine

    with create_engine(url, isolation_level="AUTOCOMMIT").connect() as conn:  # a clean schema for each run
        conn.execute(text("DROP SCHEMA IF EXISTS bench_submissions CASCADE; CREATE SCHEMA bench_submissions"))
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3Dbench_submissions"


def main() -> None:
    if sys.argv[1:2] == ["--serve"]:
        asyncio.run(serve())
        return
    args = argparse.ArgumentParser()
    args.add_argument("count", nargs="?", type=int, default=10_000)
    args.add_argument("officers", nargs="?", type=int, default=500)
    args.add_argument("--database", help="a PostgreSQL URL (default: a fresh SQLite file)")
    opts = args.parse_args()
    default_kb()
    with tempfile.TemporaryDirectory() as tmp:
        base = asyncio.run(run(opts.count, opts.officers, database(opts.database, tmp + "/a"), baseline=True))
        full = asyncio.run(run(opts.count, opts.officers, database(opts.database, tmp), baseline=False))
    where = "PostgreSQL" if opts.database else "SQLite"
    print(f"{opts.count} one-line /baocao from {opts.officers} officers of {UNITS} communes; {where}; full PTB stack")
    print(f"baseline (fixed reply):  {opts.count / base['seconds']:7.1f} messages/s    ({base['seconds']:.2f} s)")
    print(f"bot (validate + store):  {opts.count / full['seconds']:7.1f} submissions/s ({full['seconds']:.2f} s, "
          f"{1000 * full['cpu'] / opts.count:.2f} ms CPU each); rows stored: {full['rows']}")
    print(f"/tonghop over them: {1000 * full['tonghop']:.0f} ms; /xuat (xlsx + csv): {1000 * full['xuat']:.0f} ms")


if __name__ == "__main__":
    main()
