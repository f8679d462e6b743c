"""Wiring of the reminder service to Telegram: the send function (Telegram errors → SendError) and the
job-queue tick that starts a run of the service."""

from __future__ import annotations

import asyncio
import datetime as dt
import warnings

import aiohttp
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ContextTypes

from bot.core.replies import Button, Reply
from bot.core.runtime import Runtime
from bot.reminders.outcomes import SendError
from bot.reminders.service import Outbox, run_once
from bot.transport.limiter import ACQUIRED, windows_of
from handlers.common import keyboard, runtime

TICK = 5.0  # seconds between runs: a due reminder waits at most this long; a dead leader is replaced well within 30 s
READ_TIMEOUT = 10.0


def _retry_after(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that retry_after becomes a timedelta
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def sender_for(bot: Bot, read_timeout: float = READ_TIMEOUT):
    async def send(chat_id: int, text: str, buttons: list[list[Button]] | None = None, *,
                   picture: bytes | None = None) -> int:
        markup = keyboard(Reply(text, buttons)) if buttons else None  # a check-in's (bot/reminders/checkins.py)
        try:
            if picture is not None:  # a summary's chart, its text the caption
                message = await bot.send_photo(chat_id, picture, caption=text, read_timeout=read_timeout,
                                               rate_limit_args=ACQUIRED)
            else:
                message = await bot.send_message(chat_id, text, read_timeout=read_timeout, rate_limit_args=ACQUIRED,
                                                 reply_markup=markup)
        except RetryAfter as err:
            raise SendError("flood", err.message, retry_after=_retry_after(err)) from err
        except ChatMigrated as err:
            raise SendError("migrated", err.message, new_chat_id=err.new_chat_id) from err
        except Forbidden as err:
            raise SendError("blocked", err.message) from err
        except BadRequest as err:
            kind = "not_found" if "not found" in err.message.lower() else "bad_request"
            raise SendError(kind, err.message) from err
        except TimedOut as err:
            unsent = isinstance(err.__cause__, aiohttp.ConnectionTimeoutError)
            raise SendError("network" if unsent else "unknown", err.message) from err
        except NetworkError as err:  # 5xx, connection refused or reset: the request did not go through
            raise SendError("network", err.message) from err
        return message.message_id
    return send


async def _run(app: Application) -> None:
    rt: Runtime = app.bot_data["runtime"]
    box = Outbox(rt.db, rt.kb, rt.reminders, rt.clock)
    await run_once(box, sender_for(app.bot, app.bot_data.get("read_timeout", READ_TIMEOUT)), windows_of(app.bot),
                   running=lambda: app.running, backoff_base=app.bot_data.get("backoff_base", 1.0))


def _current(app: Application) -> asyncio.Task | None:
    task = app.bot_data.get("reminder_run")
    return task if task is not None and not task.done() else None


async def tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Starts a run unless one is going (app.create_task: stopping the bot waits for it)."""
    app, rt = context.application, runtime(context)
    rt.last_tick_at = rt.clock()
    if _current(app) is None and app.running:
        app.bot_data["reminder_run"] = app.create_task(_run(app), name="reminders")


async def run_now(app: Application) -> None:
    """Waits for the run under way, then runs once more: what tests and benchmarks call."""
    if (task := _current(app)) is not None:
        await asyncio.gather(task, return_exceptions=True)
    task = app.bot_data["reminder_run"] = app.create_task(_run(app), name="reminders")
    await task


def schedule(app: Application) -> None:
    app.job_queue.run_repeating(tick, interval=TICK, first=0.5, name="reminders",
                                job_kwargs={"max_instances": 1, "coalesce": True})
