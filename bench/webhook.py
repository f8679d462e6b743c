"""Webhook throughput: updates/s and CPU per update through `python -m bot run --webhook` on PostgreSQL, with
1, 2 and 3 bot processes, each against a fixed-reply baseline of the same run (bench/fixed_reply.py: the same
webhook stack answering every message with one text, no campaign work), and a canned-answer bot
(bench/canned_answer.py: the campaign bot with one precomputed answer), whose CPU is what a question costs
besides its answer: the issue's "non-answering CPU".

Run: `python -m bench.webhook [UPDATES] [USERS]` (PostgreSQL at BENCH_DATABASE_URL, else TEST_DATABASE_URL,
else postgresql+psycopg://postgres@127.0.0.1:5432/test; each run gets a schema of its own, dropped after;
Redis at BENCH_REDIS_URL, else redis://127.0.0.1:6379/0, for the budget line).
Prints figures; asserts nothing. Telegram's side runs in its own process: the fake Bot API the bots
answer through, and a client that POSTs the updates (questions from USERS private chats) to the bots
round-robin, as a load balancer in front of the replicas would, with up to 40 requests in flight
(Telegram's default max_connections). It times from the first POST to the last answer. The bots run
without the client-side rate limiter (TELEGRAM_RATE_LIMIT=false): Telegram itself caps a bot near 30
messages/s; this measures the bot's own capacity. Then the first REDELIVERED updates are re-sent, each to
another process than the one that took it (to the same one when there is one), and every answer counted: a
duplicate must not be answered twice.

The last line is the shared Telegram budget (TELEGRAM_BUDGET_URL, bot/transport/budget.py) under Telegram's
own rate: 2 fixed-reply processes with the rate limiter on, the fake enforcing Telegram's flood rules, updates
offered at PACED a second. The budget is no bottleneck when the answers keep that rate with no 429.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from aiohttp import ClientSession, TCPConnector

from bot.start.webhook import SECRET_HEADER
from knowledge import default_kb
from knowledge.evaluation import load_cases
from tests.support.bot_process import bot_env, free_port, wait_healthy
from tests.support.databases import CI_POSTGRES, postgres_schema
from tests.support.fakebotapi import FakeBotApi
from tests.support.fakebotapi_updates import chat_dict, detect_entities, user_dict
from tests.support.harness import TOKEN

QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "eval" / "questions.yaml"
SECRET = "bench-webhook-secret-0123456789"
IN_FLIGHT = 40
REDELIVERED = 100
PACED = 25  # updates/s offered to the budget line: under Telegram's 30 messages/s


def update(update_id: int, text: str, chat_id: int) -> dict:
    user = user_dict(chat_id, "Cán bộ")
    message = {"message_id": update_id, "from": user, "chat": chat_dict(chat_id, first_name="Cán bộ"),
               "date": int(time.time()), "text": text, "entities": detect_entities(text)}
    return {"update_id": update_id, "message": message}


async def deliver(urls: list[str], updates: list[dict], *, shift: int = 0, pace: float = 0) -> Counter[int]:
    """POSTs update i to URL i + shift (round-robin), IN_FLIGHT at a time, at most `pace` a second if given;
    counts the HTTP statuses."""
    statuses: Counter[int] = Counter()
    gate = asyncio.Semaphore(IN_FLIGHT)
    async with ClientSession(connector=TCPConnector(limit=IN_FLIGHT)) as http:
        async def post(i: int, body: dict) -> None:
            await asyncio.sleep(i / pace if pace else 0)
            url = urls[(i + shift) % len(urls)]
            async with gate, http.post(url, json=body, headers={SECRET_HEADER: SECRET}) as response:
                statuses[response.status] += 1
        await asyncio.gather(*(post(i, body) for i, body in enumerate(updates)))
    return statuses


async def quiet(fake: FakeBotApi, at_least: int, calm: float = 1.0) -> int:
    """The number of messages sent once at least `at_least` are and none came for `calm` seconds.

    An answer longer than a message goes as several, so messages do not count updates one for one.
    """
    while len(fake.sent()) < at_least:
        await asyncio.sleep(0.002)
    sent = -1
    while sent != len(fake.sent()):
        sent = len(fake.sent())
        await asyncio.sleep(calm)
    return sent


async def serve(count: int, users: int, pace: float) -> None:
    """Telegram's process: prints its port; on 'go URL…' delivers and prints the figures; ends on 'stop'.

    With `pace`, updates are offered at that rate and Telegram's flood rules are enforced."""
    pool = [case.question for case in load_cases(QUESTIONS)]
    updates = [update(i + 1, pool[i % len(pool)], 10_000 + i % users) for i in range(count)]
    loop = asyncio.get_running_loop()
    async with FakeBotApi(token=TOKEN) as fake:
        flood = fake.flood_rules() if pace else None
        print(fake.port, flush=True)
        urls = (await loop.run_in_executor(None, sys.stdin.readline)).split()[1:]
        started = time.monotonic()
        statuses = await deliver(urls, updates, pace=pace)
        answered = await quiet(fake, count)
        seconds = max(call.at for call in fake.calls if call.method == "sendMessage") - started
        again = await deliver(urls, updates[:REDELIVERED], shift=1)  # each to another process than the first time
        twice = await quiet(fake, answered) - answered
        typing = sum(call.method == "sendChatAction" for call in fake.calls)  # requests too, for Telegram's cap
        print(json.dumps({"seconds": seconds, "statuses": statuses, "redelivered": again, "twice": twice,
                          "typing": typing, "rejected": flood.rejected if flood else 0}), flush=True)
        await loop.run_in_executor(None, sys.stdin.readline)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def ready(bot: asyncio.subprocess.Process, port: int, log: Path) -> None:
    """Returns once the bot answers /healthz; says why if it exits first."""
    healthy = asyncio.ensure_future(wait_healthy(f"http://127.0.0.1:{port}/healthz", timeout=120))
    exited = asyncio.ensure_future(bot.wait())
    await asyncio.wait({healthy, exited}, return_when=asyncio.FIRST_COMPLETED)
    if not healthy.done():
        healthy.cancel()
        raise RuntimeError(f"a bot process exited ({bot.returncode}):\n{log.read_text()[-3000:]}")
    exited.cancel()
    healthy.result()


