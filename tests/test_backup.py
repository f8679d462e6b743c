"""Backup and restore between SQLite and PostgreSQL; `campaign-bot db upgrade`; DB_AUTO_UPGRADE."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, select

from bot.core.backup import BackupError, backup, restore
from bot.core.db import MIGRATIONS, Database
from bot.core.models import (
    Appointment,
    AuditEntry,
    Base,
    Chat,
    Deadline,
    Delivery,
    Indicator,
    Invite,
    JoinRequest,
    Period,
    Person,
    PlanExtension,
    ReminderMark,
    ReportDraft,
    SeenUpdate,
    Snooze,
    Submission,
    Subscription,
    SummaryChat,
    Unit,
    WebSession,
    WebSignIn,
)
from bot.start.boot import open_runtime
from bot.start.cli import main
from tests.support import databases

NOW = dt.datetime(2026, 11, 22, 2, 3, 4, 567891, tzinfo=dt.UTC)
HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()


@pytest.fixture
def target_url(database_url: str, tmp_path: Path):
    """An empty database of the other kind: a SQLite backup goes to PostgreSQL and back."""
    kind = "postgresql" if database_url.startswith("sqlite") else "sqlite"
    (tmp_path / "target").mkdir()
    with databases.database_url(kind, tmp_path / "target") as url:
        yield url


@pytest.fixture
def target(target_url: str):
    db = Database(target_url)
    yield db
    db.dispose()


@pytest.fixture
def filled(runtime):
    """The bot's database with rows in every table: a unit whose parent came later, a correction, JSON, dates."""
    with runtime.db.session() as session:
        cat_ne = session.scalars(select(Unit).where(Unit.code == "xa-cat-ne")).one()
        hamlet = Unit(code="thon-1", name="Thôn 1", plan_id="xa-cat-ne", level="thôn", created_at=NOW)
        session.add(hamlet)
        session.flush()
        hamlet.parent = Unit(code="xa-con", name="Xã Con", plan_id="xa-cat-ne", level="xã", parent=cat_ne)
        lan = Person(id=501, name="Lan", unit=cat_ne, role="officer")
        session.add_all([lan, Chat(id=501, kind="private", unit=cat_ne, last_sources=[{"plan": "xa-cat-ne", "p": 3}]),
                         Chat(id=-100777, kind="supergroup", title="Tổ chuyển đổi số")])
        session.flush()  # people before the rows that name them by id alone
        online = Indicator(plan_id="xa-cat-ne", code="IX-3", name="Hồ sơ trực tuyến", target=80.0, kind="percent",
                           comparator=">=", section="III", text="Tối thiểu 80% hồ sơ…")
        half = Period(code="2026-H2", kind="half", starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 12, 31))
        first = Submission(indicator=online, unit=cat_ne, period=half, value=81.25, numerator=325, denominator=400,
                           shown="81,25%", met=True, person_id=501, person_name="Lan", submitted_at=NOW, update_id=77)
        session.add(first)
        session.flush()
        session.add_all([Submission(indicator=online, unit=cat_ne, period=half, value=0.1 + 0.2, shown="0,3%",
                                    met=False, note="sửa", supersedes_id=first.id, submitted_at=NOW),
                         Invite(token="tok-1", unit=cat_ne, created_by=900, expires_at=NOW + dt.timedelta(days=7),
                                used_by=501, used_at=NOW), SeenUpdate(update_id=2**40, seen_at=NOW),
                         JoinRequest(invite=Invite(token="tok-2", unit=cat_ne, created_by=900, expires_at=NOW,
                                                   places=20, uses=1, approval=True),
                                     person_id=502, name="Hoa", created_at=NOW),
                         Deadline(title="Báo cáo năm 2026", due_at=NOW, unit_id=cat_ne.id, created_by=900,
                                  created_at=NOW),
                         PlanExtension(plan_id="xa-cat-ne", until=dt.date(2026, 12, 31), created_at=NOW),
                         Subscription(chat_id=-100777, kind="supergroup", changed_by=501, created_at=NOW,
                                      updated_at=NOW),
                         Delivery(deadline_key="admin:1", offset_label="1d", occurrence=NOW, chat_id=501,
                                  kind="nudge", unit_id=cat_ne.id, title="Báo cáo năm 2026", period="2026-H2",
                                  due_at=NOW,
                                  state="sent", message_id=12, created_at=NOW, finished_at=NOW),
                         ReminderMark(name="planned", at=NOW),
                         Appointment(person_id=801, unit=cat_ne, appointed_by=900, appointed_at=NOW),
                         Snooze(person_id=501, until=NOW),
                         SummaryChat(chat_id=-100777, schedule="weekly", units=[cat_ne.id], updated_at=NOW),
                         WebSignIn(token_hash="a" * 64, person_id=900, created_at=NOW, expires_at=NOW, used_at=NOW),
                         WebSession(id_hash="b" * 64, person_id=900, csrf="c" * 64, created_at=NOW, seen_at=NOW),
                         AuditEntry(person_id=900, action="sign-in", detail="web", at=NOW),
                         ReportDraft(person_id=501, step="confirming", unit_id=cat_ne.id, period="2026-H2",
                                     indicator_id=online.id, value=85.5, shown="85,5%", note="", expires_at=NOW)])
    return runtime


