"""Engine, sessions and migrations. The caller owns the session: one per update, job or command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from bot.core.config import SettingsError, ensure_sqlite_directory

MIGRATIONS = Path(__file__).parent / "migrations"
START_UP_LOCK = 0x63616D70  # a PostgreSQL advisory lock id of our own ("camp"), with the schema as second key


def make_engine(url: str) -> Engine:
    """hide_parameters: a failed statement's error (hence its log line and traceback) shows the SQL, never
    the values bound to it (names, notes: personal data)."""
    ensure_sqlite_directory(url)
    engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"), hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


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

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        with self._sessions.begin() as session:
            yield session

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