async def run(processes: int, count: int, users: int, database_url: str, logs: Path, *, module: str = "bot",
              pace: float = 0, **settings: str) -> dict:
    """`module` "bot" (the campaign bot) or "bench.fixed_reply" (the baseline); `settings` join its environment."""
    telegram = await asyncio.create_subprocess_exec(sys.executable, "-m", "bench.webhook", "--serve", str(count),
                                                    str(users), str(pace), stdin=asyncio.subprocess.PIPE,
                                                    stdout=asyncio.subprocess.PIPE)
    api = f"http://127.0.0.1:{int(await telegram.stdout.readline())}/bot"
    ports = [free_port() for _ in range(processes)]
    bots = []
    for number, port in enumerate(ports):
        env = bot_env(api, Path(os.environ.get("CAMPAIGN_BOT_CACHE", Path.home() / ".cache" / "campaign-bot")),
                      DATABASE_URL=database_url, WEBHOOK_URL="https://bot.example.org/telegram", WEBHOOK_SECRET=SECRET,
                      WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port),
                      **({"TELEGRAM_RATE_LIMIT": "false"} | settings))
        log = open(logs / f"{module}-{processes}-{number}.log", "wb")  # noqa: SIM115 (open while the bot runs)
        command = ["-m", "bot", "run", "--webhook"] if module == "bot" else ["-m", module]
        bot = await asyncio.create_subprocess_exec(sys.executable, *command, env=env, stdout=log, stderr=log)
        bots.append((bot, log))
    try:
        for port, (bot, log) in zip(ports, bots, strict=True):
            await ready(bot, port, Path(log.name))
        urls = " ".join(f"http://127.0.0.1:{port}/telegram" for port in ports)
        cpu, fake_cpu = sum(cpu_seconds(bot.pid) for bot, _ in bots), cpu_seconds(telegram.pid)
        telegram.stdin.write(f"go {urls}\n".encode())
        figures = json.loads(await telegram.stdout.readline())
        return figures | {"bot_cpu": sum(cpu_seconds(bot.pid) for bot, _ in bots) - cpu,
                          "fake_cpu": cpu_seconds(telegram.pid) - fake_cpu}
    finally:
        telegram.stdin.write(b"stop\n")
        await telegram.wait()
        for bot, log in bots:
            if bot.returncode is None:
                bot.terminate()
            await bot.wait()
            log.close()


def report(label: str, processes: int, count: int, figures: dict, baseline: dict | None = None,
           canned: dict | None = None) -> str:
    rate, twice = count / figures["seconds"], figures["twice"]
    cpu = 1000 * figures["bot_cpu"] / count
    against = f" (baseline {1000 * baseline['bot_cpu'] / count:.2f} ms, {count / baseline['seconds']:.1f}/s)" \
        if baseline else ""
    if canned is not None:  # the same bot with one canned answer: all it costs besides answering, under load
        rest = 1000 * canned["bot_cpu"] / count
        against = f" = besides the answer {rest:.2f} (canned-answer bot) + answering {cpu - rest:.2f}{against}"
    where = "the other process" if processes > 1 else "the same process"
    return (f"{label}, {processes} process{'es' if processes > 1 else ''}: {rate:7.1f} updates/s, "
            f"bot CPU per update {cpu:.2f} ms{against}; fake Telegram {1000 * figures['fake_cpu'] / count:.2f} ms; "
            f"{figures['seconds']:.2f} s; HTTP {dict(figures['statuses'])}; 'typing…' sent {figures['typing']}; "
            f"429s {figures['rejected']}; "
            f"{REDELIVERED} re-sent to {where}: HTTP {dict(figures['redelivered'])}, messages sent for them: {twice}")


def main() -> None:
    if sys.argv[1:2] == ["--serve"]:
        asyncio.run(serve(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])))
        return
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    users = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or CI_POSTGRES
    budget = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    default_kb()  # the index cache the bot processes read
    lines = [(f"{count} questions from {users} users, webhook mode, PostgreSQL; {os.cpu_count()} CPUs shared by "
             "the bots, PostgreSQL and the fake Telegram")]
    with tempfile.TemporaryDirectory() as logs:
        def measure(processes: int, **options) -> dict:
            with postgres_schema(server) as url:
                return asyncio.run(run(processes, count, users, url, Path(logs), **options))

        for processes in (1, 2, 3):
            base = measure(processes, module="bench.fixed_reply")
            canned = measure(processes, module="bench.canned_answer")
            lines.append(report("campaign bot", processes, count, measure(processes), base, canned))
        paced = measure(2, module="bench.fixed_reply", pace=PACED, TELEGRAM_RATE_LIMIT="true",
                        TELEGRAM_BUDGET_URL=budget, TELEGRAM_BUDGET_PREFIX=f"bench-{os.getpid()}")
        lines.append(report(f"shared budget, fixed reply offered {PACED}/s under Telegram's flood rules", 2, count,
                            paced))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
