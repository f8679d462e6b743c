"""The database failing: no personal data in the log line, health that tells the truth, writes refused (#15)."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections import namedtuple
from contextlib import contextmanager

import pytest
from sqlalchemy import event, insert, text
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.core import db
from bot.core.db import Database, DatabaseUnwritable, sqlite_file
from bot.core.logs import Redact
from bot.core.models import Person
from bot.start.application import HELD
from bot.transport.client import PollState
from tests.support.databases import database_down
from tests.test_health_metrics import probe
from tests.test_reporting import invite_link

NAME = "Nguyễn Thị Bí Mật"
NOTE = "ghi chú riêng tư 0912"


@contextmanager
def sqlite_full(engine, writes: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE")):
    """Every write (or those starting with one of `writes`) meets SQLite's SQLITE_FULL, as on a disk with no
    room left, until the block ends."""

    def full(_conn, _cursor, statement: str, *_args) -> None:
        if statement.lstrip().upper().startswith(writes):
            raise sqlite3.OperationalError("database or disk is full")

    event.listen(engine, "before_cursor_execute", full)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", full)


@pytest.fixture
async def mai(telegram):
    """Mai, officer of xã Cát Nê, joined through an invite link (as tests/test_reporting.py's `officer`)."""
    person = telegram.user(701, "Mai")
    await person.say(f"/start {await invite_link(telegram)}")
    return person


def test_a_failed_write_logs_the_statement_but_not_its_parameters(runtime, caplog):
    with runtime.db.session() as session:
        session.execute(insert(Person).values(id=77, name=NAME))
    with pytest.raises(IntegrityError) as failed, runtime.db.session() as session:
        session.execute(insert(Person).values(id=77, name=NAME + NOTE))
    with caplog.at_level(logging.DEBUG):
        logger = logging.getLogger("handlers.errors")
        logger.addFilter(Redact())
        try:
            logger.error("update 1 failed", exc_info=failed.value)
        finally:
            logger.filters.clear()
    logged = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert "INSERT INTO people" in logged
    assert NAME not in logged and NOTE not in logged and NAME not in str(failed.value)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # a file's fate
async def test_a_deleted_database_file_fails_health_and_no_figure_is_said_stored(telegram, mai, database_url,
                                                                                 caplog):
    path = sqlite_file(database_url)
    assert "Đã ghi" in (await mai.say("/baocao III-3 85%")).text
    async with probe(telegram.rt) as check:
        assert (await check.health())[0] == 200
        path.unlink()  # the open connections would go on writing to the unlinked file
        with caplog.at_level(logging.WARNING):
            status, body = await check.health()
            reply = await mai.say("/baocao III-3 90%")
    assert status == 503 and body["database"] == "unwritable"
    assert "Đã ghi" not in reply.text and reply.text == HELD  # its update is held: nothing said stored, nothing lost
    assert any(r.levelno == logging.CRITICAL and "DATABASE CANNOT BE WRITTEN" in r.getMessage()
               and "deleted" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # a file's fate
async def test_a_read_only_database_file_fails_health_until_it_is_writable_again(runtime, database_url):
    path = sqlite_file(database_url)
    async with probe(runtime) as check:
        path.chmod(0o444)
        try:
            status, body = await check.health()
            assert status == 503 and body["database"] == "unwritable"
            with pytest.raises(DatabaseUnwritable), runtime.db.session() as session:
                session.add(Person(id=5, name="Lan"))
        finally:
            path.chmod(0o644)
        assert (await check.health())[0] == 200


async def test_a_database_that_answers_but_refuses_writes_fails_health(runtime, monkeypatch):
    def read_only() -> None:
        raise OperationalError("UPDATE alembic_version", {}, Exception("attempt to write a readonly database"))

    monkeypatch.setattr(runtime.db, "write_probe", read_only)
    async with probe(runtime) as check:
        status, body = await check.health()
    assert status == 503 and body["database"] == "unwritable"


async def test_a_late_reminder_tick_fails_health(runtime, clock):
    async with probe(runtime) as check:
        assert (await check.health())[0] == 200
        clock.now += dt.timedelta(minutes=2)  # started two minutes ago, never ticked
        status, body = await check.health()
        assert status == 503 and body["reminders"] == "late"
        runtime.last_tick_at = clock.now - dt.timedelta(seconds=5)
        assert (await check.health())[0] == 200
        runtime.last_tick_at = clock.now - dt.timedelta(seconds=90)
        assert (await check.health())[1]["reminders"] == "late"


async def test_health_tells_when_polled_updates_stop_being_confirmed(runtime, monkeypatch):
    polls = PollState()
    runtime.polls = polls
    async with probe(runtime) as check:
        assert (await check.health())[1]["updates"] == "off"
        polls.confirmed()
        assert (await check.health())[0] == 200
        polls.last_ok -= 200  # the last confirmed getUpdates was 200 s ago
        polls.failed()
        status, body = await check.health()
    assert status == 503 and body["updates"] == "stalled" and body["updates_confirmed_at"]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # a standby, default_transaction_read_only
async def test_a_read_only_postgresql_fails_health(runtime, database_url):

    def read_only(connection, _record) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET default_transaction_read_only = on")
        connection.commit()

    async with probe(runtime) as check:
        assert (await check.health())[0] == 200
        event.listen(runtime.db.engine, "connect", read_only)
        runtime.db.engine.dispose()  # the connections from now on are read-only
        status, body = await check.health()
    assert status == 503 and body["database"] == "unwritable"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite has no server to lose
def test_a_connection_the_server_dropped_while_it_rested_is_replaced_not_failed(database_url, monkeypatch):
    db = Database(database_url)
    try:
        with db.connection() as conn:
            backend = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with Database(database_url).connection() as admin:  # a restart, an idle timeout, a failover
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        monkeypatch.setattr("bot.core.db.IDLE_PING", 0.0)  # it rested long enough to be tried
        with db.connection() as conn:
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != backend
    finally:
        db.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_connection_back_from_work_a_moment_ago_is_not_pinged_again(database_url, monkeypatch):
    db, pings = Database(database_url), []
    monkeypatch.setattr(type(db.engine.dialect), "do_ping", lambda self, dbapi: pings.append(dbapi) or True)
    try:
        for _ in range(20):
            with db.connection() as conn:
                conn.execute(text("SELECT 1"))
        assert len(pings) <= 1  # the new connection's first checkout, at most
    finally:
        db.dispose()


async def test_polling_holds_back_what_the_database_cannot_record_and_answers_it_once_it_can(telegram, monkeypatch,
                                                                                            caplog):
    monkeypatch.setattr("bot.transport.client.HOLD_PAUSE", 0.1)
    lan = telegram.user(501, "Lan")
    with database_down(telegram.rt), caplog.at_level(logging.WARNING):
        lan.send("/start xa-cat-ne")
        assert (await telegram.fake.next_message(501)).text == HELD
        await lan.hears_nothing(1.0)  # polled again and again meanwhile: told once, held, neither lost nor answered
    assert "Cát Nê" in (await telegram.fake.next_message(501)).text
    await lan.hears_nothing(0.5)  # answered once
    assert sum("held back for Telegram to send again" in r.getMessage() for r in caplog.records) == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # a file's disk
async def test_a_full_disk_holds_the_report_fails_health_and_the_report_is_stored_once_there_is_room(
        telegram, mai, monkeypatch, caplog):
    monkeypatch.setattr("bot.transport.client.HOLD_PAUSE", 0.1)
    assert "Đã ghi" in (await mai.say("/baocao III-3 85%")).text
    async with probe(telegram.rt) as check:
        with sqlite_full(telegram.rt.db.engine), caplog.at_level(logging.WARNING):
            mai.send("/baocao III-3 90%")
            assert (await telegram.fake.next_message(701)).text == HELD  # nothing said stored
            status, body = await check.health()
            assert status == 503 and body["database"] == "unwritable"
            await mai.hears_nothing(0.5)
        assert "Đã ghi: III-3" in (await telegram.fake.next_message(701)).text  # taken in once there is room
        assert (await check.health())[0] == 200
    assert any(r.levelno == logging.CRITICAL and "is full" in r.getMessage() for r in caplog.records)
    assert "90%" in (await mai.say("/tiendo")).text


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_disk_nearly_full_refuses_writes_before_sqlite_meets_its_end(runtime, database_url, monkeypatch):
    usage = namedtuple("usage", "total used free")
    async with probe(runtime) as check:
        monkeypatch.setattr(db.shutil, "disk_usage", lambda _path: usage(10**9, 10**9 - 1024, 1024))
        status, body = await check.health()
        assert status == 503 and body["database"] == "unwritable"
        with pytest.raises(DatabaseUnwritable, match="is full"), runtime.db.session() as session:
            session.add(Person(id=5, name="Lan"))
        monkeypatch.undo()
        assert (await check.health())[0] == 200


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_disk_that_fills_up_between_taking_in_the_update_and_storing_the_figure_says_nothing_stored(
        telegram, mai):
    with sqlite_full(telegram.rt.db.engine, writes=("INSERT INTO SUBMISSIONS",)):
        reply = await mai.say("/baocao III-3 90%")
    assert reply.text == DatabaseUnwritable.USER_TEXT
    assert "Đã ghi: III-3" in (await mai.say("/baocao III-3 90%")).text  # sent again once there is room
