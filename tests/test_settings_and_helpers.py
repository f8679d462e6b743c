"""Settings fail fast and name the culprit; long replies split at line ends; flooders are slowed alone."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import sys

import pytest

from bot.core.config import SettingsError, load_settings
from bot.core.dates import parse_clock, parse_day
from bot.core.logs import Redact
from bot.core.replies import split_text
from bot.core.runtime import settle
from bot.transport.inbound import FloodGuard

TOKEN = "123456:" + "A" * 35


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "DATABASE_URL", "BOT_ADMIN_IDS", "BOT_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)


def test_a_missing_token_stops_start_up_naming_it():
    with pytest.raises(SettingsError) as stop:
        load_settings()
    assert "TELEGRAM_BOT_TOKEN: thiếu / missing" in str(stop.value)


@pytest.mark.parametrize(("name", "value"), [("TELEGRAM_BOT_TOKEN", "abc"), ("BOT_ADMIN_IDS", "12,x"),
                                             ("BOT_TIMEZONE", "Mars/Olympus"), ("TELEGRAM_API_BASE_URL", "ftp://x"),
                                             ("TELEGRAM_BUDGET_URL", "http://127.0.0.1:6379"),
                                             ("TELEGRAM_BUDGET_PREFIX", "a b")])
def test_a_malformed_setting_is_named(monkeypatch, name, value):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=f"  {name}: "):
        load_settings()


def test_settings_from_the_environment_and_a_dot_env(monkeypatch, tmp_path):
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nBOT_ADMIN_IDS=7, 8\n", encoding="utf-8")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    settings = load_settings()
    assert settings.bot_admin_ids == [7, 8] and settings.database_url == "sqlite:///data/campaign-bot.db"
    assert settings.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert TOKEN not in repr(settings) and settings.token == TOKEN


def test_the_token_is_redacted_from_log_lines_and_tracebacks():
    handler = logging.StreamHandler()
    handler.addFilter(Redact(TOKEN))
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "GET https://api/bot%s/getMe", (TOKEN,), None)
    try:
        raise RuntimeError(f"url /bot{TOKEN}/sendMessage")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    handler.filter(record)
    assert TOKEN not in record.getMessage() and TOKEN not in record.exc_text and "***" in record.exc_text


def test_long_text_splits_at_line_ends_and_keeps_everything():
    lines = [f"Dòng {i}: " + "chữ " * 30 for i in range(200)]
    pieces = split_text("\n".join(lines))
    assert len(pieces) > 1 and all(len(p) <= 4096 for p in pieces)
    assert "\n".join(pieces).splitlines() == lines


def test_a_single_overlong_line_is_cut_between_words():
    pieces = split_text("a " * 5000)
    assert all(len(p) <= 4096 for p in pieces) and sum(p.count("a") for p in pieces) == 5000


def test_flooding_is_answered_once_then_dropped_and_others_are_untouched():
    now = [0.0]
    guard = FloodGuard(limit=20, window=10.0, clock=lambda: now[0])
    assert all(guard.check(1).allowed for _ in range(20))
    first, second = guard.check(1), guard.check(1)
    assert (first.allowed, first.warn, second.allowed, second.warn) == (False, True, False, False)
    assert guard.check(2).allowed
    now[0] = 10.5
    assert guard.check(1).allowed



def test_what_start_up_built_is_kept_out_of_the_garbage_collectors_walks():
    built = [[n] for n in range(10_000)]  # as the plans' index: long-lived, tracked by the collector
    try:
        settle()
        assert gc.get_freeze_count() >= len(built)
        settle()  # a new index replaced the old: collected, then frozen again
        assert gc.get_freeze_count() >= len(built)
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(("text", "day"), [("15/12/2026", dt.date(2026, 12, 15)), ("5-1-2027", dt.date(2027, 1, 5)),
                                           ("5.1.2027", dt.date(2027, 1, 5)), ("2026-12-15", dt.date(2026, 12, 15)),
                                           ("31/02/2026", None), ("12/15/2026", None), ("15/12/26", None), ("", None)])
def test_a_day_is_read_as_offices_write_it(text, day):
    assert parse_day(text) == day


@pytest.mark.parametrize(("text", "time"), [("17:00", dt.time(17)), ("17h", dt.time(17)), ("8g15", dt.time(8, 15)),
                                            ("17 giờ 30 phút", dt.time(17, 30)), ("25:00", None),
                                            ("5:00 PM", None), ("", None)])
def test_a_time_is_read_on_a_24_hour_clock(text, time):
    assert parse_clock(text) == time
