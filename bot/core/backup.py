"""Backup and restore of every table of the schema, portable between SQLite and PostgreSQL.

The file is JSON lines (gzipped when its name ends in .gz):

    {"format": "campaign-bot-backup", "version": 1, "revision": "0002", "created_at": "…", "dialect": "sqlite"}
    {"table": "units", "row": {"id": 1, "code": "xa-cat-ne", …, "created_at": "2026-11-22T02:00:00.123456+00:00"}}
    …
    {"end": {"units": 5, "people": 12, …}}

Tables come in dependency order (`metadata.sorted_tables`), so a restore inserts parents first;
dates and times are ISO 8601, JSON columns stay JSON, bytes are base64. The closing line lets a
restore tell a complete file from a cut one. Nothing here names a table: a new table is backed up
as soon as it is in `bot.core.models`.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import decimal
import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import groupby, islice
from pathlib import Path
from typing import IO, Any

from sqlalchemy import JSON, Column, Connection, Engine, Table, TypeDecorator, bindparam, false, func, select
from sqlalchemy.exc import SQLAlchemyError

from bot.core.db import current_revision, head_revision, upgrade
from bot.core.models import Base

FORMAT, VERSION = "campaign-bot-backup", 1
BATCH = 1000
Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]
CODECS: dict[type, Codec] = {
    dt.datetime: (dt.datetime.isoformat, dt.datetime.fromisoformat),
    dt.date: (dt.date.isoformat, dt.date.fromisoformat),
    dt.time: (dt.time.isoformat, dt.time.fromisoformat),
    decimal.Decimal: (str, decimal.Decimal),
    bytes: (lambda v: base64.b64encode(v).decode(), base64.b64decode),
}


class BackupError(SystemExit):
    """A backup or restore refused: the message says why and what to do."""


def backup(engine: Engine, path: Path, now: dt.datetime) -> dict[str, int]:
    """Writes every row of every table to `path`; returns the row count of each table."""
    revision, head = current_revision(engine), head_revision()
    if revision != head:
        raise BackupError(f"cơ sở dữ liệu ở phiên bản {revision or 'trống'}, cần {head} / the database is at revision "
                          f"{revision or '(empty)'}, this version needs {head}: run `campaign-bot db upgrade` first")
    counts: dict[str, int] = {}
    with _snapshot(engine) as connection, _open(path, "wt") as out:
        _write(out, {"format": FORMAT, "version": VERSION, "revision": revision, "created_at": now.isoformat(),
                     "dialect": engine.dialect.name})
        for table in Base.metadata.sorted_tables:
            encoders = {column.name: _codec(column)[0] for column in table.columns}
            counts[table.name] = 0
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)).mappings():
                _write(out, {"table": table.name, "row": {k: _apply(encoders[k], v) for k, v in row.items()}})
                counts[table.name] += 1
        _write(out, {"end": counts})
    return counts


def restore(engine: Engine, path: Path) -> dict[str, int]:
    """Loads a backup into an empty database (migrated here first), in one transaction."""
    with _open(path, "rt") as lines:
        records = (json.loads(line) for line in lines if line.strip())
        _check_header(next(records, None), path)
        upgrade(engine)
        with engine.begin() as connection:
            _require_empty(connection)
            counts = _insert_all(connection, records)
            if connection.dialect.name == "postgresql":
                _reset_sequences(connection)
    return counts


def _check_header(header: dict[str, Any] | None, path: Path) -> None:
    if not header or header.get("format") != FORMAT or header.get("version") != VERSION:
        raise BackupError(f"{path}: không phải bản sao lưu của campaign-bot / not a campaign-bot backup "
                          f"(format {FORMAT} version {VERSION})")
    head = head_revision()
    if header.get("revision") != head:
        raise BackupError(f"{path}: bản sao lưu ở phiên bản {header.get('revision')}, phiên bản này cần {head} / "
                          f"the backup is of schema revision {header.get('revision')}, this version of the bot "
                          f"has {head}: restore it with the version that made it, then upgrade")


def _require_empty(connection: Connection) -> None:
    filled = [f"{table.name} ({count})" for table in Base.metadata.sorted_tables
              if (count := connection.execute(select(func.count()).select_from(table)).scalar_one())]
    if filled:
        raise BackupError("cơ sở dữ liệu đích đã có dữ liệu / the target database is not empty: "
                          f"{', '.join(filled)}; restore into a new, empty database")


def _insert_all(connection: Connection, records: Iterator[dict[str, Any]]) -> dict[str, int]:
    tables, counts = Base.metadata.tables, {}
    end = None
    for name, group in groupby(records, key=lambda record: record.get("table")):
        if name is None:
            end = next(group).get("end")
            continue
        if name not in tables or name in counts:
            raise BackupError(f"bản sao lưu hỏng / corrupt backup: unexpected rows of table {name!r}")
        table = tables[name]
        decoders = {column.name: _codec(column)[1] for column in table.columns}
        rows = [{k: _apply(decoders[k], v) for k, v in record["row"].items()} for record in group]
        statement = _insert(table)
        for batch in _batches(_parents_first(table, rows)):
            connection.execute(statement, batch)
        counts[name] = len(rows)
    if end is None or any(counts.get(name, 0) != count for name, count in end.items()):
        raise BackupError("bản sao lưu không đầy đủ / the backup file is incomplete (cut short?): nothing restored")
    return counts


def _insert(table: Table):
    """An INSERT that stores None as SQL NULL in JSON columns too (SQLAlchemy's default there is JSON null)."""
    def kind(column: Column) -> Any:
        if not isinstance(column.type, JSON):
            return column.type
        sql_null = copy.copy(column.type)
        sql_null.none_as_null = True
        return sql_null
    return table.insert().values({c.name: bindparam(c.name, type_=kind(c)) for c in table.columns})


def _parents_first(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of a table that refers to itself (a unit's parent unit) ordered so that each parent comes first."""
    links = [(fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table is table]
    if not links:
        return rows
    present = {referred: set() for _, referred in links}
    ordered, pending = [], rows
    while pending:
        ready = [row for row in pending if all(row[own] is None or row[own] == row[referred]
                                               or row[own] in present[referred] for own, referred in links)]
        if not ready:
            raise BackupError(f"bản sao lưu hỏng / corrupt backup: rows of {table.name} refer to missing rows")
        for row in ready:
            for referred in present:
                present[referred].add(row[referred])
        ordered += ready
        chosen = {id(row) for row in ready}
        pending = [row for row in pending if id(row) not in chosen]
    return ordered


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL's id sequences do not see explicit ids: move each past the largest id restored."""
    preparer = connection.dialect.identifier_preparer
    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if column.autoincrement is False or column.type.python_type is not int:
                continue
            sequence = func.pg_get_serial_sequence(preparer.format_table(table), column.name)
            connection.execute(select(func.setval(sequence, func.coalesce(func.max(column), 0) + 1, false())))


def _codec(column: Column) -> Codec:
    sql_type = column.type
    while isinstance(sql_type, TypeDecorator):  # e.g. UTCDateTime: the stored type decides
        sql_type = sql_type.impl_instance
    try:
        kind = sql_type.python_type
    except NotImplementedError:
        kind = object
    return CODECS.get(kind, (_same, _same))


def _same(value: Any) -> Any:
    return value


def _apply(convert: Callable[[Any], Any], value: Any) -> Any:
    return None if value is None else convert(value)


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        yield batch


def _write(out: IO[str], record: dict[str, Any]) -> None:
    out.write(json.dumps(record, ensure_ascii=False, allow_nan=True) + "\n")


@contextmanager
def _open(path: Path, mode: str) -> Iterator[IO[str]]:
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, mode, encoding="utf-8") as handle:
            yield handle
    except OSError as exc:
        raise BackupError(f"{path}: {exc.strerror or exc}") from None


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One consistent view of every table while the bot keeps writing."""
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            else:  # pysqlite starts no transaction for reads on its own: each SELECT would see the latest data
                connection.exec_driver_sql("BEGIN")
            yield connection
    except SQLAlchemyError as exc:
        raise BackupError(f"cơ sở dữ liệu lỗi / database error: {exc.__class__.__name__}: {exc}") from None
