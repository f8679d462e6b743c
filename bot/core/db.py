"""Engine, sessions and migrations. The caller owns the session: one per update, job or command."""

from __future__ import annotations

import logging
import os
import re
import shutil
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.core.config import SettingsError, ensure_sqlite_directory
from bot.core.errors import UserMessageError

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
START_UP_LOCK = 0x63616D70  # a PostgreSQL advisory lock id of our own ("camp"), with the schema as second key
_SQLITE_FILE = re.compile(r"^sqlite(?:\+\w+)?:///(?!:memory:)([^?]+)")
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
# a write that changes nothing and is rolled back: fails when the database cannot be written
WRITE_PROBE = "UPDATE alembic_version SET version_num = version_num"
# Below this free space on the SQLite file's disk, writes are refused before SQLite meets the end of the disk in
# the middle of a transaction (its WAL and checkpoints need room besides the rows themselves).
MIN_FREE = 4 * 1024 * 1024
_FULL = "database or disk is full"  # SQLite's SQLITE_FULL


class DatabaseUnwritable(SQLAlchemyError, UserMessageError):
    """The database cannot take writes (its file was deleted, replaced or made read-only, its disk full): nothing
    is written, so nothing may be reported as stored. A database error (the webhook leaves the update
    unacknowledged) and a user message: a service call refused by it answers `message`, not "✅ Đã ghi" nor a
    bare "Xin lỗi…"."""

    USER_TEXT = ("⚠️ Mình chưa ghi được gì: hệ thống lưu trữ đang gặp sự cố, quản trị viên đã được báo. "
                 "Bạn gửi lại sau ít phút nhé.")

    def __init__(self, problem: str) -> None:
        SQLAlchemyError.__init__(self, problem)
        self.message = self.USER_TEXT


def upsert_insert(session: Session, target: object) -> postgresql.Insert | sqlite.Insert:
    """An INSERT of the session's dialect (the two supported), for ON CONFLICT DO NOTHING: the caller's
    transaction stays usable where a caught unique violation would need a savepoint round trip."""
    return dialect_insert(session.get_bind().dialect.name, target)


def dialect_insert(dialect: str, target: object) -> postgresql.Insert | sqlite.Insert:
    """upsert_insert by the dialect's name: for a statement built once per dialect, not per call."""
    return (postgresql if dialect == "postgresql" else sqlite).insert(target)


def sqlite_file(url: str) -> Path | None:
    match = _SQLITE_FILE.match(url)
    return Path(match.group(1)).absolute() if match else None


