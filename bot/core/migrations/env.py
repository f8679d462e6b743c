"""Alembic environment: runs on the engine handed over by `bot.core.db.upgrade`, or on DATABASE_URL."""

from alembic import context

from bot.core.models import Base


def _engine():
    engine = context.config.attributes.get("engine")
    if engine is None:
        from bot.core.config import LocalSettings
        from bot.core.db import make_engine

        engine = make_engine(LocalSettings().database_url)
    return engine


with _engine().connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
