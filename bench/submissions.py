"""Submissions through the full stack: 10,000 one-line reports from 500 officers, then /tonghop and /xuat;
with --export, /xuat of 1,000 units × 30 indicators twice (the first starts the process that makes exports,
bot/core/elsewhere.py), the second while another chat asks (its reply latency).

Run: `python -m bench.submissions [SUBMISSIONS] [OFFICERS] [--database URL]`, or
`python -m bench.submissions --export [--database URL]`. Prints figures; asserts nothing. The fake Bot
API runs in its own process; each stdin line it reads is a batch of messages to push and the number of
bot messages to wait for (and a probe: another chat's message, pushed meanwhile), and it answers with
the seconds that took.
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

from sqlalchemy import func, insert, select, text, update
from telegram.ext import MessageHandler, filters

from bot.core.config import Settings
from bot.core.models import Indicator, Person, Submission, Unit
from bot.core.runtime import Runtime
from bot.people.units import add_unit, unit_by_code
from bot.reporting import periods
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
            probe = await _probe(fake, batch.get("probe"))
            while len(fake.sent()) < target:
                await asyncio.sleep(0.002)
            print(json.dumps({"seconds": time.perf_counter() - started, "probe": probe}), flush=True)


async def _probe(fake: FakeBotApi, probe: dict | None) -> float | None:
    """Another chat's message pushed `after` seconds into the batch: seconds until its reply."""
    if probe is None:
        return None
    await asyncio.sleep(probe["after"])
    started = time.perf_counter()
    fake.push_message(probe["text"], chat_id=probe["chat"], user_id=probe["chat"], first_name="Khách")
    await fake.next_message(probe["chat"], timeout=60)
    return time.perf_counter() - started


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

    async def timed(self, messages: list[list], expect: int, probe: dict | None = None) -> tuple[float, float]:
        """(wall seconds until `expect` bot messages, CPU seconds of this process meanwhile)."""
        seconds, cpu, _ = await self.probed(messages, expect, probe)
        return seconds, cpu

    async def probed(self, messages: list[list], expect: int, probe: dict | None) -> tuple[float, float, float]:
        """timed(), and the probe's reply latency (expect counts the probe's reply too)."""
        cpu = time.process_time()
        batch = {"messages": messages, "expect": expect, "probe": probe}
        self.server.stdin.write((json.dumps(batch) + "\n").encode())
        answer = json.loads(await self.server.stdout.readline())
        return answer["seconds"], time.process_time() - cpu, answer["probe"]

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


EXPORT_UNITS, EXPORT_INDICATORS = 1_000, 30
PROBE_CHAT = 99_000


def seed_export(rt: Runtime) -> None:
    """1,000 communes of one plan with 30 active indicators, each reported once (30,000 rows, bulk)."""
    with rt.db.session() as session:
        district = unit_by_code(PLAN, session=session)
        session.execute(update(Indicator).where(Indicator.plan_id == PLAN).values(active=False))
        session.execute(insert(Indicator), [
            {"plan_id": PLAN, "code": f"B-{k:02d}", "name": f"Chỉ tiêu thử {k}", "target": 80.0, "kind": "percent",
             "comparator": ">=", "section": "B", "text": f"Chỉ tiêu thử {k} đạt 80%", "active": True,
             "full_name": f"Chỉ tiêu thử nghiệm số {k} về chuyển đổi số đạt tối thiểu 80%"}
            for k in range(EXPORT_INDICATORS)])
        session.execute(insert(Unit), [{"code": f"xa-{n:04d}", "name": f"UBND xã số {n}", "plan_id": PLAN,
                                        "level": "xã", "parent_id": district.id} for n in range(EXPORT_UNITS)])
        half = periods.stored(periods.parse_period("2026-H2"), session=session)
        units = session.scalars(select(Unit.id).where(Unit.code.like("xa-%"))).all()
        indicators = session.scalars(select(Indicator.id).where(Indicator.plan_id == PLAN, Indicator.active)).all()
        session.execute(insert(Submission), [
            {"indicator_id": i, "unit_id": u, "period_id": half.id, "value": 40.0 + (u + i) % 60,
             "shown": f"{40 + (u + i) % 60}%", "met": 40 + (u + i) % 60 >= 80, "person_name": "Cán bộ"}
            for u in units for i in indicators])


async def run_export(database_url: str) -> dict[str, float]:
    probe = {"chat": PROBE_CHAT, "text": "/hanchot", "after": 0.3}
    async with Session(database_url, baseline=False) as bench:
        await asyncio.to_thread(seed_export, bench.rt)
        _, _, idle = await bench.probed([], 1, probe | {"after": 0})
        first, _, _ = await bench.probed([[ADMIN_ID, "/xuat 2026-H2"]], 2, None)
        seconds, cpu, during = await bench.probed([[ADMIN_ID, "/xuat 2026-H2"]], 3, probe)
    return {"idle": idle, "first": first, "xuat": seconds, "cpu": cpu, "during": during}


def report_export(database_url: str, where: str) -> None:
    got = asyncio.run(run_export(database_url))
    print(f"/xuat of {EXPORT_UNITS} units × {EXPORT_INDICATORS} indicators ({EXPORT_UNITS * EXPORT_INDICATORS} "
          f"figures); {where}; full PTB stack")
    print(f"/xuat (xlsx + csv, both files received): {got['xuat']:.2f} s (target ≤ 5 s); the first, which starts "
          f"the export process: {got['first']:.2f} s; the bot process's own CPU meanwhile {got['cpu']:.2f} s")
    print(f"another chat's /hanchot: baseline (idle bot) {1000 * got['idle']:.0f} ms; "
          f"during the export {1000 * got['during']:.0f} ms")


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
    args.add_argument("--export", action="store_true", help="/xuat of 1,000 units × 30 indicators instead")
    opts = args.parse_args()
    default_kb()
    with tempfile.TemporaryDirectory() as tmp:
        if opts.export:
            report_export(database(opts.database, tmp), "PostgreSQL" if opts.database else "SQLite")
            return
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