def rows(engine: Engine) -> dict[str, list[dict]]:
    with engine.connect() as connection:
        return {table.name: [dict(row) for row in connection.execute(
            select(table).order_by(*table.primary_key.columns)).mappings()] for table in Base.metadata.sorted_tables}


def test_a_backup_restores_row_for_row_into_the_other_database(filled, target, tmp_path):
    dump = tmp_path / "backup.jsonl.gz"
    written = backup(filled.db.engine, dump, NOW)
    assert restore(target.engine, dump) == {name: n for name, n in written.items() if n}
    source, restored = rows(filled.db.engine), rows(target.engine)
    assert restored == source and all(source.values())
    assert source["submissions"][1]["value"] == 0.1 + 0.2 and source["invites"][0]["used_at"] == NOW
    with target.session() as session:  # new rows continue after the restored ids
        session.add(Unit(code="moi", name="Mới", plan_id="xa-cat-ne", level="xã"))
    assert rows(target.engine)["units"][-1]["id"] == source["units"][-1]["id"] + 1


def test_the_backup_names_its_schema_revision_and_ends_with_the_counts(filled, tmp_path):
    dump = tmp_path / "backup.jsonl"
    counts = backup(filled.db.engine, dump, NOW)
    lines = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == {"format": "campaign-bot-backup", "version": 1, "revision": HEAD,
                        "created_at": NOW.isoformat(), "dialect": filled.db.engine.dialect.name}
    assert lines[-1] == {"end": counts} and len(lines) == sum(counts.values()) + 2
    assert set(counts) == set(Base.metadata.tables)


def test_a_backup_of_another_schema_revision_is_refused(filled, target, tmp_path):
    dump = tmp_path / "backup.jsonl"
    backup(filled.db.engine, dump, NOW)
    lines = dump.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace(f'"revision": "{HEAD}"', '"revision": "0001"')
    dump.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(BackupError, match=f"the backup is of schema revision 0001, this version of the bot has {HEAD}"):
        restore(target.engine, dump)


def test_a_database_that_has_data_is_not_restored_into(filled, tmp_path):
    dump = tmp_path / "backup.jsonl"
    backup(filled.db.engine, dump, NOW)
    with pytest.raises(BackupError, match=r"the target database is not empty: .*units \(7\)"):
        restore(filled.db.engine, dump)


def test_a_cut_backup_restores_nothing(filled, target, tmp_path):
    dump = tmp_path / "backup.jsonl.gz"
    backup(filled.db.engine, dump, NOW)
    lines = gzip.decompress(dump.read_bytes()).decode().splitlines()
    dump.write_bytes(gzip.compress("\n".join(lines[:-3]).encode()))
    with pytest.raises(BackupError, match="incomplete"):
        restore(target.engine, dump)
    assert not any(rows(target.engine).values())


def test_a_file_that_is_not_a_backup_is_refused(target, tmp_path):
    (tmp_path / "notes.jsonl").write_text('{"hello": 1}\n', encoding="utf-8")
    with pytest.raises(BackupError, match="not a campaign-bot backup"):
        restore(target.engine, tmp_path / "notes.jsonl")


def test_the_commands_back_up_and_restore_through_database_url(filled, database_url, target_url, tmp_path,
                                                                monkeypatch, capsys):
    dump = str(tmp_path / "backup.jsonl")
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["backup", "--out", dump]) == 0
    monkeypatch.setenv("DATABASE_URL", target_url)
    assert main(["restore", dump]) == 0
    out = capsys.readouterr().out
    assert f"-> {dump}" in out and "restore: " in out and "units 7" in out


def test_db_upgrade_migrates_and_without_auto_upgrade_an_old_schema_stops_the_bot(kb, database_url, monkeypatch,
                                                                                  capsys):
    with pytest.raises(SystemExit, match=r"DB_AUTO_UPGRADE=false: .*run `campaign-bot db upgrade`"):
        open_runtime(kb, database_url, upgrade=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["db", "upgrade"]) == 0 and main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"database: revision (empty) -> {HEAD}",
                                                    f"database: revision {HEAD} -> {HEAD}"]
    open_runtime(kb, database_url, upgrade=False).db.dispose()
