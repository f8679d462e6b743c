"""End-to-end throughput: questions answered per second through the full PTB stack and the fake Bot API.

Run: `python -m bench.throughput [QUESTIONS] [USERS]`. Prints figures; asserts nothing.
The fake Bot API runs in its own process, as Telegram would: it queues the questions from USERS
private chats, and times from the first question to the last answer. In the same run a baseline
bot on the same stack answers every message with a fixed text: what the framework, HTTP and the
database-free path cost alone. The answering share is the time inside `knowledge.answer` over the
wall time. The rate limiter is off in both (Telegram caps a bot near 30 messages/s; this measures
the bot's own capacity).
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

from telegram.ext import MessageHandler, filters

import bot.asking.answers
from bot.core.config import Settings
from bot.start.application import build_application
from bot.start.boot import open_runtime
from knowledge import default_kb
from knowledge.evaluation import load_cases
from tests.support.fakebotapi import FakeBotApi
from tests.support.harness import TOKEN

QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "eval" / "questions.yaml"


class TimedAnswer:
    """Wraps knowledge.answer to add up the CPU time spent answering (answers run in worker threads)."""

    def __init__(self, answer) -> None:
        self.answer, self.seconds = answer, 0.0

    def __call__(self, *args, **kwargs):
        started = time.thread_time()
        try:
            return self.answer(*args, **kwargs)
        finally:
            self.seconds += time.thread_time() - started


async def serve(count: int, users: int) -> None:
    """The fake Bot API process: prints its port, pushes on 'go', prints the seconds to the last answer."""
    pool = [case.question for case in load_cases(QUESTIONS)]
    loop = asyncio.get_running_loop()
    async with FakeBotApi(token=TOKEN) as fake:
        print(fake.port, flush=True)
        await loop.run_in_executor(None, sys.stdin.readline)
        started = time.perf_counter()
        for i in range(count):
            fake.push_message(pool[i % len(pool)], chat_id=10_000 + i % users, first_name="Cán bộ")
        while len(fake.sent()) < count:
            await asyncio.sleep(0.002)
        print(json.dumps({"seconds": time.perf_counter() - started}), flush=True)
        await loop.run_in_executor(None, sys.stdin.readline)


async def _echo(update, context) -> None:
    await update.effective_chat.send_message("Đã nhận câu hỏi của bạn.")


async def run(count: int, users: int, baseline: bool) -> tuple[float, float]:
    """(wall seconds from first question to last answer, CPU seconds the bot process used)."""
    server = await asyncio.create_subprocess_exec(sys.executable, "-m", "bench.throughput", "--serve", str(count),
                                                  str(users), stdin=asyncio.subprocess.PIPE,
                                                  stdout=asyncio.subprocess.PIPE)
    port = int(await server.stdout.readline())
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(telegram_bot_token=TOKEN, telegram_api_base_url=f"http://127.0.0.1:{port}/bot",
                            database_url=f"sqlite:///{tmp}/bench.db", _env_file=None)
        rt = open_runtime(default_kb(), settings.database_url)
        app = build_application(settings, rt, rate_limited=False)
        if baseline:
            app.handlers.clear()
            app.add_handler(MessageHandler(filters.TEXT, _echo))
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0, timeout=1)
            cpu = time.process_time()
            server.stdin.write(b"go\n")
            seconds = json.loads(await server.stdout.readline())["seconds"]
            cpu = time.process_time() - cpu
            await app.updater.stop()
            await app.stop()
        rt.db.dispose()
    server.stdin.write(b"stop\n")
    await server.wait()
    return seconds, cpu


def main() -> None:
    if sys.argv[1:2] == ["--serve"]:
        asyncio.run(serve(int(sys.argv[2]), int(sys.argv[3])))
        return
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    users = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    default_kb()
    timed = TimedAnswer(bot.asking.answers.answer)
    bot.asking.answers.answer = timed
    base, base_cpu = asyncio.run(run(count, users, baseline=True))
    full, full_cpu = asyncio.run(run(count, users, baseline=False))
    print(f"{count} questions from {users} users; full PTB stack; fake Bot API in its own process")
    print(f"baseline (fixed reply, no database): {count / base:7.1f} messages/s  "
          f"({base:.2f} s, {1000 * base_cpu / count:.2f} ms CPU each)")
    print(f"bot (answers, SQLite):               {count / full:7.1f} questions/s "
          f"({full:.2f} s, {1000 * full_cpu / count:.2f} ms CPU each)")
    share = timed.seconds / full_cpu
    print(f"CPU answering: {1000 * timed.seconds / count:.2f} ms per question = {100 * share:.1f}% of the bot's CPU; "
          f"framework, HTTP and database: {100 - 100 * share:.1f}%")


if __name__ == "__main__":
    main()
