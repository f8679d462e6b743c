"""A reminder broadcast against the fake Bot API with Telegram's flood rules switched on.

Run: `python -m bench.broadcast [PRIVATE_CHATS] [GROUPS]` (default 10000 200). Prints figures; asserts nothing.
PRIVATE_CHATS private chats and GROUPS groups subscribe to Kiên Giang's plan (extended through 2026);
the clock stands at the 7-day reminder of 30/11/2026. The fake Bot API runs in its own process and
answers 429 to more than 30 messages/s, 2 to a chat within a second, 21 to a group within a minute.
The bot runs in its own process too (the real Application, its job queue and flood limiter, SQLite),
so the second run can kill it (SIGKILL) half-way and start another on the same database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import signal
import sys
import tempfile
import time
from collections import Counter

from sqlalchemy import func, select

from bot.core.config import Settings
from bot.core.models import Chat, Delivery, Person, Subscription
from bot.people.units import unit_by_code
from bot.reminders.catalog import extend_plan
from bot.reminders.planner import set_mark
from bot.start.application import build_application
from bot.start.boot import open_runtime
from knowledge import default_kb
from tests.support.fakebotapi import FakeBotApi
from tests.support.harness import TOKEN

PLAN = "so-xd-kien-giang"
VIETNAM = dt.timezone(dt.timedelta(hours=7))
DUE = dt.datetime(2026, 11, 23, 8, 0, tzinfo=VIETNAM)
FIRST_GROUP = -1001000000000


async def serve() -> None:
    """The fake Bot API process: prints its port, then answers 'count' and 'report' lines on stdin."""
    loop = asyncio.get_running_loop()
    async with FakeBotApi(token=TOKEN) as fake:
        rules = fake.flood_rules()
        print(fake.port, flush=True)
        while (line := (await loop.run_in_executor(None, sys.stdin.readline)).strip()) not in ("", "stop"):
            sends = [c for c in fake.calls if c.method == "sendMessage" and c.error_code is None]
            if line == "count":
                print(len(sends), flush=True)
                continue
            chats = Counter(c.chat_id for c in sends)
            print(json.dumps({"sent": len(sends), "chats": len(chats), "duplicates": sum(n - 1 for n in chats.values()),
                              "rejected_429": rules.rejected, "rules_429": dict(Counter(rules.reasons)),
                              "first": sends[0].at if sends else 0,
                              "last": sends[-1].at if sends else 0, "received": sorted(chats),
                              "longest_pause": max((b.at - a.at for a, b in itertools.pairwise(sends)), default=0)}),
                  flush=True)


async def bot(port: int, url: str) -> None:
    """The bot process: the real Application with its job queue, its clock at the reminder's minute."""
    settings = Settings(telegram_bot_token=TOKEN, telegram_api_base_url=f"http://127.0.0.1:{port}/bot",
                        database_url=url, _env_file=None)
    rt = open_runtime(default_kb(), url, clock=lambda: DUE)
    app = build_application(settings, rt)
    async with app:
        await app.start()
        await asyncio.Event().wait()  # until killed


def setup(url: str, private: int, groups: int) -> list[int]:
    rt = open_runtime(default_kb(), url)
    with rt.db.session() as session:
        extend_plan(rt.kb.plans[PLAN], dt.date(2026, 12, 31), session=session)
        unit = unit_by_code(PLAN, session=session)
        chats = [100_000 + i for i in range(private)] + [FIRST_GROUP - i for i in range(groups)]
        for chat in chats:
            kind = "private" if chat > 0 else "supergroup"
            if chat > 0:
                session.add(Person(id=chat, name=f"Cán bộ {chat}", unit_id=unit.id))
            session.add(Chat(id=chat, kind=kind, unit_id=None if chat > 0 else unit.id))
            session.add(Subscription(chat_id=chat, kind=kind))
        set_mark(DUE - dt.timedelta(minutes=1), session=session)
    rt.db.dispose()
    return chats


