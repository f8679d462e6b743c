"""Personal data: erased on request (in Telegram or by the office), and past the retention."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from bot.core.models import Base, Chat, Person, Submission
from bot.people.privacy import ERASED, erase_expired
from bot.start.cli import main
from handlers.jobs import erase_expired_daily, schedule
from tests.test_reporting import invite_link


async def test_a_person_erases_their_data_and_their_figures_stay_unnamed(telegram):
    mai = telegram.user(701, "Mai")
    await mai.say(f"/start {await invite_link(telegram)}")
    await mai.say("/baocao III-3 85%")
    await mai.press(await mai.say("/xoadulieu"), "Giữ lại")
    assert "giữ nguyên" in (await telegram.fake.wait_for("editMessageText")).params["text"]
    mark = telegram.fake.mark()
    await mai.press(await mai.say("/xoadulieu"), "🗑 Xóa dữ liệu của tôi")
    assert "Đã xóa" in (await telegram.fake.wait_for("editMessageText", after=mark)).params["text"]
    with telegram.rt.db.session() as session:
        assert session.get(Person, 701) is None and session.get(Chat, 701) is None
        [row] = session.scalars(select(Submission))
        assert (row.person_id, row.person_name, row.shown) == (None, ERASED, "85%")


def test_people_unseen_past_the_retention_are_erased(runtime, clock):
    now = clock()
    with runtime.db.session() as session:
        session.add_all([Person(id=1, name="Cũ", last_seen_at=now - dt.timedelta(days=800)),
                         Person(id=2, name="Mới", last_seen_at=now - dt.timedelta(days=10))])
    with runtime.db.session() as session:
        assert erase_expired(dt.timedelta(days=730), now, session=session) == 1
    with runtime.db.session() as session:
        assert [p.name for p in session.scalars(select(Person))] == ["Mới"]


def test_the_office_erases_on_request_from_the_command_line(runtime, database_url, monkeypatch, capsys, kb):
    import knowledge

    monkeypatch.setattr(knowledge, "default_kb", lambda: kb)
    monkeypatch.setenv("DATABASE_URL", database_url)
    with runtime.db.session() as session:
        session.add(Person(id=3, name="Lan"))
    assert main(["erase", "--user", "3"]) == 0 and main(["erase", "--user", "3"]) == 0
    assert main(["erase", "--expired"]) == 0
    out = capsys.readouterr().out
    assert "erased user 3" in out and "nothing held about user 3" in out and "erased 0 people" in out


def test_the_migrations_build_exactly_the_models(runtime):
    with runtime.db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


async def test_the_retention_runs_as_a_nightly_job(telegram):
    telegram.rt.retention = dt.timedelta(days=730)
    with telegram.rt.db.session() as session:
        session.add(Person(id=9, name="Cũ", last_seen_at=telegram.rt.clock() - dt.timedelta(days=731)))
    schedule(telegram.app)
    [job] = telegram.app.job_queue.get_jobs_by_name("retention")
    assert job.next_t.astimezone(telegram.rt.timezone).time() == dt.time(3, 0)
    await erase_expired_daily(SimpleNamespace(bot_data=telegram.app.bot_data))
    with telegram.rt.db.session() as session:
        assert session.get(Person, 9) is None
