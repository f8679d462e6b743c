"""Test databases: an SQLite file per test, and a private schema of the PostgreSQL at TEST_DATABASE_URL.

In CI (CI=true) PostgreSQL is required: the machine's server is used when TEST_DATABASE_URL is unset.
Elsewhere, without TEST_DATABASE_URL, the PostgreSQL variants skip and say why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

CI_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url and os.environ.get("CI") == "true":
        url = CI_POSTGRES
    if not url:
        pytest.skip("PostgreSQL variant: set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    return url


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """A fresh schema, dropped afterwards; the URL returned points every connection at it."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def database_url(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.db'}"
        return
    with postgres_schema(postgres_url()) as url:
        yield url


UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/unreachable"  # nothing listens on port 1


@contextmanager
def database_down(rt) -> Iterator[None]:
    """The runtime's database stops answering (a PostgreSQL on a closed port) until the block ends."""
    from bot.core.db import Database

    working, rt.db = rt.db, Database(UNREACHABLE)
    try:
        yield
    finally:
        rt.db.dispose()
        rt.db = working