def make_engine(url: str) -> Engine:
    """hide_parameters: a failed statement's error (hence its log line and traceback) shows the SQL, never
    the values bound to it (names, notes: personal data)."""
    ensure_sqlite_directory(url)
    engine = create_engine(url, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        _ping_when_idle(engine)
    return engine


IDLE_PING = 2.0  # seconds a pooled connection may rest before it is tried again on checkout


def _ping_when_idle(engine: Engine) -> None:
    """SQLAlchemy's pool_pre_ping, only for a connection that rested IDLE_PING seconds: a server restart or
    an idle timeout is then caught before a statement fails, and the pool gets a fresh connection. Under
    load a connection comes back within milliseconds; pinging it on each of an update's two checkouts was
    0.35 ms of a question's 3 ms of CPU besides its answer (bench/webhook.py prints the figure)."""

    @event.listens_for(engine, "checkin")
    def _rested_since(_dbapi_connection, record) -> None:
        record.info["checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _alive(dbapi_connection, record, _proxy) -> None:
        if time.monotonic() - record.info.get("checked_in", 0.0) < IDLE_PING:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as err:
            raise DisconnectionError("a pooled connection no longer answers") from err  # the pool tries a new one


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def alembic_config(engine: Engine | None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The revision this version of the code migrates to."""
    return ScriptDirectory.from_config(alembic_config(None)).get_current_head()


class Database:
    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite: the file the settings name, as it was when first opened. A file deleted under a running
        # bot is the dangerous case: the open connections go on writing to the unlinked inode, every
        # "✅ Đã ghi" a lie, and the figures vanish with the process. So each write checks it is still there.
        self.path = sqlite_file(url)
        self._identity: tuple[int, int] | None = None
        self._told: str | None = None
        self._lock = threading.Lock()
        if self.path is not None:
            event.listen(self.engine, "connect", self._remember_file)
            event.listen(self.engine, "before_cursor_execute", self._refuse_unwritable)
            event.listen(self.engine, "handle_error", self._full_disk)

    def _remember_file(self, _connection, _record) -> None:
        if self._identity is None and self.path is not None:
            try:
                found = os.stat(self.path)
            except OSError:
                return
            self._identity = (found.st_dev, found.st_ino)

    def file_problem(self) -> str | None:
        """Why the SQLite file cannot be trusted with writes (deleted, replaced, read-only), or None."""
        if self.path is None:
            return None
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            return f"the database file {self.path} was deleted"
        except OSError as exc:
            return f"the database file {self.path} cannot be read: {exc.__class__.__name__}"
        if self._identity is not None and (found.st_dev, found.st_ino) != self._identity:
            return f"the database file {self.path} was replaced by another file"
        if not stat.S_IMODE(found.st_mode) & 0o222 or not os.access(self.path, os.W_OK):
            return f"the database file {self.path} is read-only"
        free = shutil.disk_usage(self.path.parent).free
        if free < MIN_FREE:
            return f"the disk holding the database file {self.path} is full ({free // 1024} KiB free)"
        return None

    def _refuse_unwritable(self, _conn, _cursor, statement: str, _parameters, _context, _many) -> None:
        if not statement.lstrip().upper().startswith(_WRITES):
            return
        problem = self.file_problem()
        self._tell(problem)
        if problem is not None:
            raise DatabaseUnwritable(f"{problem}: nothing is written while it lasts")

    def _full_disk(self, context) -> None:
        """SQLite's own SQLITE_FULL, met in the middle of a write: refused as unwritable, said loudly."""
        if _FULL in str(context.original_exception):
            problem = f"the disk holding the database file {self.path} is full ({_FULL})"
            self._tell(problem)
            raise DatabaseUnwritable(problem) from context.sqlalchemy_exception

    def _tell(self, problem: str | None) -> None:
        """Loudly, once per change: the log line an operator must not miss."""
        with self._lock:
            if problem == self._told:
                return
            self._told = problem
        if problem is not None:
            log.critical("DATABASE CANNOT BE WRITTEN: %s; writes are refused and /healthz answers 503", problem)
        else:
            log.warning("the database can be written again")

    def write_probe(self) -> None:
        """Raises unless the database takes a write: the file check, then a write rolled back."""
        problem = self.file_problem()
        self._tell(problem)
        if problem is not None:
            raise DatabaseUnwritable(problem)
        with self.engine.connect() as connection:
            transaction = connection.begin()
            try:
                if connection.dialect.name == "postgresql":  # a migration holding the row: fail, do not hang
                    connection.execute(text("SET LOCAL lock_timeout = '1s'"))
                connection.execute(text(WRITE_PROBE))
            finally:
                transaction.rollback()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A transaction without the ORM, for the one statement every update runs (its id): a Session's
        set-up and commit cost more CPU than that statement."""
        with self.engine.begin() as connection:
            yield connection

    def upgrade(self) -> None:
        upgrade(self.engine)

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """One process at a time in the block, across replicas on one PostgreSQL database: start-up
        migrates and adds the plans' units, and two replicas doing it at once would collide."""
        if self.engine.dialect.name != "postgresql":
            yield
            return
        with self.engine.connect() as lock:
            lock.execute(text("SELECT pg_advisory_lock(:key, hashtext(current_schema()))"), {"key": START_UP_LOCK})
            try:
                yield
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:key, hashtext(current_schema()))"),
                             {"key": START_UP_LOCK})

    def require_latest(self) -> None:
        current, head = current_revision(self.engine), head_revision()
        if current != head:
            raise SettingsError(f"DB_AUTO_UPGRADE=false: cơ sở dữ liệu ở phiên bản {current or 'trống'}, cần {head}; "
                                f"chạy `campaign-bot db upgrade` / the database is at revision {current or 'none'}, "
                                f"this version needs {head}: run `campaign-bot db upgrade`")

    def ping(self) -> None:
        """Raises if the database cannot answer `SELECT 1`."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