def outbox_states(url: str) -> dict[str, int]:
    rt = open_runtime(default_kb(), url)
    with rt.db.session() as session:
        found = dict(session.execute(select(Delivery.state, func.count()).group_by(Delivery.state)).all())
    rt.db.dispose()
    return found


class Run:
    def __init__(self, private: int, groups: int, kill_at: float | None) -> None:
        self.private, self.groups, self.kill_at = private, groups, kill_at
        self.tmp = tempfile.TemporaryDirectory()
        self.url = f"sqlite:///{self.tmp.name}/bench.db"

    async def ask(self, line: str) -> str:
        self.server.stdin.write(f"{line}\n".encode())
        return (await self.server.stdout.readline()).decode()

    async def start_bot(self) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(sys.executable, "-m", "bench.broadcast", "--bot",
                                                    str(self.port), self.url)

    async def until(self, done, stall: float = 60.0) -> None:
        last, since = -1, time.monotonic()
        while not done(count := int(await self.ask("count"))):
            if count != last:
                last, since = count, time.monotonic()
            elif time.monotonic() - since > stall:
                return
            await asyncio.sleep(0.5)

    async def go(self) -> dict:
        chats = setup(self.url, self.private, self.groups)
        pipe = asyncio.subprocess.PIPE
        self.server = await asyncio.create_subprocess_exec(sys.executable, "-m", "bench.broadcast", "--serve",
                                                           stdin=pipe, stdout=pipe,
                                                           limit=1 << 24)  # the report lists every chat
        self.port = int(await self.server.stdout.readline())
        bot_process = await self.start_bot()
        if self.kill_at is not None:
            await self.until(lambda n: n >= self.kill_at * len(chats))
            bot_process.send_signal(signal.SIGKILL)
            await bot_process.wait()
            bot_process = await self.start_bot()
        await self.until(lambda n: n >= len(chats), stall=20.0)
        await asyncio.sleep(2.0)  # anything late or doubled would show by now
        report = json.loads(await self.ask("report"))
        bot_process.send_signal(signal.SIGTERM)
        await bot_process.wait()
        self.server.stdin.write(b"stop\n")
        await self.server.wait()
        report["states"] = outbox_states(self.url)
        report["lost"] = len(set(chats) - set(report.pop("received")))
        self.tmp.cleanup()
        return report


def describe(title: str, r: dict, total: int, restarted: bool) -> str:
    seconds = r["last"] - r["first"]
    sending = seconds - (r["longest_pause"] if restarted else 0.0)  # the restart is not sending time
    rate = r["sent"] / sending if sending else 0.0
    pause = f" ({r['longest_pause']:.1f} s of it restarting)" if restarted else ""
    return (f"{title}\n  {r['sent']} messages to {r['chats']}/{total} chats in {seconds:.1f} s{pause}: "
            f"{rate:.1f} messages/s while sending (limit 30)\n  429s received: {r['rejected_429']} "
            f"{r['rules_429'] or ''} lost: {r['lost']}  duplicates: {r['duplicates']}\n"
            f"  outbox: {', '.join(f'{k} {v}' for k, v in sorted(r['states'].items()))}")


def main() -> None:
    if sys.argv[1:2] == ["--serve"]:
        asyncio.run(serve())
        return
    if sys.argv[1:2] == ["--bot"]:
        asyncio.run(bot(int(sys.argv[2]), sys.argv[3]))
        return
    private = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    groups = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    default_kb()
    whole = asyncio.run(Run(private, groups, None).go())
    print(describe(f"broadcast to {private} private chats and {groups} groups, flood rules on", whole,
                   private + groups, False))
    killed = asyncio.run(Run(private, groups, 0.5).go())
    print(describe("the same, the bot process killed (SIGKILL) half-way and started again", killed,
                   private + groups, True))


if __name__ == "__main__":
    main()
